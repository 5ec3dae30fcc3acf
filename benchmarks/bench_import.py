"""Import speed and memory: 100,000 RIS records (targets: at most 20 s on 2 cores; peak memory of
the largest process at most 3 times the total size of the exports, at 100,000 and 300,000 records).

Generates a review folder holding N RIS records (realistic records: several
authors, a long abstract, keywords, a DOI, a note continued on an untagged
line) split over a few export files, then runs ``reviewflow import`` on it
in a fresh process, as the pipeline does, and prints the wall-clock seconds,
the CPU seconds of all its processes (the import reads files in two worker
processes) and the peak memory of the largest one.

    python benchmarks/bench_import.py                   # 100,000 records
    python benchmarks/bench_import.py --records 300000  # the memory target's second size
    python benchmarks/bench_import.py --records 20000 --files 4
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "partnership collaboration integration health social care services local authority community outcomes "
    "evaluation qualitative trust governance leadership joint working commissioning practice policy evidence "
    "public sector agencies multi-agency network accountability performance learning change"
).split()
SURNAMES = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robertson Wright Thompson Evans Walker White".split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


class Pools:
    """Titles, abstracts and keywords drawn once (drawing every word for every record is slow)."""

    def __init__(self, rng: random.Random) -> None:
        self.titles = [sentence(rng, rng.randint(6, 18)) for _ in range(5000)]
        self.abstracts = [". ".join(sentence(rng, 14) for _ in range(10)) + "." for _ in range(500)]
        self.keywords = [sentence(rng, 2) for _ in range(300)]
        self.journals = [f"Journal of {sentence(rng, 2)}" for _ in range(200)]


def ris_record(rng: random.Random, pools: Pools, number: int) -> str:
    start = rng.randint(1, 900)
    lines = ["TY  - JOUR"]
    lines += [f"AU  - {rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in range(rng.randint(1, 6))]
    lines += [
        f"TI  - {rng.choice(pools.titles)} {number}",
        f"T2  - {rng.choice(pools.journals)}",
        f"PY  - {rng.randint(2000, 2024)}",
        f"VL  - {rng.randint(1, 60)}",
        f"IS  - {rng.randint(1, 12)}",
        f"SP  - {start}",
        f"EP  - {start + rng.randint(5, 30)}",
        f"SN  - {rng.randint(1000, 9999)}-{rng.randint(100, 999)}X",
        f"AB  - {rng.choice(pools.abstracts)}",
    ]
    lines += [f"KW  - {rng.choice(pools.keywords)}" for _ in range(5)]
    lines += [
        f"DO  - 10.{rng.randint(1000, 9999)}/bench.{number}",
        f"UR  - https://search.example.org/record?id={number}",
        f"N1  - Accession Number: {number}; Source Info: {rng.choice(pools.journals)}",
        "Export Date: 1 March 2015",
        "DB  - Benchmark Database",
        f"AN  - {number}",
        "LA  - English",
        "ER  - ",
    ]
    return "\n".join(lines) + "\n\n"


CSV_HEADER = ["Authors", "Title", "Year", "Source title", "Volume", "Issue", "Page start", "Page end", "DOI", "Link",
              "Abstract", "Author Keywords", "ISSN", "Language of Original Document", "Document Type", "EID"]


def csv_record(rng: random.Random, pools: Pools, number: int) -> list[str]:
    """The same kind of record as ``ris_record``, as a row of a Scopus-style CSV export."""
    start = rng.randint(1, 900)
    authors = "; ".join(f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in range(rng.randint(1, 6)))
    return [
        authors, f"{rng.choice(pools.titles)} {number}", str(rng.randint(2000, 2024)), rng.choice(pools.journals),
        str(rng.randint(1, 60)), str(rng.randint(1, 12)), str(start), str(start + rng.randint(5, 30)),
        f"10.{rng.randint(1000, 9999)}/bench.{number}", f"https://search.example.org/record?id={number}",
        rng.choice(pools.abstracts), "; ".join(rng.choice(pools.keywords) for _ in range(5)),
        f"{rng.randint(1000, 9999)}{rng.randint(100, 999)}X", "English", "Article", f"2-s2.0-{number}",
    ]


CONFIG_SOURCE = REPO / "config"


def make_review(root: Path, records: int, files: int, seed: int = 2015, fmt: str = "ris") -> None:
    rng = random.Random(seed)
    pools = Pools(rng)
    searches = root / "data" / "raw" / "searches"
    searches.mkdir(parents=True)
    shutil.copytree(CONFIG_SOURCE, root / "config")
    per_file = records // files
    rows = []
    number = 0
    for index in range(files):
        count = per_file if index < files - 1 else records - per_file * (files - 1)
        name = f"bench{index + 1:02d}.{fmt}"
        with (searches / name).open("w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(CSV_HEADER)
            for _ in range(count):
                number += 1
                if fmt == "csv":
                    writer.writerow(csv_record(rng, pools, number))
                else:
                    handle.write(ris_record(rng, pools, number))
        rows.append([str(index + 1), "2015-03-01", "database", "Benchmark Database", "benchmark", name, str(count)])
    with (root / "data" / "raw" / "searches.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["round", "date", "source_type", "database", "query", "file", "reported_hits"])
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--format", choices=("ris", "csv"), default="ris", help="the exports' format (default RIS)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_import_") as folder:
        root = Path(folder)
        started = time.perf_counter()
        make_review(root, args.records, args.files, fmt=args.format)
        size = sum(p.stat().st_size for p in (root / "data" / "raw" / "searches").iterdir())
        print(f"generated {args.records:,} {args.format.upper()} records in {args.files} files ({size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")

        # 'reviewflow import' in a fresh process, which also reports its own CPU time and its workers'
        program = (
            "import resource, sys, time\n"
            "from reviewflow.cli import main\n"
            "status = main(['import', '--root', sys.argv[1]])\n"
            "workers = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(f'CPU {time.process_time():.2f} {workers.ru_utime + workers.ru_stime:.2f}')\n"
            "sys.exit(status)\n"
        )
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", program, str(root)],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(REPO / "workflow"), "PATH": "/usr/bin:/bin"},
            check=False,
        )
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        if result.returncode != 0:
            print(result.stdout, result.stderr, file=sys.stderr)
            return 1
        lines = result.stdout.strip().split("\n")
        main_cpu, workers_cpu = (float(x) for x in lines[-1].split()[1:])
        print("\n".join(lines[:-1]))
        written = sum(1 for _ in csv.reader((root / "data" / "processed" / "records.csv").open(encoding="utf-8"))) - 1
        print(f"reviewflow import (fresh process: reading, normalising, ids, writing records.csv): {seconds:.1f} s wall, "
              f"peak memory {peak_mb:.0f} MB (largest process), {written:,} records written")
        # the main process starts (about 1 s), then writes while the two workers read: on two free
        # cores the wall time is about the longer of the two paths
        print(f"CPU: {main_cpu:.1f} s in the main process, {workers_cpu:.1f} s in the two worker processes; "
              f"on two free cores: about {max(main_cpu, 1 + workers_cpu / 2):.1f} s wall")
        print(f"load average of the machine meanwhile: {os.getloadavg()[0]:.1f} (other work on the 2 cores slows the wall time)")
        ratio = usage.ru_maxrss * 1024 / size
        print(f"memory: peak {peak_mb:.0f} MB for {size / 1e6:.0f} MB of exports = {ratio:.2f} times their size "
              f"(target: at most 3 times) -> {'ok' if ratio <= 3 else 'TOO MUCH'}")
        if args.records == 100_000:
            print(f"target: 100,000 records in at most 20 s on 2 cores -> {'ok' if seconds <= 20 else 'TOO SLOW'} (measured wall time)")
        else:
            print("(the time target is set for 100,000 records: run without --records to compare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
