"""Each source's contribution: records found, works found only there, works shared with other sources.

A source is a database, register, website or organisation as the search log
names it (``source_type`` and ``database``). From the clusters:

- ``records``: records the source returned (over all its rounds);
- ``works``: distinct works among them;
- ``unique_works``: works no other source found;
- ``overlapping_works``: works at least one other source found too;
- ``duplicates_within``: records that repeat a work the same source had already returned.

The last row, ``all sources``, counts over the whole search: its
``unique_works`` are the works found by exactly one source.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("source_type", "database", "rounds", "records", "works", "unique_works", "overlapping_works", "duplicates_within")


def _rounds_text(rounds: list[int]) -> str:
    """1, 2, 3, 5 -> "1-3, 5"."""
    spans: list[str] = []
    values = sorted(set(rounds))
    start = previous = values[0]
    for value in values[1:] + [None]:  # type: ignore[list-item]
        if value is not None and value == previous + 1:
            previous = value
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if value is not None:
            start = previous = value
    return ", ".join(spans)


def source_contributions(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "source_type": records["source_type"].astype(str).to_numpy(),
            "database": records["database"].astype(str).to_numpy(),
            "round": records["round"].astype(int).to_numpy(),
            "cluster_id": clusters["cluster_id"].to_numpy(),
        }
    )
    frame["source"] = list(zip(frame["source_type"], frame["database"], strict=True))
    sources_per_work = frame.groupby("cluster_id")["source"].nunique()
    rows = []
    for (source_type, database), part in frame.groupby(["source_type", "database"], sort=False):
        works = part["cluster_id"].unique()
        shared = int((sources_per_work.loc[works] > 1).sum())
        rows.append(
            {
                "source_type": source_type,
                "database": database,
                "rounds": _rounds_text(part["round"].tolist()),
                "records": len(part),
                "works": len(works),
                "unique_works": len(works) - shared,
                "overlapping_works": shared,
                "duplicates_within": len(part) - len(works),
            }
        )
    all_works = len(sources_per_work)
    rows.append(
        {
            "source_type": "",
            "database": "all sources",
            "rounds": _rounds_text(frame["round"].tolist()) if len(frame) else "",
            "records": len(frame),
            "works": all_works,
            "unique_works": int((sources_per_work == 1).sum()),
            "overlapping_works": int((sources_per_work > 1).sum()),
            "duplicates_within": int(len(frame) - frame.drop_duplicates(["source", "cluster_id"]).shape[0]),
        }
    )
    return pd.DataFrame(rows, columns=list(COLUMNS))
