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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReviewError
from .alignment import Check, align_row, column_checks, place_missing_cells
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


#: Common field -> column names that hold it, most specific first (any database). The names
#: are those of the CSV/Excel exports of Scopus, Web of Science, PubMed, Embase, IEEE Xplore,
#: SpringerLink, Dimensions, ProQuest, EBSCO, Lens, OpenAlex, Semantic Scholar (its API's
#: fields flattened), Zotero, EndNote, RefWorks, Covidence, Rayyan, and BibTeX turned into a
#: table (``ENTRYTYPE``, ``booktitle``, ``number``): every field that matching uses.
GENERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "item title", "primary title", "title primary", "paper title",
              "display_name", "ti", "name"),
    "authors": ("authors", "author", "author/s", "author names", "author(s)", "authors, primary", "author full names",
                "creators", "creator", "contributors", "authors.name", "au"),
    "year": ("year", "publication year", "published year", "pub year", "pubyear", "py", "publication_year", "year published",
             "year of publication", "date", "publication date", "publicationdate", "pubdate", "date published",
             "date of publication", "issue date", "create date", "published"),
    "journal": ("journal", "source title", "publication title", "publication name", "journal/book", "journal title",
                "journal name", "journaltitle", "journal.name", "pubtitle", "publication", "periodical full", "secondary title",
                "booktitle", "book title", "proceedings title", "conference name", "anthology title", "container-title",
                "container title", "venue", "publicationvenue.name", "source", "so", "book series title", "series"),
    "volume": ("volume", "vol", "journal volume", "journal.volume", "vl"),
    "issue": ("issue", "issue number", "journal issue", "journal.issue", "number", "no", "is"),
    "pages": ("pages", "page", "pagination", "page range", "journal.pages", "page numbers"),
    "start_page": ("page start", "start page", "first page", "bp", "startpage", "pagestart", "spage"),
    "end_page": ("page end", "end page", "last page", "ep", "endpage", "pageend", "epage", "other pages"),
    "article_number": ("art. no.", "article number", "article no.", "article no", "articlenumber", "ar"),
    "doi": ("doi", "item doi", "externalids.doi", "digitalobjectidentifier", "doi link", "doi url", "di",
            "digital object identifier"),
    "abstract": ("abstract", "abstract note", "abstractnote", "abstract text", "ab", "summary"),
    "keywords": ("keywords", "author keywords", "author_keywords", "keyword", "subject terms", "subjectterms", "subjects",
                 "subject", "manual tags", "index keywords", "ieee terms", "index terms", "mesh terms", "mesh_terms", "de"),
    "language": ("language", "language of original document", "language of article", "languages", "lang", "la"),
    "type": ("type", "document type", "documenttype", "publication type", "publication_type", "publicationtypes",
             "content type", "item type", "entrytype", "entry type", "ref type", "reference type", "source type",
             "document identifier", "dt"),
    "url": ("url", "link", "links", "article url", "articleurl", "full text link", "external url", "source urls",
            "documenturl", "pdf link", "dimensions url", "persistent link to this record (permalink)", "permalink", "plink"),
    "issn": ("issn", "issns", "issn/isbn", "eissn", "e-issn", "print issn", "electronic issn", "online issn", "issn (print)",
             "issn (online)", "journal issn", "sn"),
    "isbn": ("isbn", "isbns", "issn/isbn", "print isbn", "electronic isbn", "online isbn", "isbn (print)", "isbn (online)", "bn"),
    "publisher": ("publisher", "publisher name", "pu"),
    "citation": ("citation", "source", "bibliographic citation"),
}
#: Fields read from one column (the first filled one): two columns of one name holding such a
#: field leave it undecided (an error); the others keep the values of every column.
SINGLE_VALUED = ("title", "authors", "year", "journal", "volume", "issue", "pages", "start_page", "end_page",
                 "article_number", "abstract", "language", "type", "publisher", "citation")


