"""Splink (Fellegi-Sunter on DuckDB, trained by EM) against reviewflow's hand-set weights, on the labelled sets.

    python benchmarks/bench_dedupe_splink.py --splink-python /tmp/splinkenv/bin/python

Splink is not a dependency of reviewflow: it runs in its own environment
(``python3 -m venv /tmp/splinkenv && /tmp/splinkenv/bin/pip install splink``),
called once per set with ``--run IN.csv OUT.json``. Both tools get the same
comparison forms (reviewflow's normalisation: folded titles, surname keys,
journal words, first page, bare DOI, abstract start), so the comparison is of
the decision model, not of the clean-up. Splink's model: Jaro-Winkler levels
for title, authors, journal and abstract, exact levels for DOI, year, volume
and first page; u from random sampling, m by expectation maximisation on two
blocking rules; pairs from the same blocking keys as reviewflow's (DOI, title
start, year + volume + page); clusters at match probability 0.99.

Printed per set and pooled: precision, recall, false-merge pairs, missed pairs,
seconds, and the peak memory of the Splink process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ("unique_id", "title", "title_start", "authors", "year", "journal", "volume", "page", "doi", "abstract")


def run_splink(source: str, target: str, threshold: float) -> int:
    """Inside Splink's environment: de-duplicate SOURCE, write the groups to TARGET."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("title", [0.97, 0.93, 0.88]),
            cl.JaroWinklerAtThresholds("authors", [0.95, 0.85]),
            cl.ExactMatch("year"),
            cl.JaroWinklerAtThresholds("journal", [0.9]),
            cl.ExactMatch("volume"),
            cl.ExactMatch("page"),
            cl.ExactMatch("doi"),
            cl.JaroWinklerAtThresholds("abstract", [0.95, 0.9]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("doi"),
            block_on("title_start"),
            block_on("year", "volume", "page"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match([block_on("title_start", "year")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("title_start"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("year", "volume"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=threshold)
    table = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - started
    groups = [sorted(g["unique_id"].astype(str)) for _, g in table.groupby("cluster_id") if len(g) > 1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"groups": groups, "seconds": seconds, "peak_bytes": peak}, handle)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splink-python", type=Path, default=Path("/tmp/splinkenv/bin/python"))
    parser.add_argument("--threshold", type=float, default=0.99)
    parser.add_argument("--run", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        return run_splink(args.run[0], args.run[1], args.threshold)

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    sys.path.insert(0, str(here.parent / "workflow"))
    import pandas as pd
    from bench_dedupe_accuracy import FIXTURES, HARD_CASES, import_set, labelled_sets
    from reviewflow.dedupe import find_duplicates
    from reviewflow.dedupe.evaluate import pooled, score_clusters
    from reviewflow.dedupe.prepare import prepare

    ours, theirs = [], []
    print(f"{'set':<24} {'tool':<10} {'precision':>9} {'recall':>7} {'false':>6} {'missed':>6} {'seconds':>7} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for labelled in labelled_sets(FIXTURES, HARD_CASES):
            records = import_set(labelled, Path(tmp) / labelled.name)
            started = time.perf_counter()
            clusters = find_duplicates(records).clusters
            seconds = time.perf_counter() - started
            label_of = {r: labelled.ids[int(i) - 1] for r, i in zip(clusters["record_id"], clusters["source_index"], strict=True)}
            ids = [label_of[r] for r in clusters["record_id"]]
            mine = score_clusters(ids, [label_of[c] for c in clusters["cluster_id"]], labelled.groups)
            ours.append(mine)
            print(f"{labelled.name:<24} {'reviewflow':<10} {mine.precision:>9.4f} {mine.recall:>7.4f} {mine.false_merges:>6} "
                  f"{mine.missed:>6} {seconds:>7.2f} {'':>8}", flush=True)

            prep = prepare(records)
            forms = pd.DataFrame(
                {
                    "unique_id": labelled.ids,
                    "title": prep.title_full,
                    "title_start": [t.key[:20] if len(t.key) >= 8 else "" for t in prep.title],
                    "authors": prep.authors_text,
                    "year": [str(y) if y else "" for y in prep.year],
                    "journal": [" ".join(j[0]) if j else "" for j in prep.journal],
                    "volume": prep.volume,
                    "page": prep.page_start,
                    "doi": prep.doi,
                    "abstract": prep.abstract,
                }
            )
            source, target = Path(tmp) / f"{labelled.name}.csv", Path(tmp) / f"{labelled.name}.json"
            forms.to_csv(source, index=False)
            done = subprocess.run([str(args.splink_python), __file__, "--threshold", str(args.threshold), "--run", str(source), str(target)],
                                  capture_output=True, text=True)
            if done.returncode:
                print(done.stderr[-3000:])
                return 1
            found = json.loads(target.read_text(encoding="utf-8"))
            order = {i: n for n, i in enumerate(labelled.ids)}
            cluster_of = {i: i for i in labelled.ids}
            for group in found["groups"]:
                keep = min(group, key=lambda i: order[i])
                for member in group:
                    cluster_of[member] = keep
            other = score_clusters(labelled.ids, [cluster_of[i] for i in labelled.ids], labelled.groups)
            theirs.append(other)
            print(f"{'':<24} {'splink':<10} {other.precision:>9.4f} {other.recall:>7.4f} {other.false_merges:>6} "
                  f"{other.missed:>6} {found['seconds']:>7.2f} {found['peak_bytes'] / 2**20:>8.0f}", flush=True)
    for tool, scores in (("reviewflow", pooled(ours)), ("splink", pooled(theirs))):
        print(f"{'pooled':<24} {tool:<10} {scores.precision:>9.4f} {scores.recall:>7.4f} {scores.false_merges:>6} {scores.missed:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
