"""What is left to do: per stage and reviewer, works pending, conflicts open, and what to do next.

Read from the screening summary (``data/processed/screening/summary.json``)
and ``counts.json``. Kept free of pandas: Snakemake prints this summary at the
end of every run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from .paths import ReviewPaths


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _agreement(stage: dict[str, Any]) -> str:
    parts = [
        f"{p['reviewer_a']}-{p['reviewer_b']}: {p['double_screened']} double-screened, {p['percent_agreement']}% agreed, "
        f"kappa {p['cohens_kappa'] or 'undefined'}"
        for p in stage["agreement"]
    ]
    group = stage.get("group_agreement")
    if group:
        kappa = group["fleiss_kappa"] if group["fleiss_kappa"] is not None else "undefined"
        parts.append(f"{'/'.join(group['reviewers'])}: {group['works']} screened by 3 or more, Fleiss' kappa {kappa}")
    return "; ".join(parts)


def stage_lines(summary: dict[str, Any]) -> list[str]:
    """The table of stages and, under each, its reviewers."""
    lines = [f"{'stage':<12} {'works':>6} {'included':>9} {'excluded':>9} {'pending':>8} {'conflicts':>10}"]
    for stage in summary["stages"]:
        lines.append(
            f"{stage['stage']:<12} {stage['reached']:>6} {stage['included']:>9} "
            f"{stage['excluded'] + stage['not_retrieved']:>9} {stage['pending']:>8} {stage['conflicts_open']:>5} open"
        )
        people = [
            f"{r['reviewer']} {r['works_decided']} decided, {r['to_screen']} to screen"
            + (f", {r['maybe_waiting']} maybe" if r["maybe_waiting"] else "")
            for r in stage["reviewers"]
        ]
        lines.append("  reviewers: " + "; ".join(people))
        lines += stopping_lines(stage)
        if stage["agreement"] or stage.get("group_agreement"):
            lines.append("  agreement (maybe counted as include): " + _agreement(stage))
    return lines


def stopping_lines(stage: dict[str, Any]) -> list[str]:
    """The stage's stopping rule: the test's estimate and result, and whether it was applied."""
    rule = stage.get("stopping")
    if not rule:
        return []
    lines = [f"  stopping rule (recall >= {rule['target_recall']:.0%} at {rule['confidence']:.0%} confidence): {rule['message']}"]
    if rule["applied"]:
        lines.append(f"  stopping rule applied: {_plural(rule['not_screened'], 'work')} not screened (fate 'not_screened')")
    elif rule["may_stop"] and not rule["applied_at_round"]:
        lines.append("  to stop, a reviewer sets 'applied_at_round: <the latest search round>' under the stage's 'stopping:' "
                     "in config/config.yaml")
    return lines


def next_steps(paths: ReviewPaths, summary: dict[str, Any]) -> list[str]:
    todo: list[str] = []
    for stage in summary["stages"]:
        name = stage["stage"]
        for r in stage["reviewers"]:
            if r["to_screen"]:
                todo.append(
                    f"- {r['reviewer']}: screen {_plural(r['to_screen'], 'work')} at {name}: fill "
                    f"{paths.worksheet(name, r['reviewer'])} and save the rows into {paths.decision_file(name, r['reviewer'])}"
                )
            if r["maybe_waiting"]:
                todo.append(
                    f"- {r['reviewer']}: {_plural(r['maybe_waiting'], 'maybe')} at {name} need a firm decision: change "
                    f"them to include or exclude in {paths.decision_file(name, r['reviewer'])}"
                )
        if stage["conflicts_open"]:
            who = f"{stage['adjudicator']}: settle" if stage["adjudicator"] else "settle"
            todo.append(
                f"- {who} {_plural(stage['conflicts_open'], 'open conflict')} at {name}: fill decision (and reason) on the "
                f"open rows of {paths.conflicts(name)} and save them into {paths.adjudication_file(name)}"
            )
        if stage["held"]:
            todo.append(f"- {_plural(stage['held'], 'decision')} at {name} wait for their works to pass the stage before")
    if summary["orphans"]:
        todo.append(
            f"- {_plural(summary['orphans'], 'decision')} name records no longer in the searches: see {paths.orphans} "
            "(restore the export, or delete those rows)"
        )
    for file, rows in summary["undecided_rows"].items():
        todo.append(f"- {file} has {_plural(rows, 'row')} with no decision yet")
    todo += [f"- warning: {w}" for w in summary["warnings"] if "no longer in the searches" not in w]
    coding = _rows(paths.processed / "evidence_log_todo.csv")
    if coding:
        todo.append(f"- {len(coding)} included studies need coding: copy their rows from "
                    f"{paths.processed / 'evidence_log_todo.csv'} into {paths.evidence_log}")
    return todo


def status_text(paths: ReviewPaths, config: dict[str, Any]) -> str:
    if not paths.screening_summary.is_file():
        return "status: nothing screened yet; run the pipeline (snakemake --cores 2)"
    summary = json.loads(paths.screening_summary.read_text(encoding="utf-8"))
    lines = ["review status", *stage_lines(summary)]
    if paths.counts.is_file():
        counts = json.loads(paths.counts.read_text(encoding="utf-8"))
        lines.append(f"included: {counts['new_studies']} studies; works still pending: {counts['pending']}")
    todo = next_steps(paths, summary)
    lines += ["next:", *todo] if todo else ["next: nothing is pending"]
    return "\n".join(lines)
