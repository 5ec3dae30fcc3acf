"""refer / EndNote tagged (``%0 Journal Article``, ``%T``, ``%A`` ...).

Records are separated by blank lines, not started by ``%0``: some writers
(the AIS eLibrary) put ``%T`` before ``%0`` and leave ``%0`` out of
records that are not journal articles. A line without ``%`` continues the
value above it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import ParsedRecord, Raw, shorten
from .normalise import (
    clean_text,
    first_doi,
    join_authors,
    join_list,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    split_issn_isbn,
    split_values,
)

_TAG = re.compile(r"^%(\S)(?:\s(.*))?$")


def looks_like_refer(text: str) -> bool:
    lines = [line for line in text.split("\n", 300)[:300] if line.strip()]
    tagged = sum(1 for line in lines if _TAG.match(line.rstrip()))
    return tagged >= 3 and tagged >= 0.5 * len(lines)


def parse_refer(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    warnings = warnings if warnings is not None else []
    records: list[ParsedRecord] = []
    raw: Raw | None = None
    start_line = 0
    last_values: list[str] | None = None
    outside: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip()
        if not stripped.strip():
            if raw:
                records.append(ParsedRecord(refer_fields(raw), raw, start_line))
            raw, last_values = None, None
            continue
        match = _TAG.match(stripped)
        if match:
            if raw is None:
                raw, start_line = {}, number
            values = raw.setdefault("%" + match.group(1), [])
            values.append((match.group(2) or "").strip())
            last_values = values
        elif last_values is not None:
            last_values[-1] = f"{last_values[-1]}\n{stripped.strip()}".strip()
        else:
            outside.append((number, stripped.strip()))
    if raw:
        records.append(ParsedRecord(refer_fields(raw), raw, start_line))
    if outside:
        number, value = outside[0]
        warnings.append(f"{len(outside)} line(s) outside the records were not read (line {number}: '{shorten(value)}')")
    return records


def _first(raw: Raw, *tags: str) -> str:
    for tag in tags:
        for value in raw.get(tag, ()):
            if value.strip():
                return value
    return ""


def _all(raw: Raw, *tags: str) -> list[str]:
    return [value for tag in tags for value in raw.get(tag, ())]


def refer_fields(raw: Raw) -> dict[str, str]:
    issn, isbn = split_issn_isbn(*_all(raw, "%@"))
    urls = _all(raw, "%U")
    return {
        "title": clean_text(_first(raw, "%T")),
        "authors": join_authors(split_values(_all(raw, "%A"), "\n") or split_values(_all(raw, "%E"), "\n")),
        "year": normalise_year(_first(raw, "%D"), _first(raw, "%8")),
        "journal": clean_text(_first(raw, "%J", "%B")),
        "volume": clean_text(_first(raw, "%V")),
        "issue": clean_text(_first(raw, "%N")),
        "pages": normalise_pages(_first(raw, "%P")),
        "doi": first_doi(_all(raw, "%R"), urls, _all(raw, "%Z", "%O")),
        "abstract": clean_text(_first(raw, "%X")),
        "keywords": join_list(split_values(_all(raw, "%K"), "\n;")),
        "language": normalise_language(*_all(raw, "%G")),
        "type": normalise_type(_first(raw, "%0")),
        "url": clean_text(urls[0].split("\n")[0]) if urls else "",
        "issn": issn,
        "isbn": isbn,
        "publisher": clean_text(_first(raw, "%I")),
    }
