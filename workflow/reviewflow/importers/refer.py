"""refer / EndNote tagged (``%0 Journal Article``, ``%T``, ``%A`` ...).

Records are separated by blank lines, not started by ``%0``: some writers
(the AIS eLibrary) put ``%T`` before ``%0`` and leave ``%0`` out of
records that are not journal articles. A line without ``%`` continues the
value above it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import ParsedRecord, Raw, all_values, first_value, outside_lines_warning
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
        warnings.append(outside_lines_warning(outside))
    return records




def refer_fields(raw: Raw) -> dict[str, str]:
    issn, isbn = split_issn_isbn(*all_values(raw, "%@"))
    urls = all_values(raw, "%U")
    return {
        "title": clean_text(first_value(raw, "%T")),
        "authors": join_authors(split_values(all_values(raw, "%A"), "\n") or split_values(all_values(raw, "%E"), "\n")),
        "year": normalise_year(first_value(raw, "%D"), first_value(raw, "%8")),
        "journal": clean_text(first_value(raw, "%J", "%B")),
        "volume": clean_text(first_value(raw, "%V")),
        "issue": clean_text(first_value(raw, "%N")),
        "pages": normalise_pages(first_value(raw, "%P")),
        "doi": first_doi(all_values(raw, "%R"), urls, all_values(raw, "%Z", "%O")),
        "abstract": clean_text(first_value(raw, "%X")),
        "keywords": join_list(split_values(all_values(raw, "%K"), "\n;")),
        "language": normalise_language(*all_values(raw, "%G")),
        "type": normalise_type(first_value(raw, "%0")),
        "url": clean_text(urls[0].split("\n")[0]) if urls else "",
        "issn": issn,
        "isbn": isbn,
        "publisher": clean_text(first_value(raw, "%I")),
    }
