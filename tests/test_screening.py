"""Screening rules, one test (or a few) per rule of issue 5.

The reviews here are built from a records table and clusters written
directly (the seam between de-duplication and screening), so that the
record ids, and with them the samples, are fixed by the test.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from reviewflow.cli import main as cli
from reviewflow.config import check_config
from reviewflow.csvio import (
    neutralise_formula,
    parse_sheet_date,
    read_people_csv,
    read_table,
    write_csv,
)
from reviewflow.errors import ReviewError
from reviewflow.paths import ReviewPaths
from reviewflow.records import RECORD_COLUMNS
from reviewflow.screening import (
    Units,
    agreement,
    assigned_reviewers,
    cohens_kappa,
    conflicts,
    fleiss_kappa,
    group_agreement,
    priority_scores,
    read_decisions,
    resolve,
    worksheets,
)

# ----------------------------------------------------------------------------------------------
# a small review, built by hand


def rid(n: int, round_number: int = 1) -> str:
    """A fixed record id of the form the importer writes."""
    return f"R{round_number:02d}-{hashlib.sha256(str(n).encode()).hexdigest()[:12]}"


CRITERIA = {
    "inclusion": [{"code": "I1", "text": "Empirical research on partnership working in UK public services"}],
    "exclusion": [
        {"code": "GEO", "label": "Context too different", "text": "Outside the UK"},
        {"code": "TOPIC", "label": "Not on partnership working", "text": "Not about partnership working"},
        {"code": "NOTEMP", "label": "Not empirical", "text": "No empirical data"},
        {"code": "NR", "label": "Full text not retrieved", "text": "The full text could not be obtained", "not_retrieved": True},
    ],
}


def make_config(stages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    raw = {
        "review": {"title": "A test review"},
        "questions": [{"id": "Q1", "text": "What works?"}],
        "reviewers": {"tm": {"name": "Tamara M"}, "ac": {"name": "Ailsa C"}, "ks": {"name": "Karen S"}},
        "stages": stages,
        "criteria": CRITERIA,
        "evidence_log": {"fields": [{"name": "literature"}]},
        **extra,
    }
    return raw


TITLE_SAMPLE = {
    "name": "title",
    "lanes": ["databases"],
    "reviewers": ["tm", "ac"],
    "assignment": {"mode": "sample", "share": 0.2, "seed": 5},
    "adjudicator": "ks",
}


def make_records(n: int, *, grey: tuple[int, ...] = (), titles: dict[int, str] | None = None) -> pd.DataFrame:
    """n records, one work each; works listed in ``grey`` come from an organisation's website."""
    titles = titles or {}
    rows = []
    for i in range(n):
        row = {column: "" for column in RECORD_COLUMNS}
        row.update(
            record_id=rid(i),
            round="1",
            source_type="organisation" if i in grey else "database",
            database="Some organisation" if i in grey else "EDS",
            source_file="grey.csv" if i in grey else "eds.ris",
            source_index=str(i + 1),
            title=titles.get(i, f"Study number {i} of joint working in rural development"),
            authors="Smith, J.",
            year="2010",
            journal="Journal of Things",
            doi=f"10.5555/{i}",
            abstract=f"Abstract of study {i}.",
            url=f"https://example.org/{i}",
            raw="{}",
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS))


def make_review(
    root: Path,
    stages: list[dict[str, Any]],
    records: pd.DataFrame,
    joined: dict[int, int] | None = None,
    **extra: Any,
) -> ReviewPaths:
    """A review folder with its config, records.csv and clusters.csv (``joined``: work -> the work it duplicates)."""
    paths = ReviewPaths(root)
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(yaml.safe_dump(make_config(stages, **extra), sort_keys=False), encoding="utf-8")
    write_csv(records, paths.records)
    cluster = {r: r for r in records["record_id"]}
    for member, first in (joined or {}).items():
        cluster[rid(member)] = rid(first)
    clusters = pd.DataFrame({"record_id": records["record_id"], "cluster_id": records["record_id"].map(cluster)})
    for column in ("rule", "score", "matched_with"):
        clusters[column] = ""
    write_csv(clusters, paths.clusters)
    return paths


