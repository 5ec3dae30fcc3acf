"""Evidence-weighted de-duplication (issue 10): normalisation that keeps meaning, DOI quirks,
weights for and against, vetoes only for positive signs of a different work, sparse exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from reviewflow.dedupe import find_duplicates
from reviewflow.dedupe.compare import decide, journals_compatible
from reviewflow.dedupe.normalise import journal_forms
from reviewflow.dedupe.normalise import doi_key, dois_alike, fold, issue_key, title_forms
from reviewflow.dedupe.prepare import prepare
from reviewflow.dedupe.weights import MATCH, REVIEW, abstract_weight, describe, title_weight
from reviewflow.importers import read_export
from reviewflow.records import BIBLIO_FIELDS

from .test_dedupe import article, make_records

ABSTRACT = (
    "Background: heart failure admissions rise with age. Methods: we randomly assigned 412 patients aged 70 or "
    "more to nurse-led transitional care or usual care after discharge and followed them for twelve months. "
    "Results: readmissions fell by a third. Conclusions: nurse-led care after discharge prevents readmissions."
)


def pair(a: dict[str, Any], b: dict[str, Any], settings: dict[str, str] | None = None) -> Any:
    return decide(prepare(make_records(a, b)), 0, 1, settings or {})


# --------------------------------------------------------------------------------------------
# normalisation that keeps meaning (failure class 2)


def test_dashes_are_mapped_to_ascii_before_folding() -> None:
    assert fold("Children aged 0\u201318 years") == "children aged 0-18 years"  # not "018"
    assert title_forms("Children aged 0\u201318 years").full == title_forms("Children aged 0-18 years").full
    assert title_forms("Children aged 0\u201318 years").numbers != title_forms("Children aged 018 years").numbers


def test_middle_dots_are_decimal_points() -> None:
    assert fold("PM2\u00b75 exposure") == "pm2.5 exposure"
    assert title_forms("PM2\u00b75 and asthma").full == title_forms("PM2.5 and asthma").full


def test_dotted_abbreviations_are_one_word() -> None:
    assert title_forms("Obesity in U.S. adults").full == title_forms("Obesity in US adults").full
    assert fold("The U.K. and the U.S.A.") == "the uk and the usa"
    assert fold("E.coli in PM2.5") == "e.coli in pm2.5"  # not an abbreviation: kept


def test_mojibake_is_repaired() -> None:
    garbled = "\u00e2\u20ac\u0153Real-world\u00e2\u20ac\x9d outcomes in caf\u00c3\u00a9 workers"
    assert fold(garbled) == fold("\u201cReal-world\u201d outcomes in caf\u00e9 workers")
    assert title_forms(garbled).full == "real world outcome in cafe worker"


def test_sub_and_sup_tags_are_removed_inline() -> None:
    assert title_forms("Effects of CO<sub>2</sub> and Ca<sup>2+</sup> levels").full == title_forms("Effects of CO2 and Ca2+ levels").full


@pytest.mark.parametrize(
    "furnished",
    [
        "Asthma control in primary care [Review] [45 refs]",
        "Asthma control in primary care [Article in German]",
        "Asthma control in primary care [45 references]",
    ],
)
def test_database_furniture_is_dropped(furnished: str) -> None:
    assert title_forms(furnished).full == title_forms("Asthma control in primary care").full


def test_a_chapter_number_before_the_title_is_set_aside() -> None:
    chapter = title_forms("21 Health effects of air pollution in cities")
    assert chapter.lead == "21" and chapter.unnumbered == title_forms("Health effects of air pollution in cities").full
    decision = pair(article(title="21 Health effects of air pollution in cities"),
                    article(title="Health effects of air pollution in cities"))
    assert decision.verdict == "same"
    # two different chapter numbers are two chapters
    assert pair(article(title="21 Health effects of air pollution in cities", volume="", pages="", issue=""),
                article(title="22 Health effects of air pollution in cities", volume="", pages="", issue="")).verdict != "same"


def test_a_bracketed_english_translation_matches_the_english_title() -> None:
    original = "Behandlung der ambulant erworbenen Pneumonie bei Pflegeheimbewohnern [Treatment of community-acquired pneumonia in nursing home residents]"
    english = "Treatment of community-acquired pneumonia in nursing home residents"
    assert title_forms(original).translation == title_forms(english).full
    decision = pair(article(title=original, pages="", volume=""), article(title=english, pages="", volume=""))
    assert decision.verdict == "same"


def test_issue_numbers_are_compared() -> None:
    assert issue_key("05") == "5" and issue_key("3 Suppl 2") == "3 suppl 2"
    assert pair(article(), article(issue="6")).evidence.issue == "different"


# --------------------------------------------------------------------------------------------
# DOI quirks (failure class 6)


def test_pseudo_dois_from_cochrane_central_are_not_dois() -> None:
    assert doi_key("https://doi.org/10.1002/central/CN-00677540/full") == ""
    assert doi_key("DOI: 10.1002/14651858.CD004691.pub2") == "10.1002/14651858.cd004691.pub2"
    # a CENTRAL pseudo-DOI on one copy does not stand against the article's DOI
    decision = pair(article(doi="10.1016/j.ejheart.2014.02.003"), article(doi="10.1002/central/CN-01234567"))
    assert decision.evidence.doi == "missing" and decision.verdict == "same"


def test_dois_differing_in_case_or_their_issn_part_are_one_doi() -> None:
    assert dois_alike("10.1586/14737140.7.1.57", "10.1586/14787210.7.1.57")
    assert not dois_alike("10.1016/j.x.2019.01.002", "10.1016/j.x.2019.01.003")
    assert pair(article(doi="10.1586/14737140.7.1.57"), article(doi="10.1586/14787210.7.1.57")).rule == "doi"
    assert pair(article(doi="10.1/ABC"), article(doi="https://doi.org/10.1/abc")).rule == "doi"


def test_a_wrong_doi_on_one_copy_is_evidence_against_not_a_veto() -> None:
    decision = pair(article(doi="10.1016/j.ejheart.2014.02.003"), article(doi="10.1093/eurheartj/ehu123"))
    assert decision.verdict == "same" and decision.rule == "weights"
    weights = {w.field: w.weight for w in decision.weights}
    assert weights["doi"] < 0 and decision.total >= MATCH
    # without the volume, issue and pages the same evidence is not enough: a person decides
    weaker = pair(article(doi="10.1/a", volume="", pages="", issue=""), article(doi="10.1/b", volume="", pages="", issue=""))
    assert weaker.verdict == "review"


def test_versions_of_one_doi_are_different_works() -> None:
    decision = pair(article(doi="10.1002/14651858.CD004691.pub2"), article(doi="10.1002/14651858.CD004691.pub3"))
    assert decision.verdict != "same"
    assert any(c.kind == "version" for c in decision.evidence.conflicts)


def test_same_doi_and_a_title_variant_is_one_work() -> None:
    blind = pair(article(title="A double-blind randomised trial of nurse-led care for heart failure", doi="10.1/x"),
                 article(title="A double-blinded randomized trial of nurse-led care for heart failure", doi="10.1/x"))
    assert blind.verdict == "same" and blind.rule == "doi"
    typo = pair(article(title="Nurse-led transitional care for older people with heart failure", doi="10.1/x"),
                article(title="Nurse-led transitional care for older poeple with heart failure", doi="10.1/x"))
    assert typo.verdict == "same"
    # but not a reply to it
    reply = pair(article(doi="10.1/x"), article(title="Reply: " + article()["title"], doi="10.1/x"))
    assert reply.verdict != "same"


# --------------------------------------------------------------------------------------------
# single conflicts no longer veto (failure class 1); positive signs of a different work still do


def test_garbled_pages_or_an_article_number_do_not_veto() -> None:
    for pages in ("Suppl-12", "e12724", "S109-S112"):
        decision = pair(article(doi=""), article(pages=pages))
        assert decision.verdict == "same", (pages, decision.weights_text())


def test_epub_year_against_print_year() -> None:
    assert pair(article(), article(year="2013", volume="", pages="")).verdict == "same"


def test_a_misspelt_word_weighs_little_a_replaced_word_much() -> None:
    misspelt = pair(article(title="Pleural drainage with radioactive phosphorus in malignant effusion", issue=""),
                    article(title="Pleural drainage with radioactive phsophorous in malignant effusion", issue=""))
    assert misspelt.verdict == "same"
    replaced = pair(article(title="Nurse-led care for older men with heart failure", volume="", pages=""),
                    article(title="Nurse-led care for older women with heart failure", volume="", pages=""))
    assert replaced.verdict != "same"


def test_recurring_titles_in_other_issues_or_on_other_pages_are_different_items() -> None:
    for title in ("Editor's Comments", "Introduction", "Letters"):
        issue = pair(article(title=title, issue="2", pages=""), article(title=title, issue="3", pages=""))
        assert issue.verdict != "same" and any(c.kind == "recurring" for c in issue.evidence.conflicts)
        pages = pair(article(title=title, pages="12-13"), article(title=title, pages="301-302"))
        assert pages.verdict != "same"
    assert pair(article(title="Letters"), article(title="Letters")).verdict == "same"  # same issue and pages


@pytest.mark.parametrize(
    ("kind_a", "kind_b", "changes"),
    [
        ("preprint", "article", {"journal": "medRxiv", "doi": "10.1101/2021.01.01.123"}),
        ("conference", "article", {"journal": "European Heart Journal Supplements Abstracts of ESC Congress"}),
        ("", "article", {"journal": "ClinicalTrials.gov", "url": "https://clinicaltrials.gov/ct2/show/NCT01234567"}),
    ],
)
def test_preprints_meeting_abstracts_and_registry_entries_stay_apart_from_the_article(
    kind_a: str, kind_b: str, changes: dict[str, str]
) -> None:
    other = article(volume="", pages="", issue="", type=kind_a, **changes)
    decision = pair(other, article(type=kind_b, doi="10.1016/j.ejheart.2014.02.003"))
    assert decision.verdict != "same"
    assert any(c.kind == "publication" for c in decision.evidence.conflicts)


def test_weights_are_readable_and_absent_fields_weigh_nothing() -> None:
    assert title_weight(1.0, True, 10).weight == 10.0
    assert title_weight(1.0, False, 1).weight <= 1.0  # "Editorial" says little
    assert abstract_weight(0.3).weight < 0
    decision = pair(article(year="", journal=""), article(year="", journal=""))
    text = decision.weights_text()
    assert "year=" not in text and "journal=" not in text and "total=" in text
    assert describe(list(decision.weights)).endswith(f"total={decision.total:+g}")
    assert REVIEW < MATCH


def test_clusters_and_review_keep_the_weights() -> None:
    records = make_records(article(doi="10.1/a"), article(doi="10.1/b"), article(doi="10.1/c", volume="", pages="", issue=""))
    result = find_duplicates(records)
    assert result.clusters["weights"][1].startswith("doi=different -6") and "total=" in result.clusters["weights"][1]
    assert result.clusters["weights"][0] == ""
    assert len(result.review) == 1 and "total=" in result.review["weights"][0]


# --------------------------------------------------------------------------------------------
# sparse exports (failure class 4)


def test_a_title_and_abstract_only_csv_export_finds_its_duplicates(tmp_path: Path) -> None:
    works = [
        ("Nurse-led transitional care for older people with heart failure: a randomised controlled trial", ABSTRACT),
        ("Exercise training after myocardial infarction in women: a multicentre cohort study",
         "Objective: to describe exercise training after myocardial infarction in women across 23 centres. Design: "
         "prospective cohort of 2,041 women followed for five years after their first infarction. Results: one in five "
         "took part in training; those who did had fewer readmissions. Conclusion: training is underused."),
        ("Dietary salt and blood pressure in adolescents: a systematic review",
         "We searched six databases for trials of dietary salt reduction in adolescents aged 12 to 18 and pooled "
         "the effects on systolic and diastolic blood pressure. Eighteen trials with 3,400 participants were "
         "included; salt reduction lowered systolic pressure by 2.4 mmHg on average."),
    ]
    rows = []
    for title, abstract in works:
        rows.append({"Title": title, "Abstract": abstract})
        rows.append({"Title": title.upper().replace(":", " -"), "Abstract": abstract.replace("Results:", "RESULTS:") + " "})
    # different works with a similar title
    rows.append({"Title": "Nurse-led transitional care for older people with diabetes: a randomised controlled trial",
                 "Abstract": "Background: diabetes admissions rise with age. Methods: a trial of 300 patients of nurse-led "
                             "care against usual care. Results: no difference in readmissions at one year."})
    export = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(export, index=False)
    parsed = read_export(export)
    records = []
    for index, record in enumerate(parsed.records, start=1):
        row = {name: record.fields.get(name, "") for name in BIBLIO_FIELDS}
        row.update(record_id=f"R01-{index:012x}", round=1, source_type="database", database="x",
                   source_file=export.name, source_index=index)
        records.append(row)
    frame = pd.DataFrame(records)
    assert (frame["year"] == "").all() and (frame["authors"] == "").all()
    clusters = find_duplicates(frame).clusters["cluster_id"].tolist()
    assert clusters[0] == clusters[1] and clusters[2] == clusters[3] and clusters[4] == clusters[5]
    assert len(set(clusters)) == 4


def test_a_journal_and_the_meeting_it_printed_are_compatible() -> None:
    assert journals_compatible(journal_forms("Microcirculation"), journal_forms("Microcirculation. Conference: 24th Annual Meeting"))
    assert not journals_compatible(journal_forms("Microcirculation"), journal_forms("Diabetes. Conference: 74th Scientific Sessions"))


def test_a_misspelt_notice_is_still_a_notice() -> None:
    assert title_forms("Erratm: Nurse-led transitional care for older people").markers == {"erratum"}
    assert not title_forms("Retractions of papers in medical journals").markers  # a study of retractions
    assert pair(article(), article(title="Erratm " + article()["title"], pages="290")).verdict != "same"
