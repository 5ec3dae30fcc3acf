"""De-duplication: which records are copies of the same work.

Foundation version: exact DOI, or the same normalised title and year. The
result gives every record its cluster; a cluster's id is its earliest
member's record id (records arrive in canonical order), so adding rounds
never renames a cluster.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pandas as pd

CLUSTER_COLUMNS = ("record_id", "cluster_id", "rule", "score", "matched_with")
REVIEW_COLUMNS = ("record_id_a", "record_id_b", "title_a", "title_b", "year_a", "year_b", "doi_a", "doi_b", "score", "reason")


@dataclass
class DedupeResult:
    clusters: pd.DataFrame  # CLUSTER_COLUMNS, one row per record, records' order
    review: pd.DataFrame  # REVIEW_COLUMNS: borderline pairs for a person to decide


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        # the earlier record (lower position) stays the root: it names the cluster
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        return True


def find_duplicates(
    records: pd.DataFrame,
    overrides: pd.DataFrame | None = None,
    settings: dict[str, Any] | None = None,
) -> DedupeResult:
    """Cluster records given in canonical order (earliest first)."""
    size = len(records)
    groups = _UnionFind(size)
    rule = [""] * size
    matched = [""] * size
    ids = records["record_id"].tolist()
    first_by_key: dict[tuple[str, str], int] = {}
    for position, (doi, title, year) in enumerate(zip(records["doi"], records["title"], records["year"], strict=True)):
        keys = []
        if doi:
            keys.append(("doi", doi))
        if title_key(title):
            keys.append(("title_year", f"{title_key(title)}|{year}"))
        for key in keys:
            if key in first_by_key:
                other = first_by_key[key]
                if groups.union(other, position) and not rule[position]:
                    rule[position] = key[0]
                    matched[position] = ids[other]
            else:
                first_by_key[key] = position
    cluster_ids = [ids[groups.find(p)] for p in range(size)]
    clusters = pd.DataFrame(
        {
            "record_id": ids,
            "cluster_id": cluster_ids,
            "rule": rule,
            "score": ["1.000" if r else "" for r in rule],
            "matched_with": matched,
        }
    )
    return DedupeResult(clusters=clusters, review=pd.DataFrame(columns=list(REVIEW_COLUMNS)))
