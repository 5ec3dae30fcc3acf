"""From pairs to clusters: people's decisions first, then the rules, with two guards.

1. *No weak chains.* Two clusters are joined only when no record of one
   conflicts with a record of the other (different DOIs, years, pages, kinds
   of publication, "Part I" against "Part II", a person's "different"...).
   So A = B and B = C never puts A with C when A and C are plainly different
   works; the blocked link goes to the review list.
2. *Stable clusters.* Links are taken round by round (the round of the later
   record), and a link made in a later round never joins two clusters that
   already held records of earlier rounds. The clusters of rounds 1..r are
   therefore the same whatever rounds come after, and a cluster's id (its
   earliest member's record id) never changes when rounds are added. People's
   "same" decisions are the exception: they join whatever they name.

Every record but a cluster's first is explained by one link to another member
(a spanning tree of the cluster): the rule, its score and the record matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

#: Rules in order of strength; stronger links are taken first within a round.
RULE_STRENGTH = {
    "person": 0,
    "doi": 1,
    "title+locator": 2,
    "title+authors+journal": 2,
    "title+authors": 3,
    "preprint": 4,
    "title+abstract": 5,
    "locator+authors": 6,
    "weights": 6,
    "title+url": 7,
    "registry": 7,
    "title+year": 8,
}


@dataclass(frozen=True, slots=True)
class Link:
    first: int  # position of the earlier record
    second: int  # position of the later record
    rule: str
    score: float
    evidence: str
    weights: str = ""  # each field's weight and the total (see weights.describe)


@dataclass
class Blocked:
    link: Link
    reason: str


@dataclass
class Clustering:
    root: list[int]  # per record: position of its cluster's first record
    parent: list[int]  # per record: the record it was matched with (-1 for a cluster's first)
    rule: list[str]
    score: list[float]
    evidence: list[str]
    weights: list[str]
    blocked: list[Blocked] = field(default_factory=list)


def build_clusters(
    rounds: np.ndarray,
    links: list[Link],
    forced: list[Link],
    cannot: set[tuple[int, int]],
    conflict: Callable[[int, int], str],
) -> Clustering:
    """Join records into clusters.

    ``forced`` are people's "same" decisions, ``cannot`` people's
    "different" pairs (positions, lower first), ``conflict(x, y)`` the reason
    two records cannot be one work ("" when they can).
    """
    size = len(rounds)
    uf = list(range(size))
    members: dict[int, list[int]] = {p: [p] for p in range(size)}
    min_round = [int(r) for r in rounds]
    parent = [-1] * size
    rule = [""] * size
    score = [0.0] * size
    evidence = [""] * size
    weights = [""] * size
    blocked: list[Blocked] = []

    def find(item: int) -> int:
        while uf[item] != item:
            uf[item] = uf[uf[item]]
            item = uf[item]
        return item

    def reroot(node: int, new_parent: int, link: Link) -> None:
        """Make ``node`` its tree's top, then hang the tree under ``new_parent`` by ``link``."""
        info = (new_parent, link.rule, link.score, link.evidence, link.weights)
        while node != -1:
            following = parent[node]
            old = (parent[node], rule[node], score[node], evidence[node], weights[node])
            parent[node], rule[node], score[node], evidence[node], weights[node] = info
            info = (node, old[1], old[2], old[3], old[4])
            node = following

    def join(link: Link, root_a: int, root_b: int) -> None:
        a, b = link.first, link.second
        if find(a) != root_a:
            a, b = b, a
        keep, absorbed = (root_a, root_b) if root_a < root_b else (root_b, root_a)
        if keep == root_a:
            reroot(b, a, link)
        else:
            reroot(a, b, link)
        uf[absorbed] = keep
        members[keep].extend(members.pop(absorbed))
        min_round[keep] = min(min_round[keep], min_round[absorbed])

    def cross_conflict(root_a: int, root_b: int) -> str:
        for x in members[root_a]:
            for y in members[root_b]:
                pair = (x, y) if x < y else (y, x)
                if pair in cannot:
                    return "a person decided that two of their records are different works"
                reason = conflict(*pair)
                if reason:
                    return reason
        return ""

    for link in forced:
        root_a, root_b = find(link.first), find(link.second)
        if root_a != root_b:
            join(link, root_a, root_b)

    ordered = sorted(
        links,
        key=lambda k: (int(rounds[k.second]), RULE_STRENGTH.get(k.rule, 99), -k.score, k.first, k.second),
    )
    for link in ordered:
        root_a, root_b = find(link.first), find(link.second)
        if root_a == root_b:
            continue
        link_round = int(rounds[link.second])
        if min_round[root_a] < link_round and min_round[root_b] < link_round:
            blocked.append(Blocked(link, "would join two works already found in earlier rounds"))
            continue
        reason = cross_conflict(root_a, root_b)
        if reason:
            blocked.append(Blocked(link, f"would join works whose records conflict: {reason}"))
            continue
        join(link, root_a, root_b)

    root = [find(p) for p in range(size)]
    return Clustering(root, parent, rule, score, evidence, weights, blocked)
