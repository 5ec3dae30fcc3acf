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
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .searchlog import LANES

LEDGER_BASE_COLUMNS = (
    "record_id",
    "cluster_id",
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
) -> pd.DataFrame:
    frame = records[["record_id", "round", "source_type", "database", "source_file", "source_index", "title"]].copy()
    frame["round"] = frame["round"].astype(int)
    frame["cluster_id"] = frame["record_id"].map(dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True)))
    frame["lane"] = frame["source_type"].map(LANES)
    frame["cluster_first_round"] = frame.groupby("cluster_id", sort=False)["round"].transform("min")

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

    fate, fate_stage, fate_reason = [], [], []
    for row in frame.to_dict("records"):
        if row["role"] == "duplicate":
            fate.append("duplicate")
            fate_stage.append("")
            fate_reason.append("")
            continue
        reached = [(n, row[outcome_column(n)], row[f"{n}_reason"]) for n in stage_names if row[outcome_column(n)]]
        if not reached:  # no stage applies to this lane: nothing to decide
            fate.append("pending")
            fate_stage.append("")
            fate_reason.append("no screening stage applies to this source")
            continue
        name, outcome, reason = reached[-1]
        if outcome == "exclude":
            fate.append("excluded")
        elif outcome == "not_retrieved":
            fate.append("not_retrieved")
        elif outcome == "not_screened":
            fate.append("not_screened")
        elif outcome == "include" and name == _last_stage_for(config, row["cluster_lane"]):
            fate.append("included")
        else:
            fate.append("pending")
        fate_stage.append(name)
        fate_reason.append(reason)
    frame["fate"] = fate
    frame["fate_stage"] = fate_stage
    frame["fate_reason"] = fate_reason
    return frame[ledger_columns(config)]


def _last_stage_for(config: dict[str, Any], lane: str) -> str:
    names = [s["name"] for s in config["stages"] if lane in s["lanes"]]
    return names[-1] if names else ""