@dataclass(frozen=True)
class Dialect:
    """A database's spreadsheet layout: columns that identify it and where its fields are
    (a field named here is read from these columns only; the others from the generic names)."""

    name: str
    markers: tuple[tuple[str, ...], ...]  # the header must hold every column of one of these sets
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the authors' names are written one after the other with no separator ("Jane DoeJohn Smith")
    run_together_authors: bool = False


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
        "SpringerLink",
        (("item title", "content type"), ("item doi", "publication title")),
        {
            "title": ("item title",),
            "authors": ("authors",),
            "journal": ("publication title", "book series title"),
            "volume": ("journal volume",),
            "issue": ("journal issue",),
            "doi": ("item doi",),
            "year": ("publication year",),
            "type": ("content type",),
            "url": ("url",),
            "citation": (),
        },
        run_together_authors=True,
    ),
    Dialect(
        "IEEE Xplore",
        (("document title", "ieee terms"), ("document title", "pdf link", "author affiliations")),
        {
            "title": ("document title",),
            "journal": ("publication title",),
            "keywords": ("author keywords", "ieee terms", "mesh_terms"),
            "url": ("pdf link",),
            "type": ("document identifier",),
            "isbn": ("isbns",),
            "citation": (),
        },
    ),
    Dialect(
        "Dimensions",
        (("publication id", "dimensions url"), ("publication id", "pubyear", "source title")),
        {
            "journal": ("source title", "anthology title"),
            "year": ("pubyear", "publication date"),
            "type": ("publication type", "document type"),
            "url": ("dimensions url", "source linkout"),
            "citation": (),
        },
    ),
    Dialect(
        "ProQuest",
        (("storeid",), ("pubtitle", "documenturl")),
        {
            "journal": ("pubtitle",),
            "year": ("year", "pubdate"),
            "type": ("documenttype", "document type"),
            "keywords": ("subjectterms", "subject terms", "identifierkeywords", "classification"),
            "url": ("documenturl", "findacopy"),
            "doi": ("digitalobjectidentifier", "doi"),
            "citation": (),
        },
    ),
    Dialect(
        "Semantic Scholar",
        (("paperid", "venue"), ("paperid", "externalids.doi"), ("corpusid", "venue")),
        {
            "authors": ("authors.name", "authors"),
            "journal": ("journal.name", "venue", "publicationvenue.name"),
            "volume": ("journal.volume",),
            "pages": ("journal.pages",),
            "doi": ("externalids.doi", "doi"),
            "type": ("publicationtypes",),
            "year": ("year", "publicationdate"),
            "citation": (),
        },
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
    rows: Iterable[tuple[int, list[str]]]  # (line or sheet row where the row starts, cells); may be iterated again
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
    """The table of a delimited text; its rows after the header are read lazily (each time they
    are iterated), so that a large export is never held as a list of rows."""
    strict = quoting != csv.QUOTE_NONE
    head: list[tuple[int, list[str]]] = []
    for row in _delimited_rows(text, path, delimiter, quoting, strict):
        head.append(row)
        if len(head) >= 21:
            break
    table = _table(head, path)
    skip = len(head) - len(table.rows)  # the rows up to the header
    table.rows = _LazyRows(text, path, delimiter, quoting, strict, skip)
    return table


class _LazyRows:
    """The rows of a delimited text after its first ``skip`` rows, parsed anew at each iteration."""

    def __init__(self, text: str, path: Path, delimiter: str, quoting: int, strict: bool, skip: int) -> None:
        self.args = (text, path, delimiter, quoting, strict)
        self.skip = skip

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        rows = _delimited_rows(*self.args)
        for _ in range(self.skip):
            next(rows, None)
        yield from rows


def _delimited_rows(text: str, path: Path, delimiter: str, quoting: int, strict: bool) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=strict)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as error:
        raise ReviewError(
            f"the file cannot be read as {'tab' if delimiter == chr(9) else repr(delimiter)}-separated values ({error}): "
            "a quote is not closed or is misplaced, or the file is truncated",
            file=path,
            line=line,
            fix="check the quotes in that row (a quote inside a cell is written twice), or export the file again",
        ) from None


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


def table_records(table: Table, path: Path, warnings: list[str], *, wos: bool = False) -> tuple[Iterator[ParsedRecord], str]:
    """Every non-blank row as a record (given out one by one), and the name of the database whose
    layout it is ("" if generic).

    A row holding more (or fewer) cells than the header has columns is put right by content
    (see ``alignment``: what the columns hold is learnt from their names and from the first
    rows of the right length), with a warning naming the column and the rows; a row the content
    cannot place is an error. A last row cut short while the others are complete is a
    truncated file (an error, raised once the rows are read)."""
    warnings.extend(table.warnings)
    header = table.header
    keys = [column_key(name) for name in header]
    dialect = None if wos else detect_dialect(header)
    mapping = None if wos else column_mapping(header, dialect)
    if mapping is not None:
        _check_repeated_columns(header, mapping, path, table.header_line)
    return _records_of_rows(table, path, warnings, mapping, keys, dialect, wos), (
        "Web of Science" if wos else (dialect.name if dialect else "")
    )


#: Rows of the right length read first to learn what each column holds.
_LEARNING_ROWS = 2000


