"""The ledger: one row per imported record with its fate. The single source of truth.

Every count, table and diagram is derived from the ledger. A record's fate is

- ``duplicate``: a copy of another record of its lane (``duplicate_of`` names
  the record kept), or a grey-literature copy of a work the databases found;
- ``excluded``: at ``fate_stage`` for ``fate_reason``;
- ``not_retrieved``: the full text could not be obtained;
- ``not_screened``: never screened at ``fate_stage``, because the stage's
  stopping rule was applied and reached (``fate_reason`` "stopping rule
  reached"; see ``screening/stoprule.py``); counted with the records excluded;
- ``included``: included at the last stage;
- ``pending``: waiting for a decision at ``fate_stage``.

Columns ``<stage>_outcome`` and ``<stage>_reason`` give the outcome of the
record's work at each stage it reached (empty: not reached);
``<stage>_reviewers`` who screened it there and ``<stage>_conflict`` whether
they disagreed (``open`` or ``resolved``).

The record that stands for a cluster in the PRISMA counts (``role`` primary)
is its earliest member from the cluster's lane: a work found by a database
search is counted in the databases lane, even when a website gave it too.

Review versions (an update of a published review): when the config marks the
previous version (``review.previous_version``: the last round it covered, or a
frozen copy of its ledger), every record is ``previous`` or ``new``
(``version``), and a work is ``previous`` when the previous version had any of
its records (``cluster_version``). A new copy of a previous work is a
duplicate of the previous version's record, and the work keeps the lane it
had then; the PRISMA 2020 update counts then follow from these columns.

Studies and reports: every work is a report; ``study_id`` names the study it
reports (its own cluster id unless people linked it to other works in
``data/raw/decisions/studies.csv``, see ``dedupe/related.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .searchlog import LANES

LEDGER_BASE_COLUMNS = (
    "record_id",
    "cluster_id",
    "study_id",
    "role",
    "duplicate_of",
    "round",
    "source_type",
    "database",
    "source_file",
    "source_index",
    "lane",
    "cluster_lane",
    "cluster_first_round",
    "version",
    "cluster_version",
    "previous_fate",
)
FATE_COLUMNS = ("fate", "fate_stage", "fate_reason")


def study_column(ledger: pd.DataFrame) -> pd.Series:
    """Each row's study (a ledger frozen before studies were kept: every work is its own study)."""
    return ledger["study_id"] if "study_id" in ledger else ledger["cluster_id"]


def outcome_column(stage: str) -> str:
    """The ledger column holding a stage's outcome for the record's work."""
    return f"{stage}_outcome"


def ledger_columns(config: dict[str, Any]) -> list[str]:
    stage_columns = [
        f"{s['name']}_{part}" for s in config["stages"] for part in ("outcome", "reason", "reviewers", "conflict")
    ]
    return [*LEDGER_BASE_COLUMNS, *stage_columns, *FATE_COLUMNS, "title"]


def previous_record_ids(config: dict[str, Any], records: pd.DataFrame, previous_ledger: pd.DataFrame | None) -> set[str]:
    """Records that belong to the previous version of the review (empty when none is configured)."""
    marker = config["review"].get("previous_version") or {}
    if previous_ledger is not None:
        return set(previous_ledger["record_id"])
    if "last_round" in marker:
        return set(records.loc[records["round"].astype(int) <= int(marker["last_round"]), "record_id"])
    return set()


