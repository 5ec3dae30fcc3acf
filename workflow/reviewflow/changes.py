"""What changed: per search round, decisions against the previous version, records gone.

For a review that is updated with new searches: what each new round brought
(hits, duplicates of records already found, new works, how many are screened
so far, how many are newly included); which decisions differ from the
previous version of the review (from its frozen ledger); and which records of
the previous version are no longer in the searches (an export was removed).
Everything comes from the ledgers and the decisions table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .ledger import outcome_column

ROUND_COLUMNS = (
    "round",
    "databases",
    "files",
    "reported_hits",
    "hits",
    "duplicates_of_earlier_records",
    "duplicates_within_round",
    "new_works",
    "screened_so_far",
    "newly_included",
)
DECISION_CHANGE_COLUMNS = ("cluster_id", "record_id", "stage", "previous_outcome", "outcome", "reason", "files")
REMOVED_COLUMNS = ("record_id", "round", "source_file", "previous_fate")


@dataclass
class Changes:
    rounds: pd.DataFrame  # ROUND_COLUMNS, one row per round reported
    decisions: pd.DataFrame | None  # DECISION_CHANGE_COLUMNS; None without a frozen previous ledger
    removed: pd.DataFrame | None  # REMOVED_COLUMNS; None without a frozen previous ledger
    previous_rounds: list[int]  # rounds of the previous version (empty: not an update)


def round_summary(config: dict[str, Any], ledger: pd.DataFrame, search_log: pd.DataFrame) -> pd.DataFrame:
    """One row per round: what it brought and how far its new works have gone."""
    first_stage = {lane: next((s["name"] for s in config["stages"] if lane in s["lanes"]), None)
                   for lane in ("databases", "other")}
    rows = []
    for round_number, records in ledger.groupby("round", sort=True):
        log = search_log[search_log["round"] == round_number]
        earlier = records["cluster_first_round"].astype(int) < int(round_number)
        new_work_records = records[~earlier]
        works = new_work_records[new_work_records["role"] == "primary"]
        screened = 0
        for lane, stage in first_stage.items():
            if stage is None:
                continue
            outcome = works.loc[works["cluster_lane"] == lane, outcome_column(stage)]
            screened += int(outcome.isin(["include", "exclude", "not_retrieved"]).sum())
        reported = [int(h) for h in log["reported_hits"] if str(h).strip()]
        rows.append(
            {
                "round": int(round_number),
                "databases": "; ".join(sorted(set(records["database"]))),
                "files": len(set(records["source_file"])),
                "reported_hits": sum(reported) if len(reported) == len(log) and len(log) else "",
                "hits": len(records),
                "duplicates_of_earlier_records": int(earlier.sum()),
                "duplicates_within_round": int((new_work_records["role"] == "duplicate").sum()),
                "new_works": int(new_work_records["cluster_id"].nunique()),
                "screened_so_far": screened,
                "newly_included": int((works["fate"] == "included").sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(ROUND_COLUMNS))


def decision_changes(
    config: dict[str, Any], ledger: pd.DataFrame, previous_ledger: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """Works whose outcome at a stage differs from the previous version's."""
    cluster_of = dict(zip(ledger["record_id"], ledger["cluster_id"], strict=True))
    now = ledger[ledger["role"] == "primary"].set_index("cluster_id")
    before = previous_ledger[previous_ledger["role"] == "primary"].copy()
    before["cluster_id"] = before["record_id"].map(cluster_of)
    before = before.dropna(subset=["cluster_id"]).drop_duplicates("cluster_id").set_index("cluster_id")
    rows = []
    for stage in (s["name"] for s in config["stages"]):
        column = outcome_column(stage)
        if column not in before:
            continue
        shared = before.index.intersection(now.index)
        old = before.loc[shared, column].astype(str)
        new = now.loc[shared, column].astype(str)
        for cluster_id in shared[(old != new).to_numpy()]:
            files = decisions.loc[(decisions["stage"] == stage) & (decisions["cluster_id"] == cluster_id), "file"]
            rows.append(
                {
                    "cluster_id": cluster_id,
                    "record_id": now.loc[cluster_id, "record_id"],
                    "stage": stage,
                    "previous_outcome": old[cluster_id] or "(not reached)",
                    "outcome": new[cluster_id] or "(not reached)",
                    "reason": now.loc[cluster_id, f"{stage}_reason"],
                    "files": "; ".join(sorted(set(files))),
                }
            )
    return pd.DataFrame(rows, columns=list(DECISION_CHANGE_COLUMNS))


def removed_records(ledger: pd.DataFrame, previous_ledger: pd.DataFrame) -> pd.DataFrame:
    """Records of the previous version that are no longer in the searches."""
    gone = previous_ledger[~previous_ledger["record_id"].isin(set(ledger["record_id"]))]
    return pd.DataFrame(
        {"record_id": gone["record_id"], "round": gone["round"], "source_file": gone["source_file"], "previous_fate": gone["fate"]},
        columns=list(REMOVED_COLUMNS),
    ).reset_index(drop=True)


def find_changes(
    config: dict[str, Any],
    ledger: pd.DataFrame,
    search_log: pd.DataFrame,
    decisions: pd.DataFrame,
    previous_ledger: pd.DataFrame | None,
) -> Changes:
    previous_rounds = sorted({int(r) for r in ledger.loc[ledger["version"] == "previous", "round"]})
    rounds = round_summary(config, ledger, search_log)
    if previous_rounds:
        rounds = rounds[~rounds["round"].isin(previous_rounds)].reset_index(drop=True)
    if previous_ledger is None:
        return Changes(rounds, None, None, previous_rounds)
    return Changes(
        rounds,
        decision_changes(config, ledger, previous_ledger, decisions),
        removed_records(ledger, previous_ledger),
        previous_rounds,
    )


#: The counts shown side by side for each version in changes.md.
VERSION_ROWS = (
    ("search_rounds", "Search rounds (databases and registers)"),
    ("other_search_rounds", "Search rounds (other methods)"),
    ("database_results", "Records identified from databases"),
    ("register_results", "Records identified from registers"),
    ("duplicates", "Duplicate records removed"),
    ("records_screened", "Records screened"),
    ("records_excluded", "Records excluded"),
    ("dbr_sought_reports", "Reports sought for retrieval"),
    ("dbr_assessed", "Reports assessed for eligibility"),
    ("new_studies", "New studies included"),
    ("new_reports", "Reports of new included studies"),
    ("previous_studies", "Studies of the previous version"),
    ("total_studies", "Studies in total"),
)


def version_summary(config: dict[str, Any], counts: dict[str, Any], previous_counts: dict[str, Any]) -> dict[str, Any]:
    """The previous version reproduced (n of n published counts) and the update's counts, for changes.md."""
    from .versions import Comparison, describe_version, published_counts

    published = published_counts(config)
    previous = Comparison(published["previous"], previous_counts)
    current = Comparison(published["current"], counts)
    return {
        "previous": describe_version(config),
        "previous_reproduced": previous.summary() if previous.published else "",
        "previous_wrong": [{"count": k, "published": previous.published[k], "now": previous_counts.get(k)} for k in previous.wrong],
        "current_reproduced": current.summary() if current.published else "",
        "current_wrong": [{"count": k, "published": current.published[k], "now": counts.get(k)} for k in current.wrong],
        "rows": [{"count": key, "label": label, "previous": previous_counts.get(key, ""), "this_version": counts.get(key, "")}
                 for key, label in VERSION_ROWS if key in counts or key in previous_counts],
    }
