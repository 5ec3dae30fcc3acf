"""How well clusters agree with labelled duplicate groups (for benchmarks and conformance tests).

- *pairwise*: every pair of records in one cluster is a predicted duplicate
  pair; precision and recall against the pairs within the true groups;
  ``false_merges`` (predicted, not true: a false merge hides a study) and
  ``missed`` (true, not predicted: a reviewer reads the work twice);
- *removable duplicates* (the measure of ASySD and most published
  comparisons): a group of k records holds k - 1 removable duplicates;
  keeping one record per cluster removes a record correctly when the kept
  record of its cluster belongs to its true group;
- ``lost_works``: true works none of whose records is kept (a study lost).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Scores:
    records: int
    true_pairs: int
    predicted_pairs: int
    false_merges: int
    missed: int
    removable: int
    removed_correctly: int
    removed_wrongly: int
    lost_works: int

    @property
    def precision(self) -> float:
        return 1.0 if not self.predicted_pairs else (self.predicted_pairs - self.false_merges) / self.predicted_pairs

    @property
    def recall(self) -> float:
        return 1.0 if not self.true_pairs else (self.true_pairs - self.missed) / self.true_pairs

    @property
    def sensitivity(self) -> float:
        """Removable duplicates removed correctly, out of all removable duplicates."""
        return 1.0 if not self.removable else self.removed_correctly / self.removable


def _pairs(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        found.update(combinations(sorted(set(group)), 2))
    return found


def score_clusters(ids: Sequence[str], predicted: Sequence[str], true_groups: Iterable[Sequence[str]]) -> Scores:
    """``predicted[k]`` is the cluster of ``ids[k]`` (the cluster's kept record comes first in ``ids``)."""
    truth_of = {record: record for record in ids}
    for group in true_groups:
        members = sorted(set(group))
        for member in members:
            truth_of[member] = members[0]
    clusters: dict[str, list[str]] = {}
    for record, cluster in zip(ids, predicted, strict=True):
        clusters.setdefault(cluster, []).append(record)
    true_clusters: dict[str, list[str]] = {}
    for record in ids:
        true_clusters.setdefault(truth_of[record], []).append(record)
    true_pairs = _pairs(true_clusters.values())
    predicted_pairs = _pairs(clusters.values())
    kept = {members[0] for members in clusters.values()}  # the first record of a cluster is kept
    removed_correctly = removed_wrongly = 0
    for members in clusters.values():
        keeper = truth_of[members[0]]
        for member in members[1:]:
            if truth_of[member] == keeper:
                removed_correctly += 1
            else:
                removed_wrongly += 1
    kept_truths = {truth_of[k] for k in kept}
    return Scores(
        records=len(ids),
        true_pairs=len(true_pairs),
        predicted_pairs=len(predicted_pairs),
        false_merges=len(predicted_pairs - true_pairs),
        missed=len(true_pairs - predicted_pairs),
        removable=sum(len(m) - 1 for m in true_clusters.values()),
        removed_correctly=removed_correctly,
        removed_wrongly=removed_wrongly,
        lost_works=len(true_clusters) - len(kept_truths),
    )


def pooled(scores: Iterable[Scores]) -> Scores:
    items = list(scores)
    return Scores(*(sum(getattr(s, name) for s in items) for name in Scores.__dataclass_fields__))


def after_review(
    ids: Sequence[str],
    predicted: Sequence[str],
    review_pairs: Iterable[tuple[str, str]],
    true_groups: Iterable[Sequence[str]],
) -> list[str]:
    """The clusters once a person has decided every pair of the review list correctly.

    Review pairs whose records are truly one work join their clusters; the
    others stay apart. Scoring the result shows what the review list is worth.
    """
    truth_of = {record: record for record in ids}
    for group in true_groups:
        members = sorted(set(group))
        for member in members:
            truth_of[member] = members[0]
    parent = {cluster: cluster for cluster in predicted}

    def find(cluster: str) -> str:
        while parent[cluster] != cluster:
            cluster = parent[cluster]
        return cluster

    cluster_of = dict(zip(ids, predicted, strict=True))
    position = {record: n for n, record in enumerate(ids)}
    for a, b in review_pairs:
        if truth_of[a] == truth_of[b]:
            root_a, root_b = find(cluster_of[a]), find(cluster_of[b])
            if root_a != root_b:
                keep, drop = sorted((root_a, root_b), key=lambda c: position[c])
                parent[drop] = keep
    return [find(cluster) for cluster in predicted]


@dataclass(frozen=True)
class FlagScores:
    """Scores against labels in flag format (every member of a duplicate set flagged, no group ids)."""

    records: int
    flagged: int
    flagged_found: int  # flagged records sharing a cluster with another flagged record
    unflagged_merged: int  # unflagged records in a cluster with any other record (a false merge)

    @property
    def recall(self) -> float:
        return 1.0 if not self.flagged else self.flagged_found / self.flagged

    @property
    def ok(self) -> bool:
        return self.flagged_found == self.flagged and not self.unflagged_merged


def score_flags(ids: Sequence[str], predicted: Sequence[str], flagged: Iterable[str]) -> FlagScores:
    """``predicted[k]`` is the cluster of ``ids[k]``; ``flagged`` the records labelled as duplicates."""
    marked = set(flagged)
    members: dict[str, list[str]] = {}
    for record, cluster in zip(ids, predicted, strict=True):
        members.setdefault(cluster, []).append(record)
    cluster_of = dict(zip(ids, predicted, strict=True))
    found = sum(
        1 for record in ids if record in marked and any(o in marked for o in members[cluster_of[record]] if o != record)
    )
    merged = sum(1 for record in ids if record not in marked and len(members[cluster_of[record]]) > 1)
    return FlagScores(len(ids), len(marked & set(ids)), found, merged)
