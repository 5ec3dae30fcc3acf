"""Speed and memory of de-duplication on generated records with known duplicates.

    python benchmarks/bench_dedupe_speed.py                      # 10k, 30k, 100k, 300k records
    python benchmarks/bench_dedupe_speed.py --sizes 10000 30000  # chosen sizes
    python benchmarks/bench_dedupe_speed.py --peer 20000         # also bib-dedupe on 20k, in the same run
    python benchmarks/bench_dedupe_speed.py --profile 30000      # where the time goes

Each size runs in a fresh process: generate the records and write them as RIS
exports, four files, as databases give them (not timed); then time the
import (``import_searches``, as the pipeline's import step runs it) and
``find_duplicates`` (wall clock, and CPU time, which other work on a shared
machine disturbs less) and read the process's peak memory (resident set,
including the records themselves). ``--peer N`` runs bib-dedupe 0.11 (in its
own environment, see bench_dedupe_accuracy.py) on the same N records, from a
CSV in its own columns, timing its prep, blocking and matching. Precision and recall against the
generator's truth are printed as a sanity check; accuracy is judged on real
labelled sets by bench_dedupe_accuracy.py.

The generator: works with titles of 6-18 words drawn from a Zipf-like
vocabulary, 1-12 authors from a large pool of surnames, journals with ISO-4
style abbreviations, volumes, pages, DOIs for 70 % and abstracts for 60 %.
About 30 % of works come back one to three more times with the noise
databases add: capitals and punctuation, a typo, a dropped subtitle, a title
cut short, a bracketed translation, initials instead of given names, author
lists cut to three, abbreviated journals, DOIs dropped or written as URLs,
abstracts dropped, pages written "221-8", the year one off (ahead of print),
volumes missing. Near misses that are different works are planted too: the
same title with one word changed, "Part I" / "Part II", a generic title in
another year, an erratum.

Targets (issue 10), import included: 20,000 records at least 15 times faster
than bib-dedupe in the same run; 100,000 records in at most 25 s and 1.5 GB;
cost growing about linearly up to 300,000.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))

SIZES = (10_000, 30_000, 100_000, 300_000)
SYLLABLES = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo tra pro gen lin car dio neu ron path ol ex in ter".split()
STOP = "of the in and for with on a to among after by".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def generate(n_records: int, seed: int = 2015) -> pd.DataFrame:
    """``n_records`` records (about) with a ``work`` column giving the truth."""
    rng = random.Random(seed)
    vocabulary = list(dict.fromkeys(_word(rng) for _ in range(12_000)))
    cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(vocabulary))))
    surnames = list(dict.fromkeys(_word(rng).capitalize() for _ in range(30_000)))
    given_names = list(dict.fromkeys(_word(rng).capitalize() for _ in range(3_000)))
    journals = []
    for _ in range(3_000):
        words = [_word(rng).capitalize() for _ in range(rng.randint(2, 5))]
        journals.append((" ".join(words), " ".join(w[: rng.randint(3, 5)] for w in words)))

    def title_words(k: int) -> list[str]:
        chosen = rng.choices(vocabulary, cum_weights=cumulative, k=k)
        out = []
        for word in chosen:
            out.append(word)
            if rng.random() < 0.25:
                out.append(rng.choice(STOP))
        return out

    works = []
    n_works = int(n_records / 1.42)
    for w in range(n_works):
        main = title_words(rng.randint(5, 12))
        subtitle = title_words(rng.randint(2, 6)) if rng.random() < 0.4 else []
        authors = [(rng.choice(surnames), [rng.choice(given_names) for _ in range(rng.randint(1, 2))])
                   for _ in range(rng.choice((1, 2, 3, 3, 4, 5, 6, 8, 12)))]
        journal = rng.choice(journals)
        year = rng.randint(1990, 2024)
        first = rng.randint(1, 2000)
        work = {
            "work": f"w{w}",
            "main": main,
            "subtitle": subtitle,
            "authors": authors,
            "journal": journal,
            "year": year,
            "volume": str(rng.randint(1, 120)),
            "issue": str(rng.randint(1, 12)),
            "pages": (first, first + rng.randint(3, 20)),
            "doi": f"10.{rng.randint(1000, 9999)}/j.{w}.{year}" if rng.random() < 0.7 else "",
            "abstract": " ".join(title_words(rng.randint(80, 200))).capitalize() + "." if rng.random() < 0.6 else "",
        }
        works.append(work)
        draw = rng.random()
        if draw < 0.05:  # a near miss: a different work that looks alike
            twin = dict(work, work=f"w{w}x", doi=f"10.{rng.randint(1000, 9999)}/k.{w}" if work["doi"] else "")
            kind = rng.random()
            if kind < 0.4:
                changed = list(main)
                spot = rng.randrange(len(changed))
                changed[spot] = rng.choice(vocabulary)
                twin["main"] = changed
                twin["pages"] = (first + 30, first + 40)
            elif kind < 0.6:
                work["subtitle"] = ["part", "I"]
                twin["subtitle"] = ["part", "II"]
                twin["pages"] = (first + 25, first + 35)
            elif kind < 0.8:
                twin["year"] = year + rng.randint(2, 5)
                twin["volume"] = str(int(work["volume"]) + 2)
            else:
                twin["main"] = ["erratum"] + main
                twin["pages"] = (first + 200, first + 200)
                twin["abstract"] = ""
            works.append(twin)

    rows = []
    for work in works:
        copies = 1
        if rng.random() < 0.30:
            copies += rng.choice((1, 1, 1, 2, 2, 3))
        for copy in range(copies):
            rows.append(_record(rng, work, noisy=copy > 0))
    rng.shuffle(rows)
    frame = pd.DataFrame(rows[:n_records] if len(rows) > n_records else rows)
    frame.insert(0, "record_id", [f"R01-{i:012x}" for i in range(len(frame))])
    frame["round"] = 1
    return frame


def _record(rng: random.Random, work: dict, noisy: bool) -> dict[str, str]:
    main, subtitle = list(work["main"]), list(work["subtitle"])
    authors = list(work["authors"])
    journal_full, journal_abbreviation = work["journal"]
    year, volume = work["year"], work["volume"]
    first, last = work["pages"]
    doi, abstract = work["doi"], work["abstract"]
    pages = f"{first}-{last}"
    title_case = True
    brackets = False
    if noisy:
        if rng.random() < 0.15 and len(main) > 4:  # a typo
            spot = rng.randrange(len(main))
            word = main[spot]
            if len(word) > 5:
                cut = rng.randrange(1, len(word) - 1)
                main[spot] = word[:cut] + word[cut + 1 :]
        if subtitle and subtitle[0] != "part" and rng.random() < 0.15:
            subtitle = []
        if rng.random() < 0.03 and len(main) > 8 and not subtitle:
            main = main[:-2]
            main[-1] = main[-1][:3]
            subtitle = []
        brackets = rng.random() < 0.03
        title_case = rng.random() < 0.5
        if rng.random() < 0.1 and len(authors) > 3:
            authors = authors[:3]
        if rng.random() < 0.3:
            doi = ""
        elif doi and rng.random() < 0.3:
            doi = "https://doi.org/" + doi.upper()
        if rng.random() < 0.4:
            abstract = ""
        if rng.random() < 0.5 and last > first:  # 1014-1024 -> 1014-24
            start, end = str(first), str(last)
            common = next((k for k in range(len(end)) if k >= len(start) or start[k] != end[k]), len(end))
            pages = f"{start}-{end[common:] or end[-1]}" if len(start) == len(end) else f"{start}-{end}"
        if rng.random() < 0.05:
            year += 1
        if rng.random() < 0.1:
            volume = ""
    title = " ".join(main) + (": " + " ".join(subtitle) if subtitle else "")
    title = title[0].upper() + title[1:]
    if title_case and noisy:
        title = title.title()
    if brackets:
        title = f"[{title}]"
    # as the import writes them: "Surname, Given Names" or "Surname, G. N." (whichever the database gave)
    if noisy and rng.random() < 0.5:
        author_text = "; ".join(f"{s}, {' '.join(g[0] + '.' for g in given)}" for s, given in authors)
    else:
        author_text = "; ".join(f"{s}, {' '.join(given)}" for s, given in authors)
    return {
        "work": work["work"],
        "title": title,
        "authors": author_text,
        "year": str(year),
        "journal": journal_abbreviation if noisy and rng.random() < 0.4 else journal_full,
        "volume": volume,
        "issue": work["issue"],
        "pages": pages,
        "doi": doi.lower().replace("https://doi.org/", "") if doi else "",
        "abstract": abstract,
        "keywords": "",
        "language": "English",
        "type": "article",
        "url": "",
        "issn": "",
        "isbn": "",
        "publisher": "",
        "source_type": "database",
        "database": "generated",
        "source_file": "generated.csv",
        "source_index": "0",
    }


FILES = 4


def write_ris(records: pd.DataFrame, folder: Path) -> list[str]:
    """The records as RIS exports (``FILES`` files, in order); the file names."""
    names = []
    chunk = -(-len(records) // FILES)
    for k in range(FILES):
        part = records.iloc[k * chunk : (k + 1) * chunk]
        name = f"export{k + 1}.ris"
        lines: list[str] = []
        for row in part.itertuples(index=False):
            lines.append("TY  - JOUR")
            lines.append(f"TI  - {row.title}")
            lines.extend(f"AU  - {a}" for a in row.authors.split("; ") if a)
            lines.append(f"PY  - {row.year}")
            lines.append(f"T2  - {row.journal}")
            if row.volume:
                lines.append(f"VL  - {row.volume}")
            lines.append(f"IS  - {row.issue}")
            first, _, last = row.pages.partition("-")
            lines.append(f"SP  - {first}")
            if last:
                lines.append(f"EP  - {last}")
            if row.doi:
                lines.append(f"DO  - {row.doi}")
            if row.abstract:
                lines.append(f"AB  - {row.abstract}")
            lines.append("ER  - ")
            lines.append("")
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
        names.append(name)
    return names


def run_one(size: int) -> dict[str, float]:
    import csv
    import tempfile

    from reviewflow.dedupe import find_duplicates
    from reviewflow.dedupe.evaluate import score_clusters
    from reviewflow.importers.collect import import_searches
    from reviewflow.searchlog import read_search_log

    generated = generate(size)
    truth = generated.pop("work").tolist()
    with tempfile.TemporaryDirectory() as tmp:
        searches = Path(tmp) / "searches"
        searches.mkdir()
        names = write_ris(generated, searches)
        log = Path(tmp) / "searches.csv"
        with log.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["round", "date", "source_type", "database", "query", "file"])
            for name in names:
                writer.writerow(["1", "2024-01-01", "database", "generated", "q", name])
        del generated
        started, cpu_started = time.perf_counter(), time.process_time()
        records, _ = import_searches(read_search_log(log, searches), searches, workers=1)
        records["round"] = records["round"].astype(int)
        imported = time.perf_counter() - started
        result = find_duplicates(records)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chunk = -(-len(truth) // FILES)
    work_of = {}
    for record_id, file, index in zip(records["record_id"], records["source_file"], records["source_index"], strict=True):
        work_of[record_id] = truth[(int(file.removeprefix("export").removesuffix(".ris")) - 1) * chunk + int(index) - 1]
    groups: dict[str, list[str]] = {}
    for record_id in records["record_id"]:
        groups.setdefault(work_of[record_id], []).append(record_id)
    scores = score_clusters(records["record_id"].tolist(), result.clusters["cluster_id"].tolist(), groups.values())
    return {"records": len(records), "seconds": seconds, "import": imported, "cpu": cpu, "peak_mb": peak_mb,
            "precision": scores.precision, "recall": scores.recall, "false_merges": scores.false_merges,
            "missed": scores.missed, "review": len(result.review)}


def run_peer(size: int) -> float:
    """bib-dedupe's seconds on the same generated records (its own environment and process)."""
    import tempfile

    from bench_dedupe_accuracy import PEER_VENV, ensure_peer

    python = ensure_peer(PEER_VENV)
    records = generate(size)
    frame = pd.DataFrame(
        {
            "ID": records["record_id"],
            "ENTRYTYPE": "article",
            "title": records["title"],
            "author": records["authors"].str.replace("; ", " and "),
            "year": records["year"],
            "journal": records["journal"],
            "booktitle": "",
            "volume": records["volume"],
            "number": records["issue"],
            "pages": records["pages"],
            "doi": records["doi"],
            "abstract": records["abstract"],
            "url": "",
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "peer.csv", Path(tmp) / "peer.json"
        frame.to_csv(source, index=False)
        runner = Path(__file__).with_name("bench_dedupe_peer.py")
        subprocess.run([str(python), str(runner), str(source), str(target)], check=True, capture_output=True, text=True)
        return float(json.loads(target.read_text(encoding="utf-8"))["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--peer", type=int, help="also time bib-dedupe on this many records (in the same run)")
    parser.add_argument("--profile", type=int, help="profile one run of this size and print the top functions")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    if args.profile:
        import cProfile
        import pstats

        from reviewflow.dedupe import find_duplicates

        records = generate(args.profile)
        records.pop("work")
        cProfile.runctx("find_duplicates(records)", globals(), {"records": records, "find_duplicates": find_duplicates}, "/tmp/dedupe.prof")
        pstats.Stats("/tmp/dedupe.prof").sort_stats("cumulative").print_stats(30)
        return 0
    sizes = sorted(set(args.sizes) | ({args.peer} if args.peer else set()))
    print(f"{'records':>8} {'seconds':>8} {'import s':>8} {'cpu s':>8} {'peak MB':>8} {'precision':>9} {'recall':>7} {'false':>6} {'missed':>6} {'review':>6}")
    ours: dict[int, float] = {}
    for size in sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{size:>8} failed:\n{done.stderr}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        ours[size] = r["seconds"]
        print(f"{r['records']:>8} {r['seconds']:>8.1f} {r['import']:>8.1f} {r['cpu']:>8.1f} {r['peak_mb']:>8.0f} {r['precision']:>9.4f} "
              f"{r['recall']:>7.4f} {r['false_merges']:>6} {r['missed']:>6} {r['review']:>6}", flush=True)
    if args.peer:
        peer = run_peer(args.peer)
        print(f"\nbib-dedupe on {args.peer} records: {peer:.1f} s; reviewflow (import included) {ours[args.peer]:.1f} s: "
              f"{peer / ours[args.peer]:.1f} times faster (target: 15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
