"""The ordinary pipeline at scale: import, de-duplication, screening and ledger of 100,000 to 1,000,000 records.

    python benchmarks/bench_pipeline_1m.py                       # 100,000 and 1,000,000 records
    python benchmarks/bench_pipeline_1m.py --sizes 20000         # a quick look
    python benchmarks/bench_pipeline_1m.py --keep /tmp/reviews   # keep (and reuse) the generated reviews

For each size, a review folder is generated (not timed): the records of the
de-duplication speed benchmark's generator (works with known duplicates, noisy
copies and near misses; see bench_dedupe_speed.py), written as RIS exports of
at most 50,000 records each (as databases cap an export), from three
databases over several rounds, listed in the search log; the config is the one
``reviewflow init`` writes (two stages, one reviewer). Then each step runs as
the pipeline runs it, ``python -m reviewflow <step>`` in a fresh process:

- ``import``: every export read into records.csv (two worker processes);
- ``dedupe``: clusters, the pairs to review and the sources' contributions;
- ``screen``: decisions read and resolved, worksheets ranked by priority
  (the re-rank of every work waiting at title), conflicts, agreement;
- ``ledger``: the ledger, counts.json, PRISMA.csv and the flow diagram.

Between import and dedupe the reviewer's title decisions are written (not
timed) for a fifth of the works, and full-text decisions for half of those
included, so that screening resolves real decisions and the ledger holds every
fate. For each step it prints wall-clock seconds, CPU seconds (of the step and
its worker processes) and peak resident memory (the largest process), and the
same per 1,000 records, then the totals against the targets of issue 14:
import + dedupe + screen + ledger of 1,000,000 records in at most 5 minutes and
6 GB on 2 cores, with time and memory per record no worse at 1M than at 100k.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))
sys.path.insert(0, str(REPO / "benchmarks"))

SIZES = (100_000, 1_000_000)
STEPS = ("import", "dedupe", "screen", "ledger")
PER_FILE = 50_000
DATABASES = ("MEDLINE", "Embase", "Scopus")
TARGET_SECONDS, TARGET_MB = 300, 6 * 1024
TIME = "/usr/bin/time"  # GNU time: CPU seconds and peak memory of a step and its worker processes


def ris(record: dict[str, str]) -> str:
    lines = ["TY  - JOUR", f"TI  - {record['title']}"]
    lines += [f"AU  - {name}" for name in record["authors"].split("; ") if name]
    lines += [f"PY  - {record['year']}", f"T2  - {record['journal']}"]
    for tag, field in (("VL", "volume"), ("IS", "issue"), ("DO", "doi"), ("AB", "abstract")):
        if record[field]:
            lines.append(f"{tag}  - {record[field]}")
    first, _, last = record["pages"].partition("-")
    lines += [f"SP  - {first}", f"EP  - {last}", "LA  - English", "ER  - "]
    return "\n".join(lines) + "\n\n"


def make_review(root: Path, size: int) -> list[str]:
    """A review folder of about ``size`` records; returns each record's true work, in file order."""
    from bench_dedupe_speed import generate
    from reviewflow.newreview import init_review

    init_review(root, f"Benchmark review of {size:,} records")
    records = generate(size).to_dict("records")
    searches = root / "data" / "raw" / "searches"
    rows, truth = [], []
    for number, start in enumerate(range(0, len(records), PER_FILE)):
        database = DATABASES[number % len(DATABASES)]
        name = f"{database.lower()}_{number + 1:03d}.ris"
        chunk = records[start : start + PER_FILE]
        with (searches / name).open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(ris(record) for record in chunk)
        truth += [record["work"] for record in chunk]
        rows.append([str(number // len(DATABASES) + 1), "2026-06-01", "database", database,
                     "(partnership OR collaboration) AND outcome*", name, str(len(chunk))])
    with (root / "data" / "raw" / "searches.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return truth


def write_decisions(root: Path, truth: list[str]) -> None:
    """Title decisions for a fifth of the works (one record of each), full text for half of those included."""
    import pandas as pd

    records = pd.read_csv(root / "data" / "processed" / "records.csv", usecols=["record_id"], dtype=str)
    title, fulltext, seen = [], [], set()
    for record_id, work in zip(records["record_id"], truth, strict=True):
        if work in seen:
            continue
        seen.add(work)
        draw = int(hashlib.sha1(work.encode()).hexdigest()[:8], 16) / 16**8
        if draw < 0.01:
            title.append((record_id, "include", ""))
            if draw < 0.005:
                fulltext.append((record_id, "include" if draw < 0.002 else "exclude", "" if draw < 0.002 else "NR"))
        elif draw < 0.2:
            title.append((record_id, "exclude", ""))
    for stage, rows in (("title", title), ("fulltext", fulltext)):
        with (root / "data" / "raw" / "decisions" / stage / "r1.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["record_id", "decision", "reason", "note"])
            writer.writerows([(r, d, why, "") for r, d, why in rows])


def run_step(root: Path, step: str) -> dict[str, float]:
    """``python -m reviewflow <step>`` in a fresh process: wall and CPU seconds, peak memory (MB) of the largest process.

    The step runs under GNU time (``/usr/bin/time``), a small process: a child forked straight
    from this one would count this process's own memory (the generated records) as its peak.
    """
    command = [sys.executable, "-m", "reviewflow", step, "--root", str(root)]
    if step == "import":
        command += ["--max-workers", "2"]
    if step == "screen":
        command += ["--workers", "2"]  # as the rule runs it (threads: 2)
    env = {**os.environ, "PYTHONPATH": str(REPO / "workflow")}
    log = root / "data" / "processed" / "logs"
    log.mkdir(parents=True, exist_ok=True)
    usage = log / f"{step}.time"
    started = time.perf_counter()
    with (log / f"{step}.log").open("w") as handle:
        done = subprocess.run([TIME, "-f", "%U %S %M", "-o", str(usage), *command], stdout=handle, stderr=subprocess.STDOUT,
                              env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"reviewflow {step} failed:\n{(log / f'{step}.log').read_text()[-3000:]}")
    user, system, peak_kb = (float(x) for x in usage.read_text().split()[-3:])
    return {"seconds": seconds, "cpu": user + system, "peak_mb": peak_kb / 1024}


def bench(size: int, keep: Path | None) -> tuple[int, dict[str, dict[str, float]]]:
    folder = (keep / f"review_{size}") if keep else Path(tempfile.mkdtemp(prefix=f"bench_pipeline_{size}_"))
    truth_file = folder / "truth.txt"
    try:
        if not truth_file.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            truth = make_review(folder, size)
            truth_file.write_text("\n".join(truth), encoding="utf-8")
            print(f"generated {len(truth):,} records in {-(-len(truth) // PER_FILE)} RIS files in {time.perf_counter() - started:.0f} s", flush=True)
        truth = truth_file.read_text(encoding="utf-8").split("\n")
        shutil.rmtree(folder / "data" / "processed", ignore_errors=True)
        figures = {"import": run_step(folder, "import")}
        write_decisions(folder, truth)
        for step in STEPS[1:]:
            figures[step] = run_step(folder, step)
        for step in STEPS:
            print(f"  {step:<7} " + (folder / "data" / "processed" / "logs" / f"{step}.log").read_text().strip().splitlines()[-1][:150])
        return len(truth), figures
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--keep", type=Path, help="keep the generated reviews in this folder, and reuse them on the next run")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in args.sizes:
        print(f"{size:,} records", flush=True)
        records, figures = bench(size, args.keep)
        results[records] = figures
        print(f"  {'step':<8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'wall ms/1k':>10} {'cpu ms/1k':>10} {'KB/rec':>8}")
        for step, f in figures.items():
            print(f"  {step:<8} {f['seconds']:>8.1f} {f['cpu']:>8.1f} {f['peak_mb']:>8.0f} "
                  f"{1e6 * f['seconds'] / records:>10.1f} {1e6 * f['cpu'] / records:>10.1f} {1024 * f['peak_mb'] / records:>8.2f}")
        total = sum(f["seconds"] for f in figures.values())
        cpu = sum(f["cpu"] for f in figures.values())
        peak = max(f["peak_mb"] for f in figures.values())
        print(f"  {'total':<8} {total:>8.1f} {cpu:>8.1f} {peak:>8.0f} "
              f"{1e6 * total / records:>10.1f} {1e6 * cpu / records:>10.1f} {1024 * peak / records:>8.2f}", flush=True)
        if records >= 1_000_000:
            print(f"  target at 1M: <= {TARGET_SECONDS} s -> {'ok' if total <= TARGET_SECONDS else 'MISSED'}; "
                  f"<= {TARGET_MB} MB -> {'ok' if peak <= TARGET_MB else 'MISSED'}")
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"per record, {large:,} against {small:,} records (ratio > 1: worse at the larger size):")
        for step in STEPS:
            a, b = results[small][step], results[large][step]
            print(f"  {step:<8} wall time {b['seconds'] / large / (a['seconds'] / small):.2f}x, "
                  f"CPU time {b['cpu'] / large / (a['cpu'] / small):.2f}x, "
                  f"peak memory {b['peak_mb'] / large / (a['peak_mb'] / small):.2f}x")
    print(f"load average of the machine: {os.getloadavg()[0]:.1f} (other work on the 2 cores slows the wall time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
