"""The search log: checked row by row, in canonical order, with PRISMA lanes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import ReviewError
from reviewflow.searchlog import read_search_log

HEADER = "round,date,source_type,database,query,file,reported_hits\n"


def setup(tmp_path: Path, rows: str, files: tuple[str, ...] = ("a.ris", "b.ris")) -> tuple[Path, Path]:
    searches = tmp_path / "searches"
    searches.mkdir()
    for name in files:
        (searches / name).write_text("TY  - JOUR\nTI  - x\nER  - \n", encoding="utf-8")
    log = tmp_path / "searches.csv"
    log.write_text(HEADER + rows, encoding="utf-8")
    return log, searches


def test_rows_come_in_round_order_with_their_lane(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "2,2015-03-02,Website,Org,q,b.ris,\n1,2015-03-02,database,DB,q,a.ris,5\n")
    table = read_search_log(log, searches)
    assert table["file"].tolist() == ["a.ris", "b.ris"]
    assert table["lane"].tolist() == ["databases", "other"]
    assert table["source_type"].tolist() == ["database", "website"]


def test_a_spreadsheet_saved_log_with_semicolons_and_bom_is_read(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "", files=("a.ris",))
    log.write_bytes(("\ufeff" + HEADER.replace(",", ";") + "1;2015-03-02;database;DB;q;a.ris;\r\n;;;;;;\r\n").encode("utf-8"))
    assert read_search_log(log, searches)["file"].tolist() == ["a.ris"]


def test_every_problem_is_named_with_row_and_column(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "one,2015-03-02,database,DB,q,a.ris,\n2,2015-03-02,journal,DB,q,missing.ris,\n3,2015-03-02,database,,q,a.ris,lots\n")
    with pytest.raises(ReviewError) as error:
        read_search_log(log, searches)
    text = str(error.value)
    assert "row 2, column 'round': 'one' is not a round number" in text
    assert "row 3, column 'source_type': 'journal' is not a source type" in text
    assert "row 3, column 'file': 'missing.ris' is not in" in text
    assert "row 4, column 'database'" in text
    assert "row 4, column 'file': the file 'a.ris' is named by rows 2, 4" in text
    assert "the file 'b.ris' in" in text and "is named by no row of the search log" in text
    assert "row 4, column 'reported_hits'" in text


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "")
    log.write_text("round,date,database,query,file\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="lacks the column source_type"):
        read_search_log(log, searches)


def test_a_search_with_no_hits_needs_no_file(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "1,2015-03-02,database,DB,q,a.ris,\n1,2015-03-02,database,ERIC,q,,0\n", files=("a.ris",))
    table = read_search_log(log, searches)
    assert table["database"].tolist() == ["DB", "ERIC"] and table["file"].tolist() == ["a.ris", ""]


def test_no_file_and_hits_is_still_an_error(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "1,2015-03-02,database,DB,q,,12\n", files=())
    with pytest.raises(ReviewError, match="row 2, column 'file': no export file is named"):
        read_search_log(log, searches)


def test_a_file_no_row_names_is_an_error_saying_how_to_fix_it(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "1,2015-03-02,database,DB,q,a.ris,\n")
    (searches / ".DS_Store").write_bytes(b"\0")  # hidden files and lock files are not exports
    (searches / "~$book.xlsx").write_bytes(b"\0")
    with pytest.raises(ReviewError) as error:
        read_search_log(log, searches)
    assert len(error.value.errors) == 1  # type: ignore[attr-defined]
    problem = error.value.errors[0]  # type: ignore[attr-defined]
    assert "'b.ris'" in problem.message and "named by no row" in problem.message
    assert "add a row" in problem.fix and "move it out of data/raw/searches/" in problem.fix


@pytest.mark.parametrize("name", ["../a.ris", "/etc/passwd", "sub/../../a.ris", "C:\\exports\\a.ris"])
def test_a_file_path_must_stay_inside_the_searches_folder(tmp_path: Path, name: str) -> None:
    log, searches = setup(tmp_path, f'1,2015-03-02,database,DB,q,"{name}",\n', files=())
    with pytest.raises(ReviewError) as error:
        read_search_log(log, searches)
    assert "row 2, column 'file'" in str(error.value)
    assert "absolute path" in str(error.value) or "leaves data/raw/searches/" in str(error.value)


@pytest.mark.parametrize("date", ["2026-02-30", "31/31/2020", "yesterday"])
def test_an_invalid_date_is_an_error_naming_row_and_column(tmp_path: Path, date: str) -> None:
    log, searches = setup(tmp_path, f"1,{date},database,DB,q,a.ris,\n", files=("a.ris",))
    with pytest.raises(ReviewError, match=f"row 2, column 'date': '{date}' is not a date"):
        read_search_log(log, searches)


def test_searches_that_found_nothing_are_imported_counted_and_summarised(tmp_path: Path) -> None:
    import pandas as pd

    from reviewflow.importers.collect import write_import
    from reviewflow.searchlog import databases_searched
    from reviewflow.tables import search_summary

    log, searches = setup(
        tmp_path,
        "1,2015-03-02,database,DB,q,a.ris,1\n1,2015-03-02,database,ERIC,q,,0\n1,2015-03-02,register,Trials,q,empty.csv,0\n",
        files=("a.ris",),
    )
    (searches / "empty.csv").write_text("Title,Authors,Year\n", encoding="utf-8")  # a header-only export
    table = read_search_log(log, searches)
    report = write_import(table, searches, tmp_path / "records.csv")
    assert report["records"].tolist() == [1, 0, 0]
    assert report["database"].tolist() == ["DB", "ERIC", "Trials"]
    assert databases_searched(report) == ["DB", "ERIC", "Trials"]
    records = pd.read_csv(tmp_path / "records.csv", dtype=str)
    ledger = records.assign(cluster_id="c1", role="primary", source_file=records["source_file"])
    summary = search_summary(ledger, report.astype(str))
    sources = summary.frame["Source"].tolist()
    assert "ERIC" in sources and "Trials" in sources
    eric = summary.frame[summary.frame["Source"] == "ERIC"].iloc[0]
    assert (eric["Hits reported"], eric["Records imported"]) == ("0", "0")


def test_a_header_only_export_with_hits_stays_an_error(tmp_path: Path) -> None:
    from reviewflow.importers.collect import write_import

    log, searches = setup(tmp_path, "1,2015-03-02,database,DB,q,empty.csv,12\n", files=())
    (searches / "empty.csv").write_text("Title,Authors,Year\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="no records were found"):
        write_import(read_search_log(log, searches), searches, tmp_path / "records.csv")


@pytest.mark.parametrize("kind", ["missing", "folder", "empty"])
def test_a_search_log_that_cannot_be_read_is_a_named_error(tmp_path: Path, kind: str) -> None:
    searches = tmp_path / "searches"
    searches.mkdir()
    log = tmp_path / "searches.csv"
    if kind == "folder":
        log.mkdir()
    elif kind == "empty":
        log.write_text("", encoding="utf-8")
    expected = {"missing": "does not exist", "folder": "this is a folder", "empty": "has no header row"}[kind]
    with pytest.raises(ReviewError, match=expected):
        read_search_log(log, searches)


def test_a_link_to_a_file_outside_the_searches_folder_is_an_error(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "1,2015-03-02,database,DB,q,a.ris,\n", files=())
    outside = tmp_path / "elsewhere.ris"
    outside.write_text("TY  - JOUR\nTI  - x\nER  - \n", encoding="utf-8")
    (searches / "a.ris").symlink_to(outside)
    with pytest.raises(ReviewError, match="row 2, column 'file': 'a.ris' is a link to a file outside"):
        read_search_log(log, searches)
