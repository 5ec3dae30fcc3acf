"""`reviewflow init`: a new review folder that the pipeline runs end to end, then with a first export."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reviewflow.cli import main
from reviewflow.config import load_config
from reviewflow.errors import ReviewError
from reviewflow.newreview import init_review
from reviewflow.paths import ReviewPaths

from . import minireview
from .conftest import run_snakemake


def test_init_writes_a_valid_commented_review(tmp_path: Path) -> None:
    root = tmp_path / "my review"
    assert main(["init", str(root), "--title", 'Schools "and" partners']) == 0
    paths = ReviewPaths(root)
    config = load_config(paths.config)
    assert config["review"]["title"] == 'Schools "and" partners'
    assert [s["name"] for s in config["stages"]] == ["title", "fulltext"]
    assert list(config["reviewers"]) == ["r1"] and len(config["criteria"]["exclusion"]) == 1
    # every key of the written config carries a comment; the optional ones are there, commented out
    text = paths.config.read_text()
    assert all("#" in line for line in text.splitlines() if line.strip())
    for optional in ("previous_version:", "adjudicator:", "synonyms:", "figures:", "expected_counts:", "preprints:"):
        assert f"# {optional}" in text or f"#   {optional}" in text, optional
    assert paths.search_log.read_text() == "round,date,source_type,database,query,file,reported_hits\n"
    assert paths.searches.is_dir() and (paths.decisions / "title").is_dir() and (paths.decisions / "fulltext").is_dir()
    readme = (root / "README.md").read_text()
    assert "data/raw/searches.csv" in readme and "r1_todo.csv" in readme and "snakemake -s " in readme


def test_init_refuses_a_folder_that_holds_a_review(tmp_path: Path) -> None:
    minireview.write_inputs(tmp_path)
    before = ReviewPaths(tmp_path).config.read_text()
    with pytest.raises(ReviewError, match="already holds a review"):
        init_review(tmp_path)
    assert ReviewPaths(tmp_path).config.read_text() == before
    (tmp_path / "other" / "data" / "raw" / "searches").mkdir(parents=True)
    (tmp_path / "other" / "data" / "raw" / "searches" / "pubmed.nbib").write_text("PMID- 1\n")
    assert main(["init", str(tmp_path / "other")]) == 1
    assert not (tmp_path / "other" / "config").exists()


def test_init_keeps_a_folders_own_readme(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("my notes\n")
    written = init_review(tmp_path)
    assert (tmp_path / "README.md").read_text() == "my notes\n"
    assert tmp_path / "README.md" not in written and ReviewPaths(tmp_path).config in written


@pytest.mark.e2e
def test_init_then_snakemake_runs_to_the_end_then_a_first_export_reaches_the_worksheet(tmp_path: Path) -> None:
    root = tmp_path / "review"
    subprocess.run([sys.executable, "-m", "reviewflow", "init", str(root)], check=True, capture_output=True)
    paths = ReviewPaths(root)
    result = run_snakemake(root)
    counts = json.loads(paths.counts.read_text())
    assert counts["new_studies"] == 0 and counts["title_screened"] == 0
    assert paths.report_html.is_file() and paths.flow_diagram.is_file()
    assert "verify: every count is derived from the ledger and adds up" in (paths.processed / "verify.txt").read_text()
    assert "no records yet: save a search export" in result.stdout + result.stderr
    # the README's next steps: an export and its search-log row, run, open the worksheet
    (paths.searches / "first.ris").write_text(minireview.RIS, encoding="utf-8")
    with paths.search_log.open("a", encoding="utf-8") as handle:
        handle.write("1,2026-06-01,database,TestDB,partnership,first.ris,3\n")
    result = run_snakemake(root)
    sheet = paths.worksheet("title", "r1").read_text()
    assert "Partnership working in schools" in sheet and "Joint working in policing" in sheet
    assert "r1: screen 3 works at title" in result.stdout + result.stderr
    # Snakemake's own report holds the flow diagram, the tables and the report, each with its caption
    run_snakemake(root, "--report", str(tmp_path / "report.zip"))
    with zipfile.ZipFile(tmp_path / "report.zip") as archive:
        names = {Path(name).name for name in archive.namelist()}
        page = archive.read(next(n for n in archive.namelist() if n.endswith("report/report.html"))).decode()
    assert {"flow_diagram.svg", "PRISMA.csv", "design.html", "search_summary.html", "report.html", "included_studies.csv"} <= names
    assert "PRISMA 2020 flow diagram" in page
