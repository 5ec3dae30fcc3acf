"""Spreadsheet-like exports: CSV, TSV, XLSX, and Web of Science tab-delimited.

Each database names its columns its own way; the header tells which one
wrote the file (``EID`` is Scopus, ``Lens ID`` is Lens, ``Covidence #`` is
Covidence ...) and its columns are mapped to the common fields, with a
generic list of column names for everything else. Every cell is kept in
``raw`` under its column name, as written.

Rules: cells are strings (nothing becomes a number or "NaN"); quoted cells
may hold separators and line breaks; a row with more filled cells than the
header has columns is an error (an unquoted separator); a blank row is not a
record; a last row cut short while the others are complete means a
truncated file (an error).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw, shorten
from .normalise import (
    clean_text,
    first_doi,
    join_authors,
    join_list,
    join_pages,
    normalise_isbn,
    normalise_issn,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    parse_citation,
    split_author_list,
    split_values,
)
from .wos import wos_fields


def column_key(name: str) -> str:
    """Column names compared case- and space-insensitively."""
    return " ".join(name.strip().lower().split())


#: Common field -> column names that hold it, most specific first (any database).
GENERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title", "title primary", "display_name", "ti", "name"),
    "authors": ("authors", "author", "author/s", "author names", "author(s)", "authors, primary", "creators", "au"),
    "year": ("year", "publication year", "published year", "pub year", "pubyear", "py", "publication_year", "year published",
             "date", "publication date", "date published", "date of publication", "create date", "published"),
    "journal": ("journal", "source title", "publication title", "publication name", "journal/book", "journal title",
                "journal name", "periodical full", "secondary title", "source", "so"),
    "volume": ("volume", "vol", "vl"),
    "issue": ("issue", "issue number", "number", "no", "is"),
    "pages": ("pages", "page", "pagination", "page range"),
    "start_page": ("page start", "start page", "first page", "bp", "startpage"),
    "end_page": ("page end", "end page", "last page", "ep", "endpage", "other pages"),
    "doi": ("doi", "di", "digital object identifier"),
    "abstract": ("abstract", "abstract note", "ab", "summary"),
    "keywords": ("keywords", "author keywords", "author_keywords", "keyword", "subject terms", "subjects", "subject",
                 "manual tags", "index keywords", "mesh terms", "de"),
    "language": ("language", "language of original document", "language of article", "languages", "la"),
    "type": ("type", "document type", "publication type", "item type", "ref type", "reference type", "dt"),
    "url": ("url", "link", "links", "article url", "articleurl", "full text link", "external url", "source urls",
            "persistent link to this record (permalink)", "permalink"),
    "issn": ("issn", "issns", "issn/isbn", "eissn", "e-issn", "sn"),
    "isbn": ("isbn", "isbns", "issn/isbn", "bn"),
    "publisher": ("publisher", "publisher name", "pu"),
    "citation": ("citation", "source", "bibliographic citation"),
}


@dataclass(frozen=True)
class Dialect:
    """A database's spreadsheet layout: columns that identify it and where its fields are
    (a field named here is read from these columns only; the others from the generic names)."""

    name: str
    markers: tuple[tuple[str, ...], ...]  # the header must hold every column of one of these sets
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


DIALECTS: tuple[Dialect, ...] = (
    Dialect(
        "Web of Science",
        (("ut (unique wos id)",), ("article title", "source title", "publication type")),
        {
            "authors": ("author full names", "authors"),
            "title": ("article title",),
            "journal": ("source title",),
            "keywords": ("author keywords", "keywords plus"),
            "citation": (),
        },
    ),
    Dialect(
        "Scopus",
        (("eid",), ("source title", "author(s) id"), ("author full names", "source title")),
        {
            "authors": ("author full names", "authors"),
            "journal": ("source title", "abbreviated source title"),
            "year": ("year",),
            "keywords": ("author keywords", "index keywords"),
            "url": ("link",),
            "citation": (),
        },
    ),
    Dialect(
        "Embase",
        (("embase link",), ("emtree drug index terms",), ("emtree medical index terms",), ("author names", "source", "open url link")),
        {
            "authors": ("author names",),
            "journal": ("source title", "journal title"),
            "year": ("publication year", "date of publication"),
            "keywords": ("author keywords", "keywords", "emtree medical index terms", "emtree drug index terms"),
            "url": ("full text link", "embase link", "open url link"),
            "citation": ("source",),
        },
    ),
    Dialect(
        "PubMed",
        (("pmid", "citation", "journal/book"), ("pmid", "create date", "first author")),
        {"journal": ("journal/book",), "year": ("publication year", "create date"), "citation": ("citation",)},
    ),
    Dialect(
        "Lens",
        (("lens id",),),
        {
            "authors": ("author/s",),
            "year": ("publication year", "date published"),
            "issue": ("issue number",),
            "keywords": ("keywords", "fields of study", "mesh terms"),
            "url": ("external url", "source urls"),
            "issn": ("issns",),
        },
    ),
    Dialect(
        "OpenAlex",
        (("authorships.author.display_name",), ("display_name", "publication_year", "cited_by_count")),
        {
            "title": ("title", "display_name"),
            "authors": ("authorships.author.display_name",),
            "year": ("publication_year", "publication_date"),
            "journal": ("primary_location.source.display_name", "host_venue.display_name"),
            "volume": ("biblio.volume",),
            "issue": ("biblio.issue",),
            "start_page": ("biblio.first_page",),
            "end_page": ("biblio.last_page",),
            "keywords": ("keywords.display_name", "concepts.display_name", "topics.display_name"),
            "url": ("primary_location.landing_page_url", "doi", "id"),
            "issn": ("primary_location.source.issn", "primary_location.source.issn_l", "host_venue.issn"),
            "publisher": ("primary_location.source.host_organization_name", "host_venue.publisher"),
            "citation": (),
        },
    ),
    Dialect(
        "Covidence",
        (("covidence #",),),
        {"year": ("published year",), "citation": ()},
    ),
    Dialect(
        "Rayyan",
        (("key", "title", "authors", "pubmed_id"), ("key", "title", "authors", "pmc_id")),
        {"citation": ()},
    ),
    Dialect(
        "Zotero",
        (("item type", "publication title", "key"),),
        {"authors": ("author",), "journal": ("publication title",), "abstract": ("abstract note",),
         "keywords": ("manual tags", "automatic tags"), "year": ("publication year", "date"), "citation": ()},
    ),
    Dialect(
        "RefWorks",
        (("ref type", "title primary"), ("authors, primary",)),
        {"title": ("title primary",), "authors": ("authors, primary",), "journal": ("periodical full", "periodical abbrev"),
         "year": ("pub year",), "end_page": ("other pages",), "issn": ("issn/isbn",), "isbn": ("issn/isbn",), "citation": ()},
    ),
    Dialect(
        "Google Scholar (Publish or Perish)",
        (("gsrank",), ("cites", "articleurl")),
        {"journal": ("source",), "url": ("articleurl",), "citation": ()},
    ),
    Dialect(
        "EBSCOhost",
        (("accession number", "subject terms"), ("an", "subject terms")),
        {"citation": ()},
    ),
)
WOS_MARKERS = ({"PT", "AU", "TI", "SO"}, {"PT", "TI", "UT"})
_TITLE_COLUMNS = set(GENERIC_COLUMNS["title"]) | {c for d in DIALECTS for c in d.columns.get("title", ())}


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line or sheet row where the row starts, cells)
    header_line: int = 1
    warnings: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# reading the table


_SEPARATORS = ("\t", ",", ";", "|")


def _line_delimiter(line: str) -> str:
    unquoted = re.sub(r'"[^"]*"', "", line)
    counts = {sep: unquoted.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ""


def sniff_delimiter(text: str) -> str:
    """The separator of the header row: the first of the first 20 lines that names a title
    column (some exports write a few lines about the search first), else the first line."""
    lines = text.split("\n", 20)[:20]
    for line in lines:
        delimiter = _line_delimiter(line)
        if delimiter and {column_key(c.strip().strip('"')) for c in line.split(delimiter)} & _TITLE_COLUMNS:
            return delimiter
    return _line_delimiter(lines[0]) or ","


def is_wos_header(cells: Sequence[str]) -> bool:
    names = {c.strip().lstrip("\ufeff") for c in cells}
    return any(marker <= names for marker in WOS_MARKERS)


def read_delimited(text: str, path: Path, delimiter: str, *, quoting: int = csv.QUOTE_MINIMAL) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=quoting != csv.QUOTE_NONE)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ReviewError(
            f"the file cannot be read as {'tab' if delimiter == chr(9) else repr(delimiter)}-separated values ({error}): "
            "a quote is not closed or is misplaced, or the file is truncated",
            file=path,
            line=line,
            fix="check the quotes in that row (a quote inside a cell is written twice), or export the file again",
        ) from None
    return _table(rows, path)


def read_xlsx(data: bytes, path: Path) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of reviewflow
        raise ReviewError("reading .xlsx needs the openpyxl package", file=path, fix="pip install openpyxl") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ReviewError(
            f"the Excel workbook cannot be opened ({type(error).__name__}: {shorten(str(error), 80)}): it looks damaged or truncated",
            file=path,
            fix="download the export again, or save it as CSV",
        ) from None
    try:
        sheets = [sheet for sheet in workbook.worksheets]
        rows: list[tuple[int, list[str]]] = []
        used_sheet = ""
        skipped: list[str] = []
        for sheet in sheets:
            sheet_rows = [
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            if not any(any(cells) for _, cells in sheet_rows):
                continue
            if used_sheet:
                skipped.append(sheet.title)
                continue
            used_sheet, rows = sheet.title, sheet_rows
    finally:
        workbook.close()
    if not used_sheet:
        raise ReviewError("the workbook has no data in any sheet", file=path, fix="export the search results again")
    table = _table(rows, path)
    if skipped:
        table.warnings.append(f"only the first sheet with data ('{used_sheet}') was read; the sheets {skipped} were not")
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _table(rows: list[tuple[int, list[str]]], path: Path) -> Table:
    """Find the header (the first row naming a title column, within the first 20 rows)."""
    for index, (line, cells) in enumerate(rows[:20]):
        keys = {column_key(c) for c in cells}
        if keys & _TITLE_COLUMNS or is_wos_header(cells):
            header = [c.strip() for c in cells]
            table = Table(header, rows[index + 1 :], header_line=line)
            skipped = [(n, c) for n, c in rows[:index] if any(x.strip() for x in c)]
            if skipped:
                first_line, first_cells = skipped[0]
                table.warnings.append(
                    f"{len(skipped)} line(s) before the header row (line {line}) were not read as records "
                    f"(line {first_line}: '{shorten(' '.join(first_cells))}')"
                )
            return table
    first = rows[0][1] if rows else []
    raise ReviewError(
        "this does not look like a search export: no row names a title column "
        f"(the first row holds {[shorten(c, 30) for c in first[:8]]})",
        file=path,
        line=1,
        fix="export the search results as RIS, or as CSV/XLSX with a 'Title' column (rename the column holding titles to 'Title')",
    )


# ----------------------------------------------------------------------------------------------
# rows to records


def table_records(table: Table, path: Path, warnings: list[str], *, wos: bool = False) -> tuple[list[ParsedRecord], str]:
    """Every non-blank row as a record, and the name of the database whose layout it is ("" if generic)."""
    warnings.extend(table.warnings)
    header = table.header
    width = len(header)
    names = [name if name else f"(column {i + 1})" for i, name in enumerate(header)]
    dialect = None if wos else detect_dialect(header)
    mapping = None if wos else column_mapping(header, dialect)
    records: list[ParsedRecord] = []
    short_rows: list[int] = []
    for line, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line or an empty spreadsheet row is not a record
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            raise ReviewError(
                f"the row has {len(cells)} cells but the header has {width} columns",
                file=path,
                line=line,
                fix="check the row for a separator inside a cell that is not quoted",
            )
        if len(cells) < width:
            short_rows.append(line)
        raw: Raw = {}
        for index, name in enumerate(names):
            value = cells[index].strip() if index < len(cells) else ""
            if not header[index] and not value:
                continue
            raw.setdefault(name, []).append(value)
        fields = wos_fields(raw) if wos else mapped_fields(raw, mapping)  # type: ignore[arg-type]
        records.append(ParsedRecord(fields, raw, line))
    if short_rows:
        last_line = records[-1].line if records else 0
        if short_rows == [last_line] and len(records) > 1:
            raise ReviewError(
                f"the last row has fewer cells than the header has columns ({width}) while every other row is complete: "
                "the file looks truncated",
                file=path,
                line=last_line,
                fix="download the export again",
            )
        warnings.append(
            f"{len(short_rows)} row(s) have fewer cells than the header (first on line {short_rows[0]}); the missing cells were read as empty"
        )
    return records, ("Web of Science" if wos else (dialect.name if dialect else ""))


def detect_dialect(header: Sequence[str]) -> Dialect | None:
    keys = {column_key(h) for h in header}
    for dialect in DIALECTS:
        if any(all(m in keys for m in marker) for marker in dialect.markers):
            return dialect
    return None


Mapping = dict[str, list[str]]


def column_mapping(header: Sequence[str], dialect: Dialect | None) -> Mapping:
    """Field -> the columns of this file that hold it, in the order to try them."""
    by_key: dict[str, list[str]] = {}
    for index, name in enumerate(header):
        by_key.setdefault(column_key(name), []).append(name if name else f"(column {index + 1})")
    mapping: Mapping = {}
    for field_name, generic in GENERIC_COLUMNS.items():
        candidates: Iterable[str] = generic
        if dialect is not None and field_name in dialect.columns:
            candidates = dialect.columns[field_name]
        columns: list[str] = []
        for key in candidates:
            for name in by_key.get(key, []):
                if name not in columns:
                    columns.append(name)
        mapping[field_name] = columns
    return mapping


def _get(raw: Raw, columns: list[str]) -> str:
    for name in columns:
        for value in raw.get(name, ()):
            if value.strip():
                return value
    return ""


def _all(raw: Raw, columns: list[str]) -> list[str]:
    return [value for name in columns for value in raw.get(name, ())]


def mapped_fields(raw: Raw, mapping: Mapping) -> dict[str, str]:
    citation = parse_citation(_get(raw, mapping["citation"])) if mapping["citation"] else {}
    pages = _get(raw, mapping["pages"])
    urls = _all(raw, mapping["url"])
    issn_values = _all(raw, mapping["issn"])
    isbn_values = _all(raw, mapping["isbn"])
    return {
        "title": clean_text(_get(raw, mapping["title"])),
        "authors": join_authors(split_author_list(_get(raw, mapping["authors"]))),
        "year": normalise_year(_get(raw, mapping["year"])) or citation.get("year", ""),
        "journal": clean_text(_get(raw, mapping["journal"]) or citation.get("journal", "")),
        "volume": clean_text(_get(raw, mapping["volume"]) or citation.get("volume", "")),
        "issue": clean_text(_get(raw, mapping["issue"]) or citation.get("issue", "")),
        "pages": (normalise_pages(pages) if pages else join_pages(_get(raw, mapping["start_page"]), _get(raw, mapping["end_page"])))
        or citation.get("pages", ""),
        "doi": first_doi(_all(raw, mapping["doi"]), urls, _all(raw, mapping["citation"])),
        "abstract": clean_text(_get(raw, mapping["abstract"])),
        "keywords": join_list(split_values(_all(raw, mapping["keywords"]), ";|\n")),
        "language": normalise_language(_get(raw, mapping["language"])),
        "type": normalise_type(_get(raw, mapping["type"])),
        "url": clean_text(next((u.split()[0] for u in urls if u.strip() and u.strip().lower().startswith(("http", "www"))), "")),
        "issn": normalise_issn(*issn_values),
        "isbn": normalise_isbn(*isbn_values),
        "publisher": clean_text(_get(raw, mapping["publisher"])),
    }
