"""CSV and TSV exports: column names of the common databases mapped to the common fields."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw
from .normalise import (
    clean_text,
    find_doi,
    join_authors,
    join_list,
    join_pages,
    normalise_isbn,
    normalise_issn,
    normalise_pages,
    normalise_type,
    normalise_year,
)

#: Common field -> column names that hold it, most specific first (compared case-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title", "ti"),
    "authors": ("authors", "author", "author/s", "author names", "au"),
    "year": ("year", "publication year", "py", "pubyear", "date", "publication date", "create date"),
    "journal": ("journal", "source title", "publication name", "source", "journal/book", "journal title", "publication title", "secondary title", "so"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page", "pagination"),
    "start_page": ("page start", "start page", "bp"),
    "end_page": ("page end", "end page", "ep"),
    "doi": ("doi", "di"),
    "abstract": ("abstract", "ab"),
    "keywords": ("keywords", "author keywords", "author_keywords", "subject terms", "subjects", "de"),
    "language": ("language", "language of original document", "la"),
    "type": ("type", "document type", "publication type", "dt"),
    "url": ("url", "link", "links"),
    "issn": ("issn", "sn"),
    "isbn": ("isbn", "bn"),
    "publisher": ("publisher", "pu"),
}


def parse_delimited(text: str, path: Path, delimiter: str = ",") -> list[ParsedRecord]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ReviewError("the file has no header row", file=path) from None
    header = [h.strip() for h in header]
    if not any(h.lower() in COLUMNS["title"] for h in header):
        raise ReviewError(
            f"no title column among the columns {header[:12]}",
            file=path,
            line=1,
            fix="export the results with a 'Title' column (or rename the column holding titles to 'title')",
        )
    records = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank line, not a record
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise ReviewError(
                f"the row has {len(row)} cells but the header has {len(header)} columns",
                file=path,
                line=line,
                fix="check the row for an unquoted separator",
            )
        raw: Raw = {name: [row[i].strip() if i < len(row) else ""] for i, name in enumerate(header) if name}
        records.append(ParsedRecord(tabular_fields(raw), raw, line))
    return records


def _get(lowered: dict[str, str], field: str) -> str:
    for name in COLUMNS[field]:
        value = lowered.get(name, "")
        if value.strip():
            return value
    return ""


def tabular_fields(raw: Raw) -> dict[str, str]:
    lowered = {key.lower(): values[0] for key, values in raw.items()}
    authors_text = _get(lowered, "authors")
    separator = ";" if ";" in authors_text else (" and " if " and " in authors_text else ",")
    if separator == "," and authors_text.count(",") == 1:
        separator = ";"  # a single "Surname, Given"
    pages = _get(lowered, "pages")
    return {
        "title": clean_text(_get(lowered, "title")),
        "authors": join_authors(authors_text.split(separator)) if authors_text else "",
        "year": normalise_year(_get(lowered, "year")),
        "journal": clean_text(_get(lowered, "journal")),
        "volume": clean_text(_get(lowered, "volume")),
        "issue": clean_text(_get(lowered, "issue")),
        "pages": normalise_pages(pages) if pages else join_pages(_get(lowered, "start_page"), _get(lowered, "end_page")),
        "doi": find_doi(_get(lowered, "doi"), _get(lowered, "url")),
        "abstract": clean_text(_get(lowered, "abstract")),
        "keywords": join_list(_get(lowered, "keywords").split(";")),
        "language": clean_text(_get(lowered, "language")),
        "type": normalise_type(_get(lowered, "type")),
        "url": clean_text(_get(lowered, "url")),
        "issn": normalise_issn(_get(lowered, "issn")),
        "isbn": normalise_isbn(_get(lowered, "isbn")),
        "publisher": clean_text(_get(lowered, "publisher")),
    }
