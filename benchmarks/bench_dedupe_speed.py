"""Speed and memory of de-duplication on generated records with known duplicates.

    python benchmarks/bench_dedupe_speed.py                      # 10k, 30k, 100k, 300k records
    python benchmarks/bench_dedupe_speed.py --sizes 10000 30000  # chosen sizes
    python benchmarks/bench_dedupe_speed.py --profile 30000      # where the time goes

Each size runs in a fresh process: generate the records (not timed), then
time ``find_duplicates`` (wall clock, and CPU time, which other work on a
shared machine disturbs less) and read the process's peak memory (resident
set, including the records themselves). Precision and recall against the
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

Target (issue 4): 100,000 records in at most 30 s and 2 GB on 2 cores.
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


def run_one(size: int) -> dict[str, float]:
    from reviewflow.dedupe import find_duplicates
    from reviewflow.dedupe.evaluate import score_clusters

    records = generate(size)
    truth = records.pop("work")
    started, cpu_started = time.perf_counter(), time.process_time()
    result = find_duplicates(records)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    groups: dict[str, list[str]] = {}
    for record_id, work in zip(records["record_id"], truth, strict=True):
        groups.setdefault(work, []).append(record_id)
    scores = score_clusters(records["record_id"].tolist(), result.clusters["cluster_id"].tolist(), groups.values())
    return {"records": len(records), "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "precision": scores.precision,
            "recall": scores.recall, "false_merges": scores.false_merges, "missed": scores.missed, "review": len(result.review)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
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
    print(f"{'records':>8} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'precision':>9} {'recall':>7} {'false':>6} {'missed':>6} {'review':>6}")
    for size in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{size:>8} failed:\n{done.stderr}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['records']:>8} {r['seconds']:>8.1f} {r['cpu']:>8.1f} {r['peak_mb']:>8.0f} {r['precision']:>9.4f} {r['recall']:>7.4f} "
              f"{r['false_merges']:>6} {r['missed']:>6} {r['review']:>6}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
