"""Conflicts: the works on which reviewers disagree, open ones first.

``data/processed/screening/<stage>/conflicts.csv`` lists, per stage, every
work whose reviewers disagree: different decisions, different exclusion
reasons at a full-text stage, or one reviewer's different decisions on
records that de-duplication has since joined. ``status`` is ``open`` until the
adjudication file (or the consensus rule) settles it, then ``resolved`` with
the ``resolution``. The empty ``decision``, ``reason`` and ``note`` columns are
for the adjudicator: fill them on the open rows and save the rows into
``data/raw/decisions/<stage>/adjudication.csv`` (rows left empty are ignored).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .tablerows import iter_rows
from .vocabulary import ADJUDICATION

CONFLICT_COLUMNS = ("record_id", "title", "kind", "status", "decisions", "resolution", "decision", "reason", "note")


def describe_decisions(rows: list[dict[str, Any]], stage: dict[str, Any]) -> str:
    """``tm: include; ac: exclude (GEO)``; record ids shown when the decisions name different records of the work."""
    order = {name: i for i, name in enumerate(stage["reviewers"])}
    several = len({d["record_id"] for d in rows}) > 1
    parts = []
    for d in sorted(rows, key=lambda d: (order.get(d["reviewer"], len(order)), d["reviewer"], d["record_id"])):
        text = f"{d['reviewer']}: {d['decision']}"
        if d["reason"] and d["decision"] != "include":
            text += f" ({d['reason']})"
        if several:
            text += f" [{d['record_id']}]"
        parts.append(text)
    return "; ".join(parts)


def conflicts(stage: dict[str, Any], outcomes: pd.DataFrame, decisions: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Works on which reviewers disagree at a stage: open ones first, then settled ones, each in canonical order."""
    at_stage = outcomes[(outcomes["stage"] == stage["name"]) & (outcomes["conflict"] != "")]
    made = decisions[(decisions["stage"] == stage["name"]) & (decisions["reviewer"] != ADJUDICATION)]
    by_cluster: dict[str, list[dict[str, Any]]] = {}
    for row in iter_rows(made):
        by_cluster.setdefault(row["cluster_id"], []).append(row)
    rows = []
    for row in iter_rows(at_stage):
        if row["conflict"] == "open":
            resolution = ""
        elif row["decided_by"].startswith("rule:"):
            resolution = f"{row['outcome']} by the rule {row['decided_by'].removeprefix('rule:')}"
        else:
            resolution = f"{row['outcome']} by {row['decided_by']}" + (f" ({row['reason']})" if row["reason"] else "")
        rows.append(
            {
                "record_id": row["cluster_id"],
                "title": titles.get(row["cluster_id"], ""),
                "kind": row["conflict_kind"],
                "status": row["conflict"],
                "decisions": describe_decisions(by_cluster.get(row["cluster_id"], []), stage),
                "resolution": resolution,
                "decision": "",
                "reason": "",
                "note": "",
            }
        )
    table = pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS))
    # open first; the sort is stable, so each group keeps the canonical order
    return table.sort_values("status", key=lambda s: s != "open", kind="stable").reset_index(drop=True)