def write_decisions(paths: ReviewPaths, stage: str, who: str, rows: list[tuple[str, ...]], header: str = "record_id,decision,reason,note") -> Path:
    path = paths.adjudication_file(stage) if who == "adjudication" else paths.decision_file(stage, who)
    path.parent.mkdir(parents=True, exist_ok=True)
    width = len(header.split(","))
    lines = [header, *(",".join([*row, *[""] * (width - len(row))]) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(paths: ReviewPaths) -> tuple[dict[str, Any], Units, pd.DataFrame]:
    config = check_config(yaml.safe_load(paths.config.read_text(encoding="utf-8")), paths.config)
    records = read_table(paths.records)
    records["round"] = records["round"].astype(int)
    return config, Units.build(records, read_table(paths.clusters)), records


def screen(paths: ReviewPaths) -> tuple[dict[str, Any], Units, Any, Any]:
    config, units, _ = load(paths)
    decisions = read_decisions(paths, config, units)
    return config, units, decisions, resolve(config, units, decisions.table)


def outcome(resolution: Any, stage: str, work: int) -> dict[str, str]:
    frame = resolution.outcomes
    rows = frame[(frame["stage"] == stage) & (frame["cluster_id"] == rid(work))]
    assert len(rows) == 1, f"work {work} has not reached {stage}"
    return rows.iloc[0].to_dict()


def problems(error: pytest.ExceptionInfo[ReviewError]) -> list[ReviewError]:
    return list(getattr(error.value, "errors", [error.value]))


SINGLE = {"name": "title", "lanes": ["databases"], "reviewers": ["tm"]}
DUAL = {"name": "title", "lanes": ["databases"], "reviewers": ["tm", "ac"], "assignment": {"mode": "dual"}}
FULLTEXT = {"name": "fulltext", "full_text": True, "reviewers": ["tm", "ac"], "assignment": {"mode": "dual"}, "reasons": "required", "maybe": "pending"}


# ----------------------------------------------------------------------------------------------
# configuration


def test_config_fills_screening_defaults_and_accepts_the_new_settings() -> None:
    config = check_config(make_config([{**TITLE_SAMPLE, "show": ["title", "abstract"], "order": "canonical"}],
                                      decisions={"synonyms": {"ja": "include"}, "day_first": False}))
    stage = config["stages"][0]
    assert stage["consensus"] == "adjudicator" and stage["maybe"] == "include" and stage["reasons"] == "optional"
    assert stage["adjudicator"] == "ks" and stage["show"] == ["title", "abstract"] and stage["order"] == "canonical"
    assert config["decisions"]["day_first"] is False
    assert check_config(make_config([SINGLE]))["stages"][0]["order"] == "priority"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c["stages"][0].update(consensus="majority"), "stages[0].consensus"),
        (lambda c: c["stages"][0].update(assignment={"mode": "sample", "share": 1.5}), "stages[0].assignment.share"),
        (lambda c: c["stages"][0].update(show=["title", "colour"]), "stages[0].show[1]"),
        (lambda c: c.update(decisions={"synonyms": {"ja": "jein"}}), "decisions.synonyms.ja"),
        (lambda c: c["stages"][0].update(adjudicator="zz"), "'zz' is not one of the reviewers"),
        (lambda c: c["stages"][0].update(reviewers=["tm"], assignment={"mode": "dual"}), "needs at least two reviewers"),
        (lambda c: c["stages"][0].update(reviewers=["tm", "nobody"]), "'nobody' is not one of the reviewers"),
        (lambda c: c["reviewers"].update(adjudication={"name": "X"}), "'adjudication' names the file"),
        (lambda c: (c["reviewers"].update(TM={"name": "X"}), c["stages"][0].update(reviewers=["tm", "TM"])), "only in capitals"),
        (lambda c: c.update(decisions={"synonyms": {"Ja": "include", "ja ": "exclude"}}), "are the same spelling"),
    ],
)
def test_config_refuses_bad_screening_settings(change: Any, expected: str) -> None:
    raw = make_config([dict(TITLE_SAMPLE)])
    change(raw)
    with pytest.raises(ReviewError) as error:
        check_config(raw, "config/config.yaml")
    assert expected in str(error.value)


# ----------------------------------------------------------------------------------------------
# assignment


def test_assignment_single_dual_and_sample_are_stable() -> None:
    works = [rid(i) for i in range(2000)]
    single = {"name": "s", "reviewers": ["tm", "ac"], "assignment": {"mode": "single", "seed": 1}}
    split = [assigned_reviewers(single, w) for w in works]
    assert all(len(a) == 1 for a in split)
    assert 900 < sum(a == ["tm"] for a in split) < 1100  # an even split
    assert all(assigned_reviewers({**single, "assignment": {"mode": "dual"}}, w) == ["tm", "ac"] for w in works[:10])
    sample = {"name": "s", "reviewers": ["tm", "ac", "ks"], "assignment": {"mode": "sample", "share": 0.2, "seed": 3}}
    drawn = [assigned_reviewers(sample, w) for w in works]
    assert all(a[0] == "tm" for a in drawn)
    seconds = [a[1] for a in drawn if len(a) == 2]
    assert 340 < len(seconds) < 460 and {"ac", "ks"} == set(seconds)
    # adding works never moves an earlier work in or out of the sample
    assert [assigned_reviewers(sample, w) for w in works[:50]] == drawn[:50]
    assert assigned_reviewers({**sample, "assignment": {**sample["assignment"], "seed": 4}}, works[0]) is not None


# ----------------------------------------------------------------------------------------------
# reading what people save