def build_ledger(
    config: dict[str, Any],
    records: pd.DataFrame,
    clusters: pd.DataFrame,
    outcomes: pd.DataFrame,
    previous_ledger: pd.DataFrame | None = None,
    studies: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The ledger; ``studies`` maps the works that people linked as reports of one study to the study's id."""
    frame = records[["record_id", "round", "source_type", "database", "source_file", "source_index", "title"]].copy()
    frame["round"] = frame["round"].astype(int)
    frame["cluster_id"] = frame["record_id"].map(pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["record_id"].to_numpy()))
    frame["lane"] = frame["source_type"].map(LANES)
    frame["cluster_first_round"] = frame.groupby("cluster_id", sort=False)["round"].transform("min")

    frame["study_id"] = frame["cluster_id"].map(lambda c: studies.get(c, c)) if studies else frame["cluster_id"]

    previous = previous_record_ids(config, records, previous_ledger)
    frame["version"] = frame["record_id"].isin(previous).map({True: "previous", False: "new"})
    has_previous = frame["version"].eq("previous").groupby(frame["cluster_id"], sort=False).transform("any")
    frame["cluster_version"] = has_previous.map({True: "previous", False: "new"})
    frame["previous_fate"] = ""
    if previous_ledger is not None:
        frame["previous_fate"] = frame["record_id"].map(dict(zip(previous_ledger["record_id"], previous_ledger["fate"], strict=True))).fillna("")
    # a work's lane and counted record come from the records of its own version
    of_version = frame[frame["version"] == frame["cluster_version"]]
    in_databases = of_version["lane"].eq("databases").groupby(of_version["cluster_id"], sort=False).any()
    frame["cluster_lane"] = frame["cluster_id"].map(in_databases.map({True: "databases", False: "other"}))
    # primary: the earliest member from the cluster's own lane (records come in canonical order)
    in_lane = of_version[of_version["lane"] == frame.loc[of_version.index, "cluster_lane"]]
    primary_of = in_lane.groupby("cluster_id", sort=False)["record_id"].first()
    frame["duplicate_of"] = frame["cluster_id"].map(primary_of)
    is_primary = frame["record_id"] == frame["duplicate_of"]
    frame["role"] = is_primary.map({True: "primary", False: "duplicate"})
    frame.loc[is_primary, "duplicate_of"] = ""

    stage_names = [s["name"] for s in config["stages"]]
    for name in stage_names:
        at_stage = outcomes[outcomes["stage"] == name].set_index("cluster_id")
        frame[outcome_column(name)] = frame["cluster_id"].map(at_stage["outcome"]).fillna("")
        frame[f"{name}_reason"] = frame["cluster_id"].map(at_stage["reason"]).fillna("")
        for part in ("reviewers", "conflict"):
            frame[f"{name}_{part}"] = frame["cluster_id"].map(at_stage[part]).fillna("")

    frame["fate"], frame["fate_stage"], frame["fate_reason"] = _fates(config, frame, stage_names)
    frame = frame[ledger_columns(config)]
    if frame.empty:  # a review with no records yet: columns keep their types (no floats from empty maps)
        numbers = {"round", "source_index", "cluster_first_round"}
        frame = frame.astype({c: int if c in numbers else str for c in frame.columns})
    return frame


def _fates(config: dict[str, Any], frame: pd.DataFrame, stage_names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each record's fate, the stage it was decided at and the reason (column-wise: a million records in a second).

    A duplicate's fate is ``duplicate``; a work's is settled at the last stage it reached:
    excluded, not retrieved, not screened (a stopping rule was applied), included (included at the last stage of its lane) or pending.
    """
    size = len(frame)
    stage = np.full(size, "", dtype=object)
    outcome = np.full(size, "", dtype=object)
    reason = np.full(size, "", dtype=object)
    for name in stage_names:  # the last stage reached wins
        reached = (frame[outcome_column(name)] != "").to_numpy()
        stage[reached] = name
        outcome[reached] = frame[outcome_column(name)].to_numpy()[reached]
        reason[reached] = frame[f"{name}_reason"].to_numpy()[reached]
    last_stage = frame["cluster_lane"].map({lane: _last_stage_for(config, lane) for lane in ("databases", "other")}).to_numpy(dtype=object)
    fate = np.select(
        [outcome == "exclude", outcome == "not_retrieved", outcome == "not_screened", (outcome == "include") & (stage == last_stage)],
        ["excluded", "not_retrieved", "not_screened", "included"],
        "pending",
    ).astype(object)
    unreached = stage == ""  # no stage applies to this lane: nothing to decide
    reason[unreached] = "no screening stage applies to this source"
    duplicate = (frame["role"] == "duplicate").to_numpy()
    fate[duplicate] = "duplicate"
    stage[duplicate] = ""
    reason[duplicate] = ""
    return fate, stage, reason


def _last_stage_for(config: dict[str, Any], lane: str) -> str:
    names = [s["name"] for s in config["stages"] if lane in s["lanes"]]
    return names[-1] if names else ""
