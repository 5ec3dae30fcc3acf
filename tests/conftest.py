"""Shared test helpers: the repository, the demo review, the real fixtures in ../shared."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
#: Real export files and labelled de-duplication sets (not in the repository; see ../shared/fixtures/README.md)
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"


def copy_review(source: Path, target: Path) -> Path:
    """A review folder's inputs (config/, data/raw/, templates/ if any) copied to target."""
    for part in ("config", "data/raw", "templates"):
        if (source / part).exists():
            shutil.copytree(source / part, target / part)
    return target


def run_snakemake(review: Path, *targets: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run this repository's Snakefile on a review folder, as a user would."""
    command = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "-d", str(review), *targets, "--cores", "2", "--quiet", "rules"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def demo_review(tmp_path: Path) -> Path:
    """A fresh copy of the embedded demo review's inputs."""
    return copy_review(REPO, tmp_path / "demo")


@pytest.fixture
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present (the real-data conformance tests need it)")
    return SHARED_FIXTURES
