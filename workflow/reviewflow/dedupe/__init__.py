"""De-duplication: which records are copies of the same work, and why.

``find_duplicates(records, overrides, settings)`` takes ``records.csv`` (in
canonical order: round, search-log row, position in the file) and returns

- ``clusters``: one row per record, in the records' order: its cluster (the
  id of the cluster's earliest record, so adding rounds never renames a
  cluster), the rule and score of the link that joined it, the record it was
  matched with, the field-by-field evidence of that link, and where the
  record came from (round, source, file, position in the file);
- ``review``: pairs that narrowly missed a rule or hold one conflict against
  strong evidence, side by side, for a person to decide in
  ``data/raw/decisions/duplicates.csv``.

The steps, each in its own module: comparison forms of every field
(:mod:`.normalise`, :mod:`.prepare`), candidate pairs by blocking
(:mod:`.blocking`), field similarities, conflicts and decision rules
(:mod:`.compare`), people's decisions (:mod:`.overrides`) and clusters with
their guards (:mod:`.cluster`). :mod:`.sources` tabulates each source's
contribution; :mod:`.evaluate` scores clusters against labelled groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from ..progress import track
from .blocking import candidate_pairs
from .cluster import Link, build_clusters
from .compare import Decision, blocking_conflict, decide
from .overrides import check_overrides, contradictions
from .prepare import Prepared, prepare
from .sources import source_contributions

__all__ = [
    "CLUSTER_COLUMNS",
    "REVIEW_COLUMNS",
    "DedupeResult",
    "find_duplicates",
    "source_contributions",
]

CLUSTER_COLUMNS = (
    "record_id",
    "cluster_id",
    "rule",
    "score",
    "matched_with",
    "evidence",
    "weights",
    "round",
    "source_type",
    "database",
    "source_file",
    "source_index",
)
REVIEW_COLUMNS = (
    "record_id_a",
    "record_id_b",
    "verdict",
    "note",
    "reason",
    "score",
    "evidence",
    "weights",
    "cluster_id_a",
    "cluster_id_b",
    "title_a",
    "title_b",
    "authors_a",
    "authors_b",
    "year_a",
    "year_b",
    "journal_a",
    "journal_b",
    "volume_a",
    "volume_b",
    "pages_a",
    "pages_b",
    "doi_a",
    "doi_b",
    "database_a",
    "database_b",
)
#: A preprint and its published version are two reports of one study, not two copies of one record:
#: kept apart unless ``preprints: same`` (the study-level link is made from related.csv).
DEFAULT_SETTINGS: dict[str, Any] = {"preprints": "different"}


@dataclass
class DedupeResult:
    clusters: pd.DataFrame  # CLUSTER_COLUMNS, one row per record, records' order
    review: pd.DataFrame  # REVIEW_COLUMNS: borderline pairs for a person to decide


def _similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise title similarity (0-1); 0 where either is empty."""
    found = cpdist(a, b, scorer=fuzz.ratio, workers=1) / 100.0
    found[(a == "") | (b == "")] = 0.0
    return found


