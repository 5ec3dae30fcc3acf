"""BibTeX, read with bibtexparser 2 (which never raises: failed blocks are checked)."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser

from ..errors import ReviewError
from .base import ParsedRecord, Raw
from .normalise import (
    clean_text,
    find_doi,
    join_authors,
    join_list,
    normalise_isbn,
    normalise_issn,
    normalise_pages,
    normalise_type,
    normalise_year,
)


def looks_like_bibtex(text: str) -> bool:
    return re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE) is not None


def parse_bibtex(text: str, path: Path) -> list[ParsedRecord]:
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ReviewError(
            f"a BibTeX entry could not be read ({type(block).__name__})",
            file=path,
            line=block.start_line + 1,
            fix="check the entry's braces and that no field appears twice",
        )
    records = []
    for entry in library.entries:
        raw: Raw = {"ENTRYTYPE": [entry.entry_type.lower()], "ID": [entry.key.strip()]}
        for field in entry.fields:
            raw.setdefault(field.key.lower(), []).append(str(field.value).strip())
        records.append(ParsedRecord(bibtex_fields(raw), raw, entry.start_line + 1))
    return records


def strip_latex(value: str) -> str:
    value = re.sub(r"\\([&%$#_{}])", r"\1", value)
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value)
    return clean_text(value.replace("{", "").replace("}", ""))


def _get(raw: Raw, *keys: str) -> str:
    for key in keys:
        for value in raw.get(key, []):
            if value.strip():
                return value
    return ""


def bibtex_fields(raw: Raw) -> dict[str, str]:
    authors = re.split(r"\s+and\s+", strip_latex(_get(raw, "author")), flags=re.IGNORECASE) if _get(raw, "author") else []
    keywords = re.split(r"[;,]", _get(raw, "keywords", "author_keywords"))
    return {
        "title": strip_latex(_get(raw, "title")),
        "authors": join_authors(authors),
        "year": normalise_year(_get(raw, "year"), _get(raw, "date")),
        "journal": strip_latex(_get(raw, "journal", "journaltitle", "booktitle")),
        "volume": strip_latex(_get(raw, "volume")),
        "issue": strip_latex(_get(raw, "number", "issue")),
        "pages": normalise_pages(strip_latex(_get(raw, "pages")).replace("--", "-")),
        "doi": find_doi(_get(raw, "doi"), _get(raw, "url"), _get(raw, "note")),
        "abstract": strip_latex(_get(raw, "abstract")),
        "keywords": join_list([strip_latex(k) for k in keywords]),
        "language": strip_latex(_get(raw, "language")),
        "type": normalise_type(_get(raw, "document_type", "type") or _get(raw, "ENTRYTYPE")),
        "url": strip_latex(_get(raw, "url")),
        "issn": normalise_issn(_get(raw, "issn")),
        "isbn": normalise_isbn(_get(raw, "isbn")),
        "publisher": strip_latex(_get(raw, "publisher")),
    }
