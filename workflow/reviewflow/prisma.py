"""Counts from the ledger: per stage, and every PRISMA 2020 flow-diagram field.

Nothing here is typed in: each number is a count of ledger rows, and
``check_counts`` proves the PRISMA arithmetic and that the ledger accounts
for every imported record.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from . import prisma_template
from .ledger import outcome_column, study_column

PRISMA_FIELDS = (
    "previous_studies",
    "previous_reports",
    "database_results",
    "database_specific_results",
    "register_results",
    "register_specific_results",
    "website_results",
    "organisation_results",
    "citations_results",
    "duplicates",
    "excluded_automatic",
    "excluded_other",
    "records_screened",
    "records_excluded",
    "dbr_sought_reports",
    "dbr_notretrieved_reports",
    "other_sought_reports",
    "other_notretrieved_reports",
    "dbr_assessed",
    "dbr_excluded",
    "other_assessed",
    "other_excluded",
    "new_studies",
    "new_reports",
    "total_studies",
    "total_reports",
    "total_studies_ma",
    "total_reports_ma",
)

#: PRISMA fields whose value in PRISMA.csv is a "Name, n; Name, n" string.
REASON_FIELDS = {
    "dbr_excluded": "dbr_excluded_reasons",
    "other_excluded": "other_excluded_reasons",
    "database_specific_results": "database_specific_results",
    "register_specific_results": "register_specific_results",
}


def _by_name(values: pd.Series) -> str:
    counts = Counter(values)
    return "; ".join(f"{name}, {n}" for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _reasons(rows: pd.DataFrame, labels: dict[str, str]) -> str:
    return _by_name(rows["fate_reason"].map(lambda code: labels.get(code, code)))


def is_update(config: dict[str, Any], ledger: pd.DataFrame) -> bool:
    """Whether the review is an update of a previous version (PRISMA 2020 update variant)."""
    return bool(config["review"].get("previous_version")) or bool((ledger["version"] == "previous").any())


def previous_included(ledger: pd.DataFrame) -> tuple[set[str], int]:
    """The studies the previous version included and its number of reports (included works).

    From its frozen ledger when kept, else as decided now.
    """
    if ledger["previous_fate"].ne("").any():
        rows = ledger[ledger["previous_fate"] == "included"]
        return set(study_column(rows)), int(rows["cluster_id"].nunique())
    previous = ledger[(ledger["cluster_version"] == "previous") & (ledger["role"] == "primary")]
    included = previous[previous["fate"] == "included"]
    return set(study_column(included)), len(included)


def full_text_stage(config: dict[str, Any]) -> dict[str, Any] | None:
    stages = [s for s in config["stages"] if s.get("full_text")]
    return stages[-1] if stages else None


def search_round_counts(all_records: pd.DataFrame, counted: pd.DataFrame, update: bool) -> dict[str, int]:
    """Search rounds (distinct round numbers of the search log) whose records the counts cover.

    ``search_rounds`` counts the rounds of database and register searches,
    ``other_search_rounds`` those of other methods (websites, organisations,
    citations). An update covers its new records only, so these are the
    update's own rounds; ``total_search_rounds`` and ``total_other_search_rounds``
    count the rounds of every version.
    """
    def rounds(frame: pd.DataFrame, databases: bool) -> int:
        return int(frame.loc[(frame["lane"] == "databases") == databases, "round"].nunique())

    counts = {"search_rounds": rounds(counted, True), "other_search_rounds": rounds(counted, False)}
    if update:
        counts["total_search_rounds"] = rounds(all_records, True)
        counts["total_other_search_rounds"] = rounds(all_records, False)
    return counts


def compute_counts(config: dict[str, Any], ledger: pd.DataFrame) -> dict[str, Any]:
    """The flat counts object of ``counts.json``."""
    labels = {c["code"]: c.get("label") or c["text"] for c in config["criteria"]["exclusion"]}
    counts: dict[str, Any] = {}
    all_records = ledger
    # an update counts identification, screening and eligibility for the new records only
    update = is_update(config, all_records)
    ledger = all_records[all_records["version"] == "new"] if update else all_records
    db_lane = ledger["lane"] == "databases"
    counts.update(search_round_counts(all_records, ledger, update))
    counts["search_files"] = int(all_records["source_file"].nunique())
    counts["records_imported"] = len(all_records)
    if update:
        counts["new_search_rounds"] = int(ledger["round"].nunique())
        counts["records_previous_version"] = len(all_records) - len(ledger)

    # stages, counted on works (primary records), each lane where the stage applies
    primary = ledger[ledger["role"] == "primary"]
    for stage in config["stages"]:
        name = stage["name"]
        outcome = primary[outcome_column(name)]
        reached = outcome[outcome != ""]
        counts[f"{name}_screened"] = len(reached)
        counts[f"{name}_included"] = int((reached == "include").sum())
        counts[f"{name}_excluded"] = int(reached.isin(["exclude", "not_retrieved", "not_screened"]).sum())
        counts[f"{name}_pending"] = int((reached == "pending").sum())
        if stage.get("full_text"):
            counts[f"{name}_not_retrieved"] = int((reached == "not_retrieved").sum())
        if f"{name}_conflict" in primary:  # disagreements between reviewers, and works two or more screened
            conflict = primary[f"{name}_conflict"]
            counts[f"{name}_conflicts_open"] = int((conflict == "open").sum())
            counts[f"{name}_conflicts_resolved"] = int((conflict == "resolved").sum())
            counts[f"{name}_double_screened"] = int((primary[f"{name}_reviewers"].str.count(";") >= 1).sum())
    counts.update(stopping_counts(config, primary))
    counts["conflicts_open"] = sum(counts.get(f"{s['name']}_conflicts_open", 0) for s in config["stages"])

    # PRISMA 2020: identification
    counts["database_results"] = int((ledger["source_type"] == "database").sum())
    counts["database_specific_results"] = _by_name(ledger.loc[ledger["source_type"] == "database", "database"])
    counts["register_results"] = int((ledger["source_type"] == "register").sum())
    counts["register_specific_results"] = _by_name(ledger.loc[ledger["source_type"] == "register", "database"])
    counts["website_results"] = int((ledger["source_type"] == "website").sum())
    counts["organisation_results"] = int((ledger["source_type"] == "organisation").sum())
    counts["citations_results"] = int((ledger["source_type"] == "citation").sum())
    duplicate = ledger["role"] == "duplicate"
    counts["duplicates"] = int((duplicate & db_lane).sum())
    counts["other_duplicates"] = int((duplicate & ~db_lane).sum())
    counts["excluded_automatic"] = 0
    counts["excluded_other"] = 0

    # databases and registers lane
    ft = full_text_stage(config)
    db = primary[primary["cluster_lane"] == "databases"]
    other = primary[primary["cluster_lane"] == "other"]
    counts["records_screened"] = len(db)
    before_ft = db["fate"].isin(["excluded", "not_screened"]) & (db["fate_stage"] != (ft["name"] if ft else ""))
    counts["records_excluded"] = int(before_ft.sum())
    if stopping_rules(config):  # PRISMA 2020: say how many were excluded by people and how many by automation
        counts["records_not_screened"] = int((db["fate"] == "not_screened").sum())
        counts["records_excluded_by_reviewers"] = counts["records_excluded"] - counts["records_not_screened"]
    counts["records_pending"] = int(((db["fate"] == "pending") & (db["fate_stage"] != (ft["name"] if ft else ""))).sum())

    def report_counts(lane: pd.DataFrame, prefix: str) -> None:
        at_ft = lane[lane[outcome_column(ft["name"])] != ""] if ft else lane.iloc[0:0]
        not_retrieved = at_ft[at_ft["fate"] == "not_retrieved"]
        excluded = at_ft[(at_ft["fate"] == "excluded") & (at_ft["fate_stage"] == ft["name"])] if ft else at_ft
        counts[f"{prefix}_sought_reports"] = len(at_ft)
        counts[f"{prefix}_notretrieved_reports"] = len(not_retrieved)
        counts[f"{prefix}_assessed"] = len(at_ft) - len(not_retrieved)
        counts[f"{prefix}_excluded"] = len(excluded)
        counts[f"{prefix}_excluded_reasons"] = _reasons(excluded, labels)
        counts[f"{prefix}_pending"] = int((at_ft["fate"] == "pending").sum())
        counts[f"{prefix}_included"] = int((lane["fate"] == "included").sum())

    report_counts(db, "dbr")
    report_counts(other, "other")

    # included
    # included: each work is a report; works people linked as reports of one study count as one study, and a
    # new report of a study the previous version included adds a report, not a study
    included = primary[primary["fate"] == "included"]
    earlier, earlier_reports = previous_included(all_records) if update else (set(), 0)
    counts["new_studies"] = len(set(study_column(included)) - earlier)
    counts["new_reports"] = len(included)
    counts["previous_studies"] = len(earlier)
    counts["previous_reports"] = earlier_reports
    counts["total_studies"] = counts["previous_studies"] + counts["new_studies"]
    counts["total_reports"] = counts["previous_reports"] + counts["new_reports"]
    counts["pending"] = int((primary["fate"] == "pending").sum())
    return counts


def stopping_rules(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The stages that declare a stopping rule."""
    return [s for s in config["stages"] if s.get("stopping")]


