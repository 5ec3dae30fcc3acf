"""reviewflow used as a Snakemake module from a review's own Snakefile (docs/examples/module)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewflow.newreview import init_review
from reviewflow.paths import ReviewPaths

from . import minireview
from .conftest import REPO

pytestmark = pytest.mark.e2e

EXAMPLE = REPO / "docs" / "examples" / "module" / "workflow" / "Snakefile"


def test_the_module_example_runs_a_review_against_this_checkout(tmp_path: Path) -> None:
    root = tmp_path / "review"
    init_review(root)
    example = EXAMPLE.read_text(encoding="utf-8")
    assert '"../../reviewflow/workflow/Snakefile"' in example
    (root / "workflow").mkdir()
    (root / "workflow" / "Snakefile").write_text(
        example.replace('"../../reviewflow/workflow/Snakefile"', repr(str(REPO / "workflow" / "Snakefile"))), encoding="utf-8")
    paths = ReviewPaths(root)
    (paths.searches / "first.ris").write_text(minireview.RIS, encoding="utf-8")
    with paths.search_log.open("a", encoding="utf-8") as handle:
        handle.write("1,2026-06-01,database,TestDB,partnership,first.ris,3\n")
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "rules"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(paths.counts.read_text())["title_screened"] == 3
    assert paths.report_html.is_file() and "every count is derived" in (paths.processed / "verify.txt").read_text()
    assert "r1: screen 3 works at title" in result.stdout + result.stderr


def test_every_rule_declares_threads_and_memory(tmp_path: Path) -> None:
    minireview.write_inputs(tmp_path)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path), "-n", "--forceall",
               "--cores", "2", "status"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    jobs = result.stdout.split("\nlocalrule ")[1:] or result.stdout.split("\nrule ")[1:]
    rules = {job.split(":", 1)[0]: job for job in jobs}
    assert {"import_records", "dedupe", "screen", "ledger", "tables", "evidence_todo", "report", "changes",
            "verification", "status"} <= set(rules)
    for name, job in rules.items():
        assert "mem_mb=" in job, name
    assert "threads: 2" in rules["import_records"]


def test_config_readme_documents_every_key_of_the_schema() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "config_reference.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    text = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    for key in ("`stages[].assignment.mode`", "`reviewers.<code>.name`", "`report.flow_diagram.separate_screening`"):
        assert key in text
