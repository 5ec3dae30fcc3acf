"""RIS (``TY  - `` ... ``ER  -``), read by hand: the common libraries lose records."""

from __future__ import annotations

import re
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
    normalise_type,
    normalise_year,
)

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def looks_like_ris(text: str) -> bool:
    return re.search(r"^TY  - ", text, re.MULTILINE) is not None


def parse_ris(text: str, path: Path) -> list[ParsedRecord]:
    records: list[ParsedRecord] = []
    raw: Raw | None = None
    start_line = 0
    last_tag: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = TAG_LINE.match(line.rstrip())
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                if raw is not None:
                    raise ReviewError(
                        f"a new record starts (TY) before the record that began on line {start_line} ended (ER)",
                        file=path,
                        line=number,
                        fix="add the missing 'ER  - ' line, or export the file again",
                    )
                raw, start_line, last_tag = {"TY": [value]}, number, "TY"
                continue
            if raw is None:
                # header lines before the first record (e.g. JSTOR's "Provider:")
                continue
            if tag == "ER":
                records.append(ParsedRecord(ris_fields(raw), raw, start_line))
                raw, last_tag = None, None
                continue
            raw.setdefault(tag, []).append(value)
            last_tag = tag
        elif raw is not None and line.strip() and last_tag is not None:
            # a continuation line without a tag belongs to the previous value
            raw[last_tag][-1] = f"{raw[last_tag][-1]}\n{line.strip()}".strip()
    if raw is not None:
        raise ReviewError(
            f"the last record (line {start_line}) has no end line 'ER  - ': the file looks truncated",
            file=path,
            line=start_line,
            fix="download the export again; if the file is complete, add 'ER  - ' after the last record",
        )
    return records


def _first(raw: Raw, *tags: str) -> str:
    for tag in tags:
        for value in raw.get(tag, []):
            if value.strip():
                return value
    return ""


def _all(raw: Raw, *tags: str) -> list[str]:
    values: list[str] = []
    for tag in tags:
        values.extend(raw.get(tag, []))
    return values


def ris_fields(raw: Raw) -> dict[str, str]:
    authors = [a for value in _all(raw, "AU", "A1") for a in value.split("\n")]
    keywords = [k for value in _all(raw, "KW") for k in value.split("\n")]
    journal = _first(raw, "T2", "JF", "JO", "JA", "J2", "BT") if _first(raw, "TY") not in ("BOOK",) else ""
    return {
        "title": clean_text(_first(raw, "TI", "T1", "CT")),
        "authors": join_authors(authors),
        "year": normalise_year(_first(raw, "PY"), _first(raw, "Y1"), _first(raw, "DA"), _first(raw, "Y2")),
        "journal": clean_text(journal),
        "volume": clean_text(_first(raw, "VL", "VO")),
        "issue": clean_text(_first(raw, "IS", "CP")),
        "pages": join_pages(_first(raw, "SP"), _first(raw, "EP")),
        "doi": find_doi(*_all(raw, "DO", "L3", "M3", "UR", "N1", "L1", "L2", "LK")),
        "abstract": clean_text(_first(raw, "AB", "N2")),
        "keywords": join_list(keywords),
        "language": clean_text(_first(raw, "LA")),
        "type": normalise_type(_first(raw, "TY")),
        "url": clean_text(_first(raw, "UR", "L2", "LK")),
        "issn": normalise_issn(*_all(raw, "SN")) if _first(raw, "TY") not in ("BOOK", "CHAP") else "",
        "isbn": normalise_isbn(*_all(raw, "SN")) if _first(raw, "TY") in ("BOOK", "CHAP", "EBOOK", "ECHAP") else "",
        "publisher": clean_text(_first(raw, "PB")),
    }
