"""The screening summary (``data/processed/screening/summary.json``).

Per stage: what was reached and decided, conflicts open and resolved,
agreement, and per reviewer what is done and what is waiting. ``status.py``
prints it (without pandas); the report may quote it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from .files import Decisions
from .outcomes import Resolution
from .vocabulary import ADJUDICATION


def _count(series: pd.Series, value: str) -> int:
    return int((series == value).sum())


def screening_summary(
    config: dict[str, Any],
    decisions: Decisions,
    resolution: Resolution,
    sheets: dict[tuple[str, str], pd.DataFrame],
    pairs: dict[str, pd.DataFrame],
    groups: dict[str, dict[str, Any] | None],
) -> dict[str, Any]:
    outcomes, table = resolution.outcomes, decisions.table
    stages = []
    for stage in config["stages"]:
        name = stage["name"]
        at_stage = outcomes[outcomes["stage"] == name]
        made = table[table["stage"] == name]
        held = resolution.held[resolution.held["stage"] == name]
        open_conflicts = at_stage[at_stage["conflict"] == "open"]
        maybe_by = Counter(
            reviewer for value in at_stage["decided_by"] if value.startswith("maybe:") for reviewer in value[6:].split(";")
        )
        reviewers = []
        for reviewer in stage["reviewers"]:
            mine = made[made["reviewer"] == reviewer]
            reviewers.append(
                {
                    "reviewer": reviewer,
                    "name": config["reviewers"][reviewer]["name"],
                    "decisions": len(mine),
                    "works_decided": int(mine["cluster_id"].nunique()),
                    "to_screen": len(sheets.get((name, reviewer), ())),
                    "maybe_waiting": maybe_by[reviewer],
                    "held": _count(held["reviewer"], reviewer),
                }
            )
        stages.append(
            {
                "stage": name,
                "label": stage.get("label", name),
                "reached": len(at_stage),
                "included": _count(at_stage["outcome"], "include"),
                "excluded": _count(at_stage["outcome"], "exclude"),
                "not_retrieved": _count(at_stage["outcome"], "not_retrieved"),
                "pending": _count(at_stage["outcome"], "pending"),
                "not_screened": _count(at_stage["outcome"], "not_screened"),
                "stopping": resolution.stopping.get(name),
                "conflicts_open": len(open_conflicts),
                "conflicts_open_by_kind": {k: int(n) for k, n in sorted(open_conflicts["conflict_kind"].value_counts().items())},
                "conflicts_resolved": _count(at_stage["conflict"], "resolved"),
                "adjudications": _count(made["reviewer"], ADJUDICATION),
                "adjudicator": stage.get("adjudicator", ""),
                "double_screened": int((at_stage["reviewers"].str.count(";") >= 1).sum()),
                "held": len(held),
                "reviewers": reviewers,
                "agreement": pairs[name].to_dict("records"),
                "group_agreement": groups.get(name),
            }
        )
    return {
        "stages": stages,
        "orphans": len(decisions.orphans),
        "undecided_rows": dict(sorted(decisions.undecided.items())),
        "warnings": decisions.warnings,
    }
