"""ProQuest's plain-text report ("Report Information from ProQuest").

The report holds a table of contents, then one block per document between
lines of underscores: ``Document 3 of 100``, the title, then ``Label: value``
lines (a value may go on over the following lines; the document's own link
and extra links stand on lines of their own), then a bibliography. Only the
document blocks are records; the report says how many there are ("of 100"),
and a report holding fewer is an error (a truncated file).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw, all_values, first_value
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
    split_values,
)

_DOCUMENT = re.compile(r"^Document (\d+) of (\d+)\s*$")
_SEPARATOR = re.compile(r"^_{20,}\s*$")
_LABEL = re.compile(r"^([A-Z][A-Za-z0-9 /&,.()'\-]{0,60}?): ?(.*)$")
#: Labels ProQuest writes; a line starting with another "Word: " only starts a field outside an abstract.
KNOWN_LABELS = {
    "Abstract", "Links", "Author", "Authors", "Title", "Publication title", "Volume", "Issue", "Pages", "First page",
    "Number of pages", "Publication year", "Publication date", "Year", "Publisher", "Place of publication",
    "Country of publication", "ISSN", "e-ISSN", "eISSN", "ISBN", "Source type", "Language of publication", "Language",
    "Document type", "DOI", "ProQuest document ID", "Document URL", "Copyright", "Last updated", "Database", "Subject",
    "Subjects", "Classification", "Identifier / keyword", "Keywords", "MeSH", "Advisor", "Committee member", "Degree",
    "Degree date", "Department", "Dissertation/thesis number", "School code", "Source", "University location",
    "University/institution", "Section", "Publication subject", "Accession number", "Document feature", "Location",
    "Company / organization", "People", "Notes", "Sponsor", "Conference title", "Publication history",
    "Online publication date", "Update", "Source attribution", "Author e-mail address", "Affiliation",
    "Correspondence author", "Corporate author", "Editor", "Series", "Edition", "Physical description",
}


def looks_like_proquest(text: str) -> bool:
    return bool(re.search(r"^Document 1 of \d+\s*$", text[:200000], re.MULTILINE))


def count_proquest_records(text: str) -> int:
    return sum(1 for line in text.split("\n") if _DOCUMENT.match(line))


def parse_proquest(text: str, path: Path, warnings: list[str] | None = None) -> tuple[list[ParsedRecord], int]:
    """The documents of the report, and the number the report says it holds."""
    warnings = warnings if warnings is not None else []
    records: list[ParsedRecord] = []
    stated: set[int] = set()
    lines = text.split("\n")
    block: list[tuple[int, str]] = []
    bibliography_entries = 0
    in_bibliography = False

    def finish() -> None:
        if block:
            first_number, first_line = block[0]
            match = _DOCUMENT.match(first_line)
            if match:
                expected = len(records) + 1
                if int(match.group(1)) != expected:
                    raise ReviewError(
                        f"'Document {match.group(1)} of {match.group(2)}' follows document {expected - 1}: a document is missing",
                        file=path,
                        line=first_number,
                        fix="download the report again",
                    )
                stated.add(int(match.group(2)))
                raw = _read_document(block)
                records.append(ParsedRecord(proquest_fields(raw), raw, first_number))

    for number, line in enumerate(lines, start=1):
        if _SEPARATOR.match(line):
            finish()
            block = []
            continue
        if not block and not line.strip():
            continue
        if not block and line.strip() == "Bibliography":
            in_bibliography = True
        if in_bibliography and re.match(r"^\s*@\w+\s*\{", line):
            bibliography_entries += 1
        block.append((number, line.rstrip()))
    finish()
    if len(stated) > 1:
        raise ReviewError(f"the documents disagree on the report's size ({sorted(stated)})", file=path, fix="download the report again")
    total = stated.pop() if stated else 0
    if total and len(records) != total:
        raise ReviewError(
            f"the report says it holds {total} documents but only {len(records)} are in the file: the file looks truncated",
            file=path,
            fix="download the report again",
        )
    if bibliography_entries:
        warnings.append(
            f"the report's bibliography ({bibliography_entries} BibTeX entries) repeats its documents and was not read as records"
        )
    return records, total


def _read_document(block: list[tuple[int, str]]) -> Raw:
    raw: Raw = {}
    _, heading = block[0]
    raw["Document"] = [heading.replace("Document ", "", 1).strip()]
    label = ""
    values: list[str] | None = None
    title_done = False
    for _, line in block[1:]:
        text = line.strip()
        if not text:
            continue
        match = _LABEL.match(text)
        is_label = bool(match) and (match.group(1) in KNOWN_LABELS or (label != "Abstract" and not text.startswith("http")))
        if match and is_label:
            label = match.group(1)
            values = raw.setdefault(label, [])
            values.append(match.group(2).strip())
            continue
        if not title_done and not raw.get("Author") and label == "":
            raw.setdefault("(heading)", []).append(text)
            title_done = True
            continue
        if text.startswith(("http://", "https://")):
            if label == "Links" and values is not None:
                values.append(text)
            else:
                raw.setdefault("(link)", []).append(text)
            continue
        if values is not None:
            values[-1] = f"{values[-1]}\n{text}".strip()
        else:
            raw.setdefault("(heading)", []).append(text)
    return raw




def proquest_fields(raw: Raw) -> dict[str, str]:
    urls = all_values(raw, "Document URL", "(link)", "Links")
    pages = first_value(raw, "Pages")
    return {
        "title": clean_text(first_value(raw, "Title", "(heading)")),
        "authors": join_authors(split_values(all_values(raw, "Author", "Authors"), "\n;")),
        "year": normalise_year(first_value(raw, "Publication year", "Year", "Publication date", "Degree date")),
        "journal": clean_text(first_value(raw, "Publication title")),
        "volume": clean_text(first_value(raw, "Volume")),
        "issue": clean_text(first_value(raw, "Issue")),
        "pages": normalise_pages(pages) if pages else join_pages(first_value(raw, "First page"), ""),
        "doi": first_doi(all_values(raw, "DOI"), urls),
        "abstract": clean_text(first_value(raw, "Abstract")),
        "keywords": join_list(split_values(all_values(raw, "Identifier / keyword", "Keywords", "Subject", "MeSH"), "\n;")),
        "language": normalise_language(first_value(raw, "Language of publication", "Language")),
        "type": normalise_type(first_value(raw, "Document type", "Source type")),
        "url": clean_text(first_value(raw, "Document URL", "(link)")),
        "issn": normalise_issn(*all_values(raw, "ISSN", "e-ISSN", "eISSN")),
        "isbn": normalise_isbn(*all_values(raw, "ISBN")),
        "publisher": clean_text(first_value(raw, "Publisher")),
    }
