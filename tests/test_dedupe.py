"""De-duplication: comparison forms, conflicts and rules, clusters and their guards, outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from .conftest import REPO
from reviewflow.config import load_config
from reviewflow.dedupe import (
    CLUSTER_COLUMNS,
    REVIEW_COLUMNS,
    find_duplicates,
    source_contributions,
)
from reviewflow.dedupe.blocking import candidate_pairs
from reviewflow.dedupe.compare import (
    compare_records,
    decide,
    journals_compatible,
    title_word_differences,
)
from reviewflow.dedupe.evaluate import score_clusters
from reviewflow.dedupe.normalise import (
    author_keys,
    first_page,
    fold,
    journal_forms,
    title_forms,
)
from reviewflow.dedupe.prepare import prepare
from reviewflow.errors import ReviewError
from reviewflow.records import BIBLIO_FIELDS

TITLE = "Nurse-led transitional care for older people with heart failure: a randomised controlled trial"
AUTHORS = "Okafor, Chidi; Mensah, Ama; Whitfield, Robert"


def make_records(*rows: dict[str, Any]) -> pd.DataFrame:
    """Records in canonical order; ids R<round>-<n>; every field defaults to ""."""
    frame = []
    for n, row in enumerate(rows, start=1):
        record = {name: "" for name in BIBLIO_FIELDS}
        record.update(round=1, source_type="database", database="MEDLINE", source_file="a.ris", source_index=n)
        record.update(row)
        record.setdefault("record_id", f"R{int(record['round']):02d}-{n:012x}")
        frame.append(record)
    return pd.DataFrame(frame)


def article(**changes: Any) -> dict[str, Any]:
    base = {"title": TITLE, "authors": AUTHORS, "year": "2014", "journal": "European Journal of Heart Failure",
            "volume": "16", "issue": "5", "pages": "551-559"}
    base.update(changes)
    return base


def clusters_of(result: Any) -> list[str]:
    return result.clusters["cluster_id"].tolist()


def evidence(*rows: dict[str, Any], settings: dict[str, str] | None = None) -> Any:
    return compare_records(prepare(make_records(*rows)), 0, 1, settings or {})


# --------------------------------------------------------------------------------------------
# comparison forms


def test_fold_removes_markup_and_diacritics_and_spells_greek_letters() -> None:
    assert fold("TNF-α and <i>in vivo</i> K<inf>Ca</inf>3.1") == "tnf-alpha and in vivo kca3.1"
    assert fold("M{\\\"u}ller S{\\o}ndergaard N\\'u\\~nez &amp; Co") == "muller sondergaard nunez & co"
    assert fold("Fran?ais Søndergaard Œuvre") == "franais sondergaard oeuvre"  # a letter lost to a wrong encoding


def test_title_forms_unify_spelling_numbers_and_notes() -> None:
    british = title_forms("Randomised trial of paediatric tumour behaviour. Part II [see comments]")
    american = title_forms("Randomized trial of pediatric tumor behavior. Part 2")
    assert british.full == american.full
    assert british.parts == frozenset({"part:2"})
    assert title_forms("Type I diabetes").numbers == ("1",)


def test_title_forms_keep_the_original_beside_a_bracketed_translation() -> None:
    forms = title_forms("Behandlung der Pneumonie bei Pflegeheimbewohnern [Treatment of pneumonia in nursing home residents]")
    assert forms.main == "behandlung der pneumonie bei pflegeheimbewohnern"
    assert title_forms("[Treatment of pneumonia in nursing home residents]").full == (
        title_forms("Treatment of pneumonia in nursing home residents").full
    )


def test_title_markers_and_generic_titles() -> None:
    assert title_forms("Erratum: Sleep and dementia in the Whitehall II cohort").markers == {"erratum"}
    assert title_forms("Comment on: Sleep and dementia").markers == {"comment"}
    assert title_forms("Sleep and dementia - authors' reply").markers == {"reply"}
    assert not title_forms("Sleep and dementia [Erratum appears in BMJ 2021;3:4]").markers  # a MEDLINE note
    assert not title_forms("Correction of scoliosis in adolescents with a posterior approach").markers
    assert not title_forms("Annual report 2019").informative
    assert not title_forms("Editorial").informative
    assert title_forms("Erratum: sleep duration and incident dementia in later life").informative


@pytest.mark.parametrize(
    ("authors", "keys"),
    [
        ("Okafor, Chidi; Mensah, A.", ("okafor", "mensah")),
        ("van der Berg, Jan-Willem; Núñez, José", ("berg", "nunez")),
        ("Vanderberg, J.", ("berg",)),
        ("Adeli K.Lewis G. F.", ("adeli", "lewis")),
        ("F., Adeli K.Lewis G.", ("adeli", "lewis")),
        ("St Peter, Shawn D.", ("peter",)),
        ("", ()),
    ],
)
def test_author_keys(authors: str, keys: tuple[str, ...]) -> None:
    assert author_keys(authors) == keys


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("221-8", ("221", "228")), ("e43268", ("43268", "")), ("S27-S30", ("s27", "s30")), ('"63-71, vi"', ("63", "71")),
     ("233-238+230-235", ("233", "238")), ("13-May", ("13-may", "")), ("", ("", ""))],
)
def test_first_page(pages: str, expected: tuple[str, str]) -> None:
    assert first_page(pages) == expected


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("Curr Opin Lipidol", "Current opinion in lipidology", True),
        ("JAMA", "Journal of the American Medical Association", True),
        ("J Am Coll Cardiol", "Journal of the American College of Cardiology", True),
        ("Ai zheng = Aizheng = Chinese journal of cancer", "Chinese Journal of Cancer", True),
        ("The Lancet", "Lancet", True),
        ("BMJ", "British Medical Journal", True),
        ("Amcis 2017 Proceedings", "Americas Conference on Information Systems", True),
        ("Americas Conference on Information Systems", "European Conference on Information Systems", False),
        ("Annals of Internal Medicine", "ACP Journal Club", False),
        ("Diabetologia", "Diabetes Care", False),
    ],
)
def test_journal_names(a: str, b: str, compatible: bool) -> None:
    assert journals_compatible(journal_forms(a), journal_forms(b)) is compatible


# --------------------------------------------------------------------------------------------
# conflicts and rules


@pytest.mark.parametrize(
    ("a", "b", "differences"),
    [
        ("Trends in caesarean section rates", "Trends in caesaean section rates", (set(), set())),  # a typo, as written
        ("Effects of healthcare reform on nursing homes", "Effects of health care reform on nursing homes", (set(), set())),
        ("Combination chemotherapy with granulocyte colony-stimulating factor", "Combination chemotherapy with granulocyte colony-stimulating fac",
         (set(), set())),  # cut short
        ("Silver nanoparticles against Pseudomonas in vivo", "Silver nanoparticles against Pseudomonas in vitro", ({"vivo"}, {"vitro"})),
        ("Alcohol and atrial fibrillation in men", "Alcohol and atrial fibrillation in women", ({"men"}, {"women"})),
    ],
)
def test_title_word_differences(a: str, b: str, differences: tuple[set[str], set[str]]) -> None:
    assert title_word_differences(title_forms(a), title_forms(b)) == differences


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        (article(doi="10.1/a"), article(doi="10.1/b"), "doi"),
        (article(title="Bleeding. Part A: therapy"), article(title="Bleeding. Part B: therapy"), "part"),
        (article(title="Annual report of the trust 2019"), article(title="Annual report of the trust 2020"), "number"),
        (article(title="Erratum: " + TITLE), article(), "note"),
        (article(title=TITLE.replace("older", "younger")), article(pages="", volume=""), "wording"),
        (article(year="2010"), article(year="2014"), "year"),
        (article(pages="551-559"), article(pages="601-610"), "pages"),
        (article(pages="551-559"), article(pages="S55"), "supplement"),
        (article(type="conference", volume="", pages=""), article(type="article"), "publication"),
        (article(url="https://clinicaltrials.gov/show/NCT01234567"), article(url="https://clinicaltrials.gov/show/NCT07654321"), "registry"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_conflict(a: dict[str, Any], b: dict[str, Any], kind: str) -> None:
    assert [c.kind for c in evidence(a, b).conflicts] == [kind]


def test_volume_and_page_differences_are_doubts_not_conflicts() -> None:
    ev = evidence(article(volume="1)", pages="51"), article(volume="16", pages="52"))
    assert not ev.conflicts
    assert ev.doubts == ["volumes 1 / 16", "first pages 51 / 52"]


def test_same_doi_outweighs_volume_pages_and_kind_but_not_a_different_title() -> None:
    prep = prepare(make_records(article(doi="10.1/a", pages="1-9", type="conference"), article(doi="10.1/a", pages="S12")))
    assert decide(prep, 0, 1, {}).rule == "doi"
    prep = prepare(make_records(article(doi="10.1/a"), article(doi="10.1/a", title="Erratum: " + TITLE)))
    assert decide(prep, 0, 1, {}).verdict == "review"


def test_garbled_volume_with_identical_title_authors_year_journal() -> None:
    prep = prepare(make_records(article(volume="1)", pages="551"), article(volume="16", pages="552")))
    assert decide(prep, 0, 1, {}).rule == "title+authors+journal"
    # ... but not when one title has a word the other lacks
    prep = prepare(make_records(article(volume="1)", pages="551"), article(title=TITLE.replace("older", "older frail"), pages="552")))
    assert decide(prep, 0, 1, {}).verdict != "same"


def test_a_translated_title_with_the_same_volume_pages_year_and_authors() -> None:
    prep = prepare(make_records(article(title="Transitionelle Pflege bei Herzinsuffizienz im Alter"), article()))
    decision = decide(prep, 0, 1, {})
    assert decision.rule == "locator+authors"


def test_an_organisation_as_author_split_at_its_comma() -> None:
    report = {"title": "Supply chain collaboration in water management: a conference report", "year": "2007", "type": "report"}
    prep = prepare(make_records(dict(report, authors="Social Policy Research Unit, York University"),
                                dict(report, authors="Unit, Social Policy Research; York University")))
    assert decide(prep, 0, 1, {}).rule == "title+authors"


def test_the_same_web_address_and_title() -> None:
    report = {"title": "Partnership working in adult social care: a practice guide", "year": "2009", "type": "report"}
    prep = prepare(make_records(dict(report, url="https://www.scie.org.uk/publications/guides/guide09/"),
                                dict(report, url="http://scie.org.uk/publications/guides/guide09", year="2010")))
    assert decide(prep, 0, 1, {}).rule == "title+url"
    prep = prepare(make_records(dict(report, url="https://www.scie.org.uk/"), dict(report, url="https://www.scie.org.uk/", year="2010")))
    assert decide(prep, 0, 1, {}).verdict != "same"  # a home page names no work


def test_same_title_and_authors_but_different_journals_is_not_enough() -> None:
    prep = prepare(make_records(article(journal="Annals of Internal Medicine", volume="", pages=""),
                                article(journal="ACP Journal Club", volume="", pages="")))
    assert decide(prep, 0, 1, {}).verdict != "same"


def test_missing_authors_need_an_identical_long_title_and_the_year() -> None:
    short = "Heart failure care"
    prep = prepare(make_records(article(title=short, authors="", volume="", pages=""), article(title=short, volume="", pages="")))
    assert decide(prep, 0, 1, {}).verdict != "same"
    prep = prepare(make_records(article(authors="", volume="", pages="", journal=""), article()))
    assert decide(prep, 0, 1, {}).rule == "title+year"


# --------------------------------------------------------------------------------------------
# clusters


def test_outputs_one_row_per_record_in_order_with_provenance() -> None:
    records = make_records(article(), article(doi="10.1/x"), article(doi="10.1/x", title=TITLE.upper()), {"title": "Something else entirely here"})
    result = find_duplicates(records)
    clusters = result.clusters
    assert tuple(clusters.columns) == CLUSTER_COLUMNS
    assert tuple(result.review.columns) == REVIEW_COLUMNS
    assert clusters["record_id"].tolist() == records["record_id"].tolist()
    first = records["record_id"][0]
    assert clusters["cluster_id"].tolist()[:3] == [first] * 3  # named after the earliest member
    assert clusters["rule"][0] == "" and clusters["matched_with"][0] == ""
    assert clusters["rule"][2] == "doi" and clusters["matched_with"][2] == records["record_id"][1]
    assert "title=1.00" in clusters["evidence"][1]
    assert clusters["source_index"].tolist() == ["1", "2", "3", "4"]


def test_a_weak_chain_does_not_join_different_works() -> None:
    """A (DOI a) and C (DOI c, other pages) are different works; B has no DOI or pages and looks like both."""
    records = make_records(article(doi="10.1/a"), article(pages="", volume=""), article(doi="10.1/c", pages="560-568"))
    result = find_duplicates(records)
    a, b, c = clusters_of(result)
    assert a != c
    assert len(result.review) == 1


def test_a_later_round_never_joins_two_earlier_works() -> None:
    """Round 1 holds two records that stay apart; a round-2 record resembling both joins one, never both."""
    round_one = [article(authors="Okafor, C.", volume="", pages="", journal="Eur J Heart Fail"),
                 article(authors="Okafor, Chidi; Mensah, Ama", volume="", pages="", journal="Heart")]
    before = find_duplicates(make_records(*round_one))
    assert len(set(clusters_of(before))) == 2
    bridge = article(round=2, authors="Okafor, Chidi", volume="", pages="", journal="")
    after = find_duplicates(make_records(*round_one, bridge))
    assert clusters_of(after)[:2] == clusters_of(before)
    assert clusters_of(after)[2] in clusters_of(before)
    assert set(after.review[["cluster_id_a", "cluster_id_b"]].iloc[0]) == set(clusters_of(before))  # for a person
    # in one round, the same three records are one work (nothing tells them apart)
    assert len(set(clusters_of(find_duplicates(make_records(*round_one, dict(bridge, round=1)))))) == 1


def test_adding_a_round_changes_no_existing_cluster() -> None:
    round_one = [article(), article(doi="10.1/b", title="Another trial of heart failure care in the community"), article(pages="551-9")]
    round_two = [dict(article(), round=2, record_id="R02-000000000001"),
                 dict(article(doi="10.1/b", title="Another Trial of Heart Failure Care in the Community"), round=2),
                 dict(title="A third work about something different altogether", round=2)]
    before = find_duplicates(make_records(*round_one)).clusters
    after = find_duplicates(make_records(*round_one, *round_two)).clusters
    assert after["cluster_id"][:3].tolist() == before["cluster_id"].tolist()
    assert after["cluster_id"][3] == before["cluster_id"][0]


def test_blocking_pairs_among_earlier_records_do_not_depend_on_later_ones() -> None:
    earlier = [article(title=f"Editorial {n % 2}", authors="Smith, R.", year=str(2000 + n)) for n in range(60)]
    later = [article(title="Editorial 1", authors="Smith, R.", year="2070")] * 30
    first = candidate_pairs(prepare(make_records(*earlier)))
    both = candidate_pairs(prepare(make_records(*earlier, *later)))
    pairs_before = set(zip(first[0].tolist(), first[1].tolist(), strict=True))
    pairs_after = {p for p in zip(both[0].tolist(), both[1].tolist(), strict=True) if p[1] < len(earlier)}
    assert pairs_before == pairs_after


def test_identical_runs_give_identical_results() -> None:
    records = make_records(article(), article(doi="10.1/x"), article(pages="551-9"), article(title="Erratum: " + TITLE))
    one, two = find_duplicates(records), find_duplicates(records)
    pd.testing.assert_frame_equal(one.clusters, two.clusters)
    pd.testing.assert_frame_equal(one.review, two.review)


# --------------------------------------------------------------------------------------------
# sources and scores


def test_source_contributions() -> None:
    records = make_records(
        article(database="MEDLINE"),
        article(database="Embase", round=2),
        article(title="Only in Embase: a different trial of something", doi="10.1/e", pages="601-610", database="Embase", round=2),
        article(title="Only in Embase: a different trial of something", doi="10.1/e", pages="601-10", database="Embase", round=3),
    )
    table = source_contributions(records, find_duplicates(records).clusters).set_index("database")
    assert table.loc["MEDLINE", ["records", "works", "unique_works", "overlapping_works"]].tolist() == [1, 1, 0, 1]
    assert table.loc["Embase", ["records", "works", "unique_works", "overlapping_works", "duplicates_within"]].tolist() == [3, 2, 1, 1, 1]
    assert table.loc["Embase", "rounds"] == "2-3"
    assert table.loc["all sources", ["records", "works", "unique_works", "overlapping_works"]].tolist() == [4, 2, 1, 1]


def test_scores_against_labelled_groups() -> None:
    ids = ["a", "b", "c", "d", "e"]
    predicted = ["a", "a", "a", "d", "e"]  # c wrongly with a and b; d and e missed
    scores = score_clusters(ids, predicted, [["a", "b"], ["d", "e"]])
    assert (scores.true_pairs, scores.predicted_pairs, scores.false_merges, scores.missed) == (2, 3, 2, 1)
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == pytest.approx(0.5)
    assert (scores.removable, scores.removed_correctly, scores.removed_wrongly, scores.lost_works) == (2, 1, 1, 1)


# --------------------------------------------------------------------------------------------
# settings


def test_the_dedupe_settings_are_checked(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "config.yaml"
    config["dedupe"] = {"preprints": "different"}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert load_config(path)["dedupe"] == {"preprints": "different"}
    for wrong, message in (({"preprint": "same"}, "'preprint' was unexpected"), ({"preprints": "maybe"}, "'maybe' is not one of")):
        config["dedupe"] = wrong
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        with pytest.raises(ReviewError, match=message):
            load_config(path)
