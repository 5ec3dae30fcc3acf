"""Blocking: which pairs of records are worth comparing, at about linear cost.

Comparing every record with every other grows with the square of the number
of records. Instead each record gets a few keys, and only records sharing a
key are compared:

- ``doi``: the DOI;
- ``title_start`` / ``title_end``: the first and the last 20 letters of the
  title's significant words run together (a typo at one end still leaves the
  other end), also for the title without a bracketed translation;
- ``volume_page``: year, volume and first page (titles translated or rewritten).

Every rule needs the same DOI, the same volume and page, or alike titles, and
alike titles share their start or their end; so these keys find the pairs any
rule can accept.

A key shared by very many records ("editorial", a common surname in a busy
year) is not compared all against all: each record is compared with the
``window`` records before it that share the key, in canonical order. Because
that window looks only backwards, the pairs among earlier records never
depend on records added later (adding a round cannot change them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .prepare import Prepared

#: How many earlier records sharing a key each record is compared with.
WINDOW = 20
TITLE_KEY_LENGTH = 20


def record_keys(prep: Prepared) -> tuple[list[str], list[int]]:
    """Every (key, position) of every record; keys are prefixed by their kind."""
    keys: list[str] = []
    owners: list[int] = []

    def add(position: int, key: str) -> None:
        keys.append(key)
        owners.append(position)

    for position in range(len(prep)):
        doi = prep.doi[position]
        if doi:
            add(position, "d:" + doi)
        title = prep.title[position]
        title_keys = {title.key}
        if title.main != title.full:
            title_keys.add(title.main.replace(" ", ""))
        for key in title_keys:
            if len(key) >= 8:
                add(position, "s:" + key[:TITLE_KEY_LENGTH])
                if len(key) > TITLE_KEY_LENGTH:
                    add(position, "e:" + key[-TITLE_KEY_LENGTH:])
        page = prep.page_start[position]
        if page and prep.volume[position]:
            add(position, f"v:{prep.year[position]}|{prep.volume[position]}|{page}")
    return keys, owners


def candidate_pairs(prep: Prepared, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), i < j, of records sharing at least one key; each pair once, sorted."""
    keys, owners = record_keys(prep)
    if not keys:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    codes, _ = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    positions = np.asarray(owners, dtype=np.int64)
    order = np.lexsort((positions, codes))
    codes, positions = codes[order], positions[order]
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    for offset in range(1, window + 1):
        same = codes[offset:] == codes[:-offset]
        if not same.any():
            break
        found_i.append(positions[:-offset][same])
        found_j.append(positions[offset:][same])
    if not found_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    first = np.concatenate(found_i)
    second = np.concatenate(found_j)
    keep = first != second  # a record can hold the same key twice (title and main title)
    first, second = first[keep], second[keep]
    low, high = np.minimum(first, second), np.maximum(first, second)
    pair_codes = np.unique(low * len(prep) + high)
    return pair_codes // len(prep), pair_codes % len(prep)
