"""Robustness of de-duplication: the labelled sets, changed the way databases change records.

    python benchmarks/bench_dedupe_robustness.py              # every class on every labelled set
    python benchmarks/bench_dedupe_robustness.py --classes no_year wrong_doi
    python benchmarks/bench_dedupe_robustness.py --errors 5   # also show missed pairs and false merges

The sets are those of bench_dedupe_accuracy.py (../shared/fixtures/dedupe/ and
tests/fixtures/dedupe_hard_cases.csv), imported the ordinary way. Each failure
class of issue 10 becomes a variant of every set: the records are changed
(seeded, so every run is the same) and de-duplicated again; the true groups
stay as labelled. Some variants change every other record (a field one
export lacks), others one copy of each true duplicate group (a wrong DOI on
one copy). Printed per class, pooled over the sets: pairwise recall and
precision, false-merge pairs, missed pairs, and the records changed.

Target (issue 10): every class recall >= 0.95, and no false merges on the
unmodified sets. A class under 0.95 is a bug to fix, not a figure to report.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "workflow"))

from bench_dedupe_accuracy import FIXTURES, HARD_CASES, LabelledSet, import_set, labelled_sets  # noqa: E402
from reviewflow.dedupe import find_duplicates  # noqa: E402
from reviewflow.dedupe.evaluate import Scores, pooled, score_clusters  # noqa: E402

SEED = 10


def alternate(records: pd.DataFrame) -> pd.Series:
    """Every other record (as if one of two exports lacked the field)."""
    return pd.Series([k % 2 == 1 for k in range(len(records))], index=records.index)


def one_copy(records: pd.DataFrame, groups: list[list[str]], labels: list[str]) -> pd.Series:
    """The second member of each true duplicate group (one copy changed, its twin not)."""
    row_of = {label: k for k, label in enumerate(labels)}
    chosen = {row_of[g[1]] for g in groups if len(g) > 1 and g[1] in row_of}
    return pd.Series([k in chosen for k in range(len(records))], index=records.index)


def _map(records: pd.DataFrame, rows: pd.Series, column: str, change: Callable[[str, random.Random], str]) -> None:
    rng = random.Random(SEED)
    records.loc[rows, column] = [change(str(v), rng) for v in records.loc[rows, column]]


def _dashes_and_dots(text: str, rng: random.Random) -> str:
    text = re.sub(r"(?<=\w)-(?=\w)", "\u2013", text)  # en dash
    return re.sub(r"(?<=\d)\.(?=\d)", "\u00b7", text)  # middle dot


def _mojibake(text: str, rng: random.Random) -> str:
    text = _dashes_and_dots(text, rng).replace(" ", " \u201c", 1) + "\u201d" if text else text
    return text.encode("utf-8").decode("cp1252", errors="replace")


def _markup(text: str, rng: random.Random) -> str:
    text = re.sub(r"(?<=[A-Za-z])(\d+)\b", r"<sub>\1</sub>", text)
    words = text.split(" ")
    if len(words) > 3:
        k = rng.randrange(len(words))
        words[k] = f"<i>{words[k]}</i>"
    return " ".join(words)


FURNITURE = (" [Review] [45 refs]", " [Article in German]", " [see comments]")


def _furniture(text: str, rng: random.Random) -> str:
    if not text:
        return text
    choice = rng.randrange(4)
    # a book's chapter number: the same for every copy of one chapter
    return f"{zlib.crc32(text.lower().encode()) % 40 + 1} {text}" if choice == 3 else text + FURNITURE[choice]


def _garble_pages(text: str, rng: random.Random) -> str:
    if not text:
        return text
    return rng.choice((f"e{rng.randint(10000, 99999)}", f"Suppl-{rng.randint(1, 40)}", f"S{rng.randint(1, 300)}-S{rng.randint(301, 400)}"))


def _epub_year(text: str, rng: random.Random) -> str:
    return str(int(text) + 1) if text.isdigit() else text


def _wrong_doi(text: str, rng: random.Random) -> str:
    return f"10.{rng.randint(1000, 9999)}/wrong.{rng.randint(10**6, 10**7)}" if text else text


def _doi_form(text: str, rng: random.Random) -> str:
    return f"https://doi.org/{text.upper()}" if text else text


def _pseudo_doi(text: str, rng: random.Random) -> str:
    return text or f"10.1002/central/CN-{rng.randint(10**7, 10**8 - 1):08d}"


def _title_typo(text: str, rng: random.Random) -> str:
    """One long word of the title spelt differently: a letter swapped, "double-blind" written "double-blinded"."""
    words = text.split(" ")
    long = [k for k, word in enumerate(words) if len(word) >= 7 and word.isalpha()]
    if not long:
        return text
    k = rng.choice(long)
    word = words[k]
    if rng.random() < 0.5:
        p = rng.randrange(1, len(word) - 2)
        words[k] = word[:p] + word[p + 1] + word[p] + word[p + 2 :]
    else:
        words[k] = word + ("ed" if not word.endswith("e") else "d")
    return " ".join(words)


def _us(text: str, rng: random.Random) -> str:
    return re.sub(r"\bUS\b", "U.S.", re.sub(r"\bUK\b", "U.K.", text))


#: Classes that change one or more fields of some records: (which records, fields, how).
CHANGES: dict[str, tuple[str, tuple[str, ...], Callable[[str, random.Random], str]]] = {
    "dashes_dots": ("every other", ("title",), _dashes_and_dots),
    "mojibake": ("every other", ("title", "authors", "abstract"), _mojibake),
    "markup": ("every other", ("title",), _markup),
    "us_abbreviations": ("every other", ("title",), _us),
    "furniture": ("every other", ("title",), _furniture),
    "garbled_pages": ("one copy", ("pages",), _garble_pages),
    "epub_year": ("one copy", ("year",), _epub_year),
    "wrong_doi": ("one copy with a DOI", ("doi",), _wrong_doi),
    "doi_forms": ("every other", ("doi",), _doi_form),
    "pseudo_doi": ("every other", ("doi",), _pseudo_doi),
    "same_doi_title_variant": ("one copy with a DOI", ("title",), _title_typo),
}


def variant(name: str, records: pd.DataFrame, labelled: LabelledSet) -> tuple[pd.DataFrame, int]:
    """The set's records changed as class ``name`` says, and how many records were changed."""
    out = records.copy()
    before = out.copy()
    every_other = alternate(out)
    copy = one_copy(out, labelled.groups, labelled.ids)
    with_doi = copy & (out["doi"] != "")
    if name == "unmodified":
        pass
    elif name in ("no_year", "no_authors", "no_journal", "no_pages"):
        column = name.removeprefix("no_")
        out.loc[every_other, column] = ""
        if column == "pages":
            out.loc[every_other, "volume"] = ""
    elif name == "no_year_no_authors":
        out.loc[every_other, ["year", "authors"]] = ""
    elif name == "title_abstract_only":
        keep = {"record_id", "round", "source_type", "database", "source_file", "source_index", "title", "abstract"}
        for column in out.columns:
            if column not in keep:
                out[column] = ""
    elif name in CHANGES:
        which, columns, change = CHANGES[name]
        rows = {"every other": every_other, "one copy": copy, "one copy with a DOI": with_doi}[which]
        for column in columns:
            _map(out, rows, column, change)
    else:
        raise SystemExit(f"unknown class {name!r}")
    changed = int((out != before).any(axis=1).sum())
    return out, changed


