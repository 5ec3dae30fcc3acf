"""Updating a published review runs green (issue 15): the demo review, then two updates.

The demo is the published version (its ``expected_counts`` are Cook 2015's
figures). The first update adds round 33 and marks the previous version with
``last_round``, then with a frozen ledger (``reviewflow freeze``); its new
works are screened and one is included. That update is then frozen and
published, and a second update adds round 34 on top of it. Each run goes
through the command line in process (as the Snakemake rules call it); verify
must reproduce the published counts of the right version every time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewflow.cli import main as reviewflow
from reviewflow.csvio import read_table
from reviewflow.paths import ReviewPaths

from .conftest import REPO, copy_review

pytestmark = pytest.mark.e2e

STEPS = ("import", "dedupe", "screen", "ledger", "changes")
PUBLISHED_2015 = {"search_rounds": 31, "title_screened": 5813, "title_included": 551, "abstract_included": 123,
                  "dbr_assessed": 123, "dbr_included": 60, "other_included": 11, "new_studies": 71}


def run(root: Path, steps: tuple[str, ...] = STEPS) -> None:
    for step in steps:
        assert reviewflow([step, "--root", str(root)]) == 0, step


def verify(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    status = reviewflow(["verify", "--root", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


def record(n: int) -> str:
    return (
        "TY  - JOUR\n"
        f"TI  - Joint working between health boards and councils, case {n}: a realist evaluation of shared budgets\n"
        f"AU  - Updater{n}, B.\nPY  - 2017\nT2  - Journal of Integrated Care Updates\nVL  - {n}\nSP  - {20 * n}\n"
        f"EP  - {20 * n + 9}\nDO  - 10.5555/version.{n}\nAB  - Shared budgets in partnership number {n}.\nER  - \n\n"
    )


def add_round(paths: ReviewPaths, number: int, records: range) -> None:
    (paths.searches / "eds" / f"round{number}.ris").write_text("".join(record(n) for n in records))
    with paths.search_log.open("a") as log:
        log.write(f'{number},2017-0{number - 30}-01,database,EBSCO Discovery Service,"update query",eds/round{number}.ris,{len(records)}\n')


def configure(paths: ReviewPaths, previous_version: dict[str, Any] | None, expected: dict[str, Any] | None = None) -> None:
    config = yaml.safe_load(paths.config.read_text())
    config["review"]["previous_version"] = previous_version
    if previous_version is None:
        del config["review"]["previous_version"]
    if expected is not None:
        config["expected_counts"] = expected
    paths.config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def decide_all(paths: ReviewPaths, ids: list[str], include: str) -> None:
    """Both reviewers decide the new works at every stage: ``include`` passes, the rest are excluded at titles."""
    for stage in ("title", "abstract", "fulltext"):
        for reviewer in ("tm", "ac"):
            target = paths.decision_file(stage, reviewer)
            rows = [f"{include},include,,"] if stage != "title" else [
                f"{r},{'include' if r == include else 'exclude'},," for r in ids]
            target.write_text(target.read_text().rstrip("\n") + "\n" + "\n".join(rows) + "\n")


def counts(paths: ReviewPaths, name: str = "counts.json") -> dict[str, Any]:
    return json.loads((paths.processed / name).read_text())


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("versions")
    # the published version: the demo as it is, frozen
    v1 = copy_review(REPO, base / "v1")
    run(v1, STEPS[:4])
    assert reviewflow(["freeze", "--root", str(v1), "--to", "data/raw/versions/2015/ledger.csv"]) == 0
    # first update, marked with last_round (the README's steps)
    last_round = base / "last_round"
    shutil.copytree(v1, last_round)
    paths = ReviewPaths(last_round)
    add_round(paths, 33, range(1, 6))
    configure(paths, {"last_round": 32})
    run(last_round)
    # the same update, marked with the frozen ledger; its new works screened, one included
    frozen = base / "frozen"
    shutil.copytree(last_round, frozen)
    paths = ReviewPaths(frozen)
    configure(paths, {"ledger": "data/raw/versions/2015/ledger.csv"})
    new = sorted(read_table(paths.worksheet("title", "tm"))["record_id"])
    decide_all(paths, new, include=new[0])
    run(frozen, ("screen", "ledger", "changes"))
    assert reviewflow(["freeze", "--root", str(frozen), "--to", "data/raw/versions/2017/ledger.csv"]) == 0
    # the second update on top of the first, which was published with its own counts
    second = base / "second"
    shutil.copytree(frozen, second)
    paths = ReviewPaths(second)
    published_2017 = {k: v for k, v in counts(paths).items() if isinstance(v, int)}
    add_round(paths, 34, range(6, 9))
    configure(paths, {"ledger": "data/raw/versions/2017/ledger.csv"}, {"previous": published_2017})
    run(second)
    return {"v1": v1, "last_round": last_round, "frozen": frozen, "second": second}


def test_an_update_marked_with_last_round_reproduces_the_published_version(versions: dict[str, Path],
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = verify(versions["last_round"], capsys)
    assert status == 0, err
    assert "the previous version (rounds up to 32): its 8 published counts are reproduced" in out
    paths = ReviewPaths(versions["last_round"])
    previous, update = counts(paths, "counts_previous.json"), counts(paths)
    assert {k: previous[k] for k in PUBLISHED_2015} == PUBLISHED_2015
    # search rounds: the previous version's 31, the update's own, and all of them
    assert update["search_rounds"] == 1 and update["total_search_rounds"] == 32
    assert update["other_search_rounds"] == 0 and update["total_other_search_rounds"] == 1
    # PRISMA 2020 update variant: the new records only, and the studies of the previous version
    assert update["database_results"] == 5 and update["records_screened"] == 5 and update["duplicates"] == 0
    assert update["previous_studies"] == 71 and update["new_studies"] == 0 and update["total_studies"] == 71
    changes = (paths.report / "changes.md").read_text()
    assert "8 of 8 published counts reproduced" in changes
    assert "| Search rounds (databases and registers) | 31 | 1 |" in changes


def test_changing_an_earlier_decision_fails_naming_the_count(versions: dict[str, Path], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "changed"
    shutil.copytree(versions["last_round"], root)
    paths = ReviewPaths(root)
    ledger = read_table(paths.ledger)
    study = ledger[(ledger["fate"] == "included") & (ledger["lane"] == "databases")].iloc[0]["cluster_id"]
    adjudication = paths.adjudication_file("fulltext")
    adjudication.write_text(adjudication.read_text().rstrip("\n") + f"\n{study},exclude,GEO,changed on reflection\n")
    run(root, ("screen", "ledger"))
    status, _, err = verify(root, capsys)
    assert status == 1
    assert "new_studies: the previous version (rounds up to 32) published 71, but its records give 70" in err
    assert "dbr_included: the previous version (rounds up to 32) published 60, but its records give 59" in err


def test_the_same_update_marked_with_a_frozen_ledger(versions: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = verify(versions["frozen"], capsys)
    assert status == 0, err
    assert "its 8 published counts are reproduced from its records" in out
    assert "the frozen ledger data/raw/versions/2015/ledger.csv gives the same 8 published counts" in out
    update = counts(ReviewPaths(versions["frozen"]))
    assert update["title_screened"] == 5 and update["title_included"] == 1 and update["title_excluded"] == 4
    assert update["new_studies"] == 1 and update["previous_studies"] == 71 and update["total_studies"] == 72
    assert update["search_rounds"] == 1


def test_a_second_update_reproduces_the_first_updates_published_counts(versions: dict[str, Path],
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    paths = ReviewPaths(versions["second"])
    status, out, err = verify(versions["second"], capsys)
    assert status == 0, err
    published = yaml.safe_load(paths.config.read_text())["expected_counts"]["previous"]
    assert f"its {len(published)} published counts are reproduced" in out
    previous, update = counts(paths, "counts_previous.json"), counts(paths)
    # the first update as it was published: its own round, one new study on top of the 71
    assert previous["search_rounds"] == 1 and previous["new_studies"] == 1 and previous["previous_studies"] == 71
    assert update["search_rounds"] == 1 and update["total_search_rounds"] == 33
    assert update["database_results"] == 3 and update["new_studies"] == 0
    assert update["previous_studies"] == 72 and update["total_studies"] == 72
    # the same versions marked by rounds: the first update's own previous version nested in its marker
    configure(paths, {"last_round": 33, "previous_version": {"last_round": 32}})
    run(versions["second"], ("ledger",))
    status, out, err = verify(versions["second"], capsys)
    assert status == 0, err
    assert "the previous version (rounds up to 33)" in out and counts(paths, "counts_previous.json") == previous
    # the update's own published counts, keyed by version
    configure(paths, {"last_round": 33, "previous_version": {"last_round": 32}},
              {"previous": published, "current": {"search_rounds": 1, "database_results": 4}})
    status, out, err = verify(versions["second"], capsys)
    assert status == 1 and "database_results: the review reports 4, but the ledger gives 3" in err
