"""Read search exports into common records, detecting the format from the content.

``read_export(path)`` is the one entry point (``open_export`` gives the same
records one by one, for the import step, which never holds a whole file's
records): it returns every record of the
file (normalised fields, every original field, the line it starts on) or
raises :class:`reviewflow.errors.ReviewError` naming the file, the line and
what is wrong. A record is never skipped in silence: where a format has a
record marker that can be counted without parsing (RIS ``TY``, Web of
Science ``PT``, MEDLINE ``PMID``, XML ``<record>``, ProQuest "Document N of
M", Ovid ``<N>``), the records read must match that count.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedExport, ParsedRecord, decode_bytes, gc_paused
from .bibtex import count_bibtex_entries, parse_bibtex
from .detect import FORMATS, detect_format, sniff_binary
from .endnote_xml import count_xml_records, parse_endnote_xml
from .medline import count_medline_records, iter_medline
from .ovid import count_ovid_records, parse_ovid
from .proquest import count_proquest_records, parse_proquest
from .refer import parse_refer
from .ris import count_ris_records, iter_ris, parse_ris
from .tabular import read_delimited, read_xlsx, sniff_delimiter, table_records
from .wos import count_wos_records, iter_wos

__all__ = [
    "FORMATS", "ExportStream", "ParsedExport", "ParsedRecord", "detect_format", "open_export", "other_readings", "parse_ris",
    "read_export", "read_export_bytes",
]

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


#: Line-tagged formats, whose records are warned about when they have no title.
_TAGGED = {"ris", "medline", "wos", "ovid", "refer", "proquest"}

_RECORD_PARSERS: dict[str, Callable[[str, Path, list[str]], Iterable[ParsedRecord]]] = {
    "ris": iter_ris,  # records one by one
    "bibtex": parse_bibtex,
    "medline": iter_medline,  # records one by one
    "wos": iter_wos,  # records one by one
    "ovid": parse_ovid,
    "refer": parse_refer,
    "endnote-xml": parse_endnote_xml,
}


def read_export(path: str | Path, *, allow_empty: bool = False) -> ParsedExport:
    """Every record of one export file (see the module's docstring); ``allow_empty``: a file
    holding only a header is a search that found nothing (else it is an error)."""
    path = Path(path)
    return read_export_bytes(_file_bytes(path), path, allow_empty=allow_empty)


def read_export_bytes(data: bytes, path: Path, *, allow_empty: bool = False) -> ParsedExport:
    """Every record of an export file's bytes (``path`` names it in messages)."""
    with gc_paused():
        stream = open_export_bytes(data, path)
        records = list(stream.records)
        return stream.finish(records, allow_empty=allow_empty)


def open_export(path: str | Path) -> ExportStream:
    """An export file's records one by one (``ExportStream``), for an import that never holds a
    whole file's records: iterate ``records``, then call ``finish`` for the file's checks."""
    path = Path(path)
    return open_export_bytes(_file_bytes(path), path)


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
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


class ExportStream:
    """One export being read: its format and encoding (known at once), its records (an iterator,
    read once), and, once they are all read, its warnings and checks (``finish``)."""

    def __init__(self, path: Path, fmt: str, encoding: str, records: Iterable[ParsedRecord], warnings: list[str],
                 text: str | None, dialect: str = "", stated_total: int | None = None) -> None:
        self.path, self.format, self.encoding, self.warnings = path, fmt, encoding, warnings
        self.dialect, self.stated_total = dialect, stated_total
        self._text = text
        self.untitled: list[tuple[int, int]] = []
        self.count = 0
        self.records: Iterator[ParsedRecord] = self._counted(records)

    @property
    def format_label(self) -> str:
        return f"{self.format} ({self.dialect})" if self.dialect else self.format

    def _counted(self, records: Iterable[ParsedRecord]) -> Iterator[ParsedRecord]:
        for record in records:
            self.count += 1
            if not record.fields.get("title"):
                self.untitled.append((self.count, record.line))
            yield record

    def finish(self, records: list[ParsedRecord] | None = None, *, allow_empty: bool = False) -> ParsedExport:
        """The file's checks once every record is read (counts, warnings); the export, holding
        ``records`` (those kept by the caller, if any). Raises ReviewError when a check fails."""
        fmt, path, text, count = self.format, self.path, self._text, self.count
        self._text = None
        if text is not None and fmt == "bibtex" and (entries := count_bibtex_entries(text)) > count:
            raise ReviewError(
                f"the file has {entries} lines starting a BibTeX entry ('@type{{') but {count} entries were read: "
                "an entry is malformed",
                file=path,
                fix="check the entries around the ones named in the warnings, or export the file again",
            )
        if fmt in _TAGGED and self.untitled:
            shown = ", ".join(f"record {n} (line {line})" for n, line in self.untitled[:10])
            self.warnings.append(
                f"{len(self.untitled)} record(s) have no title: {shown}{' ...' if len(self.untitled) > 10 else ''}; "
                "they are imported but cannot be screened on a title"
            )
        expected = _COUNTERS[fmt](text) if text is not None and fmt in _COUNTERS else None
        if expected is not None and expected != count:
            raise ReviewError(
                f"the file has {expected} {_MARKERS[fmt]} but {count} records were read: "
                "a record is malformed (a missing blank line or end line?)",
                file=path,
                fix="check the records around the ones named in the warnings, or export the file again",
            )
        export = ParsedExport(path, fmt, self.encoding, records if records is not None else [], self.warnings,
                              self.dialect, self.stated_total)
        if not count:
            error = ReviewError(
                f"no records were found in this {FORMATS[fmt]} file",
                file=path,
                fix="check that the export is complete; for a search that found nothing, set reported_hits to 0 in the search log",
            )
            if not allow_empty:
                raise error
        return export


def open_export_bytes(data: bytes, path: Path) -> ExportStream:
    """An ``ExportStream`` of an export file's bytes (``path`` names it in messages)."""
    if not data.strip():
        raise ReviewError(
            "the file is empty",
            file=path,
            fix="export the search results again; for a search that found nothing, set reported_hits to 0 "
            "in the search log and leave its file empty",
        )
    warnings: list[str] = []
    if sniff_binary(data, path) == "xlsx":
        records, dialect = table_records(read_xlsx(data, path), path, warnings)
        return ExportStream(path, "xlsx", "xlsx", records, warnings, None, dialect)
    decoded = decode_bytes(data, path)
    del data
    warnings.extend(decoded.warnings)
    text = decoded.text
    fmt = detect_format(text, path)
    dialect = ""
    stated_total: int | None = None
    records: Iterable[ParsedRecord]
    if fmt in _RECORD_PARSERS:
        records = _RECORD_PARSERS[fmt](text, path, warnings)
    elif fmt == "proquest":
        records, stated_total = parse_proquest(text, path, warnings)
    elif fmt == "wos-tab":
        records, dialect = table_records(read_delimited(text, path, "\t", quoting=csv.QUOTE_NONE), path, warnings, wos=True)
    else:  # csv, tsv
        records, dialect = table_records(read_delimited(text, path, sniff_delimiter(text)), path, warnings)
    return ExportStream(path, fmt, decoded.encoding, records, warnings, text, dialect, stated_total)


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
        name: (lambda parser=parser: sum(1 for _ in parser(text, path, []))) for name, parser in _RECORD_PARSERS.items()
    }
    readers["csv"] = lambda: sum(1 for _ in table_records(read_delimited(text, path, sniff_delimiter(text)), path, [])[0])
    for name, count in readers.items():
        if name == fmt or (name == "csv" and fmt in ("tsv", "wos-tab")):
            continue
        try:
            with gc_paused():
                counts[name] = count()
        except Exception:  # noqa: BLE001 - a reading that fails is no reading
            continue
    return counts


def better_reading(path: Path, fmt: str, count: int, hits: int) -> tuple[str, int] | None:
    """(the other format, its record count) that reads more of the ``hits`` the database reported
    than the ``count`` read as ``fmt`` (the most, up to ``hits``); None when no reading does."""
    better = {name: n for name, n in other_readings(path, fmt).items() if count < n <= hits}
    return max(better.items(), key=lambda item: item[1]) if better else None


