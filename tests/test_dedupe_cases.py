"""The hard cases of de-duplication, each with a test of its own.

The records are in tests/fixtures/dedupe_hard_cases.csv (column ``case``
groups them, column ``work`` says which records are one work), read through
the ordinary CSV import. Each test checks the partition the rules give, and
where a pair belongs in front of a person, that it is on the review list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from reviewflow.dedupe import DedupeResult, find_duplicates
from reviewflow.importers import read_export
from reviewflow.records import BIBLIO_FIELDS

CASES = Path(__file__).parent / "fixtures" / "dedupe_hard_cases.csv"


@pytest.fixture(scope="module")
def all_records() -> pd.DataFrame:
    export = read_export(CASES)
    rows = []
    for index, record in enumerate(export.records, start=1):
        row = {name: record.fields.get(name, "") for name in BIBLIO_FIELDS}
        row.update(
            record_id=record.raw["ID"][0],
            case=record.raw["case"][0],
            work=record.raw["work"][0],
            round=1,
            source_type="database",
            database="hard cases",
            source_file=CASES.name,
            source_index=index,
        )
        rows.append(row)
    return pd.DataFrame(rows)


def run(all_records: pd.DataFrame, case: str, settings: dict[str, str] | None = None) -> tuple[pd.DataFrame, DedupeResult]:
    records = all_records[all_records["case"] == case].reset_index(drop=True)
    return records, find_duplicates(records, settings=settings)


def partition(records: pd.DataFrame, result: DedupeResult) -> dict[str, set[str]]:
    """True work -> the clusters its records ended in."""
    cluster_of = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    found: dict[str, set[str]] = {}
    for record_id, work in zip(records["record_id"], records["work"], strict=True):
        found.setdefault(work, set()).add(cluster_of[record_id])
    return found


def assert_works(records: pd.DataFrame, result: DedupeResult) -> None:
    """Every work is one cluster, and no cluster holds two works."""
    found = partition(records, result)
    split = {work: clusters for work, clusters in found.items() if len(clusters) > 1}
    assert not split, f"works split over clusters: {split}"
    clusters = [next(iter(c)) for c in found.values()]
    assert len(clusters) == len(set(clusters)), f"works merged: {found}"


def in_review(result: DedupeResult, a: str, b: str) -> pd.Series:
    review = result.review
    rows = review[((review["record_id_a"] == a) & (review["record_id_b"] == b)) | ((review["record_id_a"] == b) & (review["record_id_b"] == a))]
    assert len(rows) == 1, f"{a} / {b} is not on the review list:\n{review[['record_id_a', 'record_id_b', 'reason']]}"
    return rows.iloc[0]


def test_different_dois_are_different_works_and_go_to_review(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "different_dois")
    assert_works(records, result)
    row = in_review(result, "hc_doi_1", "hc_doi_2")
    assert "different DOIs" in row["reason"]


def test_doi_written_as_url_in_capitals_is_the_same_doi(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "doi_forms")
    assert_works(records, result)
    assert result.clusters.set_index("record_id").at["hc_doiform_2", "rule"] == "doi"


def test_erratum_and_correction_are_not_the_article(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "erratum")
    assert_works(records, result)


def test_comment_and_reply_are_not_the_article(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "comment_reply")
    assert_works(records, result)


def test_part_one_and_part_two_are_different_works(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "parts")
    assert_works(records, result)  # "Part I" and "Part 1" are one work, "Part II" another


def test_conference_abstract_and_journal_article_are_different(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "conference_abstract")
    assert_works(records, result)


def test_preprint_and_published_version_are_kept_apart_by_default(all_records: pd.DataFrame) -> None:
    """Two reports of one study, not two copies of one record (issue 10, failure class 9)."""
    records, result = run(all_records, "preprint")
    assert_works(records, result)
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    assert cluster["hc_pre_1"] != cluster["hc_pre_2"]
    assert cluster["hc_pre_2"] == cluster["hc_pre_3"]


def test_preprints_can_be_joined_to_their_published_version(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "preprint", {"preprints": "same"})
    cluster = result.clusters.set_index("record_id")
    assert cluster.at["hc_pre_1", "cluster_id"] == cluster.at["hc_pre_2", "cluster_id"] == cluster.at["hc_pre_3", "cluster_id"]
    assert cluster.at["hc_pre_2", "rule"] in ("preprint", "title+locator", "doi")


def test_translated_titles_in_brackets(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "translated_title")
    assert_works(records, result)


def test_trial_registry_entries_with_identical_titles(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "registry")
    assert_works(records, result)  # two registrations apart, one registration's two entries together


def test_generic_titles_reused_across_years(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "generic_titles")
    assert_works(records, result)


@pytest.mark.parametrize(
    ("a", "b"),
    [("hc_word_1", "hc_word_2"), ("hc_word_3", "hc_word_4"), ("hc_word_5", "hc_word_6")],
    ids=["in vivo / in vitro", "men / women", "Kir2.1/Kir2.2 / Kir2.2"],
)
def test_one_word_that_changes_the_meaning(all_records: pd.DataFrame, a: str, b: str) -> None:
    records, result = run(all_records, "one_word")
    assert_works(records, result)
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    assert cluster[a] != cluster[b]


def test_one_word_difference_with_everything_else_equal_goes_to_review(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "one_word")
    assert "differ in words: men / women" in in_review(result, "hc_word_3", "hc_word_4")["reason"]


def test_missing_fields(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "missing_fields")
    assert_works(records, result)


def test_year_off_by_one_ahead_of_print(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "year_off_by_one")
    assert_works(records, result)  # 2020 and 2021 together; a single-author 2023 record apart


def test_concatenated_author_strings(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "concatenated_authors")
    assert_works(records, result)


def test_name_particles_diacritics_html_and_latex(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "name_and_markup_forms")
    assert_works(records, result)


def test_greek_letters_spelt_out_but_alpha_is_not_beta(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "greek_letters")
    assert_works(records, result)


def test_subtitle_dropped_by_one_database(all_records: pd.DataFrame) -> None:
    records, result = run(all_records, "subtitle")
    assert_works(records, result)


def test_all_cases_together(all_records: pd.DataFrame) -> None:
    """Mixed in one search, the cases still give exactly the true works."""
    result = find_duplicates(all_records)
    assert_works(all_records, result)
