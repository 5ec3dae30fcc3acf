"""The auditor's check: every count is derived from the ledger and adds up.

``verify_review`` re-derives the counts from ``ledger.csv`` and compares them
with ``counts.json`` and ``PRISMA.csv``, checks the PRISMA 2020 arithmetic,
checks that the ledger and the import report account for every record read,
and compares the counts with the numbers the review has published
(``expected_counts`` in the config), when it declares them. For an update,
those are the previous version's published counts, checked against the
previous version rebuilt from its records (and against its frozen ledger);
the update's own published counts are ``expected_counts.current``.
"""

from __future__ import annotations

import json
from typing import Any

from .csvio import read_table
from .paths import ReviewPaths
from .prisma import check_counts, compute_counts, prisma_table, stopping_rules


def verify_studies(paths: ReviewPaths, studies: dict[str, str], ledger: Any, derived: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The ledger's studies are those people's links give (``studies``, from ``pipeline.study_links``);
    each included report belongs to a counted study."""
    from .ledger import study_column

    problems: list[str] = []
    expected = ledger["cluster_id"].map(lambda c: studies.get(c, c))
    wrong = ledger.loc[study_column(ledger) != expected, "record_id"].tolist()
    if wrong:
        problems.append(f"ledger.csv gives {len(wrong)} records another study than {paths.study_decisions} does "
                        f"(first: {wrong[0]}): rerun the pipeline")
    c = derived
    if c["new_reports"] < c["new_studies"] or c["total_reports"] < c["total_studies"]:
        problems.append(f"there are fewer reports than studies ({c['new_reports']} reports of {c['new_studies']} new studies)")
    if not problems:
        linked = len(set(studies)) - len(set(studies.values()))
        passed = [f"studies and reports: {c['new_studies']} new studies with {c['new_reports']} reports"
                  + (f" ({linked} works are further reports of a study, from {paths.study_decisions})" if linked else "")
                  + "; every included report belongs to a counted study"]
        return problems, passed
    return problems, []


def verify_versions(
    paths: ReviewPaths, config: dict[str, Any], records: Any, clusters: Any, studies: dict[str, str], derived: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The published counts of each version: the previous version's from its records (and its frozen ledger), this one's."""
    from .pipeline import previous_counts, previous_ledger
    from .versions import Comparison, describe_version, frozen_counts, previous_marker, published_counts

    problems: list[str] = []
    passed: list[str] = []
    published = published_counts(config)
    current = Comparison(published["current"], derived)
    problems += [f"{key}: the review reports {current.published[key]}, but the ledger gives {derived.get(key)}"
                 for key in current.wrong]
    if current.published and not current.wrong:
        passed.append(f"this version: the {len(current.published)} published counts of the review are reproduced")
    if not previous_marker(config):
        return problems, passed

    records = records.copy()
    records["round"] = records["round"].astype(int)
    outcomes = read_table(paths.screening / "outcomes.csv")
    frozen = previous_ledger(paths, config)
    earlier = previous_counts(paths, config, records, clusters, outcomes, frozen, studies)
    written = json.loads(paths.previous_counts.read_text(encoding="utf-8")) if paths.previous_counts.is_file() else None
    if written != earlier:
        problems.append(f"{paths.previous_counts} differs from the previous version's counts derived from its records: "
                        "rerun the pipeline (snakemake --cores 2)")
    what = describe_version(config)
    previous = Comparison(published["previous"], earlier)
    for key in previous.wrong:
        problems.append(f"{key}: {what} published {previous.published[key]}, but its records give {earlier.get(key)} "
                        "with today's decisions (see data/processed/report/changes.md for the decisions that differ)")
    if previous.published and not previous.wrong:
        passed.append(f"{what}: its {len(previous.published)} published counts are reproduced from its records "
                      f"({previous.summary()})")
    if frozen is not None and previous.published:
        kept = Comparison(previous.published, frozen_counts(config, frozen))
        for key in kept.wrong:
            problems.append(f"{key}: {what} published {kept.published[key]}, but the frozen ledger gives "
                            f"{kept.derived.get(key)}: is it the ledger of the published version?")
        if not kept.wrong:
            passed.append(f"the frozen ledger {previous_marker(config)['ledger']} gives the same {len(kept.published)} published counts")
    return problems, passed


def verify_review(paths: ReviewPaths, config: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(problems, checks passed)."""
    from .pipeline import study_links

    problems: list[str] = []
    passed: list[str] = []
    required = [paths.records, paths.import_report, paths.clusters, paths.ledger, paths.counts, paths.prisma_csv]
    missing = [str(p) for p in required if not p.is_file()]
    if missing:
        return [f"missing output {m}: run the pipeline first (snakemake --cores 2)" for m in missing], passed

    records = read_table(paths.records)
    report = read_table(paths.import_report)
    ledger = read_table(paths.ledger)
    clusters = read_table(paths.clusters)
    counts = json.loads(paths.counts.read_text(encoding="utf-8"))

    imported = report["records"].astype(int).sum()
    if imported != len(records):
        problems.append(f"import report says {imported} records were read; records.csv holds {len(records)}")
    per_file = records.groupby("source_file").size()
    for row in report.itertuples(index=False):
        if int(per_file.get(row.file, 0)) != int(row.records):
            problems.append(f"{row.file}: import report says {row.records} records; records.csv holds {per_file.get(row.file, 0)}")
    if set(ledger["record_id"]) != set(records["record_id"]) or len(ledger) != len(records):
        problems.append(f"the ledger ({len(ledger)} rows) does not hold exactly the {len(records)} imported records")
    if set(clusters["record_id"]) != set(records["record_id"]):
        problems.append("clusters.csv does not give every imported record a cluster")
    if not problems:
        passed.append(f"{len(records)} records read from {len(report)} files; every one is in the ledger with a fate")

    ledger["round"] = ledger["round"].astype(int)
    derived = compute_counts(config, ledger)
    differ = sorted(k for k in set(derived) | set(counts) if derived.get(k) != counts.get(k))
    for key in differ:
        problems.append(f"counts.json {key} = {counts.get(key)!r}, but the ledger gives {derived.get(key)!r}")
    if not differ:
        passed.append("counts.json equals the counts derived from ledger.csv")

    arithmetic = check_counts(config, derived, ledger, len(records))
    problems += arithmetic
    if not arithmetic:
        passed.append("the PRISMA 2020 arithmetic holds (screened = identified - duplicates; sought, assessed, included follow)")

    written = read_table(paths.prisma_csv)
    expected_prisma = prisma_table(derived)
    mismatched = [
        f"PRISMA.csv {key} n = {a!r}, but the ledger gives {b!r}"
        for key, a, b in zip(expected_prisma["data"], written["n"], expected_prisma["n"], strict=False)
        if a != b
    ]
    if len(written) != len(expected_prisma):
        mismatched.append(f"PRISMA.csv has {len(written)} rows; the template has {len(expected_prisma)}")
    problems += mismatched
    if not mismatched:
        passed.append("PRISMA.csv equals the counts")

    if paths.flow_diagram.is_file():
        from .flowdiagram import draw_flow_diagram

        drawn, arithmetic_problems = draw_flow_diagram(config, derived)
        diagram_problems = [f"flow diagram: {p}" for p in arithmetic_problems]
        if paths.flow_diagram.read_text(encoding="utf-8").rstrip("\n") != drawn.rstrip("\n"):
            diagram_problems.append("flow_diagram.svg differs from the diagram drawn from the ledger's counts")
        problems += diagram_problems
        if not diagram_problems:
            passed.append("the flow diagram shows the ledger's counts, and its arithmetic holds")
    else:
        problems.append(f"missing output {paths.flow_diagram}: run the pipeline first (snakemake --cores 2)")

    stopping = stopping_problems(paths, config, derived)
    problems += stopping
    if not stopping and stopping_rules(config):
        passed.append("the stopping rule's works not screened match the ledger, and its test allowed the stop")

    expected = config.get("expected_counts", {})
    # published counts by version, and the previous version rebuilt from its records (verify_versions)
    studies = study_links(paths, records, clusters)
    study_problems, study_passed = verify_studies(paths, studies, ledger, derived)
    versions = expected or config["review"].get("previous_version")
    version_problems, version_passed = verify_versions(paths, config, records, clusters, studies, derived) if versions else ([], [])
    problems += study_problems + version_problems
    passed += study_passed + version_passed
    return problems, passed


def stopping_problems(paths: ReviewPaths, config: dict[str, Any], counts: dict[str, Any]) -> list[str]:
    """A stage's stopping rule: the works it left unscreened are those the ledger says, and the test allowed it."""
    rules = stopping_rules(config)
    if not rules:
        return []
    if not paths.stopping.is_file():
        return [f"missing output {paths.stopping}: run the pipeline first (snakemake --cores 2)"]
    results = json.loads(paths.stopping.read_text(encoding="utf-8"))
    problems = []
    for stage in rules:
        name, result = stage["name"], results.get(stage["name"])
        if result is None:
            problems.append(f"{paths.stopping}: no result for the stage {name}, which declares a stopping rule")
            continue
        not_screened = counts.get(f"{name}_not_screened", 0)
        if result["not_screened"] != not_screened:
            problems.append(f"{name}: the stopping rule left {result['not_screened']} works unscreened, the ledger {not_screened}")
        if result["applied"] and not (result["may_stop"] and stage["stopping"].get("applied_at_round")):
            problems.append(f"{name}: works were left unscreened, but the stopping rule was not both met and applied")
        if result["applied"] and result["screened"] != counts.get(f"{name}_screened_by_reviewers"):
            problems.append(f"{name}: the test counted {result['screened']} works screened, "
                            f"the ledger {counts.get(f'{name}_screened_by_reviewers')}")
        if result["applied"] and result["p_value"] >= 1 - result["confidence"]:
            problems.append(f"{name}: p = {result['p_value']} does not pass at {result['confidence']:.0%} confidence")
    return problems
