"""Reports of one study: what ``find_related`` lists on real sets, and how long it takes on large ones.

    python benchmarks/bench_related.py                  # the shared labelled sets, then 10k/100k generated records
    python benchmarks/bench_related.py --sizes 300000   # chosen generated sizes
    python benchmarks/bench_related.py --examples 5     # also print pairs of each relation

Real sets: ../shared/fixtures/dedupe/ (imported as the accuracy benchmark
imports them, de-duplicated with ``find_duplicates``), printed per set: records,
works, candidate pairs per relation (preprint, conference_abstract,
registry_id) and seconds of ``find_related``. These sets are labelled for
duplicates, not for studies, so the pairs are printed for a person to judge;
nothing is scored against them.

Generated sets: the speed benchmark's generator (bench_dedupe_speed.py), each
record its own work, with 2 % of the records turned into preprints of another
record (medRxiv DOI, year one earlier) and 1 % naming a registration shared
with another record; printed: seconds, and how many of the planted pairs are
listed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))
sys.path.insert(0, str(REPO / "benchmarks"))

from reviewflow.dedupe import find_duplicates  # noqa: E402
from reviewflow.dedupe.related import find_related  # noqa: E402

RELATIONS = ("preprint", "conference_abstract", "registry_id")


def real_sets(examples: int) -> None:
    from bench_dedupe_accuracy import FIXTURES, HARD_CASES, import_set, labelled_sets

    print(f"{'set':<28} {'records':>8} {'works':>7} " + " ".join(f"{r:>19}" for r in RELATIONS) + f" {'seconds':>8}")
    for labelled in labelled_sets(FIXTURES, HARD_CASES):
        with tempfile.TemporaryDirectory() as folder:
            records = import_set(labelled, Path(folder))
        records["round"] = records["round"].astype(int)
        clusters = find_duplicates(records).clusters
        start = time.perf_counter()
        related = find_related(records, clusters)
        seconds = time.perf_counter() - start
        per = {r: int(related["relation"].str.split("; ").map(lambda rs, r=r: r in rs).sum()) for r in RELATIONS}
        print(f"{labelled.name:<28} {len(records):>8} {clusters['cluster_id'].nunique():>7} "
              + " ".join(f"{per[r]:>19}" for r in RELATIONS) + f" {seconds:>8.2f}")
        for relation in RELATIONS:
            shown = related[related["relation"].str.contains(relation)].head(examples)
            for row in shown.to_dict("records"):
                print(f"    {relation}: {row['title_a'][:70]!r} / {row['title_b'][:70]!r}\n      {row['reason']}")


def planted(size: int, seed: int = 2015) -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]]]:
    from bench_dedupe_speed import generate

    records = generate(size, seed).reset_index(drop=True)
    records["record_id"] = [f"R{i:07d}" for i in range(len(records))]
    for column in ("type", "url", "publisher", "database", "raw", "keywords", "abstract", "authors", "journal", "doi", "year"):
        if column not in records:
            records[column] = ""
    rng = random.Random(seed)
    truth: set[tuple[str, str]] = set()
    n = len(records)
    for i in rng.sample(range(n), n // 50):  # a preprint of another record
        j = rng.randrange(n)
        if i == j:
            continue
        source = records.loc[j]
        year = int(source["year"]) - 1 if str(source["year"]).isdigit() else ""
        records.loc[i, ["title", "authors", "year", "journal", "doi", "type"]] = [
            source["title"], source["authors"], str(year), "medRxiv", f"10.1101/{year}.01.01.{i:08d}", ""]
        truth.add(tuple(sorted((records.loc[i, "record_id"], source["record_id"]))))
    for i in rng.sample(range(n), n // 100):  # a companion paper naming the same registration
        j = rng.randrange(n)
        if i == j:
            continue
        registration = f"NCT{rng.randrange(10**7, 10**8):08d}"
        for k in (i, j):
            records.loc[k, "abstract"] = f"{records.loc[k, 'abstract']} Trial registration: {registration}."
        truth.add(tuple(sorted((records.loc[i, "record_id"], records.loc[j, "record_id"]))))
    # the generator's works are the clusters (a perfect de-duplication), so every pair listed is between works
    first = records.groupby("work", sort=False)["record_id"].transform("first")
    clusters = pd.DataFrame({"record_id": records["record_id"], "cluster_id": first})
    work = dict(zip(records["record_id"], first, strict=True))
    between_works = {tuple(sorted((work[a], work[b]))) for a, b in truth if work[a] != work[b]}
    return records.drop(columns="work"), clusters, between_works


def generated(sizes: list[int]) -> None:
    print(f"\n{'records':>8} {'pairs of works listed':>22} {'planted pairs found':>20} {'seconds':>8}")
    for size in sizes:
        records, clusters, truth = planted(size)
        start = time.perf_counter()
        related = find_related(records, clusters)
        seconds = time.perf_counter() - start
        listed = {tuple(sorted(p)) for p in zip(related["cluster_id_a"], related["cluster_id_b"], strict=True)}
        print(f"{size:>8} {len(related):>22} {len(truth & listed):>11} of {len(truth):<6} {seconds:>8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--no-real", action="store_true", help="skip the shared labelled sets")
    args = parser.parse_args(argv)
    if not args.no_real:
        real_sets(args.examples)
    generated(args.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