def stopping_counts(config: dict[str, Any], primary: pd.DataFrame) -> dict[str, int]:
    """Per stage with a stopping rule: works not screened (the rule reached) and works screened by the reviewers."""
    counts = {}
    for stage in stopping_rules(config):
        name = stage["name"]
        outcome = primary[outcome_column(name)]
        counts[f"{name}_not_screened"] = int((outcome == "not_screened").sum())
        counts[f"{name}_screened_by_reviewers"] = int((outcome != "").sum()) - counts[f"{name}_not_screened"]
    return counts


def check_stopping_counts(config: dict[str, Any], c: dict[str, Any], ledger: pd.DataFrame) -> list[str]:
    """The arithmetic of works left unscreened by a stopping rule (empty when it holds)."""
    problems = []
    rows = ledger[ledger["version"] == "new"] if is_update(config, ledger) else ledger
    primary = rows[rows["role"] == "primary"]
    not_screened = primary[primary["fate"] == "not_screened"]
    for stage in config["stages"]:
        name, n = stage["name"], int((not_screened["fate_stage"] == stage["name"]).sum())
        if n and not stage.get("stopping"):
            problems.append(f"{name}: {n} works are 'not screened' but the stage declares no stopping rule")
        if stage.get("stopping"):
            if c[f"{name}_not_screened"] != n:
                problems.append(f"{name}_not_screened: {c[f'{name}_not_screened']} != {n} works with fate 'not_screened' at the stage")
            if c[f"{name}_screened_by_reviewers"] + c[f"{name}_not_screened"] != c[f"{name}_screened"]:
                problems.append(f"{name}: works screened by the reviewers + not screened must be the works at the stage")
            if c[f"{name}_not_screened"] > c[f"{name}_excluded"]:
                problems.append(f"{name}: the works not screened are counted among the records excluded")
    if stopping_rules(config):
        if c["records_excluded_by_reviewers"] + c["records_not_screened"] != c["records_excluded"]:
            problems.append("records excluded = excluded by reviewers + not screened (stopping rule) "
                            f"({c['records_excluded_by_reviewers']} + {c['records_not_screened']} != {c['records_excluded']})")
    return problems


