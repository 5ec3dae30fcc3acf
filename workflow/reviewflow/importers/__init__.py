"""Read search exports into common records, detecting the format from the content.

``read_export(path)`` is the one entry point: it returns every record of the
file (normalised fields, every original field, the line it starts on) or
raises :class:`reviewflow.errors.ReviewError` naming the file, the line and
what is wrong. A record is never skipped in silence: where a format has a
record marker that can be counted without parsing (RIS ``TY``, Web of
Science ``PT``, MEDLINE ``PMID``, XML ``<record>``, ProQuest "Document N of
M", Ovid ``<N>``), the records read must match that count.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedExport, ParsedRecord, decode_bytes, gc_paused
from .bibtex import count_bibtex_entries, parse_bibtex
from .detect import FORMATS, detect_format, sniff_binary
from .endnote_xml import count_xml_records, parse_endnote_xml
from .medline import count_medline_records, parse_medline
from .ovid import count_ovid_records, parse_ovid
from .proquest import count_proquest_records, parse_proquest
from .refer import parse_refer
from .ris import count_ris_records, parse_ris
from .tabular import read_delimited, read_xlsx, sniff_delimiter, table_records
from .wos import count_wos_records, parse_wos

__all__ = ["FORMATS", "ParsedExport", "ParsedRecord", "detect_format", "other_readings", "read_export", "read_export_bytes"]

_COUNTERS: dict[str, Callable[[str], int | None]] = {
    "ris": count_ris_records,
    "wos": count_wos_records,
    "medline": count_medline_records,
    "endnote-xml": count_xml_records,
    "proquest": count_proquest_records,
    "ovid": count_ovid_records,
}
_MARKERS = {
    "ris": "'TY  - ' lines",
    "wos": "'PT' lines",
    "medline": "'PMID- ' lines",
    "endnote-xml": "<record> elements",
    "proquest": "'Document N of M' lines",
    "ovid": "'<N>' record numbers",
}


def read_export(path: str | Path, *, allow_empty: bool = False) -> ParsedExport:
    """Every record of one export file (see the module's docstring); ``allow_empty``: a file
    holding only a header is a search that found nothing (else it is an error)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(
            "the export file does not exist",
            file=path,
            fix="check the 'file' column of data/raw/searches.csv (paths are relative to data/raw/searches/)",
        ) from None
    except IsADirectoryError:
        raise ReviewError("this is a folder, not an export file", file=path, fix="name the export file itself") from None
    except PermissionError:
        raise ReviewError("the export file cannot be read (permission denied)", file=path,
                          fix="give yourself read permission on the file (chmod u+r), or copy it again") from None
    return read_export_bytes(data, path, allow_empty=allow_empty)


def read_export_bytes(data: bytes, path: Path, *, allow_empty: bool = False) -> ParsedExport:
    """Every record of an export file's bytes (``path`` names it in messages)."""
    with gc_paused():
        try:
            return _read(data, path)
        except _NoRecords as empty:
            if allow_empty:
                return empty.export
            raise empty.error from None


#: Formats whose reader takes the text and returns the records (the others also return a dialect or a stated total).
#: Line-tagged formats, whose records are warned about when they have no title.
_TAGGED = {"ris", "medline", "wos", "ovid", "refer", "proquest"}

_RECORD_PARSERS: dict[str, Callable[[str, Path, list[str]], list[ParsedRecord]]] = {
    "ris": parse_ris,
    "bibtex": parse_bibtex,
    "medline": parse_medline,
    "wos": parse_wos,
    "ovid": parse_ovid,
    "refer": parse_refer,
    "endnote-xml": parse_endnote_xml,
}


def _read(data: bytes, path: Path) -> ParsedExport:
    if not data.strip():
        raise ReviewError(
            "the file is empty",
            file=path,
            fix="export the search results again; an export with no results should not be listed in the search log",
        )
    warnings: list[str] = []
    if sniff_binary(data, path) == "xlsx":
        records, dialect = table_records(read_xlsx(data, path), path, warnings)
        return _checked(ParsedExport(path, "xlsx", "xlsx", records, warnings, dialect))
    decoded = decode_bytes(data, path)
    warnings.extend(decoded.warnings)
    text = decoded.text
    fmt = detect_format(text, path)
    dialect = ""
    stated_total: int | None = None
    if fmt in _RECORD_PARSERS:
        records = _RECORD_PARSERS[fmt](text, path, warnings)
    elif fmt == "proquest":
        records, stated_total = parse_proquest(text, path, warnings)
    elif fmt == "wos-tab":
        records, dialect = table_records(read_delimited(text, path, "\t", quoting=csv.QUOTE_NONE), path, warnings, wos=True)
    else:  # csv, tsv
        records, dialect = table_records(read_delimited(text, path, sniff_delimiter(text)), path, warnings)
    export = ParsedExport(path, fmt, decoded.encoding, records, warnings, dialect, stated_total)
    expected = _COUNTERS[fmt](text) if fmt in _COUNTERS else None
    if fmt == "bibtex" and (entries := count_bibtex_entries(text)) > len(records):
        raise ReviewError(
            f"the file has {entries} lines starting a BibTeX entry ('@type{{') but {len(records)} entries were read: "
            "an entry is malformed",
            file=path,
            fix="check the entries around the ones named in the warnings, or export the file again",
        )
    if fmt in _TAGGED:
        untitled = [(number, record.line) for number, record in enumerate(records, start=1) if not record.fields.get("title")]
        if untitled:
            shown = ", ".join(f"record {n} (line {line})" for n, line in untitled[:10]) + (" ..." if len(untitled) > 10 else "")
            warnings.append(
                f"{len(untitled)} record(s) have no title: {shown}; they are imported but cannot be screened on a title"
            )
    if expected is not None and expected != len(records):
        raise ReviewError(
            f"the file has {expected} {_MARKERS[fmt]} but {len(records)} records were read: "
            "a record is malformed (a missing blank line or end line?)",
            file=path,
            fix="check the records around the ones named in the warnings, or export the file again",
        )
    return _checked(export)


def other_readings(path: Path, fmt: str) -> dict[str, int]:
    """How many records the file holds read in each other text format that can read it at all
    (to tell whether a count below the database's reported hits comes from a wrong format)."""
    try:
        data = path.read_bytes()
        if sniff_binary(data, path) == "xlsx":
            return {}
        text = decode_bytes(data, path).text
    except (OSError, ReviewError):
        return {}
    counts: dict[str, int] = {}
    readers: dict[str, Callable[[], int]] = {
        name: (lambda parser=parser: len(parser(text, path, []))) for name, parser in _RECORD_PARSERS.items()
    }
    readers["csv"] = lambda: len(table_records(read_delimited(text, path, sniff_delimiter(text)), path, [])[0])
    for name, count in readers.items():
        if name == fmt or (name == "csv" and fmt in ("tsv", "wos-tab")):
            continue
        try:
            with gc_paused():
                counts[name] = count()
        except Exception:  # noqa: BLE001 - a reading that fails is no reading
            continue
    return counts


class _NoRecords(Exception):
    """A readable export holding no records (a header only)."""

    def __init__(self, export: ParsedExport, error: ReviewError) -> None:
        super().__init__(error.message)
        self.export, self.error = export, error


def _checked(export: ParsedExport) -> ParsedExport:
    if not export.records:
        raise _NoRecords(export, ReviewError(
            f"no records were found in this {FORMATS[export.format]} file",
            file=export.path,
            fix="check that the export is complete; for a search that found nothing, set reported_hits to 0 in the search log",
        ))
    return export
