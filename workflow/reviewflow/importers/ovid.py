"""Ovid's own tagged export (the "Reprint/Medlars" and "Citavi" layouts; not RIS).

Each record starts with its number in angle brackets (``<1>``, ``<3001. >``;
without numbers, with its ``VN  - Ovid Technologies`` line), then ``XX  - value`` lines (two-character tags: UI, TI, AU, SO, YR, DO ...);
a value goes on over the following lines that carry no tag, indented or not.
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
    normalise_isbn,
    normalise_issn,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    parse_citation,
    split_values,
)

_RECORD_START = re.compile(r"^<\s*(\d+)\.?\s*>\s*$")
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def looks_like_ovid(text: str) -> bool:
    head = text[:20000]
    if re.search(r"^TY  - ", head, re.MULTILINE):
        return False  # Ovid's RIS export (numbered "1.") is RIS
    numbered = bool(re.search(r"^<\s*\d+\.?\s*>\s*$", head, re.MULTILINE))
    return (numbered and bool(re.search(r"^[A-Z][A-Z0-9]  - ", head, re.MULTILINE))) or bool(
        re.search(r"^VN  - Ovid Technologies", head, re.MULTILINE)
    )


def count_ovid_records(text: str) -> int:
    """Records by an independent count: the ``<N>`` numbers, or else the ``VN`` lines that open each record."""
    numbers = sum(1 for line in text.split("\n") if _RECORD_START.match(line))
    return numbers or len(re.findall(r"^VN  - ", text, re.MULTILINE))


def parse_ovid(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    warnings = warnings if warnings is not None else []
    records: list[ParsedRecord] = []
    raw: Raw | None = None
    start_line = 0
    last_values: list[str] | None = None
    outside: list[tuple[int, str]] = []
    numbered = any(_RECORD_START.match(line) for line in text.split("\n", 200)[:200])
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip()
        if _RECORD_START.match(stripped):
            if raw is not None:
                records.append(ParsedRecord(ovid_fields(raw), raw, start_line))
            raw, start_line, last_values = {}, number, None
            continue
        match = _TAG.match(stripped)
        if match and match.group(1) == "VN" and not numbered and (raw is None or "VN" in raw):
            # an export without record numbers: each record opens with "VN  - Ovid Technologies"
            if raw is not None:
                records.append(ParsedRecord(ovid_fields(raw), raw, start_line))
            raw, start_line, last_values = {}, number, None
        if match and raw is not None:
            values = raw.setdefault(match.group(1), [])
            values.append((match.group(2) or "").strip())
            last_values = values
        elif stripped.strip() and raw is not None and last_values is not None:
            last_values[-1] = f"{last_values[-1]}\n{stripped.strip()}".strip()
        elif stripped.strip():
            outside.append((number, stripped.strip()))
    if raw is not None:
        records.append(ParsedRecord(ovid_fields(raw), raw, start_line))
    if outside:
        warnings.append(outside_lines_warning(outside))
    return records




def ovid_fields(raw: Raw) -> dict[str, str]:
    source = first_value(raw, "SO")
    citation = parse_citation(source.split(". ", 1)[1] if ". " in source else source) if source else {}
    journal = first_value(raw, "JN", "JT", "JA") or (source.split(". ", 1)[0] if source else "")
    return {
        "title": clean_text(first_value(raw, "TI", "BT")),
        "authors": join_authors(split_values(all_values(raw, "AU", "AI"), "\n") if raw.get("AU") else split_values(all_values(raw, "ED"), "\n")),
        "year": normalise_year(first_value(raw, "YR", "DP", "PY"), citation.get("year", ""), source),
        "journal": clean_text(journal),
        "volume": clean_text(first_value(raw, "VO", "VI", "VL") or citation.get("volume", "")),
        "issue": clean_text(first_value(raw, "IP") or citation.get("issue", "")),
        "pages": normalise_pages(first_value(raw, "PG") or citation.get("pages", "")),
        "doi": first_doi(all_values(raw, "DO", "DI", "DOI"), all_values(raw, "UR", "XL"), [source]),
        "abstract": clean_text(first_value(raw, "AB")),
        "keywords": join_list(split_values(all_values(raw, "KW", "MH", "ID"), "\n")),
        "language": normalise_language(*(all_values(raw, "LG") or all_values(raw, "LA"))),
        "type": normalise_type(first_value(raw, "PT", "ST", "DT")),
        "url": clean_text(first_value(raw, "UR", "XL").split("\n")[0]),
        "issn": normalise_issn(*all_values(raw, "IS", "ISSN")),
        "isbn": normalise_isbn(*all_values(raw, "IB", "BN", "ISBN")),
        "publisher": clean_text(first_value(raw, "PB", "PU")),
    }

