"""The screening page's decision-file writer: one row changed, every other byte kept."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewflow.app.decisionfile import DecisionFile, spreadsheet_lock, split_lines, write_atomically
from reviewflow.csvio import read_people_csv
from reviewflow.errors import ReviewError

A = "R01-aaaaaaaaaaaa"
B = "R01-bbbbbbbbbbbb"
C = "R02-cccccccccccc"


def parse(data: bytes, tmp_path: Path) -> DecisionFile:
    return DecisionFile.parse(tmp_path / "tm.csv", data)


def test_a_new_row_is_appended_and_every_byte_before_it_is_kept(tmp_path: Path) -> None:
    original = ("\ufeffrecord_id;decision;reason;note;my column\r\n"
                f'{A};include;;"a note; with the separator";kept\r\n'
                f'{B};exclude;GEO;"two\r\nlines";also kept\r\n').encode("utf-8")
    document = parse(original, tmp_path)
    assert document.delimiter == ";" and document.newline == "\r\n" and document.bom == codecs.BOM_UTF8
    data, line = document.set_row(None, C, {"decision": "exclude", "reason": "GEO;TOPIC", "note": "x"})
    assert data.startswith(original)
    assert data[len(original):] == f'{C};exclude;"GEO;TOPIC";x;\r\n'.encode()
    assert line == f'{C};exclude;"GEO;TOPIC";x;'


def test_changing_a_decision_changes_that_row_only_and_keeps_its_other_cells(tmp_path: Path) -> None:
    original = (f"record_id,title,decision,reason,note,extra\n{A},\"A, title\",include,,,mine\n"
                f"{B},B title,exclude,,,\n{C},\"C \"\"quoted\"\"\",,,,x\n").encode()
    document = parse(original, tmp_path)
    entries = document.entries()
    assert [e.record_id for e in entries] == [A, B, C] and entries[2].decision == ""
    data, _ = document.set_row(0, None, {"decision": "exclude", "reason": "GEO", "note": ""})
    lines = data.decode().split("\n")
    assert lines[1] == f'{A},"A, title",exclude,GEO,,mine'
    assert lines[2:] == original.decode().split("\n")[2:]
    # a row pasted from a worksheet with the decision empty is filled where it is
    data, _ = parse(data, tmp_path).set_row(2, None, {"decision": "maybe", "reason": "", "note": "unsure"})
    assert data.decode().split("\n")[3] == f'{C},"C ""quoted""",maybe,,unsure,x'


def test_a_missing_note_column_is_added_to_the_header_only(tmp_path: Path) -> None:
    original = f"record_id,decision\n{A},include\n".encode()
    data, _ = parse(original, tmp_path).set_row(None, B, {"decision": "exclude", "reason": "", "note": "why"})
    assert data.decode() == f"record_id,decision,note\n{A},include\n{B},exclude,why\n"
    path = tmp_path / "tm.csv"
    path.write_bytes(data)
    frame = read_people_csv(path)
    assert frame["note"].tolist() == ["", "why"]


def test_formula_cells_are_neutralised_and_the_encoding_kept(tmp_path: Path) -> None:
    original = f"record_id,decision,reason,note\n{A},include,,caf\xe9\n".encode("cp1252")
    document = parse(original, tmp_path)
    assert document.codec == "cp1252"
    data, _ = document.set_row(None, B, {"decision": "exclude", "reason": "", "note": "=HYPERLINK(1)"})
    assert data.startswith(original) and data.endswith(b"'=HYPERLINK(1)\n")
    with pytest.raises(ReviewError, match="encoding"):
        document.set_row(None, B, {"decision": "exclude", "reason": "", "note": "\u2603"})


def test_a_file_without_a_final_line_break_and_an_excel_separator_line(tmp_path: Path) -> None:
    original = f"sep=;\nrecord_id;decision\n{A};include".encode()
    document = parse(original, tmp_path)
    assert document.header_at == 1 and [e.record_id for e in document.entries()] == [A]
    data, _ = document.set_row(None, B, {"decision": "exclude", "reason": "", "note": ""})
    assert data == original + f"\n{B};exclude\n".encode()
    assert document.replace_line(0, None) == b"sep=;\nrecord_id;decision\n"


def test_an_empty_file_gets_the_pipelines_header(tmp_path: Path) -> None:
    data, _ = parse(b"", tmp_path).set_row(None, A, {"decision": "include", "reason": "", "note": "", "date": "2026-01-02"})
    assert data == f"record_id,decision,reason,note,date\n{A},include,,,2026-01-02\n".encode()
    with pytest.raises(ReviewError, match="lacks the column decision"):
        parse(b"record_id,verdictx\n", tmp_path)


def test_quoted_line_breaks_stay_inside_their_row() -> None:
    text = 'a,b\n"x\ny",2\r\nq"z,3'
    spans = split_lines(text, ",")
    assert [(text[s.start : s.end], s.ending) for s in spans] == [("a,b", "\n"), ('"x\ny",2', "\r\n"), ('q"z,3', "")]


def test_writes_are_atomic_and_checked_before_the_rename(tmp_path: Path) -> None:
    path = tmp_path / "tm.csv"
    path.write_bytes(b"old\n")
    path.chmod(0o640)

    def refuse(temporary: Path) -> None:
        assert temporary.parent == path.parent and temporary.read_bytes() == b"new\n"
        raise ReviewError("no")

    with pytest.raises(ReviewError):
        write_atomically(path, b"new\n", refuse)
    assert path.read_bytes() == b"old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["tm.csv"]
    write_atomically(path, b"new\n")
    assert path.read_bytes() == b"new\n" and (path.stat().st_mode & 0o777) == 0o640


def test_spreadsheet_lock_files_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "tm.csv"
    path.write_text("x")
    assert spreadsheet_lock(path) is None
    (tmp_path / ".~lock.tm.csv#").write_text("")
    assert spreadsheet_lock(path) == tmp_path / ".~lock.tm.csv#"
    (tmp_path / ".~lock.tm.csv#").unlink()
    (tmp_path / "~$tm.xlsx").write_text("")
    assert spreadsheet_lock(path) == tmp_path / "~$tm.xlsx"
    (tmp_path / "~$tm.xlsx").unlink()
    (tmp_path / "~$other.csv").write_text("")
    assert spreadsheet_lock(path) is None
