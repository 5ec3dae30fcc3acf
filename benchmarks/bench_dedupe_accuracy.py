"""Accuracy of de-duplication on labelled sets, side by side with bib-dedupe.

    python benchmarks/bench_dedupe_accuracy.py                # every set, with bib-dedupe
    python benchmarks/bench_dedupe_accuracy.py --no-peer      # reviewflow only
    python benchmarks/bench_dedupe_accuracy.py --errors 20    # also list false merges and missed pairs

Sets: the labelled sets in ../shared/fixtures/dedupe/ (see its README for the
label formats) and reviewflow's own hard cases (tests/fixtures/dedupe_hard_cases.csv,
ground truth in its ``work`` column). Each set goes through the ordinary
import (a search log listing the set's file), so the figures include what the
import makes of the records.

Printed per set and pooled: pairwise precision and recall, false-merge pairs,
missed pairs, removable-duplicate sensitivity, lost works, seconds; for
reviewflow also the size of the review list and the recall once a person has
decided its pairs (each correctly). The peer,
bib-dedupe (PyPI ``bib-dedupe``), is installed on first use into its own
virtual environment (``--peer-venv``, by default ~/.cache/reviewflow-bench/bib-dedupe);
it is not a dependency of reviewflow.

The flag-format libraries (iebh_copper, iebh_tafenoquine: every member of a
duplicate set flagged, no group ids) are scored apart: flagged records that
share a cluster with another flagged record, and unflagged records merged.

Targets (issue 10): pooled precision >= 0.999, pooled recall >= 0.99, recall at
least bib-dedupe's on every set; on the flag-format libraries every flagged
record found and no unflagged record merged.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))

from reviewflow.dedupe import find_duplicates  # noqa: E402
from reviewflow.dedupe.evaluate import FlagScores, Scores, after_review, pooled, score_clusters, score_flags  # noqa: E402
from reviewflow.importers.collect import import_searches  # noqa: E402
from reviewflow.searchlog import read_search_log  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "dedupe"
HARD_CASES = REPO / "tests" / "fixtures" / "dedupe_hard_cases.csv"
PEER_VENV = Path.home() / ".cache" / "reviewflow-bench" / "bib-dedupe"
PEER_REQUIREMENT = "bib-dedupe==0.11.*"
PEER_COLUMNS = ("ID", "ENTRYTYPE", "title", "author", "year", "journal", "booktitle", "volume", "number", "pages", "doi", "abstract", "url")


@dataclass
class LabelledSet:
    name: str
    file: Path
    ids: list[str]  # the label id of each row of the file, in order
    groups: list[list[str]]  # true duplicate groups (ids); an id in no group is unique
    peer_records: pd.DataFrame  # the same rows in bib-dedupe's columns


def _groups_file(path: Path) -> list[list[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [[i.strip() for i in row.split(";") if i.strip()] for row in frame["merged_ids"]]


def _peer_frame(frame: pd.DataFrame, ids: list[str], mapping: dict[str, str], entrytype: pd.Series | str) -> pd.DataFrame:
    out = pd.DataFrame({"ID": ids})
    out["ENTRYTYPE"] = entrytype if isinstance(entrytype, str) else entrytype.to_numpy()
    for target, source in mapping.items():
        out[target] = frame[source].to_numpy() if source in frame else ""
    return out


def labelled_sets(fixtures: Path, hard_cases: Path) -> list[LabelledSet]:
    sets: list[LabelledSet] = []
    sra = fixtures / "sra_respiratory"
    if sra.is_dir():
        frame = pd.read_csv(sra / "records_pre_merged.csv", dtype=str, keep_default_na=False)
        sets.append(LabelledSet("sra_respiratory", sra / "records_pre_merged.csv", frame["ID"].tolist(),
                                _groups_file(sra / "merged_record_ids.csv"), frame))
    asysd = fixtures / "asysd_diabetes"
    if asysd.is_dir():
        frame = pd.read_csv(asysd / "labelled_test_set.csv", dtype=str, keep_default_na=False, encoding="latin-1")
        ids = ["id_%07d" % int(r) for r in frame["record_id"]]
        mapping = {c: c for c in ("title", "year", "journal", "volume", "number", "pages", "doi", "abstract")}
        mapping["author"] = "author"
        sets.append(LabelledSet("asysd_diabetes", asysd / "labelled_test_set.csv", ids,
                                _groups_file(asysd / "merged_record_ids.csv"), _peer_frame(frame, ids, mapping, "article")))
    special = fixtures / "bibdedupe_special_cases"
    if special.is_dir():
        frame = pd.read_csv(special / "records_pre_merged.csv", dtype=str, keep_default_na=False)
        sets.append(LabelledSet("bibdedupe_special_cases", special / "records_pre_merged.csv", frame["ID"].tolist(),
                                _groups_file(special / "merged_record_ids.csv"), frame))
    if hard_cases.is_file():
        frame = pd.read_csv(hard_cases, dtype=str, keep_default_na=False)
        groups = [g["ID"].tolist() for _, g in frame.groupby("work", sort=False) if len(g) > 1]
        mapping = {c: c for c in ("title", "year", "journal", "volume", "number", "pages", "doi", "abstract", "url")}
        frame["author_bibtex"] = frame["author"].str.replace("; ", " and ")
        mapping["author"] = "author_bibtex"
        kinds = frame["type"].map({"conference": "inproceedings", "report": "techreport", "preprint": "misc"}).fillna("article")
        kinds[frame["type"] == ""] = "article"
        sets.append(LabelledSet("reviewflow_hard_cases", hard_cases, frame["ID"].tolist(), groups,
                                _peer_frame(frame, frame["ID"].tolist(), mapping, kinds)))
    return sets


#: Libraries labelled in flag format (see ../shared/fixtures/README.md): folder -> file.
FLAG_SETS = {"iebh_copper": "copper.xml", "iebh_tafenoquine": "tafenoquine.xml"}


def flagged_records(path: Path) -> list[bool]:
    """For each record of an EndNote XML library, in order: whether its caption says "Duplicate"."""
    import xml.etree.ElementTree as ET

    flags = []
    for record in ET.parse(path).getroot().iter("record"):
        caption = record.find("caption")
        text = "".join(caption.itertext()).strip().lower() if caption is not None else ""
        flags.append(text == "duplicate")
    return flags


def flag_sets(fixtures: Path) -> list[tuple[LabelledSet, list[bool]]]:
    """The flag-format libraries as LabelledSets (no groups) beside their flags."""
    found = []
    for folder, name in FLAG_SETS.items():
        path = fixtures / folder / name
        if path.is_file():
            flags = flagged_records(path)
            ids = [f"{folder}_{k + 1}" for k in range(len(flags))]
            found.append((LabelledSet(folder, path, ids, [], pd.DataFrame()), flags))
    return found


def run_flags(labelled: LabelledSet, flags: list[bool], records: pd.DataFrame) -> tuple[FlagScores, float]:
    started = time.perf_counter()
    clusters = find_duplicates(records).clusters
    seconds = time.perf_counter() - started
    label_of = {rid: labelled.ids[int(i) - 1] for rid, i in zip(clusters["record_id"], clusters["source_index"], strict=True)}
    ids = [label_of[r] for r in clusters["record_id"]]
    flagged = [i for i, f in zip(labelled.ids, flags, strict=True) if f]
    return score_flags(ids, [label_of[c] for c in clusters["cluster_id"]], flagged), seconds


def import_set(labelled: LabelledSet, folder: Path) -> pd.DataFrame:
    """The set's records as the pipeline imports them (a search log listing the file)."""
    searches = folder / "data" / "raw" / "searches"
    searches.mkdir(parents=True, exist_ok=True)
    target = searches / labelled.file.name
    if not target.exists():  # a copy: the search log refuses a link to a file outside the searches folder
        shutil.copyfile(labelled.file, target)
    log = folder / "data" / "raw" / "searches.csv"
    with log.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["round", "date", "source_type", "database", "query", "file"])
        writer.writerow(["1", "2024-01-01", "database", labelled.name, "labelled set", labelled.file.name])
    records, _ = import_searches(read_search_log(log, searches), searches)
    records["round"] = records["round"].astype(int)
    if len(records) != len(labelled.ids):
        raise SystemExit(f"{labelled.name}: the import read {len(records)} records, the labels name {len(labelled.ids)}")
    return records


