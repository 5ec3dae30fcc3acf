"""Encodings, line endings, and clear errors for files that are not search exports."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from reviewflow.errors import ReviewError
from reviewflow.importers import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"

RIS = "TY  - JOUR\nAU  - {author}\nTI  - {title}\nPY  - 2015\nER  - \n\nTY  - JOUR\nTI  - Second record\nER  - \n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (codecs.BOM_UTF8 + RIS.format(author="Müller, Jürgen", title="Évaluation “partnership”").encode("utf-8"), "utf-8"),
        (RIS.format(author="Müller, Jürgen", title="Évaluation “partnership”").encode("utf-8"), "utf-8"),
        (RIS.format(author="Müller, Jürgen", title="Évaluation “partnership”").encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + RIS.format(author="Müller, Jürgen", title="Évaluation “partnership”").encode("utf-16-le"), "utf-16"),
        (RIS.format(author="Müller, Jürgen", title="Évaluation “partnership”").encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_western_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    export = read_export(write(tmp_path, "export.ris", encoded))
    assert export.encoding == encoding and len(export.records) == 2  # a BOM never costs the first record
    first = export.records[0]
    assert first.fields["authors"] == "Müller, Jürgen"
    assert first.fields["title"] == "Évaluation “partnership”"


def test_latin1_bytes_that_cp1252_does_not_define(tmp_path: Path) -> None:
    data = RIS.format(author="Cook, A.", title="Control character \x81 from a Latin-1 file").encode("latin-1")
    export = read_export(write(tmp_path, "export.ris", data))
    assert export.encoding == "latin-1" and "\x81" in export.records[0].raw["TI"][0]


def test_gbk(tmp_path: Path) -> None:
    data = RIS.format(author="王, 小明", title="公共服务中的伙伴关系研究").encode("gbk")
    export = read_export(write(tmp_path, "export.ris", data))
    assert export.encoding == "gbk"
    assert export.records[0].fields["title"] == "公共服务中的伙伴关系研究"
    assert export.records[0].fields["authors"] == "王, 小明"


def test_utf8_file_with_one_cp1252_line(tmp_path: Path) -> None:
    data = RIS.format(author="Müller, Jürgen", title="PLACEHOLDER").encode("utf-8").replace(
        b"PLACEHOLDER", "Café pasted from an old file".encode("cp1252"))
    export = read_export(write(tmp_path, "export.ris", data))
    assert export.encoding == "utf-8+cp1252"
    assert export.records[0].fields["authors"] == "Müller, Jürgen"
    assert export.records[0].fields["title"] == "Café pasted from an old file"
    assert any("line(s) (3)" in w for w in export.warnings)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    text = RIS.format(author="Cook, A.", title="Line endings")
    if newline == "mixed":
        lines = text.split("\n")
        data = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines[:-1])).encode()
    else:
        data = text.replace("\n", newline).encode()
    export = read_export(write(tmp_path, "export.ris", data))
    assert len(export.records) == 2 and export.records[0].raw["TI"] == ["Line endings"]
    assert export.records[1].line == 7


def test_crlf_medline_and_csv_with_cr_inside_cells(tmp_path: Path) -> None:
    medline = (FIXTURES / "medline_basic.nbib").read_bytes().replace(b"\n", b"\r\n")
    assert len(read_export(write(tmp_path, "pubmed.nbib", medline)).records) == 2
    csv_data = b'Title,Abstract\r\n"One","Line one\r\nline two"\r\n"Two",""\r\n'
    export = read_export(write(tmp_path, "export.csv", csv_data))
    assert [r.raw["Abstract"] for r in export.records] == [["Line one\nline two"], [""]]


# ----------------------------------------------------------------------------------------------
# files that are not search exports: a clear error naming the file


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.ris", b"", "empty"),
        ("blank.ris", b"  \n\r\n\t\n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("photo.ris", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "JPEG image"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        ("export.docx", _docx(), "Word document"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old-style Office"),
        ("binary.ris", bytes(range(256)) * 8, "binary file"),
        ("notes.txt", b"Dear colleague\nplease find the search results attached\nbest wishes\n", "not recognised"),
        ("lorem.csv", b"Lorem ipsum dolor sit amet, consectetur adipiscing elit\nsed do eiusmod tempor\n", "does not look like a search export"),
        ("page.html", b"<!DOCTYPE html><html><head><title>Results</title></head><body></body></html>", "web page"),
        ("pubmed.xml", b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet></PubmedArticleSet>', "PubMed XML"),
        ("export.json", b'[{"title": "A record"}]', "JSON"),
        ("nothing.ris", b"Provider: JSTOR\nDatabase: JSTOR\n", "not recognised"),
    ],
)
def test_not_a_search_export(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ReviewError) as caught:
        read_export(path)
    assert message in caught.value.message
    assert caught.value.file == str(path)
    assert caught.value.fix


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="does not exist"):
        read_export(tmp_path / "absent.ris")
    with pytest.raises(ReviewError, match="folder"):
        read_export(tmp_path)


def test_export_with_a_header_and_no_records(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="no records were found"):
        read_export(write(tmp_path, "empty.csv", b"Title,Authors,Year\n"))
    with pytest.raises(ReviewError, match="no records were found"):
        read_export(write(tmp_path, "empty.txt", b"FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n"))


def test_half_utf8_half_cp1252_is_read_line_by_line(tmp_path: Path) -> None:
    lines = [f"TY  - JOUR\nTI  - Café number {i}\nER  - \n" for i in range(6)]
    data = b"".join(line.encode("utf-8" if i % 2 else "cp1252") for i, line in enumerate(lines))
    export = read_export(write(tmp_path, "pasted.ris", data))
    assert export.encoding == "utf-8+cp1252"
    assert [r.fields["title"] for r in export.records] == [f"Café number {i}" for i in range(6)]
