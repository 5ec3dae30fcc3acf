"""Format detection from more than one line, records that must not go missing, and the warnings that name them."""

from __future__ import annotations

from pathlib import Path

import pytest

import reviewflow.importers as importers
from reviewflow.errors import ReviewError
from reviewflow.importers import read_export
from reviewflow.importers.collect import LogEntry, read_file

CSV_WITH_AT_LINE = (
    "Title,Authors,Year\n"
    "A first record,\"Cook, A.\",2015\n"
    "@SUM(1+1) in spreadsheets,\"Jones, K.\",2016\n"
    "TY  - a title that looks like a RIS tag,\"Smith, J.\",2017\n"
    "Fourth,\"Lee, B.\",2018\n"
)


def test_a_csv_whose_third_line_starts_with_at_stays_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV_WITH_AT_LINE, encoding="utf-8")
    export = read_export(path)
    assert export.format == "csv" and len(export.records) == 4
    assert export.records[1].fields["title"] == "@SUM(1+1) in spreadsheets"


def test_a_bibtex_file_with_a_comment_line_is_still_bibtex(tmp_path: Path) -> None:
    path = tmp_path / "export.bib"
    path.write_text("Exported from Scopus, title, authors\n@article{a,\n title={One},\n year={2020}\n}\n", encoding="utf-8")
    assert read_export(path).format == "bibtex"


def test_fewer_records_than_reported_that_another_reading_explains_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "export.csv").write_text(CSV_WITH_AT_LINE, encoding="utf-8")
    monkeypatch.setattr(importers, "detect_format", lambda text, path=None: "bibtex")  # as detection once read it
    result = read_file(LogEntry(1, "database", "Scopus", "export.csv", "4"), tmp_path)
    assert result.error is not None and "read as BibTeX the file holds 1 records" in result.error.message
    assert "read as CSV it holds 4" in result.error.message
    plain = read_file(LogEntry(1, "database", "Scopus", "export.csv", ""), tmp_path)  # no hits: nothing to compare
    assert plain.error is None and plain.count == 1


def test_a_plain_hits_mismatch_stays_a_warning(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(CSV_WITH_AT_LINE, encoding="utf-8")
    result = read_file(LogEntry(1, "database", "Scopus", "export.csv", "9"), tmp_path)
    assert result.error is None and result.count == 4
    assert result.warnings[0].startswith("MISMATCH: the search log says the database reported 9 records")


def test_bibtex_entries_lost_by_the_reader_are_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "export.bib"
    path.write_text("@article{a, title={One}}\n@article{b, title={Two}}\n", encoding="utf-8")
    real = importers.parse_bibtex
    monkeypatch.setitem(importers._RECORD_PARSERS, "bibtex", lambda text, p, w: real(text, p, w)[:1])
    with pytest.raises(ReviewError) as caught:
        read_export(path)
    assert "2 lines starting a BibTeX entry" in caught.value.message and "1 entries were read" in caught.value.message


def test_bibtex_key_used_twice_and_field_written_twice_are_warned(tmp_path: Path) -> None:
    path = tmp_path / "export.bib"
    path.write_text(
        "@article{Smith2020,\n title={First title},\n title={Second title},\n year={2020}\n}\n\n"
        "@article{Smith2020,\n title={Another work},\n year={2021}\n}\n",
        encoding="utf-8",
    )
    export = read_export(path)
    assert len(export.records) == 2 and export.records[0].fields["title"] == "First title"
    assert "the key 'Smith2020' is used by 2 entries (lines 1, 7): each is kept as a record of its own" in export.warnings
    assert (
        "the entry 'Smith2020' (line 1) has the field 'title' 2 times: the first filled one ('First title') is read as "
        "the title, and every value is kept in raw"
    ) in export.warnings
    assert export.records[0].raw["title"] == ["First title", "Second title"]


def test_ris_record_without_a_title_is_warned_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    path.write_text("TY  - JOUR\nTI  - Titled\nER  - \n\nTY  - JOUR\nAU  - Smith, J.\nER  - \n", encoding="utf-8")
    export = read_export(path)
    assert len(export.records) == 2
    assert any(w.startswith("1 record(s) have no title: record 2 (line 5)") for w in export.warnings)


def test_check_names_a_reading_that_explains_the_reported_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewflow.importers.check import describe_export

    path = tmp_path / "export.csv"
    path.write_text(CSV_WITH_AT_LINE, encoding="utf-8")
    monkeypatch.setattr(importers, "detect_format", lambda text, path=None: "bibtex")
    _, problems = describe_export(read_export(path), 4)
    assert "read as CSV it holds 4: the format may have been misread" in problems
