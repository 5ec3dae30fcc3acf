"""Updating a review with new searches (issue 7): the demo review plus two new rounds.

Round 33 re-runs the query of round 1 (its export is a superset: every record
of round 1 in another order, plus three new ones); round 34 is mostly new
(twelve new records and a copy of an included study). The previous version is
the demo as published, kept as a frozen ledger.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from reviewflow.cli import main as reviewflow
from reviewflow.csvio import read_table
from reviewflow.paths import ReviewPaths

from .conftest import REPO, copy_review

pytestmark = pytest.mark.e2e

STEPS = ("import", "dedupe", "screen", "ledger", "changes", "verify")


def run(root: Path) -> None:
    for step in STEPS:
        assert reviewflow([step, "--root", str(root)]) == 0, step


def new_record(n: int) -> str:
    return (
        "TY  - JOUR\n"
        f"TI  - Partnership working in a new setting number {n}: an evaluation of local collaboration\n"
        f"AU  - Newauthor{n}, A.\nPY  - 2016\nT2  - Journal of Updates\nVL  - {n}\nSP  - {10 * n}\nEP  - {10 * n + 9}\n"
        f"DO  - 10.5555/update.{n}\nAB  - An abstract about partnership number {n}.\nER  - \n\n"
    )


@pytest.fixture(scope="module")
def update(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = copy_review(REPO, tmp_path_factory.mktemp("update") / "review")
    paths = ReviewPaths(root)
    run(root)
    baseline_outcomes = read_table(paths.screening / "outcomes.csv")
    baseline_worksheet_rows = sum(len(read_table(p)) for p in paths.screening.glob("*/*_todo.csv"))
    assert reviewflow(["freeze", "--root", str(root)]) == 0
    config = yaml.safe_load(paths.config.read_text())
    config["review"]["previous_version"] = {"ledger": "data/raw/previous/ledger.csv"}
    # expected_counts stay: they are the published counts of the previous version, which verify reproduces
    paths.config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))

    round1 = (paths.searches / "eds" / "round01.ris").read_text()
    blocks = [b + "\n\n" for b in round1.split("\n\n") if b.strip()]
    random.Random(33).shuffle(blocks)
    (paths.searches / "eds" / "round33.ris").write_text("".join(blocks) + "".join(new_record(n) for n in (1, 2, 3)))
    included = read_table(paths.ledger)
    study = included[(included["fate"] == "included") & (included["source_file"].str.endswith(".ris"))].iloc[0]
    study_block = next(b for b in (paths.searches / study["source_file"]).read_text().split("\n\n")
                       if f"TI  - {study['title']}" in b)
    (paths.searches / "eds" / "round34.ris").write_text(
        "".join(new_record(n) for n in range(4, 16)) + study_block + "\n\n"
    )
    with paths.search_log.open("a") as log:
        log.write(f'33,2016-03-01,database,EBSCO Discovery Service,"rerun of round 1",eds/round33.ris,{len(blocks) + 3}\n')
        log.write('34,2016-03-02,database,EBSCO Discovery Service,"new query",eds/round34.ris,13\n')
    run(root)
    return {
        "root": root,
        "paths": paths,
        "round1_records": len(blocks),
        "study": study["cluster_id"],
        "baseline_outcomes": baseline_outcomes,
        "baseline_worksheet_rows": baseline_worksheet_rows,
    }


def counts_of(paths: ReviewPaths) -> dict:
    return json.loads(paths.counts.read_text())


def test_no_earlier_decision_changes(update: dict) -> None:
    paths = update["paths"]
    before = update["baseline_outcomes"].set_index(["stage", "cluster_id"])
    after = read_table(paths.screening / "outcomes.csv").set_index(["stage", "cluster_id"])
    assert after.loc[before.index, ["outcome", "reason"]].equals(before[["outcome", "reason"]])
    assert len(read_table(paths.report / "changes_decisions.csv")) == 0
    assert len(read_table(paths.report / "changes_removed.csv")) == 0


def test_the_old_query_rerun_keeps_ids_and_joins_its_clusters(update: dict) -> None:
    ledger = read_table(update["paths"].ledger)
    rerun = ledger[ledger["round"] == "33"]
    assert len(rerun) == update["round1_records"] + 3
    joined = rerun[rerun["cluster_version"] == "previous"]
    assert len(joined) == update["round1_records"]
    assert (joined["fate"] == "duplicate").all()
    assert set(joined["duplicate_of"]) <= set(ledger.loc[ledger["round"] == "1", "record_id"])


def test_worksheets_hold_exactly_the_new_works(update: dict) -> None:
    paths = update["paths"]
    ledger = read_table(paths.ledger)
    new_works = set(ledger.loc[(ledger["cluster_version"] == "new"), "cluster_id"])
    assert len(new_works) == 15
    assert update["baseline_worksheet_rows"] == 0
    first_reviewer = read_table(paths.worksheet("title", "tm"))
    assert set(first_reviewer["record_id"]) == new_works
    sampled = read_table(paths.worksheet("title", "ac"))
    assert set(sampled["record_id"]) <= new_works
    for stage in ("abstract", "fulltext"):
        for reviewer in ("ac", "tm"):
            assert len(read_table(paths.worksheet(stage, reviewer))) == 0


def test_the_update_counts_follow_the_prisma_update_variant(update: dict) -> None:
    counts = counts_of(update["paths"])
    assert counts["database_results"] == update["round1_records"] + 3 + 13
    assert counts["duplicates"] == update["round1_records"] + 1
    assert counts["records_screened"] == 15
    assert counts["title_screened"] == 15 and counts["title_pending"] == 15
    assert counts["previous_studies"] == 71 and counts["previous_reports"] == 71
    assert counts["new_studies"] == 0 and counts["total_studies"] == 71
    changes = read_table(update["paths"].report / "changes.csv").set_index("round")
    assert changes.loc["33", "duplicates_of_earlier_records"] == str(update["round1_records"])
    assert changes.loc["33", "new_works"] == "3" and changes.loc["34", "new_works"] == "12"
    assert changes.loc["34", "duplicates_of_earlier_records"] == "1"


def decide(paths: ReviewPaths, stage: str, verdicts: dict[str, str]) -> None:
    """Every reviewer fills their worksheet: include the works named, exclude the rest."""
    for sheet in sorted((paths.screening / stage).glob("*_todo.csv")):
        reviewer = sheet.name.removesuffix("_todo.csv")
        rows = read_table(sheet)
        if rows.empty:
            continue
        rows["decision"] = [verdicts.get(r, "exclude") for r in rows["record_id"]]
        rows["reason"] = ["" if d == "include" else "TOPIC" for d in rows["decision"]]
        target = paths.decision_file(stage, reviewer)
        earlier = read_table(target)
        pd.concat([earlier, rows[list(earlier.columns)]]).to_csv(target, index=False)


def test_after_decisions_on_the_new_works_the_totals_are_right(update: dict, tmp_path: Path) -> None:
    root = tmp_path / "decided"
    shutil.copytree(update["root"], root)
    paths = ReviewPaths(root)
    new_titles = read_table(paths.worksheet("title", "tm"))["record_id"].tolist()
    keep, drop = new_titles[0], new_titles[1]
    decide(paths, "title", {keep: "include", drop: "include"})
    run(root)
    decide(paths, "abstract", {keep: "include", drop: "include"})
    run(root)
    decide(paths, "fulltext", {keep: "include"})
    run(root)
    counts = counts_of(paths)
    assert counts["title_included"] == 2 and counts["title_excluded"] == 13
    assert counts["dbr_assessed"] == 2 and counts["dbr_excluded"] == 1
    assert counts["new_studies"] == 1 and counts["previous_studies"] == 71 and counts["total_studies"] == 72
    changes = read_table(paths.report / "changes.csv").set_index("round")
    assert int(changes.loc["33", "newly_included"]) + int(changes.loc["34", "newly_included"]) == 1
    assert int(changes.loc["33", "screened_so_far"]) + int(changes.loc["34", "screened_so_far"]) == 15


def test_removing_an_export_is_reported(update: dict, tmp_path: Path) -> None:
    root = tmp_path / "removed"
    shutil.copytree(update["root"], root)
    paths = ReviewPaths(root)
    log = paths.search_log.read_text().splitlines()
    gone = next(line for line in log if "grey/" in line and "organisation" in line)
    paths.search_log.write_text("\n".join(line for line in log if line != gone) + "\n")
    gone_file = gone.split(",")[5] if gone.count('"') == 0 else next(part for part in gone.split(",") if part.startswith("grey/"))
    (paths.searches / gone_file).unlink()  # an export no row names is an error: removing it means moving the file out too
    run(root)
    removed = read_table(paths.report / "changes_removed.csv")
    assert len(removed) > 0 and set(removed["source_file"]) == {gone_file}
    assert "no longer in the searches" in (paths.report / "changes.md").read_text()
    assert len(read_table(paths.orphans)) > 0
