"""The unit of screening: the work (a cluster of duplicate records)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..searchlog import LANES


@dataclass
class Units:
    """The works to screen: one row per cluster, in canonical order."""

    clusters: pd.DataFrame  # cluster_id, position, lane, first_round, representative
    member_of: dict[str, str]  # record_id -> cluster_id

    @classmethod
    def build(cls, records: pd.DataFrame, clusters: pd.DataFrame) -> Units:
        frame = records[["record_id", "round", "source_type"]].merge(
            clusters[["record_id", "cluster_id"]], on="record_id", how="left", validate="one_to_one"
        )
        frame["position"] = range(len(frame))
        frame["lane"] = frame["source_type"].map(LANES)
        frame["completeness"] = completeness(records).to_numpy()
        grouped = frame.groupby("cluster_id", sort=False)
        units = pd.DataFrame(
            {
                "position": grouped["position"].min(),
                "lane": (frame["lane"] == "databases")
                .groupby(frame["cluster_id"], sort=False)
                .any()
                .map({True: "databases", False: "other"}),
                "first_round": grouped["round"].min(),
                # the most complete member is shown to screeners (ties: the earliest)
                "representative": frame.sort_values(["completeness", "position"], ascending=[False, True])
                .groupby("cluster_id", sort=False)["record_id"]
                .first(),
            }
        ).sort_values("position")
        units.index.name = "cluster_id"
        return cls(units.reset_index(), dict(zip(frame["record_id"], frame["cluster_id"], strict=True)))

    def members(self) -> dict[str, list[str]]:
        """cluster_id -> its record ids, in canonical order."""
        found: dict[str, list[str]] = {}
        for record_id, cluster_id in self.member_of.items():
            found.setdefault(cluster_id, []).append(record_id)
        return found


def completeness(records: pd.DataFrame) -> pd.Series:
    """How many of the bibliographic fields a record fills (abstract counts double)."""
    fields = ["title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract", "abstract"]
    return sum((records[f].astype(str).str.len() > 0).astype(int) for f in fields)  # type: ignore[return-value]
