"""Prioritised screening on real labelled reviews, side by side with ASReview; the stopping rule; re-rank speed.

    python benchmarks/bench_screening_simulate.py                  # everything: 5 seeds, B = 1 10 50; stopping 20 seeds
    python benchmarks/bench_screening_simulate.py --batch 10 --seeds 3 --stop-seeds 0 --works 0   # quicker

1. Every labelled set of ../shared/fixtures/screening/ (or --sets FILE...): reviewflow's model
   (``reviewflow simulate``) and ASReview's current release with its default model (``get_ai_config()``,
   ELAS u4 in 2.x/3.x), from the same prior include and exclude per seed, the same seeds and batch sizes.
   Both orders are measured by the same code (``screening.simulation.measures``). ASReview is installed by
   this benchmark into its own virtual environment (``--asreview-venv``, default
   ~/.cache/reviewflow-bench/asreview), never into reviewflow's.
   Targets with B = 10: mean WSS@95 at least ASReview's, no set more than 3 points below it.
2. The stopping rule (hypergeometric test, target 95% recall at 95% confidence, tested after each batch
   of 10) on reviewflow's orders, every set, --stop-seeds seeds: the share of runs whose recall at the
   stop reaches the target (>= 95% required) and the median share of works left unscreened.
3. One re-rank at --works works (default 50,000; texts drawn from the sets' titles and abstracts):
   the features once (TF-IDF), then learning from 2,000 decisions and scoring every work, as after a
   batch of decisions; and ``rank_works`` in full (features included).

Prints figures; asserts nothing. Labels: ``label_abstract_screening`` where a set has it (title/abstract
includes), else ``label_included``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from reviewflow.screening.priority import MODEL, features, learned_scores, rank_works  # noqa: E402
from reviewflow.screening.simulation import Labelled, measures, prior, read_labelled, simulate, stopping_measures  # noqa: E402

SHARED = ROOT.parent / "shared" / "fixtures" / "screening"
RUNNER = Path(__file__).with_name("asreview_simulate.py")
ASREVIEW = "asreview>=3,<4"


def asreview_python(venv: Path) -> Path:
    """The virtual environment's Python, with ASReview installed into it first if it is not there."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import asreview; print(asreview.__version__)"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"installing {ASREVIEW} into {venv} (once)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", ASREVIEW], check=True)
    return python


def asreview_orders(
    python: Path, path: Path, data: Labelled, seeds: list[int], batches: list[int], cache: Path
) -> tuple[dict[tuple[int, int], np.ndarray], str]:
    """ASReview's screening order for every (batch, seed), run in its own environment (kept in ``cache``: runs take long)."""
    version = subprocess.run([str(python), "-c", "import asreview; print(asreview.__version__)"], capture_output=True, text=True).stdout.strip()
    store = cache / f"{path.stem}-asreview-{version}.json"
    known = json.loads(store.read_text()) if store.is_file() else {}
    runs = [{"seed": s, "batch": b, "prior": list(prior(data.labels, s))} for b in batches for s in seeds if f"{b}-{s}" not in known]
    if runs:
        request = json.dumps({"csv": str(path), "label": data.label_column, "runs": runs})
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        done = subprocess.run([str(python), str(RUNNER)], input=request, capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(f"ASReview failed on {path.name}:\n{done.stderr[-3000:]}")
        for run in json.loads(done.stdout):
            known[f"{run['batch']}-{run['seed']}"] = {"order": run["order"], "model": run["model"], "prior": list(prior(data.labels, run["seed"]))}
        cache.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(known))
    orders = {(b, s): data.labels[np.array(known[f"{b}-{s}"]["order"])] for b in batches for s in seeds}
    return orders, f"{known[f'{batches[0]}-{seeds[0]}']['model']}"


#: (set, batch, seed) -> reviewflow's screening order's labels: the side-by-side and the stopping rule share runs
OURS: dict[tuple[str, int, int], np.ndarray] = {}