def prisma_table(counts: dict[str, Any]) -> pd.DataFrame:
    """The PRISMA2020 app's data template with ``n`` filled from the counts.

    Fields the counts do not hold (the meta-analysis boxes) are left empty,
    which hides them in the app.
    """
    table = pd.DataFrame(list(prisma_template.ROWS), columns=list(prisma_template.COLUMNS))

    def value(key: str, template_n: str) -> str:
        if key not in PRISMA_FIELDS:
            return template_n
        if key in REASON_FIELDS:
            return str(counts.get(REASON_FIELDS[key], ""))
        return str(counts[key]) if key in counts else ""

    table["n"] = [value(key, n) for key, n in zip(table["data"], table["n"], strict=True)]
    return table


def check_counts(config: dict[str, Any], counts: dict[str, Any], ledger: pd.DataFrame, records_imported: int) -> list[str]:
    """Every arithmetic rule the counts must obey; returns the broken ones (empty when all hold)."""
    problems: list[str] = []

    def rule(name: str, left: int, right: int, detail: str) -> None:
        if left != right:
            problems.append(f"{name}: {detail} ({left} != {right})")

    c = counts
    rule("ledger", len(ledger), records_imported, "the ledger must have one row per imported record")
    rule("ledger ids", ledger["record_id"].nunique(), len(ledger), "record ids in the ledger must be unique")
    fates = Counter(ledger["fate"])
    rule("fates", sum(fates.values()), len(ledger), "every record must have a fate")
    unknown = set(fates) - {"duplicate", "excluded", "not_retrieved", "included", "pending", "not_screened"}
    if unknown:
        problems.append(f"fates: unknown fate(s) {sorted(unknown)}")
    identified = c["database_results"] + c["register_results"]
    rule("records_screened", c["records_screened"], identified - c["duplicates"] - c["excluded_automatic"] - c["excluded_other"],
         "records screened = records identified from databases and registers - duplicates - records removed before screening")
    ft = full_text_stage(config)
    if ft is not None:
        rule("dbr_sought_reports", c["dbr_sought_reports"], c["records_screened"] - c["records_excluded"] - c["records_pending"],
             "reports sought = records screened - records excluded - records still pending before full text")
        rule("dbr_assessed", c["dbr_assessed"], c["dbr_sought_reports"] - c["dbr_notretrieved_reports"],
             "reports assessed = reports sought - reports not retrieved")
        rule("dbr_included", c["dbr_included"], c["dbr_assessed"] - c["dbr_excluded"] - c["dbr_pending"],
             "included (databases) = reports assessed - reports excluded - reports pending")
        rule("other_assessed", c["other_assessed"], c["other_sought_reports"] - c["other_notretrieved_reports"],
             "reports assessed (other) = reports sought - reports not retrieved")
        rule("other_included", c["other_included"], c["other_assessed"] - c["other_excluded"] - c["other_pending"],
             "included (other) = reports assessed - reports excluded - reports pending")
        rule("new_reports", c["new_reports"], c["dbr_included"] + c["other_included"],
             "reports of new included studies = included from databases and registers + included from other methods")
    other_identified = c["website_results"] + c["organisation_results"] + c["citations_results"]
    rule("other lane", other_identified, c["other_sought_reports"] + c["other_duplicates"],
         "records from other methods = reports sought (other) + duplicates of records already found")
    for stage in config["stages"]:
        name = stage["name"]
        rule(f"{name} stage", c[f"{name}_screened"], c[f"{name}_included"] + c[f"{name}_excluded"] + c[f"{name}_pending"],
             f"{name}: screened = included + excluded + pending")
    problems += check_stopping_counts(config, c, ledger)
    rule("total_studies", c["total_studies"], c["previous_studies"] + c["new_studies"], "total = previous + new studies")
    current = Counter(ledger.loc[ledger["version"] == "new", "fate"]) if is_update(config, ledger) else fates
    rule("fate counts", current.get("included", 0), c["new_reports"], "new records with fate 'included' = new reports")
    problems += study_problems(counts, ledger, is_update(config, ledger))
    rule("duplicates", current.get("duplicate", 0), c["duplicates"] + c["other_duplicates"],
         "new records with fate 'duplicate' = duplicates in both lanes")
    return problems


