"""The demo review with a stopping rule applied at the title stage, end to end through Snakemake.

The title stage is replayed as if screened in priority order: the first
reviewer's rows are re-ordered so that the works they included come first,
then those a second reviewer or the adjudicator also decided, then the rest of
the exclusions; the tail of that list is cut (those works were never screened)
and the rule is applied in the config. Every work kept keeps its decisions, so
the published counts after the title stage still hold, and verify passes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from reviewflow.screening.stopping import stopping_test_labels

from .conftest import REPO, copy_review, run_snakemake

pytestmark = pytest.mark.e2e

TITLE_WORKS = 5813  # the demo's works at the title stage
RULE = "    stopping: {target_recall: 0.95, confidence: 0.95, min_screened: 500, applied_at_round: 32}\n"


@pytest.fixture(scope="module")
def stopped_review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    review = copy_review(REPO, tmp_path_factory.mktemp("stopped") / "demo")
    title = review / "data/raw/decisions/title"
    tm = pd.read_csv(title / "tm.csv", dtype=str, keep_default_na=False)
    others = set(pd.read_csv(title / "ac.csv", dtype=str)["record_id"]) | set(pd.read_csv(title / "adjudication.csv", dtype=str)["record_id"])
    included = tm["decision"].str.strip().str.lower().isin(["include", "maybe"])
    shared = tm["record_id"].isin(others)
    ordered = pd.concat([tm[included], tm[~included & shared], tm[~included & ~shared]])
    # screen enough exclusions after the includes for the test to pass, and a margin
    needed = stopping_test_labels([1] * int(included.sum()), TITLE_WORKS, 0.95, 0.95, 500).more_needed
    kept = ordered.iloc[: int(included.sum()) + max(needed, int((~included & shared).sum())) + 300]
    assert len(kept) < len(tm) - 1000  # a real early stop
    kept.to_csv(title / "tm.csv", index=False)
    config = review / "config/config.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("    label: Initial scoping (titles)\n")
    config.write_text("".join([*lines[: at + 1], RULE, *lines[at + 1:]]), encoding="utf-8")
    run_snakemake(review)
    stop = json.loads((review / "data/processed/screening/stopping.json").read_text())["title"]
    assert stop["applied"] and stop["p_value"] < 0.05
    # the works left with no decision at all (a few of the rows cut were other records of works decided elsewhere)
    assert len(tm) - len(kept) - 20 <= stop["not_screened"] <= len(tm) - len(kept)
    return review, stop["not_screened"]


def test_the_unscreened_works_have_their_own_fate(stopped_review: tuple[Path, int]) -> None:
    review, dropped = stopped_review
    ledger = pd.read_csv(review / "data/processed/ledger.csv", dtype=str, keep_default_na=False)
    stopped = ledger[ledger["fate"] == "not_screened"]
    assert len(stopped[stopped["role"] == "primary"]) == dropped
    assert set(stopped["fate_stage"]) == {"title"} and set(stopped["fate_reason"]) == {"stopping rule reached"}
    assert set(stopped["title_outcome"]) == {"not_screened"}


def test_counts_put_them_among_the_records_excluded(stopped_review: tuple[Path, int]) -> None:
    review, dropped = stopped_review
    counts = json.loads((review / "data/processed/counts.json").read_text())
    assert counts["title_screened"] == TITLE_WORKS and counts["title_included"] == 551  # as published
    assert counts["abstract_included"] == 123 and counts["new_studies"] == 71
    assert counts["title_not_screened"] == dropped
    assert counts["title_screened_by_reviewers"] == TITLE_WORKS - dropped
    assert counts["records_not_screened"] == dropped
    assert counts["records_excluded"] == counts["records_excluded_by_reviewers"] + dropped
    prisma = pd.read_csv(review / "data/processed/prisma/PRISMA.csv", dtype=str, keep_default_na=False).set_index("data")
    assert int(prisma.loc["records_excluded", "n"]) == counts["records_excluded"]


def test_the_flow_diagram_and_methods_say_so(stopped_review: tuple[Path, int]) -> None:
    review, dropped = stopped_review
    svg = (review / "data/processed/prisma/flow_diagram.svg").read_text()
    assert f'data-field="title_not_screened" data-n="{dropped}"' in svg and "not screened: stopping rule reached" in svg
    methods = (review / "data/processed/report/methods.md").read_text()
    stop = json.loads((review / "data/processed/screening/stopping.json").read_text())["title"]
    assert "hypergeometric test of Callaghan and Müller-Hansen (2020)" in methods
    assert f"after {TITLE_WORKS - dropped} of the {TITLE_WORKS} records had been screened" in methods
    assert f"The other {dropped} records were not screened" in methods
    assert f"p = {stop['p_value']:.3g}" in methods


def test_verify_passes_and_checks_the_stop(stopped_review: tuple[Path, int]) -> None:
    review, _ = stopped_review
    result = run_snakemake(review, "verify")
    assert result.returncode == 0
    text = (review / "data/processed/verify.txt").read_text()
    assert "the stopping rule's works not screened match the ledger" in text
