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
    log, searches = setup(tmp_path, "2,d,Website,Org,q,b.ris,\n1,d,database,DB,q,a.ris,5\n")
    table = read_search_log(log, searches)
    assert table["file"].tolist() == ["a.ris", "b.ris"]
    assert table["lane"].tolist() == ["databases", "other"]
    assert table["source_type"].tolist() == ["database", "website"]


def test_a_spreadsheet_saved_log_with_semicolons_and_bom_is_read(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "")
    log.write_bytes(("\ufeff" + HEADER.replace(",", ";") + "1;d;database;DB;q;a.ris;\r\n;;;;;;\r\n").encode("utf-8"))
    assert read_search_log(log, searches)["file"].tolist() == ["a.ris"]


def test_every_problem_is_named_with_row_and_column(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "one,d,database,DB,q,a.ris,\n2,d,journal,DB,q,missing.ris,\n3,d,database,,q,a.ris,lots\n")
    with pytest.raises(ReviewError) as error:
        read_search_log(log, searches)
    text = str(error.value)
    assert "row 2, column 'round': 'one' is not a round number" in text
    assert "row 3, column 'source_type': 'journal' is not a source type" in text
    assert "row 3, column 'file': 'missing.ris' is not in" in text
    assert "row 4, column 'database'" in text
    assert "row 4, column 'file': the file is already listed on row 2" in text
    assert "row 4, column 'reported_hits'" in text


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    log, searches = setup(tmp_path, "")
    log.write_text("round,date,database,query,file\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="lacks the column source_type"):
        read_search_log(log, searches)