def study_problems(counts: dict[str, Any], ledger: pd.DataFrame, update: bool) -> list[str]:
    """Studies and reports: each study has a report, each included report belongs to a counted study."""
    c = counts
    problems = [f"{name}: {text} ({c[studies]} studies, {c[reports]} reports)"
                for name, studies, reports, text in (
                    ("new_reports", "new_studies", "new_reports", "reports of new studies must be at least the new studies"),
                    ("previous_reports", "previous_studies", "previous_reports", "reports of previous studies must be at least the studies"),
                    ("total_reports", "total_studies", "total_reports", "reports must be at least the studies"))
                if c[reports] < c[studies]]
    if c["total_reports"] != c["previous_reports"] + c["new_reports"]:
        problems.append(f"total_reports: total reports = previous + new ({c['total_reports']} != "
                        f"{c['previous_reports']} + {c['new_reports']})")
    new = ledger[ledger["version"] == "new"] if update else ledger
    included = new[(new["fate"] == "included") & (new["role"] == "primary")]
    earlier, _ = previous_included(ledger) if update else (set(), 0)
    studies = set(study_column(included))
    if len(studies - earlier) != c["new_studies"]:
        problems.append(f"new_studies: the included reports belong to {len(studies - earlier)} studies not in the previous "
                        f"version, but new_studies is {c['new_studies']}")
    if (study_column(included) == "").any():
        problems.append("study_id: an included report belongs to no study (empty study_id in the ledger)")
    return problems


def parse_named_counts(text: str) -> list[tuple[str, int]]:
    """The inverse of the "Name, n; Name, n" strings of the counts (reasons, specific databases).

    A name may itself hold commas: the count is what follows the last one.
    """
    pairs = []
    for part in str(text).split("; "):
        if not part.strip():
            continue
        name, _, number = part.rpartition(", ")
        if not name or not number.strip().isdigit():
            raise ValueError(f"'{part}' is not 'Name, n'")
        pairs.append((name, int(number)))
    return pairs
