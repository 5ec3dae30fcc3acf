"""What is left to do: per stage and reviewer, records pending and conflicts open.

Kept free of pandas: Snakemake prints this summary at the end of every run.
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


def status_text(paths: ReviewPaths, config: dict[str, Any]) -> str:
    if not paths.counts.is_file():
        return "status: nothing built yet; run the pipeline (snakemake --cores 2)"
    counts = json.loads(paths.counts.read_text(encoding="utf-8"))
    lines = ["review status", f"{'stage':<12} {'screened':>8} {'included':>9} {'excluded':>9} {'pending':>8} {'conflicts':>10}"]
    todo: list[str] = []
    for stage in config["stages"]:
        name = stage["name"]
        open_conflicts = sum(1 for row in _rows(paths.conflicts(name)) if row.get("status") == "open")
        lines.append(
            f"{name:<12} {counts[f'{name}_screened']:>8} {counts[f'{name}_included']:>9} "
            f"{counts[f'{name}_excluded']:>9} {counts[f'{name}_pending']:>8} {open_conflicts:>10}"
        )
        for reviewer in stage["reviewers"]:
            waiting = len(_rows(paths.worksheet(name, reviewer)))
            if waiting:
                todo.append(
                    f"- {reviewer}: {waiting} records to screen at {name}: fill {paths.worksheet(name, reviewer)} "
                    f"and save the rows into {paths.decision_file(name, reviewer)}"
                )
        if open_conflicts:
            todo.append(
                f"- {open_conflicts} open conflicts at {name}: see {paths.conflicts(name)}; "
                f"settle them in {paths.adjudication_file(name)}"
            )
    orphans = _rows(paths.screening / "orphans.csv")
    if orphans:
        todo.append(f"- {len(orphans)} decisions name records no longer in the searches: see {paths.screening / 'orphans.csv'}")
    coding = _rows(paths.processed / "evidence_log_todo.csv")
    if coding:
        todo.append(f"- {len(coding)} included studies need coding: copy their rows from "
                    f"{paths.processed / 'evidence_log_todo.csv'} into {paths.evidence_log}")
    lines.append(f"included: {counts['new_studies']} studies; works still pending: {counts['pending']}")
    lines += ["next:", *todo] if todo else ["next: nothing is pending"]
    return "\n".join(lines)