CLASSES = (
    "unmodified",
    "no_year",
    "no_authors",
    "no_journal",
    "no_pages",
    "no_year_no_authors",
    "title_abstract_only",
    "dashes_dots",
    "mojibake",
    "markup",
    "us_abbreviations",
    "furniture",
    "garbled_pages",
    "epub_year",
    "wrong_doi",
    "doi_forms",
    "pseudo_doi",
    "same_doi_title_variant",
)
#: Sets a class is measured on: title_abstract_only needs abstracts (the SRA set has none).
NEEDS_ABSTRACTS = frozenset({"title_abstract_only"})


def score(labelled: LabelledSet, records: pd.DataFrame) -> tuple[Scores, list[tuple[str, str]], list[tuple[str, str]]]:
    clusters = find_duplicates(records).clusters
    label_of = {rid: labelled.ids[int(i) - 1] for rid, i in zip(clusters["record_id"], clusters["source_index"], strict=True)}
    ids = [label_of[r] for r in clusters["record_id"]]
    predicted = [label_of[c] for c in clusters["cluster_id"]]
    truth = {i: i for i in ids}
    for group in labelled.groups:
        for member in group:
            truth[member] = sorted(group)[0]
    cluster = dict(zip(ids, predicted, strict=True))
    by_cluster: dict[str, list[str]] = {}
    by_truth: dict[str, list[str]] = {}
    for i in ids:
        by_cluster.setdefault(cluster[i], []).append(i)
        by_truth.setdefault(truth[i], []).append(i)
    false = [(a, b) for m in by_cluster.values() for a in m for b in m if a < b and truth[a] != truth[b]]
    missed = [(a, b) for m in by_truth.values() for a in m for b in m if a < b and cluster[a] != cluster[b]]
    return score_clusters(ids, predicted, labelled.groups), false, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--hard-cases", type=Path, default=HARD_CASES)
    parser.add_argument("--classes", nargs="*", default=list(CLASSES))
    parser.add_argument("--errors", type=int, default=0, help="show up to N missed and falsely merged pairs per class")
    args = parser.parse_args(argv)
    sets = labelled_sets(args.fixtures, args.hard_cases)
    if not sets:
        print(f"no labelled sets found in {args.fixtures}")
        return 1
    imported: list[tuple[LabelledSet, pd.DataFrame]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for labelled in sets:
            imported.append((labelled, import_set(labelled, Path(tmp) / labelled.name)))
    header = f"{'class':<24} {'sets':>4} {'changed':>7} {'pairs':>6} {'recall':>7} {'precision':>9} {'false':>6} {'missed':>6} {'seconds':>7}"
    print(header)
    print("-" * len(header))
    failing: list[str] = []
    for name in args.classes:
        results: list[Scores] = []
        changed_total = 0
        started = time.perf_counter()
        shown: list[str] = []
        for labelled, records in imported:
            if name in NEEDS_ABSTRACTS and (records["abstract"] != "").mean() < 0.5:
                continue
            changed, count = variant(name, records, labelled)
            changed_total += count
            scores, false, missed = score(labelled, changed)
            results.append(scores)
            if args.errors:
                rows = {label: k for k, label in enumerate(labelled.ids)}
                for kind, pairs in (("missed", missed), ("false merge", false)):
                    for a, b in pairs[: args.errors]:
                        shown.append(f"  {labelled.name} {kind}:")
                        for label in (a, b):
                            r = changed.iloc[rows[label]]
                            shown.append(f"    {label} | {r['title'][:90]} | {r['authors'][:30]} | {r['year']} | "
                                         f"{r['journal'][:30]} | v{r['volume']} p{r['pages']} | {r['doi']}")
        total = pooled(results)
        seconds = time.perf_counter() - started
        print(f"{name:<24} {len(results):>4} {changed_total:>7} {total.true_pairs:>6} {total.recall:>7.4f} "
              f"{total.precision:>9.4f} {total.false_merges:>6} {total.missed:>6} {seconds:>7.2f}", flush=True)
        for text in shown:
            print(text)
        if total.recall < 0.95 or (name == "unmodified" and total.false_merges):
            failing.append(name)
    print("-" * len(header))
    print("target: every class recall >= 0.95, no false merges unmodified: "
          + ("met" if not failing else f"NOT MET ({', '.join(failing)})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
