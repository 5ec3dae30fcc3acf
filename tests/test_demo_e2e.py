"""End to end: the demo review through Snakemake reproduces the published numbers.

The expected values are the published ones (Cook 2015, appendix 7.2 and
section 5.3), typed here from the report, never used by the pipeline.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from .conftest import REPO, copy_review, run_snakemake

pytestmark = pytest.mark.e2e

PUBLISHED_COUNTS = {
    "search_rounds": 31,
    "title_screened": 5813,
    "title_included": 551,
    "abstract_included": 123,
    "dbr_assessed": 123,
    "dbr_included": 60,
    "other_included": 11,
    "new_studies": 71,
}

PUBLISHED_TABLES = {
    "nation": [
        ["Nation", "Peer reviewed", "Grey"],
        ["Cross national", "13", "7"],
        ["England", "31", "4"],
        ["Scotland", "6", ""],
        ["Wales", "1", ""],
        ["Northern Ireland", "2", ""],
        ["Not specified", "7", ""],
        ["Total", "60", "11"],
    ],
    "sector": [
        ["Sector", "Peer Reviewed", "Grey"],
        ["Children", "5", "1"],
        ["Community safety (includes domestic abuse, crime reduction and drug prevention)", "9", "0"],
        ["Local area, (includes community planning, regeneration, local government)", "10", "3"],
        ["Cross sector", "2", "5"],
        ["Employment", "2", "0"],
        ["Environment", "2", "0"],
        ["Health and social care", "17", "2"],
        ["Public health", "12", "0"],
        ["Tourism", "1", "0"],
        ["Total", "60", "11"],
    ],
    "evidence_type": [
        ["Type of Evidence", "Peer review", "Grey"],
        ["Qualitative", "41", "2"],
        ["Quantitative", "4", "0"],
        ["Mixed Method", "8", "5"],
        ["Review", "7", "4"],
        ["Total", "60", "11"],
    ],
}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    review = copy_review(REPO, tmp_path_factory.mktemp("e2e") / "demo")
    run_snakemake(review)
    return review


def read_rows(path: Path) -> list[list[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [list(frame.columns), *frame.values.tolist()]


def test_counts_are_the_published_ones(demo_run: Path) -> None:
    counts = json.loads((demo_run / "data/processed/counts.json").read_text())
    assert {k: counts[k] for k in PUBLISHED_COUNTS} == PUBLISHED_COUNTS


@pytest.mark.parametrize("name", sorted(PUBLISHED_TABLES))
def test_tables_equal_the_published_ones_cell_by_cell(demo_run: Path, name: str) -> None:
    assert read_rows(demo_run / f"data/processed/tables/{name}.csv") == PUBLISHED_TABLES[name]


def test_54_of_71_studies_address_question_3(demo_run: Path) -> None:
    rows = dict(read_rows(demo_run / "data/processed/tables/questions.csv")[1:])
    assert rows["3. What are the features of an effective partnership?"] == "54 of 71"
    assert rows["All studies reviewed"] == "71"


def test_prisma_csv_has_the_template_layout(demo_run: Path) -> None:
    table = pd.read_csv(demo_run / "data/processed/prisma/PRISMA.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    n = dict(zip(table["data"], table["n"], strict=False))
    assert n["records_screened"] == "5813"
    assert n["new_studies"] == "71"


def test_the_methods_section_shows_the_published_numbers(demo_run: Path) -> None:
    methods = (demo_run / "data/processed/report/methods.md").read_text()
    for sentence in (
        "31 rounds of searches",
        "5813 articles were screened in an initial scoping stage",
        "551 articles were selected as possibly relevant",
        "reduced the possibly relevant total to 123",
        "consists of 60 peer reviewed articles and 11 from grey literature",
    ):
        assert sentence in methods


def test_verify_passes_on_the_demo(demo_run: Path) -> None:
    assert "verify: every count is derived from the ledger and adds up" in (demo_run / "data/processed/verify.txt").read_text()
    assert run_snakemake(demo_run, "verify").returncode == 0


def test_a_second_run_gives_byte_identical_outputs(demo_run: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    shutil.copytree(demo_run / "data/processed", first)
    run_snakemake(demo_run, "--forceall")
    second = demo_run / "data/processed"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []


def test_verify_fails_naming_the_count_when_a_decision_is_edited(demo_run: Path, tmp_path: Path) -> None:
    review = tmp_path / "edited"
    shutil.copytree(demo_run, review, ignore=shutil.ignore_patterns(".snakemake"))
    decisions = review / "data/raw/decisions/fulltext/ac.csv"
    lines = decisions.read_text().splitlines()
    first_include = next(i for i, line in enumerate(lines) if ",include," in line.lower())
    record_id = lines[first_include].split(",")[0]
    lines[first_include] = f"{record_id},exclude,NOTEMP,changed my mind"
    decisions.write_text("\n".join(lines) + "\n")
    result = run_snakemake(review, "verify", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "new_studies: the review reports 71, but the ledger gives 70" in output
    assert "dbr_included: the review reports 60, but the ledger gives 59" in output