def run_reviewflow(labelled: LabelledSet, records: pd.DataFrame) -> tuple[Scores, float, pd.DataFrame, Scores]:
    """Scores of the automatic result, seconds, the review list, and scores once the review list is decided."""
    started = time.perf_counter()
    result = find_duplicates(records)
    seconds = time.perf_counter() - started
    clusters = result.clusters
    label_of = {rid: labelled.ids[int(i) - 1] for rid, i in zip(clusters["record_id"], clusters["source_index"], strict=True)}
    ids = [label_of[r] for r in clusters["record_id"]]
    predicted = [label_of[c] for c in clusters["cluster_id"]]
    pairs = [(label_of[a], label_of[b]) for a, b in zip(result.review["record_id_a"], result.review["record_id_b"], strict=True)]
    reviewed = after_review(ids, predicted, pairs, labelled.groups)
    return (score_clusters(ids, predicted, labelled.groups), seconds, result.review,
            score_clusters(ids, reviewed, labelled.groups))


def ensure_peer(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing {PEER_REQUIREMENT} into {venv} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_REQUIREMENT], check=True)
    return python


def run_peer(python: Path, labelled: LabelledSet, folder: Path) -> tuple[Scores, float]:
    source = folder / f"{labelled.name}_peer.csv"
    target = folder / f"{labelled.name}_peer.json"
    frame = labelled.peer_records.copy()
    for column in PEER_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame.to_csv(source, index=False)
    runner = Path(__file__).with_name("bench_dedupe_peer.py")
    subprocess.run([str(python), str(runner), str(source), str(target)], check=True, capture_output=True, text=True)
    found = json.loads(target.read_text(encoding="utf-8"))
    cluster_of = {i: i for i in labelled.ids}
    order = {i: n for n, i in enumerate(labelled.ids)}
    for group in found["groups"]:
        keep = min(group, key=lambda i: order[i])
        for member in group:
            cluster_of[member] = keep
    return score_clusters(labelled.ids, [cluster_of[i] for i in labelled.ids], labelled.groups), float(found["seconds"])


