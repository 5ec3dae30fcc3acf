"""The command line: one subcommand per pipeline step, plus check, status and verify.

Each step reads the review folder's files, calls the pure functions of the
package and writes its outputs under ``data/processed/``. The Snakemake rules
call these subcommands; people can too. Bad input ends with a message naming
the file, the row or line and what to do, and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import ReviewError
from .paths import ReviewPaths

Step = Callable[[argparse.Namespace], int]

#: reviewflow's own report templates (a review's templates/ folder overrides them): this
#: checkout's, or those installed with the package (pyproject's data-files)
TEMPLATES = next(
    (d for d in (Path(__file__).resolve().parents[2] / "templates", Path(sys.prefix) / "share" / "reviewflow" / "templates")
     if (d / "methods.md.j2").is_file()),
    Path(__file__).resolve().parents[2] / "templates",
)


def _config(paths: ReviewPaths) -> dict[str, Any]:
    from .config import load_config

    return load_config(paths.config)


def _records(paths: ReviewPaths, *, raw: bool = False):  # type: ignore[no-untyped-def]
    from .csvio import read_table

    # every original field (raw) is for the auditor and for finding related reports (a trial
    # registration in a note): only the dedupe step reads it
    records = read_table(paths.records, columns=None if raw else (lambda name: name != "raw"))
    records["round"] = records["round"].astype(int)
    return records


def step_import(args: argparse.Namespace) -> int:
    from .csvio import write_csv
    from .importers.collect import write_import
    from .searchlog import read_search_log

    paths = ReviewPaths(Path(args.root))
    _config(paths)
    try:
        log = read_search_log(paths.search_log, paths.searches)
        # records.csv is written only when every file can be read (else it is removed)
        report = write_import(log, paths.searches, paths.records, -args.max_workers if args.max_workers else None)
    except ReviewError:
        # nothing may look as if the import had succeeded: an earlier import's outputs go too
        for stale in (paths.records, paths.import_report):
            stale.unlink(missing_ok=True)
        raise
    write_csv(report, paths.import_report)
    print(f"imported {int(report['records'].sum())} records from {len(report)} files in {log['round'].nunique()} rounds")
    mismatches = 0
    for row in report[report["warnings"] != ""].itertuples(index=False):
        for warning in str(row.warnings).split(" | "):
            if warning.startswith("MISMATCH: "):
                mismatches += 1
                print(f"MISMATCH: {row.file}: {warning.removeprefix('MISMATCH: ')}")
            else:
                print(f"warning: {row.file}: {warning}")
    if mismatches:
        print(f"{mismatches} file(s) hold a different number of records than the database reported: see {paths.import_report}")
    return 0


def step_dedupe(args: argparse.Namespace) -> int:
    from .csvio import write_csv
    from .dedupe import find_duplicates, source_contributions
    from .pipeline import duplicate_overrides

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    records = _records(paths, raw=True)
    overrides = duplicate_overrides(paths, records)
    result = find_duplicates(records, overrides, config.get("dedupe", {}))
    write_csv(result.clusters, paths.clusters)
    write_csv(result.review, paths.dedupe_review, for_spreadsheet=True)
    write_csv(source_contributions(records, result.clusters), paths.dedupe_sources)
    related = write_related(paths, records, result.clusters)
    clusters = result.clusters["cluster_id"].nunique()
    decided = 0 if overrides is None else len(overrides)
    print(
        f"{len(records)} records form {clusters} works ({len(records) - clusters} duplicates); "
        f"{len(result.review)} pairs to review in {paths.dedupe_review}"
        + (f"; {decided} decisions read from {paths.duplicate_decisions}" if decided else "")
    )
    if related:
        print(f"{related} pairs of works may be reports of one study: see {paths.related}; "
              f"confirm them in {paths.study_decisions}")
    return 0


def write_related(paths: ReviewPaths, records: Any, clusters: Any) -> int:
    """Candidate links between works that may be reports of one study (dedupe/related.py); their number."""
    from .csvio import write_csv
    from .dedupe.related import find_related

    related = find_related(records, clusters)
    write_csv(related, paths.related, for_spreadsheet=True)
    return len(related)


def step_screen(args: argparse.Namespace) -> int:
    from .csvio import read_people_csv, read_table, write_csv, write_json
    from .screening import (
        Units,
        agreement,
        conflicts,
        group_agreement,
        read_decisions,
        resolve,
        screening_summary,
        search_terms,
        worksheets,
    )

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    records = _records(paths)
    units = Units.build(records, read_table(paths.clusters))
    decisions = read_decisions(paths, config, units)
    resolution = resolve(config, units, decisions.table)
    outcomes = resolution.outcomes
    log = read_people_csv(paths.search_log, what="search log") if paths.search_log.is_file() else None
    queries = log["query"].tolist() if log is not None and "query" in log else []
    sheets = worksheets(config, units, records, decisions.table, outcomes, search_terms(config, queries), args.workers)
    titles = dict(zip(records["record_id"], records["title"], strict=True))
    pairs = {stage["name"]: agreement(stage, decisions.table) for stage in config["stages"]}
    groups = {stage["name"]: group_agreement(stage, decisions.table) for stage in config["stages"]}
    # everything a person may open in a spreadsheet is written with formula-like cells neutralised
    write_csv(decisions.table, paths.decisions_table, for_spreadsheet=True)
    write_csv(decisions.orphans, paths.orphans, for_spreadsheet=True)
    write_csv(outcomes, paths.screening / "outcomes.csv")
    for (stage_name, reviewer), sheet in sheets.items():
        write_csv(sheet, paths.worksheet(stage_name, reviewer), for_spreadsheet=True)
    for stage in config["stages"]:
        write_csv(conflicts(stage, outcomes, decisions.table, titles), paths.conflicts(stage["name"]), for_spreadsheet=True)
        write_csv(pairs[stage["name"]], paths.agreement(stage["name"]))
    summary = screening_summary(config, decisions, resolution, sheets, pairs, groups)
    write_json(summary, paths.screening_summary)
    write_json(resolution.stopping, paths.stopping)
    for warning in decisions.warnings:
        print(f"warning: {warning}")
    print(f"{len(decisions.table)} decisions read")
    for stage in summary["stages"]:
        line = (f"{stage['stage']}: {stage['reached']} works, {stage['included']} included, "
                f"{stage['excluded'] + stage['not_retrieved']} excluded, {stage['pending']} pending, "
                f"{stage['conflicts_open']} conflict{'' if stage['conflicts_open'] == 1 else 's'} open")
        for pair in stage["agreement"]:
            line += (f"; {pair['reviewer_a']}-{pair['reviewer_b']}: {pair['double_screened']} double-screened, "
                     f"kappa {pair['cohens_kappa'] or 'undefined'}")
        print(line)
        if stage.get("stopping"):
            print(f"  stopping rule: {stage['stopping']['message']}")
    return 0


def flow_diagram_svg(config: dict[str, Any], counts: dict[str, Any], paths: ReviewPaths) -> str:
    """The PRISMA 2020 flow diagram, every number from the counts and the arithmetic checked on what it shows."""
    from .flowdiagram import draw_flow_diagram

    svg, problems = draw_flow_diagram(config, counts)
    if problems:
        raise ReviewError("the flow diagram's numbers do not add up:\n  " + "\n  ".join(problems), file=str(paths.counts),
                          fix="rebuild counts.json (snakemake --cores 2); if it persists, report it as a bug")
    return svg


def step_ledger(args: argparse.Namespace) -> int:
    from .csvio import read_table, write_csv, write_json, write_text
    from .ledger import build_ledger
    from .pipeline import previous_counts, previous_ledger, study_links
    from .prisma import check_counts, compute_counts, prisma_table

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    records = _records(paths)
    clusters, outcomes = read_table(paths.clusters), read_table(paths.screening / "outcomes.csv")
    studies = study_links(paths, records, clusters)
    frozen = previous_ledger(paths, config)
    ledger = build_ledger(config, records, clusters, outcomes, frozen, studies)
    counts = compute_counts(config, ledger)
    problems = check_counts(config, counts, ledger, len(records))
    if problems:
        raise ReviewError("the counts do not add up:\n  " + "\n  ".join(problems))
    write_csv(ledger, paths.ledger)
    write_json(counts, paths.counts)
    write_json(previous_counts(paths, config, records, clusters, outcomes, frozen, studies), paths.previous_counts)
    write_csv(prisma_table(counts), paths.prisma_csv)
    write_text(flow_diagram_svg(config, counts, paths), paths.flow_diagram)
    reports = f" ({counts['new_reports']} reports)" if counts["new_reports"] != counts["new_studies"] else ""
    print(f"ledger: {len(ledger)} records; {counts['new_studies']} studies included{reports}, {counts['pending']} works pending")
    return 0


def step_evidence_todo(args: argparse.Namespace) -> int:
    from .csvio import read_table, write_csv
    from .evidence import evidence_todo, read_evidence_log

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    ledger = read_table(paths.ledger)
    todo = evidence_todo(config, read_evidence_log(paths, config), ledger, _records(paths))
    write_csv(todo, paths.processed / "evidence_log_todo.csv", for_spreadsheet=True)
    if len(todo):
        print(f"{len(todo)} included studies need a row in the evidence log: see data/processed/evidence_log_todo.csv")
    return 0


def step_tables(args: argparse.Namespace) -> int:
    from .csvio import read_table, write_csv, write_text
    from .evidence import check_evidence_log, read_evidence_log
    from .tables import RENDERINGS, build_tables, search_summary

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    ledger = read_table(paths.ledger)
    evidence = check_evidence_log(config, read_evidence_log(paths, config), ledger, str(paths.evidence_log))
    write_csv(evidence, paths.processed / "evidence_log.csv")
    tables = [*build_tables(config, evidence, str(paths.config)), search_summary(ledger, read_table(paths.import_report))]
    for table in tables:
        write_csv(table.frame, paths.tables / f"{table.name}.csv")
        for extension, render in RENDERINGS.items():
            text = render(table)
            write_text(f"**{table.title}**\n\n{text}" if extension == "md" else text, paths.tables / f"{table.name}.{extension}")
    print(f"evidence log: {len(evidence)} studies coded; {len(tables)} tables (CSV, Markdown, HTML, LaTeX)")
    return 0


def step_report(args: argparse.Namespace) -> int:
    from .csvio import read_table, write_csv, write_text
    from .evidence import coding_scheme
    from .figures import build_figures
    from .included import included_works, reference_field, to_csv_frame, to_ris, with_references
    from .progress import Progress
    from .report import ReportInputs, render_html, render_sections, template_environment
    from .searchlog import databases_searched
    from .tables import build_tables, search_summary, source_contribution

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    counts = json.loads(paths.counts.read_text(encoding="utf-8"))
    evidence = read_table(paths.processed / "evidence_log.csv")
    ledger = read_table(paths.ledger)
    import_report = read_table(paths.import_report)
    done = Progress(4, "report", "parts", size=len(ledger))
    done.part("tables and figures")
    tables = build_tables(config, evidence, str(paths.config))
    summary = search_summary(ledger, import_report)

    diagram_svg = paths.flow_diagram.read_text(encoding="utf-8")  # drawn by the ledger step
    figures = build_figures(config, tables)
    for figure in figures:
        write_text(figure.svg, paths.figure(figure.name))

    done.part("the included studies (RIS, CSV)")
    fields = coding_scheme(config)
    reference = reference_field(config)
    works = with_references(included_works(ledger, _records(paths)), evidence, reference)
    write_csv(to_csv_frame(works), paths.included_csv, for_spreadsheet=True)
    write_text(to_ris(works, [f.name for f in fields if f.name != reference]), paths.included_ris)

    other = import_report[import_report["source_type"].isin(["website", "organisation", "citation"])]
    grey_sources = {kind: list(dict.fromkeys(other.loc[other["source_type"] == kind, "database"]))
                    for kind in ("website", "organisation", "citation")}
    agreement = {
        stage["name"]: read_table(paths.agreement(stage["name"])).to_dict("records") for stage in config["stages"]
    }
    relative = {figure.name: f"../figures/{figure.name}.svg" for figure in figures}
    inputs = ReportInputs(
        config=config,
        counts=counts,
        tables=tables,
        search_summary=summary,
        source_contribution=source_contribution(read_table(paths.dedupe_sources)),
        figures=[{"name": f.name, "title": f.title, "path": relative[f.name]} for f in figures],
        flow_diagram_path="../prisma/flow_diagram.svg",
        agreement=agreement,
        studies=works.to_dict("records"),
        grey_sources=grey_sources,
        evidence_fields=[f.label for f in fields if f.name != reference],
        studies_coded=len(evidence),
        databases_searched=databases_searched(import_report),
        stopping=json.loads(paths.stopping.read_text(encoding="utf-8")) if paths.stopping.is_file() else {},
    )
    done.part("the report's sections")
    env = template_environment([paths.root / "templates", Path(args.templates)])
    sections = render_sections(env, inputs)
    for name, text in sections.items():
        write_text(text, paths.report / f"{name}.md")
    done.part("the HTML report")
    svgs = {"../prisma/flow_diagram.svg": diagram_svg, **{relative[f.name]: f.svg for f in figures}}
    write_text(render_html(env, config, sections, svgs), paths.report_html)
    done.close()
    print(f"report: {len(sections)} sections, {paths.report_html}, the flow diagram, {len(figures)} figures, "
          f"{len(works)} included studies (RIS, CSV)")
    return 0


def step_changes(args: argparse.Namespace) -> int:
    from .changes import find_changes
    from .csvio import read_table, write_csv, write_text
    from .pipeline import previous_ledger
    from .report import template_environment
    from .searchlog import read_search_log

    paths = ReviewPaths(Path(args.root))
    config = _config(paths)
    ledger = read_table(paths.ledger)
    ledger["round"] = ledger["round"].astype(int)
    log = read_search_log(paths.search_log, paths.searches)
    changes = find_changes(config, ledger, log, read_table(paths.decisions_table), previous_ledger(paths, config))
    orphans = read_table(paths.orphans) if paths.orphans.is_file() else None
    versions = None
    if changes.previous_rounds or config["review"].get("previous_version"):
        from .changes import version_summary

        versions = version_summary(config, json.loads(paths.counts.read_text(encoding="utf-8")),
                                   json.loads(paths.previous_counts.read_text(encoding="utf-8")))
    write_csv(changes.rounds, paths.report / "changes.csv")
    if changes.decisions is not None:
        write_csv(changes.decisions, paths.report / "changes_decisions.csv")
    if changes.removed is not None:
        write_csv(changes.removed, paths.report / "changes_removed.csv")
    env = template_environment([paths.root / "templates", Path(args.templates)])
    text = env.get_template("changes.md.j2").render(
        previous_rounds=changes.previous_rounds,
        rounds=changes.rounds.to_dict("records"),
        decisions=None if changes.decisions is None else changes.decisions.to_dict("records"),
        removed=None if changes.removed is None else changes.removed.to_dict("records"),
        orphans=[] if orphans is None else orphans.to_dict("records"),
        versions=versions,
    )
    write_text(text, paths.report / "changes.md")
    new_works = int(changes.rounds["new_works"].sum())
    print(f"changes: {len(changes.rounds)} rounds reported, {new_works} new works"
          + (f", {len(changes.decisions)} decisions differ from the previous version" if changes.decisions is not None else "")
          + (f", {len(changes.removed)} records of the previous version gone" if changes.removed is not None else ""))
    return 0


def step_freeze(args: argparse.Namespace) -> int:
    """Keep a frozen copy of the ledger as the previous version of the review (run by a person)."""
    import shutil

    paths = ReviewPaths(Path(args.root))
    target = paths.root / args.to
    if not paths.ledger.is_file():
        raise ReviewError("there is no ledger to freeze yet", file=paths.ledger, fix="run the pipeline first (snakemake --cores 2)")
    if target.exists():
        raise ReviewError("the file exists already and is never overwritten", file=target,
                          fix="choose another name for this version, e.g. data/raw/versions/2016/ledger.csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.ledger, target)
    print(f"froze {paths.ledger} as {target}. To mark it as the previous version, add to config/config.yaml:\n"
          f"review:\n  previous_version:\n    ledger: {args.to}")
    return 0


def step_verify(args: argparse.Namespace) -> int:
    from .verify import verify_review

    paths = ReviewPaths(Path(args.root))
    problems, passed = verify_review(paths, _config(paths))
    for line in passed:
        print(f"ok: {line}")
    if problems:
        for line in problems:
            print(f"FAILED: {line}", file=sys.stderr)
        return 1
    print("verify: every count is derived from the ledger and adds up")
    return 0


def step_status(args: argparse.Namespace) -> int:
    from .status import status_text

    paths = ReviewPaths(Path(args.root))
    print(status_text(paths, _config(paths)))
    return 0


def step_check(args: argparse.Namespace) -> int:
    """Check export files before adding them to the search log; exit 1 if any has a problem."""
    from .importers import read_export
    from .importers.check import describe_export

    if args.hits is not None and len(args.files) != 1:
        raise ReviewError("--hits gives the number of hits of one export: check one file at a time with it")
    status = 0
    for name in args.files:
        try:
            export = read_export(name)
        except ReviewError as error:
            print(f"{name}\n  PROBLEM: {error.describe()}\n")
            status = 1
            continue
        text, problems = describe_export(export, args.hits)
        print(text + "\n")
        status = max(status, 1 if problems else 0)
    return status


def step_init(args: argparse.Namespace) -> int:
    """Lay out a new, empty review folder (refuses one that already holds a review)."""
    from .newreview import init_review, snakefile

    root = Path(args.review_dir)
    written = init_review(root, args.title)
    print(f"a new review in {root}:")
    for path in written:
        print(f"  {path}{'/' if path.is_dir() else ''}")
    print(f"next: describe the review in {root / 'config' / 'config.yaml'}, add an export to {root / 'data' / 'raw' / 'searches'} "
          f"and its row to {root / 'data' / 'raw' / 'searches.csv'}, then run: snakemake -s {snakefile()} -d {root} --cores 2 "
          f"(see {root / 'README.md'})")
    return 0


def step_app(args: argparse.Namespace) -> int:
    """The screening page: serve it on 127.0.0.1 until Ctrl+C (see docs/screening.md)."""
    import webbrowser

    from .app import ScreeningSession, serve

    root = args.review_dir or args.root
    session = ScreeningSession(root, args.stage, args.reviewer, adjudicating=args.conflicts)
    server, address = serve(session, args.port)
    what = "open conflicts" if args.conflicts else "works waiting"
    print(f"screening page for {args.reviewer} at the {args.stage} stage ({len(session.waiting)} {what}), "
          f"writing {session.file}\n  {address}\n(only this machine can open it; Ctrl+C stops it)", flush=True)
    if not args.no_browser:
        webbrowser.open(address)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.server_close()
    return 0


def step_simulate(args: argparse.Namespace) -> int:
    """Replay a labelled review with the priority model: work saved, recall, where the stopping rule stops."""
    from .screening.simulation import format_table, read_labelled, recall_curve_svg, review_labelled, simulate, summary_table

    source = Path(args.labelled)
    data = review_labelled(source, args.stage) if source.is_dir() else read_labelled(source, args.label)
    seeds = list(range(1, args.seeds + 1))
    stopping = {"target_recall": args.target_recall, "confidence": args.confidence, "min_screened": args.min_screened}
    results, orders = simulate(data, seeds, args.batch, args.model, stopping)
    print(f"{data.name}: {len(data.labels)} works, {int(data.labels.sum())} included ({data.label_column}); "
          f"model {args.model}; prior one include and one exclude, seeds {seeds[0]}-{seeds[-1]}; means over the seeds")
    print(format_table(summary_table(results).drop(columns=["set", "model"])))
    print(f"stopping rule: hypergeometric test (Callaghan & Mueller-Hansen 2020), recall >= {args.target_recall:.0%} "
          f"at {args.confidence:.0%} confidence, tested after each batch; target reached in "
          f"{(results['recall_at_stop'] >= args.target_recall).mean():.0%} of the {len(results)} runs")
    if args.csv:
        results.to_csv(args.csv, index=False)
        print(f"per run: {args.csv}")
    svg = Path(args.svg) if args.svg else Path(f"{source.stem if source.is_file() else 'simulation'}-recall.svg")
    curves = {f"B = {b}": [orders[(b, s)] for s in seeds] for b in args.batch}
    svg.write_text(recall_curve_svg(curves, f"Simulated screening of {data.name}"), encoding="utf-8")
    print(f"recall curve: {svg}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reviewflow", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, step: Step, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--root", default=".", help="the review folder (default: the current folder)")
        command.set_defaults(step=step)
        return command

    imports = add("import", step_import, "read every export in the search log into data/processed/records.csv")
    imports.add_argument("--max-workers", type=int, default=None,
                         help="at most this many processes read the files (large searches use two)")
    add("dedupe", step_dedupe, "find duplicate records: data/processed/dedupe/")
    screen = add("screen", step_screen, "read decision files; write outcomes, worksheets, conflicts, agreement")
    screen.add_argument("--workers", type=int, default=1,
                        help="processes that cut a large stage's texts into words for the priority order (default 1)")
    add("ledger", step_ledger, "build the ledger, counts.json and PRISMA.csv")
    add("evidence-todo", step_evidence_todo, "rows to add to the evidence log for newly included studies")
    add("tables", step_tables, "check the evidence log and render the distribution tables")
    report = add("report", step_report, "render the report sections")
    report.add_argument("--templates", default=str(TEMPLATES))
    changes = add("changes", step_changes, "what each search round brought and what changed since the previous version")
    changes.add_argument("--templates", default=str(TEMPLATES))
    freeze = add("freeze", step_freeze, "keep a frozen copy of the ledger as the previous version of the review")
    freeze.add_argument("--to", default="data/raw/previous/ledger.csv", help="where to keep it, in the review folder")
    add("verify", step_verify, "check that every count adds up and is derived from the ledger")
    add("status", step_status, "what is pending, per stage and reviewer, and what to do next")
    init = sub.add_parser("init", help="lay out a new, empty review: config, search log, data/raw/ folders, README")
    init.add_argument("review_dir", metavar="REVIEW_DIR", help="the new review's folder (created if missing; must not hold a review)")
    init.add_argument("--title", default="A new review", help="the review's title, written into config/config.yaml")
    init.set_defaults(step=step_init)
    app = add("app", step_app, "the screening page: decide works in the browser, written to your own decision file")
    app.add_argument("--review-dir", default=None, help="the review folder (same as --root)")
    app.add_argument("--stage", required=True, help="the stage to screen (a stage name of the config)")
    app.add_argument("--reviewer", required=True, help="your reviewer code (names your decision file)")
    app.add_argument("--conflicts", action="store_true", help="the adjudicator's page: the stage's open conflicts")
    app.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: any free one)")
    app.add_argument("--no-browser", action="store_true", help="print the address only, open no browser")
    simulation = sub.add_parser("simulate", help="replay a labelled review: work saved by the priority order, and the stopping rule")
    simulation.add_argument("labelled", metavar="LABELLED", help="a labelled CSV (title, abstract, a 0/1 label) or a review folder whose decisions are complete")
    simulation.add_argument("--label", default=None, help="the CSV's label column (default: label_abstract_screening, label_included, included or label)")
    simulation.add_argument("--stage", default=None, help="for a review folder: the stage to replay (default: the first)")
    simulation.add_argument("--batch", type=int, nargs="+", default=[1, 10, 50], help="works screened between re-rankings (default: 1 10 50)")
    simulation.add_argument("--seeds", type=int, default=5, help="runs, each from its own seeded prior (default: 5)")
    simulation.add_argument("--model", default="svm-elas", help="the ranking model (default: svm-elas, the one the worksheets use)")
    simulation.add_argument("--target-recall", type=float, default=0.95, help="the stopping rule's target recall (default: 0.95)")
    simulation.add_argument("--confidence", type=float, default=0.95, help="the stopping rule's confidence (default: 0.95)")
    simulation.add_argument("--min-screened", type=int, default=0, help="the stopping rule's minimum screened (default: 0)")
    simulation.add_argument("--svg", default=None, help="where to draw the recall curve (default: NAME-recall.svg here)")
    simulation.add_argument("--csv", default=None, help="write every run's measures to this CSV")
    simulation.set_defaults(step=step_simulate)
    check = sub.add_parser("check", help="check export files before adding them: format, records, field coverage, problems")
    check.add_argument("files", nargs="+", metavar="FILE", help="export files (RIS, BibTeX, MEDLINE, WoS, CSV/TSV/XLSX, EndNote XML...)")
    check.add_argument("--hits", type=int, default=None, help="the number of results the database reported (one file only)")
    check.set_defaults(step=step_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.step(args))
    except ReviewError as error:
        print(f"reviewflow {args.command}: {error.describe()}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