def test_spreadsheet_habits_are_forgiven(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(6), decisions={"synonyms": {"Possibly relevant": "maybe"}})
    path = paths.decision_file("title", "tm")
    path.parent.mkdir(parents=True)
    text = (
        "sep=;\r\n"
        " Record ID ;DECISION;Reason Code;Notes\r\n"
        f" {rid(0)} ; INCLUDE ;;\r\n"
        f"{rid(1).upper().replace('R01', 'r1')};  yes;;  a note \r\n"
        f"'{rid(2)};Exclude; geo ;\r\n"
        f"{rid(3)};no;not on partnership working;\r\n"
        f"{rid(4)};possibly   RELEVANT;;\r\n"
        f"{rid(5)};;;\r\n"
        ";;;\r\n;;;\r\n\r\n"
    )
    path.write_bytes(text.encode("utf-8-sig"))
    decisions = screen(paths)[2]
    table = decisions.table.set_index("record_id")
    assert table.loc[rid(0), "decision"] == "include" and table.loc[rid(1), "decision"] == "include"
    assert table.loc[rid(1), "note"] == "a note"
    assert table.loc[rid(2), "reason"] == "GEO" and table.loc[rid(3), "reason"] == "TOPIC"
    assert table.loc[rid(4), "decision"] == "maybe"
    assert int(table.loc[rid(2), "row"]) == 4  # the spreadsheet's row: the sep= line is hidden, the header is row 1
    assert decisions.undecided == {str(path): 1}  # the row with an id and no decision yet


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ac.csv"
    path.write_bytes(("record_id\tdecision\r\n" + f"{rid(1)}\texclude\r\n").encode("utf-16"))
    frame = read_people_csv(path)
    assert frame[["record_id", "decision"]].values.tolist() == [[rid(1), "exclude"]]


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2015-03-02", True, "2015-03-02"),
        ("2015-03-02 00:00:00", True, "2015-03-02"),
        ("02/03/2015", True, "2015-03-02"),
        ("02/03/2015", False, "2015-02-03"),
        ("2.3.15", True, "2015-03-02"),
        ("2015/03/02", True, "2015-03-02"),
        ("2 Mar 2015", True, "2015-03-02"),
        ("02-Mar-15", True, "2015-03-02"),
        ("March 2, 2015", True, "2015-03-02"),
        ("42065", True, "2015-03-02"),
        ("31/02/2015", True, None),
        ("soon", True, None),
    ],
)
def test_spreadsheet_dates(text: str, day_first: bool, expected: str | None) -> None:
    parsed = parse_sheet_date(text, day_first=day_first)
    assert (parsed.isoformat() if parsed else None) == expected


def test_decision_dates_are_normalised_and_checked(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(3))
    write_decisions(paths, "title", "tm", [(rid(0), "include", "", "", "02/03/2015"), (rid(1), "exclude", "", "", "42065")],
                    header="record_id,decision,reason,note,date")
    assert screen(paths)[2].table["date"].tolist() == ["2015-03-02", "2015-03-02"]
    write_decisions(paths, "title", "tm", [(rid(0), "include", "", "", "next week")], header="record_id,decision,reason,note,date")
    with pytest.raises(ReviewError) as error:
        screen(paths)
    (found,) = problems(error)
    assert (found.row, found.column) == (2, "date")


@pytest.mark.parametrize(
    ("stages", "rows", "row", "column", "message"),
    [
        ([SINGLE], [("R01-nonsense", "include")], 2, "record_id", "is not a record id of this review"),
        ([SINGLE], [(rid(0)[:-1] + ("0" if rid(0)[-1] != "0" else "1"), "include")], 2, "record_id", f"a typo for {rid(0)}"),
        ([SINGLE], [(rid(0), "include"), (rid(1), "perhaps")], 3, "decision", "'perhaps' is not a decision"),
        ([SINGLE], [(rid(0), "exclude", "FOO")], 2, "reason", "unknown reason code 'FOO'"),
        ([SINGLE], [(rid(0), "exclude", "I1")], 2, "reason", "is an inclusion criterion"),
        ([SINGLE], [(rid(0), "include", "GEO")], 2, "reason", "an include with the exclusion reason GEO"),
        ([SINGLE], [(rid(0), "exclude", "NR")], 2, "reason", "only a full-text stage decides"),
        ([SINGLE], [(rid(0), "", "GEO")], 2, "decision", "a reason (GEO) but no decision"),
        ([SINGLE], [("", "exclude")], 2, "record_id", "a decision without a record id"),
        ([SINGLE], [(rid(0), "include"), (rid(1), "exclude"), (rid(0), "exclude")], 4, "decision",
         "a second, different decision for"),
        ([{**FULLTEXT, "reviewers": ["tm"], "assignment": {"mode": "single"}}], [(rid(0), "exclude")], 2, "reason",
         "needs a reason code"),
    ],
)
def test_bad_decisions_name_file_row_and_column(
    tmp_path: Path, stages: list[dict[str, Any]], rows: list[tuple[str, ...]], row: int, column: str, message: str
) -> None:
    paths = make_review(tmp_path, stages, make_records(4))
    path = write_decisions(paths, stages[0]["name"], "tm", rows)
    with pytest.raises(ReviewError) as error:
        screen(paths)
    (found,) = problems(error)
    assert (found.file, found.row, found.column) == (str(path), row, column)
    assert message in found.message
    assert found.fix  # and says how to fix it


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [DUAL], make_records(4))
    write_decisions(paths, "title", "tm", [(rid(0), "yes please"), (rid(1), "exclude", "XX")])
    write_decisions(paths, "title", "ac", [("abc", "include")])
    with pytest.raises(ReviewError) as error:
        screen(paths)
    assert [(Path(p.file).name, p.row, p.column) for p in problems(error)] == [
        ("tm.csv", 2, "decision"), ("tm.csv", 3, "reason"), ("ac.csv", 2, "record_id")]


