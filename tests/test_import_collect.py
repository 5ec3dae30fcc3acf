"""The import step over a search log: counts, report, mismatches, errors, ids; and `reviewflow check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewflow.cli import main
from reviewflow.csvio import read_table, write_csv
from reviewflow.errors import ReviewError
from reviewflow.importers import read_export
from reviewflow.importers.collect import canonical_json, content_hash_of, csv_cell, import_searches, write_import
from reviewflow.records import RECORD_COLUMNS, assign_record_ids, canonical_raw, content_hash
from reviewflow.searchlog import read_search_log

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
FILES = ["ris_basic.ris", "bibtex_basic.bib", "medline_basic.nbib", "scopus.csv", "endnote.xml", "wos_plain.txt"]


def make_review(root: Path, demo_review: Path, files: list[str], hits: dict[str, str] | None = None) -> Path:
    """A copy of the demo review whose search log lists these fixtures instead."""
    searches = root / "data" / "raw" / "searches"
    shutil.rmtree(searches)
    searches.mkdir()
    rows = []
    for number, name in enumerate(files, start=1):
        shutil.copy(FIXTURES / name, searches / name)
        rows.append({"round": number // 3 + 1, "date": "2015-03-01", "source_type": "database", "database": "Test database",
                     "query": "partnership", "file": name, "reported_hits": (hits or {}).get(name, "")})
    pd.DataFrame(rows).to_csv(root / "data" / "raw" / "searches.csv", index=False)
    return root


@pytest.fixture
def review(demo_review: Path) -> Path:
    return make_review(demo_review, demo_review, FILES)


def test_import_counts_ids_and_report(review: Path) -> None:
    log = read_search_log(review / "data/raw/searches.csv", review / "data/raw/searches")
    records, report = import_searches(log, review / "data/raw/searches")
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert report["records"].tolist() == [3, 2, 2, 2, 2, 2]
    assert len(records) == 13
    assert report["format"].tolist() == ["ris", "bibtex", "medline", "csv (Scopus)", "endnote-xml", "wos"]
    assert set(report["encoding"]) == {"utf-8"}
    # ids are records.assign_record_ids of the raw fields, in canonical order
    raws = [json.loads(raw) for raw in records["raw"]]
    assert records["record_id"].tolist() == assign_record_ids(records["round"], raws)
    assert records["source_line"].tolist()[:3] == [1, 20, 28]
    assert records["source_index"].tolist()[:4] == [1, 2, 3, 1]


def test_parallel_and_sequential_reading_agree(review: Path) -> None:
    log = read_search_log(review / "data/raw/searches.csv", review / "data/raw/searches")
    sequential, report_a = import_searches(log, review / "data/raw/searches", workers=1)
    parallel, report_b = import_searches(log, review / "data/raw/searches", workers=2)
    pd.testing.assert_frame_equal(sequential, parallel)
    pd.testing.assert_frame_equal(report_a, report_b)


def test_written_records_are_what_pandas_would_write(review: Path, tmp_path: Path) -> None:
    log = read_search_log(review / "data/raw/searches.csv", review / "data/raw/searches")
    records, _ = import_searches(log, review / "data/raw/searches")
    write_import(log, review / "data/raw/searches", tmp_path / "fast.csv")
    write_csv(records, tmp_path / "pandas.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert not (tmp_path / "fast.csv.partial").exists()


@pytest.mark.parametrize("value", ["plain", "", "a,b", 'say "hi"', "line\nbreak", " spaced ", "ünï,cödé"])
def test_csv_cell_quotes_as_the_csv_module(value: str, tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [value], "b": ["x"]})
    write_csv(frame, tmp_path / "cell.csv")
    assert (tmp_path / "cell.csv").read_bytes().decode("utf-8") == f"a,b\n{csv_cell(value)},x\n"


def test_csv_cell_also_quotes_a_carriage_return(tmp_path: Path) -> None:
    """The csv module leaves a lone CR unquoted (with "\n" line ends), which splits the row when read back."""
    assert csv_cell("cr\rhere") == '"cr\rhere"'
    (tmp_path / "cell.csv").write_bytes(f"a,b\n{csv_cell('cr' + chr(13) + 'here')},x\n".encode())
    assert read_table(tmp_path / "cell.csv").to_dict("records") == [{"a": "cr\rhere", "b": "x"}]


def test_canonical_json_and_its_hash_are_the_records_module_s() -> None:
    raws = [{"TI": ["Ünïcode title \"quoted\"\n\r\t"], "AU": ["b", "a"], "PY": ["2015"], "(column 2)": [""]}]
    raws += [record.raw for name in FILES for record in read_export(FIXTURES / name).records]
    for raw in raws:
        assert canonical_json(raw) == canonical_raw(raw)
        assert content_hash_of(canonical_json(raw)) == content_hash(raw)


def test_identical_records_in_a_round_get_occurrence_numbers(demo_review: Path, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ris_basic.ris", tmp_path / "copy.ris")
    review = make_review(demo_review, demo_review, ["ris_basic.ris"])
    shutil.copy(FIXTURES / "ris_basic.ris", review / "data/raw/searches/copy.ris")
    log_path = review / "data/raw/searches.csv"
    log = pd.read_csv(log_path, dtype=str, keep_default_na=False)
    log = pd.concat([log, log.assign(file="copy.ris")])
    log.to_csv(log_path, index=False)
    records, _ = import_searches(read_search_log(log_path, review / "data/raw/searches"), review / "data/raw/searches")
    ids = records["record_id"].tolist()
    assert len(set(ids)) == 6 and ids[3] == f"{ids[0]}-2"


def test_reported_hits_mismatch_is_in_the_report_and_the_output(demo_review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = make_review(demo_review, demo_review, ["ris_basic.ris", "wos_plain.txt"], hits={"ris_basic.ris": "5", "wos_plain.txt": "2"})
    assert main(["import", "--root", str(review)]) == 0
    output = capsys.readouterr().out
    assert "imported 5 records from 2 files" in output
    assert "MISMATCH: ris_basic.ris: the search log says the database reported 5 records; the file holds 3" in output
    assert "1 file(s) hold a different number of records" in output
    report = read_table(review / "data/processed/import_report.csv")
    assert report.columns.tolist()[3:] == ["file", "format", "encoding", "records", "reported_hits", "warnings"]
    assert report.loc[0, "warnings"].startswith("MISMATCH: ")
    assert report.loc[1, "warnings"] == "" and report.loc[1, "records"] == "2"


def test_every_unreadable_file_is_named_and_nothing_is_written(demo_review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = make_review(demo_review, demo_review, ["ris_basic.ris", "ris_truncated.ris", "csv_truncated.csv"])
    processed = review / "data/processed"
    processed.mkdir(parents=True)
    (processed / "records.csv").write_text("an earlier import\n")
    (processed / "import_report.csv").write_text("an earlier report\n")
    assert main(["import", "--root", str(review)]) == 1
    error = capsys.readouterr().err
    assert "2 of 3 export files cannot be imported" in error
    assert "ris_truncated.ris, line 6" in error and "csv_truncated.csv" in error
    assert not (processed / "records.csv").exists() and not (processed / "import_report.csv").exists()
    assert not list(processed.glob("*.partial"))


def test_one_unreadable_file_gives_its_own_error(review: Path) -> None:
    (review / "data/raw/searches/scopus.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    log = read_search_log(review / "data/raw/searches.csv", review / "data/raw/searches")
    with pytest.raises(ReviewError, match="PNG image"):
        import_searches(log, review / "data/raw/searches")


# ----------------------------------------------------------------------------------------------
# reviewflow check


def test_check_prints_format_count_coverage_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURES / "ris_ovid_numbered.ris"), str(FIXTURES / "scopus.csv")]) == 0
    output = capsys.readouterr().out
    assert "format:   ris" in output and "format:   csv (Scopus)" in output
    assert "records:  2" in output
    assert "doi              2 of 2 (100%)" in output
    assert "warning: 2 field(s) come after a record's end line" in output


def test_check_reports_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "screenshot.ris"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert main(["check", str(FIXTURES / "ris_basic.ris"), str(image)]) == 1
    output = capsys.readouterr().out
    assert "records:  3" in output and f"{image}\n  PROBLEM: " in output and "PNG image" in output


def test_check_compares_with_the_reported_hits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--hits", "3", str(FIXTURES / "ris_basic.ris")]) == 0
    assert main(["check", "--hits", "4", str(FIXTURES / "ris_basic.ris")]) == 1
    assert "PROBLEM: the database reported 4 records but the file holds 3" in capsys.readouterr().out


def test_check_notes_records_without_titles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "untitled.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nAU  - Cook, A.\nER  - \n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "note: 1 record(s) have no title (starting on line 5)" in capsys.readouterr().out


def test_a_broken_search_log_also_removes_an_earlier_import(demo_review: Path) -> None:
    processed = demo_review / "data/processed"
    processed.mkdir(parents=True)
    (processed / "records.csv").write_text("an earlier import\n")
    log = demo_review / "data/raw/searches.csv"
    log.write_text(log.read_text(encoding="utf-8").replace("eds/round01.ris", "eds/missing.ris"), encoding="utf-8")
    assert main(["import", "--root", str(demo_review)]) == 1
    assert not (processed / "records.csv").exists()
