"""Versions of a review: the previous version's counts, re-derived, and the published counts of each version.

An update of a published review (``review.previous_version``) counts its new
records only, as the PRISMA 2020 update variant asks. The counts the previous
version published are still checked: ``previous_version_ledger`` rebuilds the
ledger the previous version had, from its own records and today's decisions
(``build_ledger`` on those records alone), and its counts are what
``compute_counts`` gives for it. A previous version that was itself an update
is rebuilt as one: its own previous version comes from the frozen ledger's
``version`` column, or from a nested ``previous_version`` marker.

``expected_counts`` in the config is either flat (the counts of the previous
version when one is marked, else of this version) or keyed by version::

    expected_counts:
      previous: {search_rounds: 31, new_studies: 71}   # the version marked in review.previous_version
      current: {search_rounds: 1, new_studies: 1}      # this version, once it is published
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # kept free of pandas at import: the status (printed after every run) reads the published counts
    import pandas as pd

#: The keys of the keyed form of ``expected_counts``.
VERSION_KEYS = ("previous", "current")


def previous_marker(config: dict[str, Any]) -> dict[str, Any]:
    return config["review"].get("previous_version") or {}


def published_counts(config: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The published counts by version: ``{"previous": {...}, "current": {...}}`` (either may be empty)."""
    expected = config.get("expected_counts") or {}
    if any(isinstance(v, dict) for v in expected.values()):
        return {key: dict(expected.get(key) or {}) for key in VERSION_KEYS}
    if previous_marker(config):
        return {"previous": dict(expected), "current": {}}
    return {"previous": {}, "current": dict(expected)}


def _config_of_previous(config: dict[str, Any], inner: dict[str, Any] | None) -> dict[str, Any]:
    earlier = copy.deepcopy(config)
    earlier["review"].pop("previous_version", None)
    if inner:
        earlier["review"]["previous_version"] = inner
    return earlier


def previous_version_ledger(
    config: dict[str, Any],
    records: pd.DataFrame,
    clusters: pd.DataFrame,
    outcomes: pd.DataFrame,
    previous_ledger: pd.DataFrame | None,
    read_ledger: Callable[[str], pd.DataFrame] | None = None,
    studies: dict[str, str] | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The previous version's config and ledger, rebuilt from its records with today's decisions.

    ``read_ledger`` reads a frozen ledger named by a nested marker (a path
    relative to the review folder).
    """
    import pandas as pd

    from .ledger import build_ledger, previous_record_ids

    marker = previous_marker(config)
    if not marker:
        raise ValueError("the config marks no previous version")
    ids = previous_record_ids(config, records, previous_ledger)
    inner: dict[str, Any] | None = marker.get("previous_version")
    inner_ledger: pd.DataFrame | None = None
    if inner and "ledger" in inner:
        if read_ledger is None:
            raise ValueError("a nested previous_version names a frozen ledger: pass read_ledger")
        inner_ledger = read_ledger(inner["ledger"])
    elif inner is None and previous_ledger is not None and "version" in previous_ledger:
        earlier = previous_ledger[previous_ledger["version"] == "previous"]
        if len(earlier):  # the frozen version was itself an update: its own previous version is in it
            inner = {"ledger": "(the frozen ledger's previous version)"}
            fates = earlier["previous_fate"] if "previous_fate" in earlier else pd.Series("", index=earlier.index)
            inner_ledger = pd.DataFrame({"record_id": earlier["record_id"], "fate": fates.fillna("")})
    earlier_config = _config_of_previous(config, inner)
    mine = records["record_id"].isin(ids)
    earlier_records = records[mine].reset_index(drop=True)
    earlier_clusters = clusters[clusters["record_id"].isin(ids)].reset_index(drop=True)
    return earlier_config, build_ledger(earlier_config, earlier_records, earlier_clusters, outcomes, inner_ledger, studies)


def frozen_counts(config: dict[str, Any], frozen: pd.DataFrame) -> dict[str, Any]:
    """The counts a frozen ledger gives, as the version it froze computed them."""
    from .prisma import compute_counts

    frozen = frozen.copy()
    frozen["round"] = frozen["round"].astype(int)
    inner = None
    if "version" in frozen and (frozen["version"] == "previous").any():
        inner = {"ledger": "(the frozen ledger's previous version)"}
    return compute_counts(_config_of_previous(config, inner), frozen)


@dataclass
class Comparison:
    """Published counts against derived ones."""

    published: dict[str, int]
    derived: dict[str, Any]

    @property
    def wrong(self) -> list[str]:
        return [key for key, value in self.published.items() if self.derived.get(key) != value]

    @property
    def reproduced(self) -> int:
        return len(self.published) - len(self.wrong)

    def summary(self) -> str:
        return f"{self.reproduced} of {len(self.published)} published counts reproduced"


def describe_version(config: dict[str, Any]) -> str:
    """How the config marks the previous version, in words."""
    marker = previous_marker(config)
    if "ledger" in marker:
        return f"the previous version (frozen ledger {marker['ledger']})"
    if "last_round" in marker:
        return f"the previous version (rounds up to {marker['last_round']})"
    return "this version"
