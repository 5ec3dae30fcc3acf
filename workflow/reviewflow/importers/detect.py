"""Which format a file is in, from its content (extensions lie: Web of Science and
MEDLINE files are saved as ``.ris``, RIS as ``.txt``), and a clear error for
files that are not search exports at all (images, PDFs, word-processor
documents, web pages, random text).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReviewError
from .bibtex import looks_like_bibtex
from .endnote_xml import looks_like_endnote_xml
from .medline import looks_like_medline
from .ovid import looks_like_ovid
from .proquest import looks_like_proquest
from .refer import looks_like_refer
from .ris import looks_like_ris
from .tabular import _TITLE_COLUMNS, column_key, is_wos_header, sniff_delimiter
from .wos import looks_like_wos

#: Every format read_export can return, with what people call it.
FORMATS: dict[str, str] = {
    "ris": "RIS",
    "bibtex": "BibTeX",
    "medline": "PubMed MEDLINE / nbib",
    "wos": "Web of Science plain text",
    "wos-tab": "Web of Science tab-delimited",
    "csv": "CSV",
    "tsv": "TSV (tab-separated values)",
    "xlsx": "Excel workbook (.xlsx)",
    "endnote-xml": "EndNote XML",
    "refer": "EndNote / refer tagged (%0)",
    "proquest": "ProQuest plain-text report",
    "ovid": "Ovid tagged",
}

EXPORT_ADVICE = "export the search results as RIS (or BibTeX, MEDLINE, Web of Science text, CSV/XLSX or EndNote XML)"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BM", ""),  # checked below: bitmap images start with BM and a size
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document (.xls or .doc)"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"RIFF", "a RIFF media file"),
)


def sniff_binary(data: bytes, path: Path) -> str | None:
    """``"xlsx"`` for an Excel workbook, None for text; a ReviewError for any other binary file."""
    if data.startswith(b"PK\x03\x04"):
        if b"xl/workbook" in data:
            return "xlsx"
        head = data[:65536]
        what = "a Word document" if b"word/" in head else "a ZIP archive"
        raise _not_an_export(path, what, "unzip it, or export the results again as RIS, CSV or XLSX")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if magic == b"BM" and not (len(data) > 14 and data[6:10] == b"\x00\x00\x00\x00"):
                continue
            if "Office" in what:
                raise _not_an_export(path, what, "open it in Excel and save it as .xlsx or .csv, or export the results again")
            raise _not_an_export(path, what or "a bitmap image", EXPORT_ADVICE)
    sample = data[:8192]
    if b"\x00" in sample and not _looks_like_utf16(sample):
        raise _not_an_export(path, "a binary file", EXPORT_ADVICE)
    return None


def _looks_like_utf16(sample: bytes) -> bool:
    half = max(1, len(sample) // 2)
    return sample[1::2].count(0) > 0.4 * half or sample[0::2].count(0) > 0.4 * half


def _not_an_export(path: Path, what: str, fix: str) -> ReviewError:
    return ReviewError(f"this is {what}, not a search export", file=path, fix=fix)


def detect_format(text: str, path: Path | None = None) -> str:
    """The export format of decoded text (one of ``FORMATS``); a ReviewError when it is none of them."""
    head = text.lstrip()[:200000]
    if not head:
        raise ReviewError("the file holds only white space", file=path, fix=EXPORT_ADVICE)
    if looks_like_ovid(head):
        return "ovid"
    if head.startswith("<"):
        if looks_like_endnote_xml(text):
            return "endnote-xml"
        lowered = head[:3000].lower()
        if "<pubmedarticleset" in lowered or "<!doctype pubmedarticleset" in lowered:
            raise ReviewError(
                "this is PubMed XML, which is not read", file=path, fix="in PubMed, use 'Save' with the format 'PubMed' (MEDLINE) instead"
            )
        if "<html" in lowered or "<!doctype html" in lowered:
            raise ReviewError(
                "this is a web page, not a search export (saved from the browser?)", file=path, fix="use the database's Export function instead"
            )
        raise ReviewError("this XML file is not an EndNote XML export", file=path, fix=EXPORT_ADVICE)
    if head[0] in "[{" and not looks_like_bibtex(head):
        raise ReviewError("this looks like a JSON file, which is not read", file=path, fix=EXPORT_ADVICE)
    table = table_header_first(head)
    if table:
        return table
    if looks_like_proquest(head):
        return "proquest"
    if looks_like_wos(head):
        return "wos"
    if looks_like_ris(head):
        return "ris"
    if looks_like_medline(head):
        return "medline"
    if looks_like_refer(head):
        return "refer"
    if looks_like_bibtex(head):
        return "bibtex"
    first_line = head.split("\n", 1)[0]
    delimiter = sniff_delimiter(head)
    if delimiter == "\t":
        return "wos-tab" if is_wos_header(first_line.split("\t")) else "tsv"
    if delimiter in ",;|" and any(delimiter in line for line in head.split("\n", 20)[:20]):
        return "csv"
    raise ReviewError(
        f"the format of this file is not recognised (it starts with '{_first_words(head)}'): "
        "it is not RIS, BibTeX, MEDLINE, Web of Science, CSV/TSV/XLSX, EndNote XML, refer, Ovid or a ProQuest report",
        file=path,
        fix=EXPORT_ADVICE,
    )


#: Lines that start a record of a line-tagged format or BibTeX.
_RECORD_START = re.compile(
    r"^(?:TY {1,2}- |PMID- |PT [A-Z]\s*$|FN |%0 |Document 1 of \d|<\s*\d+\.?\s*>\s*$|[ \t]*@\s*[A-Za-z][\w-]*\s*[{(])",
    re.MULTILINE,
)


def table_header_first(head: str) -> str:
    """"csv", "tsv" or "wos-tab" when the text is a table: a row naming a title column (within the
    first 20 lines) comes before any line that starts a tagged record or a BibTeX entry, and the
    next rows hold about as many cells; else "". A title such as ``@SUM(1+1)`` or ``TY  - x`` on
    line 3 of a CSV does not make it BibTeX or RIS: detection never rests on one line."""
    lines = head.split("\n", 40)[:40]
    delimiter = sniff_delimiter(head)  # always a delimiter ("," at the least)
    for index, line in enumerate(lines[:20]):
        if _RECORD_START.match(line):
            return ""
        cells = [column_key(c.strip().strip('"')) for c in line.split(delimiter)]
        if len(cells) >= 2 and (set(cells) & _TITLE_COLUMNS or is_wos_header(line.split(delimiter))):
            if not _rows_fit(lines[index:], delimiter, len(cells)):
                return ""
            if delimiter == "\t":
                return "wos-tab" if is_wos_header(line.split("\t")) else "tsv"
            return "csv"
    return ""


def _rows_fit(lines: list[str], delimiter: str, width: int) -> bool:
    """At least half the rows after the header (read as CSV: a quoted cell over several lines is one cell) hold as many cells as the header."""
    import csv
    import io

    text = "\n".join(lines[:-1]) if len(lines) > 1 else lines[0]
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    except csv.Error:
        return True  # a quote still open where the sample ends: a long cell
    body = rows[1:]
    if not body:
        return True
    tolerance = 0 if width < 6 else max(1, width // 10)  # Scopus rows hold a cell more than its header names
    fitting = sum(1 for row in body if abs(len(row) - width) <= tolerance)
    return fitting >= 0.5 * len(body)


def _first_words(text: str) -> str:
    first = " ".join(text.split())[:50]
    return re.sub(r"[^\x20-\x7e\u00a0-\uffff]", "?", first)
