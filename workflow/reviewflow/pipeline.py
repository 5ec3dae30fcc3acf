"""The whole derivation in one process: a review folder's raw files to its ledger and counts.

The Snakemake rules run these steps as separate jobs (``python -m reviewflow
<step>``), writing each result under ``data/processed/``. ``derive`` composes
the same functions in memory, for the demo generator, for notebooks and for
tests, so that they see exactly what the pipeline computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .config import load_config
from .csvio import read_table
from .dedupe import find_duplicates
from .dedupe.overrides import read_overrides
from .importers.collect import import_searches
from .ledger import build_ledger
from .paths import ReviewPaths
from .prisma import compute_counts
from .screening import Decisions, Units, read_decisions, resolve
from .searchlog import read_search_log


@dataclass
class Derived:
    config: dict[str, Any]
    records: pd.DataFrame
    import_report: pd.DataFrame
    clusters: pd.DataFrame
    decisions: Decisions
    outcomes: pd.DataFrame
    ledger: pd.DataFrame
    counts: dict[str, Any]
    previous_counts: dict[str, Any]


def previous_ledger(paths: ReviewPaths, config: dict[str, Any]) -> pd.DataFrame | None:
    """The frozen ledger of the previous version of the review, when the config names one."""
    marker = config["review"].get("previous_version") or {}
    return read_table(paths.root / marker["ledger"]) if "ledger" in marker else None


def previous_counts(paths: ReviewPaths, config: dict[str, Any], records: pd.DataFrame, clusters: pd.DataFrame,
                    outcomes: pd.DataFrame, frozen: pd.DataFrame | None, studies: dict[str, str] | None = None) -> dict[str, Any]:
    """The previous version's counts from its records and today's decisions ({} when none is marked);
    ``frozen``: its frozen ledger when the config names one (``previous_ledger``)."""
    from .versions import previous_marker, previous_version_ledger

    if not previous_marker(config):
        return {}
    earlier_config, earlier = previous_version_ledger(config, records, clusters, outcomes, frozen,
                                                      lambda name: read_table(paths.root / name), studies)
    return compute_counts(earlier_config, earlier)


def study_links(paths: ReviewPaths, records: pd.DataFrame, clusters: pd.DataFrame) -> dict[str, str]:
    """cluster_id -> study_id from people's links in data/raw/decisions/studies.csv ({} when there are none)."""
    from .dedupe.related import read_study_links, study_ids

    if not paths.study_decisions.is_file():
        return {}
    links = read_study_links(paths.study_decisions, records["record_id"])
    return study_ids(clusters, links, paths.study_decisions)


def duplicate_overrides(paths: ReviewPaths, records: pd.DataFrame) -> pd.DataFrame | None:
    """People's verdicts on duplicate pairs (data/raw/decisions/duplicates.csv), when there are any."""
    if not paths.duplicate_decisions.exists():
        return None  # (a folder at that path is read, and named in the error)
    return read_overrides(paths.duplicate_decisions, records["record_id"])


def derive(root: str | Path) -> Derived:
    """Import, de-duplicate, screen and build the ledger and counts of the review in ``root``."""
    paths = ReviewPaths(Path(root))
    config = load_config(paths.config)
    log = read_search_log(paths.search_log, paths.searches)
    records, import_report = import_searches(log, paths.searches)
    clusters = find_duplicates(records, duplicate_overrides(paths, records), config.get("dedupe", {})).clusters
    units = Units.build(records, clusters)
    decisions = read_decisions(paths, config, units)
    outcomes = resolve(config, units, decisions.table).outcomes
    studies = study_links(paths, records, clusters)
    frozen = previous_ledger(paths, config)
    ledger = build_ledger(config, records, clusters, outcomes, frozen, studies)
    return Derived(config, records, import_report, clusters, decisions, outcomes, ledger, compute_counts(config, ledger),
                   previous_counts(paths, config, records, clusters, outcomes, frozen, studies))
