"""A review in progress: what the pipeline gives while screening and coding are unfinished."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewflow.paths import ReviewPaths

from . import minireview
from .conftest import run_snakemake

pytestmark = pytest.mark.e2e


def test_while_screening_everything_is_built_and_the_status_says_what_is_next(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path, complete=False)
    result = run_snakemake(tmp_path)
    paths = ReviewPaths(tmp_path)
    counts = json.loads(paths.counts.read_text())
    assert counts["fulltext_pending"] == 4 and counts["new_studies"] == 0
    assert paths.flow_diagram.is_file() and paths.report_html.is_file()
    sheet = paths.worksheet("fulltext", "a").read_text()
    assert ids["partnership"] in sheet and ids["local"] in sheet
    assert "a 0 decided, 4 to screen" in result.stdout + result.stderr


def test_included_studies_without_coding_stop_the_tables_but_not_the_counts(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    paths.evidence_log.unlink()
    result = run_snakemake(tmp_path, "--keep-going", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "has no row in the evidence log" in output
    assert "evidence_log_todo.csv" in output
    # the counts, the PRISMA outputs and the rows to paste are there all the same
    assert json.loads(paths.counts.read_text())["new_studies"] == 2
    assert paths.flow_diagram.is_file() and paths.prisma_csv.is_file()
    todo = (paths.processed / "evidence_log_todo.csv").read_text().splitlines()
    assert len(todo) == 3
