"""PubMed MEDLINE / ``.nbib`` (and the same layout from PubMed Central and ERIC).

``TAG - value`` lines with the tag padded to four characters (``PMID- ``,
``TI  - ``, ``FAU - ``; ERIC also writes ``ISSN - ``), values continued on
lines indented by six spaces, records separated by blank lines. Read by
hand: the ``nbib`` library drops a last record without a trailing blank
line, fails on a BOM and on ERIC's URL identifiers, and ignores DOIs in LID.

Records are separated by blank lines; a ``PMID-`` (or ``PMC -``) line in a
record that already has one also starts a new record, with a warning, so two
records are never merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .base import ParsedRecord, Raw, all_values, first_value, shorten
from .normalise import (
    clean_text,
    first_doi,
    join_authors,
    join_list,
    normalise_isbn,
    normalise_issn,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    parse_citation,
    split_values,
)

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,4})( *)-(?: (.*))?$")
#: Tags that only MEDLINE-style files have (RIS and Ovid files have none of them).
MEDLINE_TAGS = {"PMID", "PMC", "OWN", "STAT", "FAU", "JT", "DP", "TA", "LID", "AID", "OID", "PHST", "EDAT", "MHDA", "CRDT", "PST", "SO", "IP", "VI"}
_SPLITTERS = ("PMID", "PMC")


def medline_tag(line: str) -> tuple[str, str] | None:
    """``("TI", value)`` for a MEDLINE tag line, None for any other line."""
    match = _TAG.match(line)
    if not match:
        return None
    tag, spaces = match.group(1), match.group(2)
    if len(tag) + len(spaces) == 4 or (len(tag) >= 4 and len(spaces) == 1):
        return tag, (match.group(3) or "").strip()
    return None


def looks_like_medline(text: str) -> bool:
    tags = set()
    for line in text.split("\n", 400)[:400]:
        parsed = medline_tag(line.rstrip())
        if parsed:
            tags.add(parsed[0])
    return len(tags & MEDLINE_TAGS) >= 2 or "PMID" in tags


def count_medline_records(text: str) -> int | None:
    """Records by an independent count: the ``PMID-`` lines (None when the file has none)."""
    count = text.count("\nPMID- ") + text.startswith("PMID- ")
    return count or None


def parse_medline(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    return list(iter_medline(text, path, warnings))


def iter_medline(text: str, path: Path, warnings: list[str] | None = None) -> Iterator[ParsedRecord]:
    """The records one by one, as each is complete; the warnings once the text is read to its end."""
    warnings = warnings if warnings is not None else []
    raw: Raw | None = None
    start_line = 0
    last_values: list[str] | None = None
    joined: list[int] = []
    untagged: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip()
        if not stripped:
            if raw:
                yield ParsedRecord(medline_fields(raw), raw, start_line)
            raw, last_values = None, None
            continue
        parsed = medline_tag(stripped) if not line[0].isspace() else None
        if parsed:
            tag, value = parsed
            if raw is not None and tag in _SPLITTERS and tag in raw:
                joined.append(number)
                if raw:
                    yield ParsedRecord(medline_fields(raw), raw, start_line)
                raw = None
            if raw is None:
                raw, start_line = {}, number
            values = raw.get(tag)
            if values is None:
                values = raw[tag] = []
            values.append(value)
            last_values = values
        elif last_values is not None:
            if not line[0].isspace():
                untagged.append((number, stripped))
            last_values[-1] = f"{last_values[-1]}\n{stripped.strip()}".strip()
        else:
            untagged.append((number, stripped))
    if raw:
        yield ParsedRecord(medline_fields(raw), raw, start_line)
    if joined:
        warnings.append(
            f"{len(joined)} record(s) follow the previous record without a blank line (line {joined[0]}); "
            "they were kept as separate records"
        )
    if untagged:
        number, value = untagged[0]
        warnings.append(
            f"{len(untagged)} line(s) have no tag and no indentation (line {number}: '{shorten(value)}'); "
            "each was read as the continuation of the value above it, or ignored outside a record"
        )




def _marked(values: list[str], marker: str) -> list[str]:
    return [v for v in values if v.rstrip().lower().endswith(marker)]


def medline_fields(raw: Raw) -> dict[str, str]:
    identifiers = all_values(raw, "LID", "AID")
    urls = [v for v in identifiers if v.strip().lower().startswith("http")]
    citation = parse_citation(first_value(raw, "SO")) if not first_value(raw, "PG", "VI") else {}
    authors = all_values(raw, "FAU") or all_values(raw, "AU")
    types = all_values(raw, "PT")
    return {
        "title": clean_text(first_value(raw, "TI", "BTI", "VTI")),
        "authors": join_authors([*authors, *all_values(raw, "CN")] if authors else all_values(raw, "CN")),
        "year": normalise_year(first_value(raw, "DP"), first_value(raw, "DEP"), first_value(raw, "DA"), first_value(raw, "EDAT"), first_value(raw, "CRDT"))
        or citation.get("year", ""),
        "journal": clean_text(first_value(raw, "JT", "TA", "BTI") or citation.get("journal", "")),
        "volume": clean_text(first_value(raw, "VI") or citation.get("volume", "")),
        "issue": clean_text(first_value(raw, "IP") or citation.get("issue", "")),
        "pages": normalise_pages(first_value(raw, "PG") or citation.get("pages", "")),
        "doi": first_doi(_marked(identifiers, "[doi]"), urls, all_values(raw, "SO")),
        "abstract": clean_text(first_value(raw, "AB")),
        "keywords": join_list(split_values(all_values(raw, "OT", "MH"), "\n")),
        "language": normalise_language(*all_values(raw, "LA")),
        "type": medline_type(types),
        "url": clean_text(urls[0]) if urls else "",
        "issn": normalise_issn(*all_values(raw, "IS", "ISSN")),
        "isbn": normalise_isbn(*all_values(raw, "ISBN")),
        "publisher": clean_text(first_value(raw, "PB")),
    }


def medline_type(types: list[str]) -> str:
    """One type from PubMed's (or ERIC's) several publication types: a preprint is a preprint, a
    journal article an article (whatever else it is: a review, a comment), else the first type."""
    kinds = [normalise_type(t) for t in types]
    if "preprint" in kinds:
        return "preprint"
    if any(t.strip().lower().startswith("journal article") for t in types):
        return "article"
    return next((k for k in kinds if k), "")
