"""Run bib-dedupe on one CSV (inside bib-dedupe's own environment; no reviewflow import).

    python bench_dedupe_peer.py RECORDS.csv OUT.json

RECORDS.csv has bib-dedupe's columns (ID, ENTRYTYPE, title, author, year,
journal, volume, number, pages, doi, abstract...). OUT.json receives the
duplicate groups bib-dedupe finds (automatic links only: its "maybe" pairs
need a person) and the seconds it took. bench_dedupe_accuracy.py calls this.
"""

from __future__ import annotations

import json
import sys
import time

import pandas as pd


def main(source: str, target: str) -> int:
    from bib_dedupe import bib_dedupe
    from bib_dedupe.cluster import get_connected_components

    records = pd.read_csv(source, dtype=str, keep_default_na=False)
    started = time.perf_counter()
    prepared = bib_dedupe.prep(records, verbosity_level=0)
    pairs = bib_dedupe.block(prepared, verbosity_level=0)
    matched = bib_dedupe.match(pairs, verbosity_level=0)
    groups = get_connected_components(matched) if len(matched) else []
    seconds = time.perf_counter() - started
    maybe = int((matched["duplicate_label"] == "maybe").sum()) if len(matched) else 0
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"groups": [sorted(g) for g in groups], "seconds": seconds, "maybe_pairs": maybe}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
