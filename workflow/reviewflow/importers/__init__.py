"""Read search exports into common records, detecting the format from the content.

``read_export(path)`` is the one entry point: it returns every record of the
file (normalised fields, every original field, the line it starts on) or
raises :class:`reviewflow.errors.ReviewError` naming the file, the line and
what is wrong. A record is never skipped in silence.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReviewError
from .base import ParsedExport, ParsedRecord, decode_bytes
from .bibtex import looks_like_bibtex, parse_bibtex
from .ris import looks_like_ris, parse_ris
from .tabular import parse_delimited

__all__ = ["ParsedExport", "ParsedRecord", "detect_format", "read_export"]


def detect_format(text: str) -> str:
    """The export format from the file's content (extensions lie)."""
    head = text.lstrip()[:20000]
    if looks_like_ris(head):
        return "ris"
    if head.startswith("@") or looks_like_bibtex(head):
        return "bibtex"
    first_line = head.split("\n", 1)[0]
    if first_line.count("\t") >= 2:
        return "tsv"
    if first_line.count(",") >= 1 or first_line.count(";") >= 2:
        return "csv"
    return "unknown"


def read_export(path: str | Path) -> ParsedExport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(
            "the export file does not exist",
            file=path,
            fix="check the 'file' column of data/raw/searches.csv (paths are relative to data/raw/searches/)",
        ) from None
    decoded = decode_bytes(data, path)
    fmt = detect_format(decoded.text)
    if fmt == "ris":
        records = parse_ris(decoded.text, path)
    elif fmt == "bibtex":
        records = parse_bibtex(decoded.text, path)
    elif fmt == "csv":
        records = parse_delimited(decoded.text, path, ",")
    elif fmt == "tsv":
        records = parse_delimited(decoded.text, path, "\t")
    else:
        raise ReviewError(
            "the format of this file is not recognised: it is not RIS, BibTeX, CSV or TSV",
            file=path,
            fix="export the search results again in one of these formats",
        )
    if not records:
        raise ReviewError(
            f"no records were found in this {fmt} file",
            file=path,
            fix="check that the export is complete; an export with no results should not be listed in the search log",
        )
    return ParsedExport(path=path, format=fmt, encoding=decoded.encoding, records=records)