def _worth_a_close_look(prep: Prepared, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A cheap, vectorised screen of the candidate pairs.

    The pairs it drops cannot meet any rule or review condition: every rule
    needs the same DOI, the same volume and page, or titles alike (directly,
    or once a subtitle, a bracketed translation or a cut-off tail is set aside).
    """
    if not len(first):
        return np.zeros(0, dtype=bool)
    full = np.asarray(prep.title_full, dtype=object)
    alike = _similarity(full[first], full[second]) >= 0.85
    doi = np.asarray(prep.doi, dtype=object)
    same_doi = (doi[first] == doi[second]) & (doi[first] != "")
    volume = np.asarray(prep.volume, dtype=object)
    page = np.asarray(prep.page_start, dtype=object)
    locator = (volume[first] == volume[second]) & (volume[first] != "") & (page[first] == page[second]) & (page[first] != "")
    look = alike | same_doi | locator
    # titles that align only once a subtitle, a translation or a tail is set aside need other agreement too
    rest = np.flatnonzero(~look)
    if len(rest):
        i, j = first[rest], second[rest]
        head = np.asarray([t.head for t in prep.title], dtype=object)
        main = np.asarray([t.main if t.main != t.full else "" for t in prep.title], dtype=object)
        start = np.asarray([t.full[:40] if len(t.significant) >= 6 else "" for t in prep.title], dtype=object)
        aligned = np.maximum.reduce(
            [
                _similarity(head[i], full[j]),
                _similarity(full[i], head[j]),
                _similarity(main[i], main[j]),
                _similarity(main[i], full[j]),
                _similarity(full[i], main[j]),
                _similarity(start[i], start[j]),
            ]
        )
        authors = np.asarray([a[0] if a else "" for a in prep.authors], dtype=object)
        same_first = (authors[i] == authors[j]) | (authors[i] == "") | (authors[j] == "")
        near_year = (np.abs(prep.year[i] - prep.year[j]) <= 2) | (prep.year[i] == 0) | (prep.year[j] == 0)
        look[rest] = (aligned >= 0.9) & same_first & near_year
    return look


def find_duplicates(
    records: pd.DataFrame,
    overrides: pd.DataFrame | None = None,
    settings: dict[str, Any] | None = None,
) -> DedupeResult:
    """Cluster records given in canonical order (earliest first)."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    records = records.reset_index(drop=True)
    prep = prepare(records)
    ids = prep.record_id
    position = {record_id: p for p, record_id in enumerate(ids)}

    checked = check_overrides(overrides, ids)
    decided_pairs: set[tuple[int, int]] = set()
    forced: list[Link] = []
    cannot: set[tuple[int, int]] = set()
    for row in checked.itertuples(index=False):
        a, b = sorted((position[row.record_id_a], position[row.record_id_b]))
        decided_pairs.add((a, b))
        if row.verdict == "same":
            note = f" ({row.note})" if str(row.note).strip() else ""
            forced.append(Link(a, b, "person", 1.0, f"decided by a person in duplicates.csv{note}"))
        else:
            cannot.add((a, b))
    if len(checked):
        roots = build_clusters(prep.round, [], forced, set(), lambda x, y: "").root
        contradictions(checked, {ids[p]: ids[roots[p]] for p in range(len(ids))})

    first, second = candidate_pairs(prep)
    look = _worth_a_close_look(prep, first, second)
    links: list[Link] = []
    borderline: list[tuple[int, int, Decision]] = []
    conflicts_cache: dict[tuple[int, int], str] = {}
    pairs = zip(first[look].tolist(), second[look].tolist(), strict=True)
    for i, j in track(pairs, int(look.sum()), "dedupe: candidate pairs compared", "pairs"):
        if (i, j) in decided_pairs:
            continue
        decision = decide(prep, i, j, settings)
        # a pair the weights join holds no conflict that keeps its clusters apart
        conflicts_cache[(i, j)] = "" if decision.verdict == "same" else "; ".join(c.text for c in decision.evidence.conflicts)
        if decision.verdict == "same":
            links.append(Link(i, j, decision.rule, decision.score, decision.evidence.summary(), decision.weights_text()))
        elif decision.verdict == "review":
            borderline.append((i, j, decision))

    def conflict(x: int, y: int) -> str:
        if (x, y) not in conflicts_cache:
            conflicts_cache[(x, y)] = blocking_conflict(prep, x, y, settings)
        return conflicts_cache[(x, y)]

    clustering = build_clusters(prep.round, links, forced, cannot, conflict)
    cluster_of = [ids[r] for r in clustering.root]

    clusters = pd.DataFrame(
        {
            "record_id": ids,
            "cluster_id": cluster_of,
            "rule": clustering.rule,
            "score": [f"{s:.3f}" if r else "" for s, r in zip(clustering.score, clustering.rule, strict=True)],
            "matched_with": [ids[p] if p >= 0 else "" for p in clustering.parent],
            "evidence": clustering.evidence,
            "weights": clustering.weights,
        }
    )
    for column in CLUSTER_COLUMNS[CLUSTER_COLUMNS.index("round") :]:
        clusters[column] = records[column].astype(str).to_numpy() if column in records else ""

    candidates = [(i, j, d.rule, d.score, d.evidence.summary(), d.weights_text()) for i, j, d in borderline]
    candidates += [
        (b.link.first, b.link.second, b.reason, b.link.score, b.link.evidence, b.link.weights) for b in clustering.blocked
    ]
    review = _review_table(records, prep, clustering.root, candidates, cannot)
    return DedupeResult(clusters=clusters[list(CLUSTER_COLUMNS)], review=review)


def _review_table(
    records: pd.DataFrame,
    prep: Prepared,
    root: list[int],
    candidates: list[tuple[int, int, str, float, str, str]],
    cannot: set[tuple[int, int]],
) -> pd.DataFrame:
    """One row per pair of clusters in doubt (its strongest pair of records), in the clusters' order."""
    kept_apart = {(min(root[a], root[b]), max(root[a], root[b])) for a, b in cannot}
    best: dict[tuple[int, int], tuple[int, int, str, float, str, str]] = {}
    for i, j, reason, score, evidence, weights in candidates:
        ri, rj = root[i], root[j]
        if ri == rj:
            continue  # joined after all, through other records
        key = (min(ri, rj), max(ri, rj))
        if key in kept_apart:
            continue
        a, b = (i, j) if ri < rj else (j, i)
        current = best.get(key)
        if current is None or (-score, a, b) < (-current[3], current[0], current[1]):
            best[key] = (a, b, reason, score, evidence, weights)
    ids = prep.record_id

    def field(name: str, p: int) -> str:
        return str(records.at[p, name]) if name in records else ""

    rows = []
    for key in sorted(best):
        a, b, reason, score, evidence, weights = best[key]
        row = {
            "record_id_a": ids[a],
            "record_id_b": ids[b],
            "verdict": "",
            "note": "",
            "reason": reason,
            "score": f"{score:.3f}",
            "evidence": evidence,
            "weights": weights,
            "cluster_id_a": ids[root[a]],
            "cluster_id_b": ids[root[b]],
        }
        for name in ("title", "authors", "year", "journal", "volume", "pages", "doi", "database"):
            row[f"{name}_a"] = field(name, a)
            row[f"{name}_b"] = field(name, b)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))
