"""Reports of one study: candidate links (dedupe/related.py), people's verdicts, and studies vs reports in the counts."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from reviewflow.cli import main as reviewflow
from reviewflow.csvio import read_table
from reviewflow.dedupe.related import RELATED_COLUMNS, check_study_links, find_related, study_ids
from reviewflow.errors import ReviewErrors
from reviewflow.paths import ReviewPaths

from . import minireview

FIELDS = ("title", "authors", "year", "journal", "doi", "abstract", "keywords", "type", "url", "publisher", "database", "raw")


def records(*rows: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame([{**dict.fromkeys(FIELDS, ""), "database": "DB", **row} for row in rows])
    clusters = pd.DataFrame({"record_id": frame["record_id"], "cluster_id": [r.get("cluster", r["record_id"]) for r in rows]})
    return frame.drop(columns=[c for c in ("cluster",) if c in frame]), clusters


ARTICLE = {"title": "Effects of school based exercise on anxiety in adolescents: a cluster randomised trial",
           "authors": "Okafor, Ngozi; Lindqvist, Erik", "year": "2021", "journal": "BMJ Open", "type": "article"}


def test_a_preprint_and_its_published_version_are_listed_with_the_reason() -> None:
    frame, clusters = records(
        {"record_id": "R01-pre", **ARTICLE, "year": "2020", "journal": "medRxiv", "doi": "10.1101/2020.05.01.20087654",
         "title": "Effects of school-based exercise on anxiety in adolescents: a cluster randomized trial", "type": ""},
        {"record_id": "R02-pub", **ARTICLE, "doi": "10.1136/bmjopen-2021-012345"},
        {"record_id": "R02-other", **ARTICLE, "title": "Effects of school based exercise on depression in older adults",
         "authors": "Someone, Else"},
    )
    related = find_related(frame, clusters)
    assert list(related.columns) == list(RELATED_COLUMNS)
    assert related[["record_id_a", "record_id_b", "relation"]].values.tolist() == [["R01-pre", "R02-pub", "preprint"]]
    reason = related.loc[0, "reason"]
    assert "a preprint (medRxiv, DOI 10.1101/2020.05.01.20087654)" in reason and "okafor" in reason
    assert "years 2020 and 2021" in reason


def test_no_link_without_an_author_in_common_or_years_apart_or_within_one_work() -> None:
    pre = {**ARTICLE, "journal": "Research Square", "doi": "10.21203/rs.3.rs-12345/v1", "year": "2020"}
    frame, clusters = records({"record_id": "R01-a", **pre}, {"record_id": "R01-b", **ARTICLE, "authors": "Other, Person"},
                              {"record_id": "R01-c", **ARTICLE, "year": "2027"},
                              {"record_id": "R01-d", **ARTICLE, "cluster": "R01-a"})
    assert find_related(frame, clusters).empty


def test_a_conference_abstract_and_the_full_article() -> None:
    frame, clusters = records(
        {"record_id": "R01-abs", **ARTICLE, "year": "2020", "journal": "Abstracts of the European Congress of Psychiatry",
         "type": "conference", "pages": "S112"},
        {"record_id": "R03-art", **ARTICLE},
    )
    related = find_related(frame, clusters)
    assert related["relation"].tolist() == ["conference_abstract"]
    assert related.loc[0, "reason"].startswith("a conference abstract (Abstracts of the European Congress of Psychiatry)")


def test_companion_papers_share_a_registry_id_anywhere_in_the_record() -> None:
    frame, clusters = records(
        {"record_id": "R01-x", "title": "Protocol for a trial of exercise in schools", "abstract": "Registered as NCT04123456."},
        {"record_id": "R02-y", "title": "Cost effectiveness of exercise in schools", "keywords": "economics; nct04123456"},
        {"record_id": "R02-z", "title": "Something else", "raw": '{"N1": ["Trial registration: ISRCTN12345678"]}'},
        {"record_id": "R03-w", "title": "Main results", "raw": '{"N1": ["ISRCTN 12345678 and PROSPERO CRD42019123456"]}'},
    )
    related = find_related(frame, clusters)
    assert related[["record_id_a", "record_id_b"]].values.tolist() == [["R01-x", "R02-y"], ["R02-z", "R03-w"]]
    assert related.loc[0, "reason"] == "both name the registration NCT04123456"
    assert set(related["relation"]) == {"registry_id"}


def test_study_links_are_checked_and_chains_make_one_study() -> None:
    clusters = pd.DataFrame({"record_id": ["R1", "R2", "R3", "R4", "R5"], "cluster_id": ["R1", "R2", "R3", "R3", "R5"]})
    links = check_study_links(pd.DataFrame({"record_id_a": ["R2", "R4"], "record_id_b": ["R1", "R2"],
                                            "verdict": ["Same", "same"]}), clusters["record_id"])
    assert study_ids(clusters, links) == {"R1": "R1", "R2": "R1", "R3": "R1"}
    bad = pd.DataFrame({"record_id_a": ["R1", "R9", "R1", "R1"], "record_id_b": ["R2", "R2", "R1", "R2"],
                        "verdict": ["same", "same", "same", "maybe"]})
    with pytest.raises(ReviewErrors) as error:
        check_study_links(bad, clusters["record_id"], file="studies.csv")
    text = error.value.describe()
    assert "studies.csv, row 3, column 'record_id_a': 'R9' is not a record id" in text
    assert "row 4, column 'record_id_b': a record is paired with itself" in text
    assert "row 5, column 'verdict': 'maybe' is not a verdict" in text
    contradiction = check_study_links(pd.DataFrame({"record_id_a": ["R1", "R2", "R1"], "record_id_b": ["R2", "R3", "R4"],
                                                    "verdict": ["same", "same", "different"]}), clusters["record_id"])
    with pytest.raises(ReviewErrors, match="R1 and R4 are 'different', but 'same' links join their works"):
        study_ids(clusters, contradiction, file="studies.csv")


# ----------------------------------------------------------------------------- a review with studies of several reports

ROUND5 = textwrap.dedent(
    """\
    TY  - JOUR
    TI  - Partnership working in primary schools
    AU  - Smith, John
    PY  - 2009
    T2  - SocArXiv
    DO  - 10.31235/osf.io/abcde
    ER  - 

    TY  - JOUR
    TI  - Youth offending teams in practice: a realist evaluation
    AU  - Khan, Sara
    PY  - 2014
    T2  - Criminal Justice Review
    AB  - Trial registration: ISRCTN87654321.
    ER  - 

    TY  - JOUR
    TI  - Costs of youth offending teams
    AU  - Khan, Sara
    PY  - 2015
    T2  - Economics of Justice
    N1  - Companion to the ISRCTN87654321 main paper
    ER  - 
    """
)


def test_a_review_with_studies_of_several_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    (paths.searches / "r5.ris").write_text(ROUND5, encoding="utf-8")
    with paths.search_log.open("a", encoding="utf-8") as log:
        log.write("5,2015-05-01,database,OtherDB,partnership preprints,r5.ris,3\n")
    paths.config.write_text(paths.config.read_text() + "dedupe: {preprints: different}\n", encoding="utf-8")
    for step in ("import", "dedupe"):
        assert reviewflow([step, "--root", str(tmp_path)]) == 0
    related = read_table(paths.related)
    by_relation = {r["relation"]: r for r in related.to_dict("records")}
    assert set(by_relation) == {"preprint", "registry_id"}
    assert by_relation["preprint"]["record_id_b"] == ids["partnership"] or by_relation["preprint"]["record_id_a"] == ids["partnership"]
    assert "SocArXiv" in by_relation["preprint"]["reason"]
    assert by_relation["registry_id"]["reason"] == "both name the registration ISRCTN87654321"
    new = {r: t for r, t in zip(*(read_table(paths.records)[c] for c in ("record_id", "title")), strict=True) if r.startswith("R05")}
    for stage, reviewers in (("title", ("a", "b")), ("fulltext", ("a",))):
        for reviewer in reviewers:
            path = paths.decision_file(stage, reviewer)
            path.write_text(path.read_text() + "".join(f"{r},include,,\n" for r in new), encoding="utf-8")
    # the people's verdicts: every listed pair is a pair of reports of one study
    rows = "".join(f"{r['record_id_a']},{r['record_id_b']},same,checked the full texts\n" for r in related.to_dict("records"))
    paths.study_decisions.write_text("record_id_a,record_id_b,verdict,note\n" + rows, encoding="utf-8")
    for step in ("screen", "ledger", "evidence-todo"):
        assert reviewflow([step, "--root", str(tmp_path)]) == 0
    counts = json.loads(paths.counts.read_text())
    # before: 2 studies (schools, the foundation's report); now 3 new reports, of 1 new study (the trial's two papers)
    assert counts["new_reports"] == 5 and counts["new_studies"] == 3
    assert counts["total_reports"] == 5 and counts["total_studies"] == 3
    assert counts["dbr_included"] + counts["other_included"] == counts["new_reports"]
    prisma = read_table(paths.prisma_csv).set_index("data")["n"]
    assert (prisma["new_studies"], prisma["new_reports"]) == ("3", "5")
    svg = paths.flow_diagram.read_text().replace("\u00a0", " ")
    assert "Studies included in review (n = 3)<" in svg and "Reports of included studies (n = 5)<" in svg
    ledger = read_table(paths.ledger)
    included = ledger[ledger["fate"] == "included"]
    assert included["study_id"].nunique() == 3 and len(included) == 5
    # the evidence log: one row per study; the trial's first paper is to code, the preprint is not (its study is coded)
    todo = read_table(paths.processed / "evidence_log_todo.csv")
    trial = [r for r, t in new.items() if t.startswith("Youth offending")]
    assert todo["record_id"].tolist() == trial
    capsys.readouterr()
    assert reviewflow(["verify", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "studies and reports: 3 new studies with 5 reports (2 works are further reports of a study" in out
    # verify checks the arithmetic: counts.json claiming one study per report fails
    counts["new_studies"] = counts["total_studies"] = 5
    paths.counts.write_text(json.dumps(counts))
    assert reviewflow(["verify", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "counts.json new_studies = 5, but the ledger gives 3" in err
    # a bad verdict stops the ledger step, naming the file, row and column
    paths.study_decisions.write_text("record_id_a,record_id_b,verdict\nR05-x,R05-y,perhaps\n", encoding="utf-8")
    assert reviewflow(["ledger", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "studies.csv, row 2, column 'record_id_a': 'R05-x' is not a record id" in err and "'perhaps' is not a verdict" in err
    # an update: the preprint is a new report of a study the previous version included, not a new study
    paths.study_decisions.write_text("record_id_a,record_id_b,verdict,note\n" + rows, encoding="utf-8")
    paths.config.write_text(paths.config.read_text().replace("review: {title: A small review}",
                                                             "review: {title: A small review, previous_version: {last_round: 4}}"))
    assert reviewflow(["ledger", "--root", str(tmp_path)]) == 0
    counts = json.loads(paths.counts.read_text())
    assert (counts["previous_studies"], counts["previous_reports"]) == (2, 2)
    assert (counts["new_studies"], counts["new_reports"]) == (1, 3)
    assert (counts["total_studies"], counts["total_reports"]) == (3, 5)