def test_a_decision_file_without_its_columns_is_an_error(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include")], header="id,verdikt")
    with pytest.raises(ReviewError, match="lacks the column decision"):
        screen(paths)


def test_an_empty_decision_file_holds_no_decisions(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [DUAL], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include")])
    paths.decision_file("title", "ac").write_bytes(b"\xef\xbb\xbf\r\n")
    assert screen(paths)[2].table["reviewer"].tolist() == ["tm"]


def test_a_repeated_identical_decision_is_harmless(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include", "", "first"), (rid(0), "Include", "", "second")])
    table = screen(paths)[2].table
    assert len(table) == 1 and table["note"].tolist() == ["first | second"]


def test_the_adjudication_must_be_firm(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [DUAL], make_records(2))
    path = write_decisions(paths, "title", "adjudication", [(rid(0), "maybe")])
    with pytest.raises(ReviewError) as error:
        screen(paths)
    assert [(p.file, p.row, p.column) for p in problems(error)] == [(str(path), 2, "decision")]


def test_files_nobody_reads_are_reported(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include")])
    (paths.decisions / "title" / "TM (copy).csv").write_text("record_id,decision\n", encoding="utf-8")
    (paths.decisions / "title" / "Tm.csv").write_text("record_id,decision\n", encoding="utf-8")
    (paths.decisions / "title" / "tm.xlsx").write_bytes(b"PK")
    (paths.decisions / "title" / ".~lock.tm.csv#").write_text("x", encoding="utf-8")
    (paths.decisions / "titles").mkdir()
    (paths.decisions / "titles" / "tm.csv").write_text("record_id,decision\n", encoding="utf-8")
    warnings = "\n".join(screen(paths)[2].warnings)
    assert "TM (copy).csv: this file belongs to no configured stage" in warnings
    assert "rename it tm.csv" in warnings
    assert "tm.xlsx" in warnings and "save it as CSV" in warnings
    assert "tm.csv is open in a spreadsheet" in warnings
    assert "stage folders are named after the stages: title" in warnings


# ----------------------------------------------------------------------------------------------
# outcomes, stage by stage


def test_no_decision_is_pending_never_excluded(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(3))
    write_decisions(paths, "title", "tm", [(rid(0), "exclude")])
    _, _, _, resolution = screen(paths)
    assert outcome(resolution, "title", 0)["outcome"] == "exclude"
    assert outcome(resolution, "title", 1)["outcome"] == "pending"


def test_a_work_reaches_a_stage_only_when_included_before_and_grey_goes_to_full_text(tmp_path: Path) -> None:
    stages = [SINGLE, {**FULLTEXT, "reviewers": ["tm"], "assignment": {"mode": "single"}}]
    paths = make_review(tmp_path, stages, make_records(4, grey=(3,)))
    write_decisions(paths, "title", "tm", [(rid(0), "include"), (rid(1), "exclude")])
    _, _, _, resolution = screen(paths)
    at_fulltext = resolution.outcomes.query("stage == 'fulltext'")["cluster_id"].tolist()
    assert at_fulltext == [rid(0), rid(3)]  # work 2 waits at title; the grey work skips the title stage


def test_a_decision_for_a_work_that_will_never_reach_the_stage_is_an_error(tmp_path: Path) -> None:
    stages = [SINGLE, {**FULLTEXT, "reviewers": ["tm"], "assignment": {"mode": "single"}}]
    paths = make_review(tmp_path, stages, make_records(4, grey=(3,)))
    write_decisions(paths, "title", "tm", [(rid(1), "exclude"), (rid(3), "include")])
    path = write_decisions(paths, "fulltext", "tm", [(rid(1), "include")])
    with pytest.raises(ReviewError) as error:
        screen(paths)
    found = problems(error)
    assert [(p.file, p.row, p.column) for p in found] == [(str(paths.decision_file("title", "tm")), 3, "record_id"),
                                                          (str(path), 2, "record_id")]
    assert "only for records from databases" in found[0].message
    assert "it was excluded at the title stage" in found[1].message


def test_a_decision_ahead_of_time_is_held_until_the_work_arrives(tmp_path: Path) -> None:
    stages = [DUAL, {**FULLTEXT, "reviewers": ["tm"], "assignment": {"mode": "single"}}]
    paths = make_review(tmp_path, stages, make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include")])  # ac has not screened it yet
    write_decisions(paths, "fulltext", "tm", [(rid(0), "exclude", "GEO")])
    _, _, _, resolution = screen(paths)
    assert resolution.held[["stage", "record_id", "waiting_for"]].values.tolist() == [["fulltext", rid(0), "title"]]
    assert outcome(resolution, "title", 0)["decided_by"] == "waiting:ac"
    write_decisions(paths, "title", "ac", [(rid(0), "include")])
    _, _, _, resolution = screen(paths)
    assert resolution.held.empty and outcome(resolution, "fulltext", 0)["outcome"] == "exclude"


def test_sample_screening_waits_for_the_second_reviewer(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [TITLE_SAMPLE], make_records(40))
    config, *_ = load(paths)
    sampled = [i for i in range(40) if len(assigned_reviewers(config["stages"][0], rid(i))) == 2]
    other = next(i for i in range(40) if i not in sampled)
    write_decisions(paths, "title", "tm", [(rid(sampled[0]), "include"), (rid(other), "include")])
    _, _, _, resolution = screen(paths)
    assert outcome(resolution, "title", sampled[0])["outcome"] == "pending"
    assert outcome(resolution, "title", sampled[0])["decided_by"] == "waiting:ac"
    assert outcome(resolution, "title", other)["outcome"] == "include"


@pytest.mark.parametrize(
    ("consensus", "adjudicated", "expected", "conflict"),
    [
        ("adjudicator", None, "pending", "open"),
        ("adjudicator", "exclude", "exclude", "resolved"),
        ("either_include", None, "include", "resolved"),
        ("both_include", None, "exclude", "resolved"),
        ("either_include", "exclude", "exclude", "resolved"),  # an adjudication always wins
    ],
)
def test_disagreements_are_settled_by_the_rule_or_the_adjudication(
    tmp_path: Path, consensus: str, adjudicated: str | None, expected: str, conflict: str
) -> None:
    paths = make_review(tmp_path, [{**DUAL, "consensus": consensus}], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "include")])
    write_decisions(paths, "title", "ac", [(rid(0), "exclude", "GEO")])
    if adjudicated:
        write_decisions(paths, "title", "adjudication", [(rid(0), adjudicated, "TOPIC")])
    got = outcome(screen(paths)[3], "title", 0)
    assert (got["outcome"], got["conflict"], got["conflict_kind"]) == (expected, conflict, "decision")
    if expected == "exclude":
        assert got["reason"] == ("TOPIC" if adjudicated else "GEO")


def test_different_exclusion_reasons_conflict_at_full_text_only(tmp_path: Path) -> None:
    title_dual = {**DUAL, "reasons": "optional"}
    paths = make_review(tmp_path, [title_dual], make_records(3))
    write_decisions(paths, "title", "tm", [(rid(0), "exclude", "GEO"), (rid(1), "exclude", "GEO")])
    write_decisions(paths, "title", "ac", [(rid(0), "exclude", "TOPIC"), (rid(1), "exclude")])
    _, _, _, resolution = screen(paths)
    assert outcome(resolution, "title", 0)["conflict"] == "" and outcome(resolution, "title", 0)["reason"] == "GEO"

    paths = make_review(tmp_path / "ft", [FULLTEXT], make_records(3))
    write_decisions(paths, "fulltext", "tm", [(rid(0), "exclude", "GEO"), (rid(1), "exclude", "NOTEMP; GEO")])
    write_decisions(paths, "fulltext", "ac", [(rid(0), "exclude", "TOPIC"), (rid(1), "exclude", "NOTEMP")])
    _, _, _, resolution = screen(paths)
    got = outcome(resolution, "fulltext", 0)
    assert (got["outcome"], got["conflict"], got["conflict_kind"]) == ("pending", "open", "reason")
    assert outcome(resolution, "fulltext", 1)["outcome"] == "exclude"  # the first reasons agree


def test_maybe_passes_or_waits_as_the_stage_says(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [{**SINGLE, "maybe": "include"}], make_records(2))
    write_decisions(paths, "title", "tm", [(rid(0), "maybe")])
    assert outcome(screen(paths)[3], "title", 0)["outcome"] == "include"

    paths = make_review(tmp_path / "ft", [FULLTEXT], make_records(2))
    write_decisions(paths, "fulltext", "tm", [(rid(0), "maybe")])
    write_decisions(paths, "fulltext", "ac", [(rid(0), "include")])
    got = outcome(screen(paths)[3], "fulltext", 0)
    assert (got["outcome"], got["decided_by"], got["conflict"]) == ("pending", "maybe:tm", "")


def test_an_exclusion_for_a_full_text_not_retrieved_counts_as_not_retrieved(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [FULLTEXT], make_records(2))
    write_decisions(paths, "fulltext", "tm", [(rid(0), "exclude", "Full text not retrieved")])
    write_decisions(paths, "fulltext", "ac", [(rid(0), "exclude", "nr")])
    got = outcome(screen(paths)[3], "fulltext", 0)
    assert (got["outcome"], got["reason"]) == ("not_retrieved", "NR")


def test_a_decision_on_any_member_applies_to_the_work(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(3), joined={2: 0})
    write_decisions(paths, "title", "tm", [(rid(2), "exclude", "GEO")])
    _, _, _, resolution = screen(paths)
    assert outcome(resolution, "title", 0)["outcome"] == "exclude"
    assert rid(2) not in set(resolution.outcomes["cluster_id"])


def test_works_joined_by_a_later_dedupe_with_different_decisions_are_a_conflict(tmp_path: Path) -> None:
    # screened apart: tm excluded work 0, included work 2; ac included work 1, tm excluded work 3
    single_two = {"name": "title", "lanes": ["databases"], "reviewers": ["tm", "ac"]}
    paths = make_review(tmp_path, [single_two], make_records(4))
    write_decisions(paths, "title", "tm", [(rid(0), "exclude"), (rid(2), "include"), (rid(3), "exclude")])
    write_decisions(paths, "title", "ac", [(rid(1), "include")])
    _, _, _, before = screen(paths)
    assert before.outcomes["conflict"].tolist() == ["", "", "", ""]
    # a later de-duplication finds that 2 copies 0 and 3 copies 1
    paths = make_review(tmp_path, [single_two], make_records(4), joined={2: 0, 3: 1})
    config, _, decisions, after = screen(paths)
    one_reviewer, two_reviewers = outcome(after, "title", 0), outcome(after, "title", 1)
    assert (one_reviewer["outcome"], one_reviewer["conflict"], one_reviewer["conflict_kind"]) == ("pending", "open", "joined")
    assert (two_reviewers["outcome"], two_reviewers["conflict"], two_reviewers["conflict_kind"]) == ("pending", "open", "decision")
    titles = dict(zip(*load(paths)[2][["record_id", "title"]].T.values, strict=True))
    table = conflicts(config["stages"][0], after.outcomes, decisions.table, titles)
    assert table.loc[0, "decisions"] == f"tm: exclude [{rid(0)}]; tm: include [{rid(2)}]"
    # the adjudication settles it
    write_decisions(paths, "title", "adjudication", [(rid(2), "include"), (rid(1), "exclude")])
    _, _, _, settled = screen(paths)
    assert [outcome(settled, "title", w)["conflict"] for w in (0, 1)] == ["resolved", "resolved"]
    assert [outcome(settled, "title", w)["outcome"] for w in (0, 1)] == ["include", "exclude"]


def test_contradictory_adjudications_of_one_work_are_an_error(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [DUAL], make_records(3), joined={2: 0})
    path = write_decisions(paths, "title", "adjudication", [(rid(0), "include"), (rid(2), "exclude")])
    with pytest.raises(ReviewError) as error:
        screen(paths)
    assert [(p.file, p.row, p.column) for p in problems(error)] == [(str(path), 3, "decision")]


def test_a_decision_whose_record_is_gone_is_reported_never_dropped(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [SINGLE], make_records(3))
    write_decisions(paths, "title", "tm", [(rid(0), "include"), (rid(1, round_number=9), "exclude", "GEO", "from a removed export")])
    _, _, decisions, _ = screen(paths)
    assert decisions.orphans[["record_id", "decision", "reason", "note", "row", "same_content_as"]].values.tolist() == [
        [rid(1, round_number=9), "exclude", "GEO", "from a removed export", 3, rid(1)]]
    assert any("no longer in the searches" in w for w in decisions.warnings)


# ----------------------------------------------------------------------------------------------
# worksheets


def test_worksheets_show_what_each_stage_needs(tmp_path: Path) -> None:
    stages = [
        {**SINGLE, "order": "canonical"},
        {"name": "abstract", "lanes": ["databases"], "reviewers": ["tm"], "order": "canonical"},
        {**FULLTEXT, "reviewers": ["tm"], "assignment": {"mode": "single"}, "order": "canonical"},
        {"name": "extra", "reviewers": ["tm"], "show": ["title", "doi"], "order": "canonical"},
    ]
    paths = make_review(tmp_path, stages, make_records(3))
    write_decisions(paths, "title", "tm", [(rid(0), "include"), (rid(1), "include")])
    write_decisions(paths, "abstract", "tm", [(rid(0), "include")])
    config, units, decisions, resolution = screen(paths)
    sheets = worksheets(config, units, load(paths)[2], decisions.table, resolution.outcomes)
    assert list(sheets[("title", "tm")].columns) == ["record_id", "title", "decision", "reason", "note"]
    assert list(sheets[("abstract", "tm")].columns) == ["record_id", "title", "abstract", "decision", "reason", "note"]
    assert list(sheets[("fulltext", "tm")].columns) == [
        "record_id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url", "decision", "reason", "note"]
    assert sheets[("title", "tm")]["record_id"].tolist() == [rid(2)]
    assert sheets[("abstract", "tm")]["record_id"].tolist() == [rid(1)]
    assert sheets[("fulltext", "tm")]["record_id"].tolist() == [rid(0)]
    assert sheets[("fulltext", "tm")].loc[0, "url"] == "https://example.org/0"
    assert (sheets[("title", "tm")][["decision", "reason", "note"]] == "").all().all()


def test_worksheets_list_only_the_reviewers_own_open_work(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [{**TITLE_SAMPLE, "order": "canonical"}], make_records(40))
    config, units, decisions, resolution = screen(paths)
    records = load(paths)[2]
    sampled = [rid(i) for i in range(40) if len(assigned_reviewers(config["stages"][0], rid(i))) == 2]
    sheets = worksheets(config, units, records, decisions.table, resolution.outcomes)
    assert len(sheets[("title", "tm")]) == 40 and sheets[("title", "ac")]["record_id"].tolist() == sampled
    write_decisions(paths, "title", "ac", [(sampled[0], "include")])
    config, units, decisions, resolution = screen(paths)
    sheets = worksheets(config, units, records, decisions.table, resolution.outcomes)
    assert sheets[("title", "ac")]["record_id"].tolist() == sampled[1:]
    assert sampled[0] in sheets[("title", "tm")]["record_id"].tolist()  # still waiting for tm


def test_priority_puts_likely_includes_first(tmp_path: Path) -> None:
    titles = {
        3: "Partnership working and collaboration between health and social care in Scotland",
        5: "Multi-agency partnerships in community safety: an evaluation",
        7: "Collaborative partnership working in Scottish public services",
    }
    records = make_records(10, titles=titles)
    for i in range(10):
        if i not in titles:
            records.loc[i, "title"] = f"Soil chemistry of upland peat number {i}"
            records.loc[i, "abstract"] = "Nitrogen and carbon in peat."
    paths = make_review(tmp_path, [SINGLE], records)
    write_decisions(paths, "title", "tm", [(rid(7), "include")])
    config, units, decisions, resolution = screen(paths)
    terms = ["Partner*", "Collaborat*", "Multi-agency"]
    sheet = worksheets(config, units, load(paths)[2], decisions.table, resolution.outcomes, terms)[("title", "tm")]
    order = sheet["record_id"].tolist()
    assert set(order[:2]) == {rid(3), rid(5)}  # like the search terms and the work already included
    assert order[2:] == [rid(i) for i in (0, 1, 2, 4, 6, 8, 9)]  # ties keep the canonical order
    assert list(sheet.columns[:2]) == ["record_id", "priority"] and float(sheet.loc[0, "priority"]) > 0
    assert sheet.equals(worksheets(config, units, load(paths)[2], decisions.table, resolution.outcomes, terms)[("title", "tm")])


def test_priority_learns_from_the_decisions_so_far(tmp_path: Path) -> None:
    titles = {
        0: "Partnership working in health care in Scotland",
        1: "Partnership working in health care in Canada",
        2: "Joint working between police and social work in Scotland",
        3: "Joint working between police and social work in Canada",
        4: "Integrated services for older people in Scotland",
        5: "Integrated services for older people in Canada",
    }
    paths = make_review(tmp_path, [SINGLE], make_records(6, titles=titles))
    write_decisions(paths, "title", "tm", [(rid(0), "include"), (rid(1), "exclude", "GEO"), (rid(2), "include"), (rid(3), "exclude")])
    config, units, decisions, resolution = screen(paths)
    sheet = worksheets(config, units, load(paths)[2], decisions.table, resolution.outcomes, ["Partner*"])[("title", "tm")]
    assert sheet["record_id"].tolist() == [rid(4), rid(5)]  # Scotland was included, Canada excluded
    # the score ranks (a squashed SVM decision value, not a probability): the Scottish work above the Canadian one
    assert 1 >= float(sheet.loc[0, "priority"]) > float(sheet.loc[1, "priority"]) >= 0


def test_priority_scores_prefer_the_search_terms_and_the_included() -> None:
    texts = {"a": "partnership working in public services", "b": "partners collaborate", "c": "peat soil chemistry",
             "d": "public services reform"}
    alone = priority_scores(texts, ["Partner*"], [])
    assert alone["b"] > alone["c"] and alone["a"] > alone["c"] and alone["c"] == 0
    with_included = priority_scores(texts, ["Partner*"], ["a"])
    assert with_included["d"] > with_included["c"]


# ----------------------------------------------------------------------------------------------
# formula neutralisation in generated sheets


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("  =1+1", "'  =1+1"), ("\t=1", "'\t=1"), ("A study = good", "A study = good"), ("", ""), (3, 3)],
)
def test_formula_cells_are_neutralised(cell: Any, expected: Any) -> None:
    assert neutralise_formula(cell) == expected


def test_every_generated_sheet_is_neutralised(tmp_path: Path) -> None:
    records = make_records(4, titles={0: "=HYPERLINK(\"http://evil\",\"click\")", 1: "@SUM(1)", 2: "-fine title"})
    paths = make_review(tmp_path, [{**DUAL, "order": "canonical"}], records)
    write_decisions(paths, "title", "tm", [(rid(1), "include", "", "=cmd|' /C calc'!A0")])
    write_decisions(paths, "title", "ac", [(rid(1), "exclude"), (rid(3, round_number=5), "include", "", "+orphan note")])
    assert cli(["screen", "--root", str(paths.root)]) == 0
    sheet = read_table(paths.worksheet("title", "ac"))
    assert sheet.loc[sheet["record_id"] == rid(0), "title"].item() == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert sheet.loc[sheet["record_id"] == rid(2), "title"].item() == "'-fine title"
    conflict = read_table(paths.conflicts("title"))
    assert conflict["title"].tolist() == ["'@SUM(1)"]
    assert read_table(paths.decisions_table)["note"].tolist()[0] == "'=cmd|' /C calc'!A0"
    assert read_table(paths.orphans)["note"].tolist() == ["'+orphan note"]


# ----------------------------------------------------------------------------------------------
# conflicts.csv


def test_conflicts_list_open_ones_first_with_what_each_reviewer_said(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [FULLTEXT], make_records(4))
    write_decisions(paths, "fulltext", "tm", [(rid(0), "include"), (rid(1), "exclude", "GEO"), (rid(2), "exclude", "GEO")])
    write_decisions(paths, "fulltext", "ac", [(rid(0), "exclude", "NOTEMP"), (rid(1), "exclude", "TOPIC"), (rid(2), "exclude", "GEO")])
    write_decisions(paths, "fulltext", "adjudication", [(rid(0), "include", "", "agreed at meeting")])
    config, _, decisions, resolution = screen(paths)
    titles = dict(zip(load(paths)[2]["record_id"], load(paths)[2]["title"], strict=True))
    table = conflicts(config["stages"][0], resolution.outcomes, decisions.table, titles)
    assert table[["record_id", "kind", "status", "decisions", "resolution"]].values.tolist() == [
        [rid(1), "reason", "open", "tm: exclude (GEO); ac: exclude (TOPIC)", ""],
        [rid(0), "decision", "resolved", "tm: include; ac: exclude (NOTEMP)", "include by adjudication"],
    ]
    assert (table[["decision", "reason", "note"]] == "").all().all()


# ----------------------------------------------------------------------------------------------
# agreement


def test_cohens_kappa_by_hand() -> None:
    # 10 works: both include 4, both exclude 3, a only 2, b only 1
    pairs = [("i", "i")] * 4 + [("e", "e")] * 3 + [("i", "e")] * 2 + [("e", "i")]
    # p_o = 7/10; a includes 6/10, b 5/10; p_e = .6*.5 + .4*.5 = .5; kappa = (.7-.5)/(1-.5) = .4
    assert cohens_kappa(pairs) == pytest.approx(0.4)
    assert cohens_kappa([("i", "i")]) is None
    assert cohens_kappa([("i", "i"), ("i", "i")]) is None  # no variation: undefined
    assert cohens_kappa([("i", "e"), ("e", "i")]) == pytest.approx(-1.0)


def test_fleiss_kappa_by_the_textbook() -> None:
    # Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa = 0.210
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
             [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    items = [[str(category) for category, n in enumerate(row) for _ in range(n)] for row in table]
    assert fleiss_kappa(items) == pytest.approx(0.210, abs=5e-4)
    assert fleiss_kappa([["a", "a"], ["a", "a"]]) is None


def test_agreement_counts_maybe_as_include_and_reasons_at_full_text(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [DUAL], make_records(4))
    write_decisions(paths, "title", "tm", [(rid(0), "maybe"), (rid(1), "exclude", "GEO"), (rid(2), "include"), (rid(3), "exclude")])
    write_decisions(paths, "title", "ac", [(rid(0), "include"), (rid(1), "exclude", "TOPIC"), (rid(2), "exclude"), (rid(3), "exclude")])
    config, _, decisions, _ = screen(paths)
    (row,) = agreement(config["stages"][0], decisions.table).to_dict("records")
    # p_o = 3/4; tm includes 2/4, ac 1/4; p_e = .5*.25 + .5*.75 = .5; kappa = (.75-.5)/.5 = .5
    assert (row["reviewer_a"], row["reviewer_b"], row["double_screened"], row["agreed"]) == ("tm", "ac", 4, 3)
    assert (row["percent_agreement"], row["cohens_kappa"]) == ("75.0", "0.500")
    assert (row["both_include"], row["both_exclude"], row["only_a_includes"], row["only_b_includes"]) == (1, 2, 1, 0)
    assert row["note"] == "maybe counted as include"

    paths = make_review(tmp_path / "ft", [{**FULLTEXT, "maybe": "include"}], make_records(4))
    write_decisions(paths, "fulltext", "tm", [(rid(0), "maybe"), (rid(1), "exclude", "GEO"), (rid(2), "include"), (rid(3), "exclude", "GEO")])
    write_decisions(paths, "fulltext", "ac", [(rid(0), "include"), (rid(1), "exclude", "TOPIC"), (rid(2), "exclude", "GEO"), (rid(3), "exclude", "GEO")])
    config, _, decisions, _ = screen(paths)
    (row,) = agreement(config["stages"][0], decisions.table).to_dict("records")
    assert (row["agreed"], row["percent_agreement"]) == (2, "50.0")  # GEO vs TOPIC disagree at full text
    assert "first reasons are the same" in row["note"]


def test_fleiss_kappa_where_three_reviewers_screened_the_same_works(tmp_path: Path) -> None:
    trio = {"name": "title", "lanes": ["databases"], "reviewers": ["tm", "ac", "ks"], "assignment": {"mode": "dual"}}
    paths = make_review(tmp_path, [trio], make_records(4))
    labels = {"tm": ["include", "include", "exclude", "exclude"], "ac": ["include", "exclude", "exclude", "exclude"],
              "ks": ["include", "include", "exclude", "include"]}
    for reviewer, said in labels.items():
        write_decisions(paths, "title", reviewer, [(rid(i), d) for i, d in enumerate(said)])
    config, _, decisions, _ = screen(paths)
    assert len(agreement(config["stages"][0], decisions.table)) == 3  # a row per pair
    group = group_agreement(config["stages"][0], decisions.table)
    # by hand: P_i = 1, 1/3, 1, 1/3 -> P = 2/3; p(include) = 6/12 -> P_e = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3
    assert group is not None
    assert (group["reviewers"], group["works"], group["all_agreed"], group["fleiss_kappa"]) == (["tm", "ac", "ks"], 4, 2, 0.333)


# ----------------------------------------------------------------------------------------------
# status


def test_status_says_what_to_do_next(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [{**TITLE_SAMPLE, "order": "canonical"}], make_records(40))
    config, *_ = load(paths)
    sampled = [i for i in range(40) if len(assigned_reviewers(config["stages"][0], rid(i))) == 2]
    write_decisions(paths, "title", "tm", [(rid(i), "include") for i in range(40)])
    write_decisions(paths, "title", "ac", [(rid(sampled[0]), "exclude"), (rid(0, round_number=4), "include")])
    from reviewflow.status import status_text

    assert "nothing screened yet" in status_text(paths, config)
    assert cli(["screen", "--root", str(paths.root)]) == 0
    text = status_text(paths, config)
    assert f"ac 1 decided, {len(sampled) - 1} to screen" in text
    assert f"- ac: screen {len(sampled) - 1} works at title: fill {paths.worksheet('title', 'ac')}" in text
    assert f"- ks: settle 1 open conflict at title: fill decision (and reason) on the open rows of {paths.conflicts('title')}" in text
    assert "- 1 decision name records no longer in the searches" in text
    assert "tm-ac: 1 double-screened, 0.0% agreed, kappa undefined" in text
    summary = json.loads(paths.screening_summary.read_text(encoding="utf-8"))
    assert summary["stages"][0]["conflicts_open"] == 1 and summary["orphans"] == 1


def test_status_stays_free_of_pandas() -> None:
    code = "import sys; import reviewflow.status; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
