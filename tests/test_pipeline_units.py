"""The ledger and the counts on a small review, step by step through the package."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reviewflow.errors import ReviewError
from reviewflow.paths import ReviewPaths
from reviewflow.pipeline import derive
from reviewflow.prisma import check_counts, prisma_table

from . import minireview


def run_steps(root: Path) -> tuple[dict, pd.DataFrame, dict]:
    derived = derive(root)
    return derived.config, derived.ledger, derived.counts


def test_every_record_has_one_fate_and_the_counts_add_up(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    config, ledger, counts = run_steps(tmp_path)
    assert len(ledger) == 7
    assert ledger["fate"].value_counts().to_dict() == {"duplicate": 1, "excluded": 3, "included": 2, "not_retrieved": 1}
    assert counts["database_results"] == 6 and counts["organisation_results"] == 1
    assert counts["duplicates"] == 1
    assert counts["records_screened"] == 5
    assert counts["title_included"] == 3 and counts["title_excluded"] == 2
    assert counts["dbr_sought_reports"] == 3 and counts["dbr_notretrieved_reports"] == 1
    assert counts["dbr_assessed"] == 2 and counts["dbr_excluded"] == 1
    assert counts["dbr_excluded_reasons"] == "Wrong population, 1"
    assert counts["other_sought_reports"] == 1 and counts["other_included"] == 1
    assert counts["new_studies"] == 2 and counts["total_studies"] == 2
    assert check_counts(config, counts, ledger, 7) == []


def test_duplicate_names_the_record_kept(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path)
    _, ledger, _ = run_steps(tmp_path)
    duplicate = ledger[ledger["fate"] == "duplicate"].iloc[0]
    assert duplicate["duplicate_of"] == ids["partnership"]
    assert duplicate["round"] == 2


def test_a_record_without_a_decision_is_pending_never_excluded(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path, complete=False)
    _, ledger, counts = run_steps(tmp_path)
    assert counts["fulltext_pending"] == 4
    assert counts["new_studies"] == 0 and counts["fulltext_excluded"] == 0
    kept = ledger.set_index("record_id").loc[ids["local"]]
    assert kept["fate"] == "pending" and kept["fate_stage"] == "fulltext"


def test_check_counts_names_a_broken_rule(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    config, ledger, counts = run_steps(tmp_path)
    broken = dict(counts, records_screened=counts["records_screened"] + 1)
    problems = check_counts(config, broken, ledger, 7)
    assert any(p.startswith("records_screened") for p in problems)
    assert check_counts(config, counts, ledger, 8)[0].startswith("ledger")


def test_prisma_table_has_the_app_layout_and_our_numbers(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    _, _, counts = run_steps(tmp_path)
    table = prisma_table(counts)
    assert list(table.columns) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    n = dict(zip(table["data"], table["n"], strict=False))
    assert n["records_screened"] == "5"
    assert n["dbr_excluded"] == "Wrong population, 1"
    assert n["total_studies_ma"] == ""


def test_prisma_template_matches_the_apps_file(shared_fixtures: Path) -> None:
    app = pd.read_csv(shared_fixtures / "prisma" / "PRISMA.csv", dtype=str, keep_default_na=False)
    ours = prisma_table({})
    assert list(ours.columns) == list(app.columns)
    assert ours.drop(columns="n").equals(app.drop(columns="n"))


def test_a_decision_for_a_record_not_at_that_stage_is_an_error(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path)
    minireview.write_decisions(tmp_path, {("fulltext", "a"): [(ids["joint"], "include", "")]})
    with pytest.raises(ReviewError, match="has not reached the fulltext stage") as error:
        run_steps(tmp_path)
    assert "fulltext/a.csv, row 2, column 'record_id'" in str(error.value)


def test_a_full_text_exclusion_needs_a_reason(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path)
    minireview.write_decisions(tmp_path, {("fulltext", "a"): [(ids["partnership"], "exclude", "")]})
    with pytest.raises(ReviewError, match="needs a reason code"):
        run_steps(tmp_path)


def test_an_update_counts_the_new_records_and_adds_the_previous_studies(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    paths.config.write_text(paths.config.read_text().replace("review: {title: A small review}",
                                                             "review: {title: A small review, previous_version: {last_round: 2}}"))
    config, ledger, counts = run_steps(tmp_path)
    # rounds 1 and 2 (5 records: 4 works and a duplicate) were the previous version
    assert ledger.groupby("version").size().to_dict() == {"new": 2, "previous": 5}
    assert counts["records_previous_version"] == 5
    assert counts["database_results"] == 1 and counts["organisation_results"] == 1
    assert counts["duplicates"] == 0 and counts["records_screened"] == 1
    assert counts["previous_studies"] == 1  # "Partnership working in schools"
    assert counts["new_studies"] == 1  # the foundation's report
    assert counts["total_studies"] == 2
    assert check_counts(config, counts, ledger, 7) == []


def test_a_new_copy_of_a_previous_work_is_a_duplicate_of_the_previous_record(tmp_path: Path) -> None:
    ids = minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    paths.config.write_text(paths.config.read_text().replace("review: {title: A small review}",
                                                             "review: {title: A small review, previous_version: {last_round: 1}}"))
    _, ledger, counts = run_steps(tmp_path)
    copy = ledger[(ledger["round"] == 2) & (ledger["cluster_id"] == ids["partnership"])].iloc[0]
    assert copy["version"] == "new" and copy["cluster_version"] == "previous"
    assert copy["fate"] == "duplicate" and copy["duplicate_of"] == ids["partnership"]
    assert counts["duplicates"] == 1 and counts["records_screened"] == 2


def test_a_ledger_frozen_before_studies_were_kept_still_counts(tmp_path: Path) -> None:
    from reviewflow.versions import frozen_counts

    minireview.build(tmp_path)
    derived = derive(tmp_path)
    old = derived.ledger.drop(columns="study_id")  # a ledger frozen by an earlier reviewflow
    counts = frozen_counts(derived.config, old)
    assert (counts["new_studies"], counts["new_reports"]) == (2, 2)
    assert {k: counts[k] for k in derived.counts if isinstance(derived.counts[k], int)} == {
        k: v for k, v in derived.counts.items() if isinstance(v, int)}