def ours(data: Labelled, seeds: list[int], batches: list[int]) -> tuple[pd.DataFrame, dict[tuple[int, int], np.ndarray]]:
    """reviewflow's simulation, each (batch, seed) run once per benchmark."""
    for batch in batches:
        missing = [s for s in seeds if (data.name, batch, s) not in OURS]
        if missing:
            _, orders = simulate(data, missing, [batch], MODEL)
            OURS.update({(data.name, b, s): o for (b, s), o in orders.items()})
    orders = {(b, s): OURS[(data.name, b, s)] for b in batches for s in seeds}
    rows = [{"set": data.name, "batch": b, "seed": s, "works": len(o), "includes": int(o.sum()), **measures(o)}
            for (b, s), o in orders.items()]
    return pd.DataFrame(rows), orders


def side_by_side(args: argparse.Namespace, sets: list[Path]) -> None:
    python = asreview_python(Path(args.asreview_venv).expanduser())
    version = subprocess.run([str(python), "-c", "import asreview; print(asreview.__version__)"], capture_output=True, text=True).stdout.strip()
    seeds = list(range(1, args.seeds + 1))
    rows = []
    for path in sets:
        data = read_labelled(path)
        start = time.perf_counter()
        mine, _ = ours(data, seeds, args.batch)
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        theirs, name = asreview_orders(python, path, data, seeds, args.batch, Path(args.asreview_cache).expanduser())
        theirs_s = time.perf_counter() - start
        for row in mine.itertuples(index=False):
            other = measures(theirs[(row.batch, row.seed)])
            rows.append({"set": data.name, "batch": row.batch, "seed": row.seed, "works": row.works, "includes": row.includes,
                         **{f"rf_{k}": getattr(row, k) for k in other}, **{f"as_{k}": v for k, v in other.items()}})
        print(f"  {data.name}: {len(data.labels)} works, {int(data.labels.sum())} includes ({data.label_column}); "
              f"reviewflow {ours_s:.0f} s, ASReview {theirs_s:.0f} s", flush=True)
    table = pd.DataFrame(rows)
    if args.csv:
        table.to_csv(args.csv, index=False)
    print(f"\n1. reviewflow ({MODEL}) against ASReview {version} ({name}), means over seeds {seeds[0]}-{seeds[-1]}")
    mean = table.groupby(["set", "batch"], sort=False).mean(numeric_only=True).reset_index()
    head = (f"  {'set':<36} {'B':>3}  {'WSS@95 rf/AS':>14}  {'WSS@100 rf/AS':>14}  {'rec@10% rf/AS':>14}  "
            f"{'rec@25% rf/AS':>14}  {'to 95% rf/AS':>13}  {'to 100% rf/AS':>13}")
    print(head)
    for r in mean.itertuples(index=False):
        print(f"  {r.set:<36} {r.batch:>3}  {100 * r.rf_wss95:6.1f}/{100 * r.as_wss95:5.1f}  {100 * r.rf_wss100:6.1f}/{100 * r.as_wss100:5.1f}  "
              f"{100 * r.rf_recall10:6.1f}/{100 * r.as_recall10:5.1f}  {100 * r.rf_recall25:6.1f}/{100 * r.as_recall25:5.1f}  "
              f"{r.rf_to95:6.0f}/{r.as_to95:5.0f}  {r.rf_to100:6.0f}/{r.as_to100:5.0f}")
    for batch in args.batch:
        at = mean[mean["batch"] == batch]
        runs = table[table["batch"] == batch]
        gap = 100 * (at["rf_wss95"] - at["as_wss95"])
        better = int((runs["rf_wss95"] > runs["as_wss95"]).sum())
        print(f"  B = {batch}: mean WSS@95 reviewflow {100 * at['rf_wss95'].mean():.1f}% vs ASReview {100 * at['as_wss95'].mean():.1f}%; "
              f"worst set {gap.min():+.1f} points; reviewflow ahead in {better} of {len(runs)} set x seed pairs")
    at = mean[mean["batch"] == 10]
    if len(at):
        gap = 100 * (at["rf_wss95"] - at["as_wss95"])
        ok_mean = at["rf_wss95"].mean() >= at["as_wss95"].mean()
        ok_worst = gap.min() >= -3
        print(f"  targets (B = 10): mean WSS@95 >= ASReview's: {'met' if ok_mean else 'NOT met'}; "
              f"no set more than 3 points below: {'met' if ok_worst else 'NOT met'} (worst {gap.min():+.1f})")