def line(name: str, tool: str, s: Scores, seconds: float | None) -> str:
    time_text = f"{seconds:7.2f}" if seconds is not None else "      -"
    return (
        f"{name:<24} {tool:<11} {s.records:>6} {s.true_pairs:>6} {s.precision:>9.4f} {s.recall:>7.4f} "
        f"{s.false_merges:>7} {s.missed:>6} {s.sensitivity:>11.4f} {s.lost_works:>5} {time_text}"
    )


def show_errors(labelled: LabelledSet, records: pd.DataFrame, limit: int) -> None:
    result = find_duplicates(records)
    clusters = result.clusters
    label_of = {rid: labelled.ids[int(i) - 1] for rid, i in zip(clusters["record_id"], clusters["source_index"], strict=True)}
    row_of = {labelled.ids[int(i) - 1]: int(i) - 1 for i in clusters["source_index"]}
    truth: dict[str, str] = {i: i for i in labelled.ids}
    for group in labelled.groups:
        for member in group:
            truth[member] = sorted(group)[0]
    cluster = {label_of[r]: c for r, c in zip(clusters["record_id"], clusters["cluster_id"], strict=True)}
    by_cluster: dict[str, list[str]] = {}
    for label, c in cluster.items():
        by_cluster.setdefault(c, []).append(label)
    by_truth: dict[str, list[str]] = {}
    for label, t in truth.items():
        by_truth.setdefault(t, []).append(label)

    def show(label: str) -> str:
        r = records.iloc[row_of[label]]
        return f"    {label} | {r['title'][:110]} | {r['authors'][:50]} | {r['year']} | {r['journal'][:40]} | v{r['volume']} p{r['pages']} | {r['doi']}"

    false = [(a, b) for members in by_cluster.values() for a in members for b in members if a < b and truth[a] != truth[b]]
    missed = [(a, b) for members in by_truth.values() for a in members for b in members if a < b and cluster[a] != cluster[b]]
    print(f"\n{labelled.name}: {len(false)} false-merge pairs, {len(missed)} missed pairs")
    for kind, pairs in (("FALSE MERGE", false), ("MISSED", missed)):
        for a, b in pairs[:limit]:
            print(f"  {kind}")
            print(show(a))
            print(show(b))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--hard-cases", type=Path, default=HARD_CASES)
    parser.add_argument("--no-peer", action="store_true", help="skip bib-dedupe")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV)
    parser.add_argument("--errors", type=int, default=0, help="list up to N false merges and missed pairs per set")
    parser.add_argument("--sets", nargs="*", help="only these sets (by name)")
    args = parser.parse_args(argv)

    sets = [s for s in labelled_sets(args.fixtures, args.hard_cases) if not args.sets or s.name in args.sets]
    if not sets:
        print(f"no labelled sets found in {args.fixtures}")
        return 1
    peer_python = None if args.no_peer else ensure_peer(args.peer_venv)
    header = f"{'set':<24} {'tool':<11} {'records':>6} {'pairs':>6} {'precision':>9} {'recall':>7} {'false':>7} {'missed':>6} {'sensitivity':>11} {'lost':>5} {'seconds':>7}"
    print(header)
    print("-" * len(header))
    ours: list[Scores] = []
    theirs: list[Scores] = []
    comparison: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for labelled in sets:
            folder = Path(tmp) / labelled.name
            records = import_set(labelled, folder)
            scores, seconds, review, reviewed = run_reviewflow(labelled, records)
            ours.append(scores)
            print(line(labelled.name, "reviewflow", scores, seconds)
                  + f"   {len(review)} pairs to review; recall once reviewed {reviewed.recall:.4f}", flush=True)
            if peer_python is not None:
                peer_scores, peer_seconds = run_peer(peer_python, labelled, folder)
                theirs.append(peer_scores)
                comparison.append((labelled.name, scores.recall, reviewed.recall, peer_scores.recall))
                print(line(labelled.name, "bib-dedupe", peer_scores, peer_seconds), flush=True)
            if args.errors:
                show_errors(labelled, records, args.errors)
        flag_results = []
        for labelled, flags in flag_sets(args.fixtures):
            if args.sets and labelled.name not in args.sets:
                continue
            records = import_set(labelled, Path(tmp) / labelled.name)
            flag_results.append((labelled.name, *run_flags(labelled, flags, records)))
    print("-" * len(header))
    print(line("pooled", "reviewflow", pooled(ours), None))
    if theirs:
        print(line("pooled", "bib-dedupe", pooled(theirs), None))
    if flag_results:
        print("\nflag-format libraries (each flagged record with another flagged one; no unflagged record merged):")
        print(f"{'set':<24} {'records':>7} {'flagged':>7} {'found':>6} {'recall':>7} {'unflagged merged':>16} {'seconds':>7}")
        for name, f, seconds in flag_results:
            print(f"{name:<24} {f.records:>7} {f.flagged:>7} {f.flagged_found:>6} {f.recall:>7.4f} {f.unflagged_merged:>16} {seconds:>7.2f}")
    total = pooled(ours)
    print(f"\ntargets: pooled precision >= 0.999: {'met' if total.precision >= 0.999 else 'NOT MET'}; "
          f"pooled recall >= 0.99: {'met' if total.recall >= 0.99 else 'NOT MET'}")
    for name, our_recall, reviewed_recall, their_recall in comparison:
        status = "met" if our_recall >= their_recall else "NOT MET"
        print(f"  {name}: recall {our_recall:.4f} (once reviewed {reviewed_recall:.4f}) vs bib-dedupe {their_recall:.4f}: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
