"""Screening at scale, and how well the priority order puts includes first.

    python benchmarks/screening.py                 # 50,000 works
    python benchmarks/screening.py --works 200000

1. Speed and memory: a review of N works (one record each), two reviewers,
   the first on everything, the second on a 20% sample; 80% of the works
   decided. Times reading the decision files, resolving, writing worksheets
   (priority order) and agreement.
2. Priority on the demo review: with the first half of the title-stage
   decisions of the first reviewer kept, the share of the works still to
   screen that the full demo includes, found in the first 5%, 10%, 20%, 50%
   of the worksheet, against the canonical order.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

import pandas as pd  # noqa: E402

from reviewflow.config import check_config, load_config  # noqa: E402
from reviewflow.csvio import write_csv  # noqa: E402
from reviewflow.dedupe import find_duplicates  # noqa: E402
from reviewflow.importers.collect import import_searches  # noqa: E402
from reviewflow.paths import ReviewPaths  # noqa: E402
from reviewflow.records import RECORD_COLUMNS  # noqa: E402
from reviewflow.screening import (  # noqa: E402
    Units,
    agreement,
    assigned_reviewers,
    read_decisions,
    resolve,
    search_terms,
    worksheets,
)
from reviewflow.searchlog import read_search_log  # noqa: E402

WORDS = ("partnership working collaboration health social care police housing school evaluation case study survey "
         "review Scotland England Wales Canada Australia Sweden local government community planning trust leadership").split()


def timed(label: str, start: float) -> float:
    now = time.perf_counter()
    print(f"  {label:<28} {now - start:7.2f} s")
    return now


def scale(n: int) -> None:
    print(f"1. {n:,} works, second reviewer on a 20% sample, 80% decided")
    stage = {"name": "title", "lanes": ["databases"], "reviewers": ["tm", "ac"], "assignment": {"mode": "sample", "share": 0.2, "seed": 1}}
    config = check_config({
        "review": {"title": "Benchmark"}, "questions": [{"id": "Q1", "text": "?"}],
        "reviewers": {"tm": {"name": "T"}, "ac": {"name": "A"}}, "stages": [stage],
        "criteria": {"exclusion": [{"code": "GEO", "text": "Elsewhere"}]}, "evidence_log": {"fields": [{"name": "x"}]},
    })
    ids = [f"R01-{hashlib.sha256(str(i).encode()).hexdigest()[:12]}" for i in range(n)]
    records = pd.DataFrame({c: [""] * n for c in RECORD_COLUMNS})
    records["record_id"] = ids
    records["round"] = 1
    records["source_type"] = "database"
    records["title"] = [" ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7, 11, 13)) for i in range(n)]
    clusters = pd.DataFrame({"record_id": ids, "cluster_id": ids})
    with tempfile.TemporaryDirectory() as folder:
        paths = ReviewPaths(Path(folder))
        decided = ids[: int(n * 0.8)]
        tm = pd.DataFrame({"record_id": decided, "decision": ["include" if i % 9 == 0 else "exclude" for i in range(len(decided))]})
        sampled = [r for r in decided if len(assigned_reviewers(config["stages"][0], r)) == 2]
        ac = pd.DataFrame({"record_id": sampled, "decision": ["include" if i % 8 == 0 else "exclude" for i in range(len(sampled))]})
        write_csv(tm, paths.decision_file("title", "tm"))
        write_csv(ac, paths.decision_file("title", "ac"))
        start = time.perf_counter()
        units = Units.build(records, clusters)
        start = timed("works", start)
        decisions = read_decisions(paths, config, units)
        start = timed(f"read {len(decisions.table):,} decisions", start)
        resolution = resolve(config, units, decisions.table)
        start = timed("resolve", start)
        sheets = worksheets(config, units, records, decisions.table, resolution.outcomes, ["partner*", "collaborat*"])
        start = timed(f"worksheets ({sum(map(len, sheets.values())):,} rows)", start)
        agreement(config["stages"][0], decisions.table)
        timed("agreement", start)
    print(f"  peak memory (max RSS)        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.0f} MB")


def priority_on_demo() -> None:
    print("2. priority order on the demo review (title stage, half of tm's decisions removed)")
    with tempfile.TemporaryDirectory() as folder:
        review = Path(folder)
        shutil.copytree(ROOT / "config", review / "config")
        shutil.copytree(ROOT / "data" / "raw", review / "data" / "raw")
        paths = ReviewPaths(review)
        config = load_config(paths.config)
        log = read_search_log(paths.search_log, paths.searches)
        records, _ = import_searches(log, paths.searches)
        units = Units.build(records, find_duplicates(records).clusters)
        truth = resolve(config, units, read_decisions(paths, config, units).table).outcomes
        included = set(truth.loc[(truth["stage"] == "title") & (truth["outcome"] == "include"), "cluster_id"])
        tm_file = paths.decision_file("title", "tm")
        lines = tm_file.read_text(encoding="utf-8").splitlines()
        tm_file.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
        for later in ("abstract", "fulltext"):
            shutil.rmtree(paths.decisions / later)
        decisions = read_decisions(paths, config, units)
        outcomes = resolve(config, units, decisions.table).outcomes
        queries = log["query"].tolist()
        for order in ("priority", "canonical"):
            config["stages"][0]["order"] = order
            sheet = worksheets(config, units, records, decisions.table, outcomes, search_terms(config, queries))[("title", "tm")]
            hits = sheet["record_id"].isin(included).tolist()
            found = [f"{share:.0%}: {sum(hits[: int(len(hits) * share)]) / sum(hits):4.0%}" for share in (0.05, 0.1, 0.2, 0.5)]
            print(f"  {order:<10} {len(hits):,} to screen, {sum(hits)} includes; first " + ", ".join(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=50_000)
    args = parser.parse_args()
    scale(args.works)
    priority_on_demo()


if __name__ == "__main__":
    main()