def _records_of_rows(
    table: Table, path: Path, warnings: list[str], mapping: Mapping | None, keys: list[str], dialect: Dialect | None, wos: bool
) -> Iterator[ParsedRecord]:
    header = table.header
    width = len(header)
    names = [name if name else f"(column {i + 1})" for i, name in enumerate(header)]
    run_together = bool(dialect and dialect.run_together_authors)
    checks: list[Check | None] | None = None
    moved: dict[str, list[int]] = {}
    short_rows: list[int] = []
    last_line, count = 0, 0
    for line, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line or an empty spreadsheet row is not a record
        count, last_line = count + 1, line
        columns: list[list[str]] | None = None
        if len(cells) != width and checks is None:
            checks = column_checks(keys, _full_rows(table, width))
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            columns = align_row(cells, checks, keys) if checks is not None else None
            if columns is None:
                raise ReviewError(
                    f"the row has {len(cells)} cells but the header has {width} columns, and what the cells hold "
                    "does not tell which column the extra cell belongs to",
                    file=path,
                    line=line,
                    fix="check the row for a separator inside a cell that is not quoted (quote the cell), "
                    "or add the missing column name to the header",
                )
            for index, values in enumerate(columns):
                if len(values) > 1:
                    moved.setdefault(names[index], []).append(line)
        elif len(cells) < width:
            short_rows.append(line)
            cells = place_missing_cells(cells, checks) if checks is not None else cells
        raw: Raw = {}
        for index, name in enumerate(names):
            if columns is not None:
                values = [value.strip() for value in columns[index]]
            else:
                values = [cells[index].strip() if index < len(cells) else ""]
            if not header[index] and not any(values):
                continue
            raw.setdefault(name, []).extend(values)
        fields = wos_fields(raw) if wos else mapped_fields(raw, mapping, run_together_authors=run_together)  # type: ignore[arg-type]
        yield ParsedRecord(fields, raw, line)
    if short_rows == [last_line] and count > 1:
        raise ReviewError(
            f"the last row has fewer cells than the header has columns ({width}) while every other row is complete: "
            "the file looks truncated",
            file=path,
            line=last_line,
            fix="download the export again",
        )
    for name, lines in moved.items():
        warnings.append(
            f"{len(lines)} row(s) hold one cell more than the header names after the column '{name}' "
            f"(rows starting on line {_lines(lines)}): the extra cell was kept as a second value of '{name}' "
            "and the cells after it were read into the columns their content fits"
        )
    if short_rows:
        warnings.append(
            f"{len(short_rows)} row(s) have fewer cells than the header (first on line {short_rows[0]}); the missing cells were read as empty"
        )


def _full_rows(table: Table, width: int) -> list[list[str]]:
    """The first rows of the table holding as many cells as the header (read again from the start)."""
    found: list[list[str]] = []
    for seen, (_, cells) in enumerate(table.rows):
        if len(cells) == width and any(cell.strip() for cell in cells):
            found.append(cells)
            if len(found) >= _LEARNING_ROWS:
                break
        if seen > 5 * _LEARNING_ROWS:
            break
    return found


def _lines(lines: list[int], most: int = 10) -> str:
    return ", ".join(str(n) for n in lines[:most]) + (f" and {len(lines) - most} more" if len(lines) > most else "")


def _check_repeated_columns(header: Sequence[str], mapping: Mapping, path: Path, line: int) -> None:
    """Two columns of one name holding a field read from one column: which one is meant is unknown."""
    counts: dict[str, int] = {}
    for name in header:
        if name:
            counts[name] = counts.get(name, 0) + 1
    for field_name in SINGLE_VALUED:
        for name in dict.fromkeys(mapping.get(field_name, ())):
            if counts.get(name, 0) > 1:
                raise ReviewError(
                    f"the header has {counts[name]} columns named '{name}', which both hold the {field_name.replace('_', ' ')}: "
                    "which one to read is not known",
                    file=path,
                    line=line,
                    column=name,
                    fix=f"rename or delete one of the '{name}' columns",
                )


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


def split_run_together(text: str) -> list[str]:
    """Names written one after the other with no separator ("Jane DoeJohn McDonald"): a new
    name starts where a capital follows a lower-case letter, except inside Mc/Mac/De/Di/La/Le names."""
    names: list[str] = []
    start = 0
    for match in _NAME_JOIN.finditer(text):
        cut = match.start() + 1
        word = text[start:cut].split()[-1] if text[start:cut].split() else ""
        if word in _CAPITAL_INSIDE:
            continue
        names.append(text[start:cut])
        start = cut
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


_NAME_JOIN = re.compile(r"[a-z\u00df-\u00ff.](?=[A-Z\u00c0-\u00de][a-z\u00df-\u00ff])")
_CAPITAL_INSIDE = {"Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Von", "Du", "Fitz", "O'"}


def mapped_fields(raw: Raw, mapping: Mapping, *, run_together_authors: bool = False) -> dict[str, str]:
    authors = _get(raw, mapping["authors"])
    citation = parse_citation(_get(raw, mapping["citation"])) if mapping["citation"] else {}
    pages = _get(raw, mapping["pages"])
    urls = _all(raw, mapping["url"])
    issn_values = _all(raw, mapping["issn"])
    isbn_values = _all(raw, mapping["isbn"])
    return {
        "title": clean_text(_get(raw, mapping["title"])),
        "authors": join_authors(
            split_run_together(authors) if run_together_authors and not re.search(r"[;|]", authors) else split_author_list(authors)
        ),
        "year": normalise_year(_get(raw, mapping["year"])) or citation.get("year", ""),
        "journal": clean_text(_get(raw, mapping["journal"]) or citation.get("journal", "")),
        "volume": clean_text(_get(raw, mapping["volume"]) or citation.get("volume", "")),
        "issue": clean_text(_get(raw, mapping["issue"]) or citation.get("issue", "")),
        "pages": (normalise_pages(pages) if pages else join_pages(_get(raw, mapping["start_page"]), _get(raw, mapping["end_page"])))
        or citation.get("pages", "")
        or clean_text(_get(raw, mapping["article_number"])),
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
