"""Worksheets: per stage and reviewer, the works waiting for that reviewer.

``data/processed/screening/<stage>/<reviewer>_todo.csv`` has one row per work
with its ``record_id`` (the work's cluster id), what the stage needs to see,
and empty ``decision``, ``reason`` and ``note`` columns. The reviewer fills it
and saves the rows as (or appends them to) their decision file. Works already
decided by the reviewer, and works they are not assigned, are not on it.

Order: by priority (likely includes first, learned from the stage's
decisions so far and the search terms, see ``priority.py``; ties in canonical
order) unless the stage says ``order: canonical``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..progress import track
from .assignment import assigned_reviewers
from .priority import rank_works
from .tablerows import iter_rows
from .units import Units
from .vocabulary import ADJUDICATION

#: What a stage shows when it does not say (``show:``): the title at the first
#: stage, the abstract too at later ones, the reference details at full text.
FIRST_STAGE_FIELDS = ("title",)
LATER_STAGE_FIELDS = ("title", "abstract")
FULL_TEXT_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url")
#: What the priority score reads of a record.
PRIORITY_TEXT = ("title", "abstract", "keywords")
ANSWER_COLUMNS = ("decision", "reason", "note")


def worksheet_fields(stage: dict[str, Any], index: int) -> tuple[str, ...]:
    """The record fields a reviewer sees at a stage."""
    if stage.get("show"):
        return tuple(stage["show"])
    if stage.get("full_text"):
        return FULL_TEXT_FIELDS
    return LATER_STAGE_FIELDS if index > 0 else FIRST_STAGE_FIELDS


def worksheet_columns(stage: dict[str, Any], index: int) -> list[str]:
    ordered = stage.get("order", "priority") == "priority"
    return ["record_id", *(["priority"] if ordered else []), *worksheet_fields(stage, index), *ANSWER_COLUMNS]


def worksheets(
    config: dict[str, Any],
    units: Units,
    records: pd.DataFrame,
    decisions: pd.DataFrame,
    outcomes: pd.DataFrame,
    search_terms: Iterable[str] = (),
    workers: int = 1,
) -> dict[tuple[str, str], pd.DataFrame]:
    """(stage, reviewer) -> the works waiting for that reviewer, in a stable order (ranked with ``workers`` processes)."""
    shown = records.set_index("record_id")
    representative = dict(zip(units.clusters["cluster_id"], units.clusters["representative"], strict=True))
    terms = list(search_terms)
    sheets: dict[tuple[str, str], pd.DataFrame] = {}
    stages = track(enumerate(config["stages"]), len(config["stages"]), "screen: stages ranked and worksheets built",
                   "stages", size=len(outcomes))
    for index, stage in stages:
        at_stage = outcomes[outcomes["stage"] == stage["name"]]
        pending = at_stage.loc[at_stage["outcome"] == "pending", "cluster_id"].tolist()
        made = decisions[decisions["stage"] == stage["name"]]
        decided = made.groupby("reviewer")["cluster_id"].agg(set).to_dict()
        assigned = {c: assigned_reviewers(stage, c) for c in pending}
        waiting = {
            reviewer: [c for c in pending if reviewer in assigned[c] and c not in decided.get(reviewer, set())]
            for reviewer in stage["reviewers"]
        }
        position: dict[str, int] = {}
        shown_score: dict[str, float] = {}
        if stage.get("order", "priority") == "priority" and any(waiting.values()):
            texts = work_texts(shown, representative, at_stage["cluster_id"].tolist())
            included, excluded = stage_labels(at_stage, made)
            order, shown_score = rank_works(texts, terms, included, excluded, workers=workers)
            position = {c: i for i, c in enumerate(order)}
        columns = worksheet_columns(stage, index)
        fields = list(worksheet_fields(stage, index))
        for reviewer, todo in waiting.items():
            if position:
                todo = sorted(todo, key=position.__getitem__)
            rows = shown.loc[[representative[c] for c in todo], fields].reset_index(drop=True)
            rows.insert(0, "record_id", todo)
            if "priority" in columns:
                rows.insert(1, "priority", [f"{shown_score.get(c, 0.0):.3f}" for c in todo])
            for column in ANSWER_COLUMNS:
                rows[column] = ""
            sheets[(stage["name"], reviewer)] = rows[columns]
    return sheets


def work_texts(shown: pd.DataFrame, representative: dict[str, str], works: list[str]) -> dict[str, str]:
    """Work -> the text the priority model reads (its representative record's PRIORITY_TEXT fields), in ``works`` order."""
    text = shown.loc[[representative[c] for c in works], [f for f in PRIORITY_TEXT if f in shown.columns]]
    joined = [" ".join(parts) for parts in zip(*(text[f].astype(str).tolist() for f in text.columns), strict=True)]
    return dict(zip(works, joined, strict=True))


def stage_labels(at_stage: pd.DataFrame, made: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(works included, works excluded) at a stage so far, for the priority model.

    A decided work counts by its outcome; a pending one by its decisions so
    far (an include or maybe from anyone: included; exclusions only: excluded).
    """
    leaning: dict[str, str] = {}
    for row in iter_rows(made[made["reviewer"] != ADJUDICATION]):
        if leaning.get(row["cluster_id"]) != "include":
            leaning[row["cluster_id"]] = "include" if row["decision"] in ("include", "maybe") else "exclude"
    included, excluded = [], []
    for cluster_id, outcome in zip(at_stage["cluster_id"], at_stage["outcome"], strict=True):
        label = {"include": "include", "exclude": "exclude", "not_retrieved": "exclude"}.get(outcome) or leaning.get(cluster_id)
        if label == "include":
            included.append(cluster_id)
        elif label == "exclude":
            excluded.append(cluster_id)
    return included, excluded


def search_terms(config: dict[str, Any], queries: Iterable[str] = ()) -> list[str]:
    """The review's search terms: the config's keyword table and the queries of the search log."""
    terms = [term for column in config.get("report", {}).get("keywords", []) for term in column["terms"]]
    return [*terms, *queries]
