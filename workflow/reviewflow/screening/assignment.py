"""Who screens which work: one reviewer, every reviewer, or a second reviewer on a sample.

Assignments are fixed by (seed, cluster id) through a hash, never by a random
generator's state: adding records or rounds leaves every earlier assignment
(and the sample) where it was.
"""

from __future__ import annotations

import hashlib
from typing import Any


def stable_fraction(seed: int, key: str) -> float:
    """A pseudo-random number in [0, 1) fixed by (seed, key): samples stay put as records are added."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assigned_reviewers(stage: dict[str, Any], cluster_id: str) -> list[str]:
    """Who is expected to screen a work at a stage.

    - ``single``: one reviewer, chosen by a stable hash (the work is split
      evenly between the stage's reviewers);
    - ``dual``: every reviewer of the stage;
    - ``sample``: the first reviewer on everything, and on a seeded stable
      share of the works a second one drawn from the others.
    """
    reviewers = list(stage["reviewers"])
    assignment = stage.get("assignment", {})
    mode = assignment.get("mode", "single")
    if mode == "dual":
        return reviewers
    seed = int(assignment.get("seed", 0))
    if mode == "sample":
        first = reviewers[0]
        if stable_fraction(seed, cluster_id) < float(assignment.get("share", 0.2)):
            second = reviewers[1 + int(stable_fraction(seed + 1, cluster_id) * (len(reviewers) - 1))]
            return [first, second]
        return [first]
    return [reviewers[int(stable_fraction(seed, cluster_id) * len(reviewers))]]


def needs_every_assigned(stage: dict[str, Any]) -> bool:
    """Whether a work waits for every assigned reviewer (dual and sample) or for any one (single)."""
    return bool(stage.get("assignment", {}).get("mode", "single") != "single")