def stopping(args: argparse.Namespace, sets: list[Path]) -> None:
    seeds = list(range(1, args.stop_seeds + 1))
    rule = {"target_recall": 0.95, "confidence": 0.95, "min_screened": 0}
    print(f"\n2. stopping rule: recall >= 95% at 95% confidence, tested every 10 works; {len(seeds)} seeds per set, B = 10")
    all_rows = []
    for path in sets:
        data = read_labelled(path)
        results, orders = ours(data, seeds, [10])
        rows = [stopping_measures(orders[(10, s)], 10, **rule) for s in seeds]
        frame = pd.DataFrame(rows)
        all_rows.append(frame)
        print(f"  {data.name:<36} target reached in {(frame['recall_at_stop'] >= 0.95).mean():6.1%} of runs; "
              f"recall at stop median {frame['recall_at_stop'].median():.1%} (min {frame['recall_at_stop'].min():.1%}); "
              f"works saved median {frame['saved_at_stop'].median():.1%} (WSS@95 of the order {results['wss95'].mean():.1%})", flush=True)
    every = pd.concat(all_rows)
    print(f"  all {len(every)} runs: target reached in {(every['recall_at_stop'] >= 0.95).mean():.1%} (>= 95% required); "
          f"median works saved {every['saved_at_stop'].median():.1%}")


def rerank(works: int, sets: list[Path]) -> None:
    pool = [t for path in sets for t in read_labelled(path).texts]
    rng = np.random.default_rng(0)
    texts = [pool[i] for i in rng.integers(0, len(pool), works)]
    words = np.mean([len(t.split()) for t in texts])
    print(f"\n3. re-rank at {works:,} works (titles and abstracts drawn from the sets, {words:.0f} words each on average)")
    start = time.perf_counter()
    matrix, _ = features(texts)
    print(f"  features (TF-IDF 1-2-grams, once per run)   {time.perf_counter() - start:6.2f} s  ({matrix.shape[1]:,} terms)")
    decided = rng.permutation(works)[:2000]
    included, excluded = decided[:200].tolist(), decided[200:].tolist()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        learned_scores(matrix, included, excluded)
        timings.append(time.perf_counter() - start)
    print(f"  re-rank: learn from 2,000 decisions, score all  {min(timings):6.2f} s (best of 3; target <= 2 s)")
    keys = [f"w{i}" for i in range(works)]
    start = time.perf_counter()
    rank_works(dict(zip(keys, texts, strict=True)), ["depression", "animal model"], [keys[i] for i in included], [keys[i] for i in excluded])
    print(f"  rank_works in full (features, learn, order)  {time.perf_counter() - start:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="*", default=None, help="labelled CSVs (default: every ../shared/fixtures/screening set)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--stop-seeds", type=int, default=20)
    parser.add_argument("--works", type=int, default=50_000)
    parser.add_argument("--asreview-venv", default="~/.cache/reviewflow-bench/asreview")
    parser.add_argument("--asreview-cache", default="~/.cache/reviewflow-bench/orders",
                        help="ASReview's screening orders are kept here and reused (they take long to compute)")
    parser.add_argument("--csv", default=None, help="write the per-run side-by-side measures here")
    parser.add_argument("--skip-asreview", action="store_true")
    args = parser.parse_args()
    sets = [Path(s) for s in args.sets] if args.sets else sorted(SHARED.glob("*.csv"))
    if not sets:
        raise SystemExit(f"no labelled sets: {SHARED} is absent; give --sets")
    if not args.skip_asreview and args.seeds:
        side_by_side(args, sets)
    if args.stop_seeds:
        stopping(args, sets)
    if args.works:
        rerank(args.works, sets)


if __name__ == "__main__":
    main()
