"""The evidence log: checked against the coding scheme and the included studies; the to-do rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reviewflow.csvio import read_people_csv
from reviewflow.errors import ReviewErrors
from reviewflow.evidence import check_evidence_log, evidence_todo

CONFIG: dict[str, Any] = {
    "evidence_log": {
        "id_column": "record_id",
        "fields": [
            {"name": "literature", "required": True, "values": ["Peer reviewed", "Grey"]},
            {"name": "questions", "required": True, "multiple": True, "values": ["Q1", "Q2"]},
            {"name": "reference"},
        ],
    }
}

LEDGER = pd.DataFrame([
    # record, cluster, role, fate, cluster_lane, source_type, database
    ("R01-a", "R01-a", "primary", "included", "databases", "database", "DB"),
    ("R02-a", "R01-a", "duplicate", "duplicate", "databases", "database", "DB"),
    ("R01-b", "R01-b", "primary", "included", "databases", "database", "DB"),
    ("R01-c", "R01-c", "primary", "excluded", "databases", "database", "DB"),
], columns=["record_id", "cluster_id", "role", "fate", "cluster_lane", "source_type", "database"])


def write_log(tmp_path: Path, text: str) -> pd.DataFrame:
    path = tmp_path / "evidence_log.csv"
    path.write_text(text, encoding="utf-8")
    return read_people_csv(path, ["record_id"])


def test_a_valid_log_gives_canonical_values_per_study(tmp_path: Path) -> None:
    log = write_log(tmp_path, "record_id,literature,questions,reference\n"
                              "R02-a,peer  REVIEWED,q2; Q1,Smith (2001)\nR01-b,Grey,Q1,\n")
    coded = check_evidence_log(CONFIG, log, LEDGER, "evidence_log.csv")
    assert coded.to_dict("records") == [
        {"cluster_id": "R01-a", "study_id": "R01-a", "record_id": "R02-a", "literature": "Peer reviewed", "questions": "Q2; Q1",
         "reference": "Smith (2001)"},
        {"cluster_id": "R01-b", "study_id": "R01-b", "record_id": "R01-b", "literature": "Grey", "questions": "Q1", "reference": ""},
    ]


def test_every_problem_names_its_row_and_column(tmp_path: Path) -> None:
    log = write_log(tmp_path, "record_id,literature,questions\n"
                              "R01-a,Journal,Q1; Q9\n"  # row 2: two unknown codes
                              "R02-a,Grey,Q1\n"  # row 3: a second row for the same study
                              "R01-c,Grey,Q1\n"  # row 4: not included
                              "R09-x,Grey,Q1\n"  # row 5: unknown record
                              "R01-b,,Q2\n")  # row 6: required field empty
    with pytest.raises(ReviewErrors) as caught:
        check_evidence_log(CONFIG, log, LEDGER, "evidence_log.csv")
    found = {(e.row, e.column, e.message.split(" ")[0]) for e in caught.value.errors}
    assert (2, "literature", "'Journal'") in found
    assert (2, "questions", "'Q9'") in found
    assert (3, "record_id", "a") in found
    assert (4, "record_id", "the") in found
    assert (5, "record_id", "'R09-x'") in found
    assert (6, "literature", "the") in found
    messages = caught.value.describe()
    assert "use one of: Peer reviewed; Grey" in messages


def test_a_missing_required_column_is_one_error_and_a_missing_study_is_named(tmp_path: Path) -> None:
    log = write_log(tmp_path, "record_id,questions\nR01-a,Q1\n")
    with pytest.raises(ReviewErrors) as caught:
        check_evidence_log(CONFIG, log, LEDGER, "evidence_log.csv")
    errors = caught.value.errors
    assert [(e.line, e.column) for e in errors if e.column == "literature"] == [(1, "literature")]
    assert any("R01-b has no row" in e.message for e in errors)


def test_todo_rows_for_uncoded_included_studies_with_the_best_details(tmp_path: Path) -> None:
    records = pd.DataFrame({
        "record_id": ["R01-a", "R02-a", "R01-b", "R01-c"],
        "title": ["A study", "A study", "B study", "C"],
        "authors": ["Smith, A.", "Smith, A.", "Jones, B.", ""],
        "doi": ["", "10.1/a", "", ""],  # the duplicate has the DOI the primary lacks
        **{f: ["", "", "", ""] for f in ("year", "journal", "volume", "issue", "pages", "url", "abstract", "keywords",
                                          "language", "type", "issn", "isbn", "publisher")},
    })
    log = write_log(tmp_path, "record_id,literature,questions\nR01-b,Grey,Q1\n")
    todo = evidence_todo(CONFIG, log, LEDGER, records)
    assert todo["record_id"].tolist() == ["R01-a"]
    assert todo.loc[0, "doi"] == "10.1/a"
    assert todo.loc[0, "title"] == "A study"
    assert {"literature", "questions", "reference"} <= set(todo.columns)
    assert todo.loc[0, "literature"] == ""
    assert todo.loc[0, "reference"] == "Smith, A. (n.d.) A study. https://doi.org/10.1/a"  # ready, and editable


def test_one_row_per_study_when_works_are_reports_of_one_study(tmp_path: Path) -> None:
    # R01-b is a second report of the study R01-a (people linked the works in studies.csv)
    ledger = LEDGER.assign(study_id=["R01-a", "R01-a", "R01-a", "R01-c"])
    log = write_log(tmp_path, "record_id,literature,questions\nR01-b,Grey,Q1\n")
    coded = check_evidence_log(CONFIG, log, ledger, "evidence_log.csv")
    assert coded[["cluster_id", "study_id", "record_id"]].to_dict("records") == [
        {"cluster_id": "R01-b", "study_id": "R01-a", "record_id": "R01-b"}]
    log = write_log(tmp_path, "record_id,literature,questions\nR01-a,Grey,Q1\nR01-b,Grey,Q1\n")
    with pytest.raises(ReviewErrors, match="row 3.*a second row for the study R01-a"):
        check_evidence_log(CONFIG, log, ledger, "evidence_log.csv")
    empty = write_log(tmp_path, "record_id,literature,questions\n")
    with pytest.raises(ReviewErrors, match="1 problem"):
        check_evidence_log(CONFIG, empty, ledger, "evidence_log.csv")
