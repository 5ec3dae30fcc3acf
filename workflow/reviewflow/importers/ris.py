"""RIS (``TY  - `` ... ``ER  - ``), read by hand: the common libraries lose records.

Handles every dialect seen in real exports: a preamble before the first
record (JSTOR), record numbers between records (Ovid's ``1.``), untagged
continuation lines (EndNote's affiliations, Rayyan's and EndNote's one
keyword per line, Citavi's notes), tags written many times (AD, SN, DO, M1,
KW ...: every value is kept), a missing ``ER`` between two records (the
records are kept apart, with a warning), and DOIs in DO, L3, M3, N1 or a URL.

A record is never merged into another, and never dropped: a last record
without ``ER`` (a truncated download) and a field outside any record are
errors naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw, all_values, first_value, shorten
from .normalise import (
    clean_text,
    first_doi,
    join_authors,
    join_list,
    join_pages,
    normalise_language,
    normalise_type,
    normalise_year,
    split_issn_isbn,
    split_values,
)

#: ``TY  - JOUR``: two characters, two spaces, a hyphen, a space, the value.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
#: Some writers use one space before the hyphen; accepted when the whole file does.
LOOSE_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")
#: Fields that only a record's own lines carry: found after an ``ER`` they mean a record lost its ``TY``.
RECORD_TAGS = {"TI", "T1", "AU", "A1", "PY", "Y1", "AB", "N2", "JO", "JF", "T2"}
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_OR_DIGIT = _UPPER | frozenset("0123456789")
_RECORD_NUMBER = re.compile(r"^\s*(?:\d+\.?|<\s*\d+\.?\s*>)\s*$")


def looks_like_ris(text: str) -> bool:
    return re.search(r"^TY {1,2}- ", text, re.MULTILINE) is not None


def count_ris_records(text: str) -> int:
    """Records by an independent count: the ``TY`` lines (counted with plain string search: fast)."""
    return sum(text.count(f"\n{start}") + text.startswith(start) for start in ("TY  -", "TY -"))


def parse_ris(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    return list(iter_ris(text, path, warnings))


def iter_ris(text: str, path: Path, warnings: list[str] | None = None) -> Iterator[ParsedRecord]:
    """The records of a RIS text one by one, as soon as each is complete (a record is given out
    when the next one starts: a field written after a record's ER still belongs to it), so that an
    import never holds a whole file's records; the warnings are added when the text is read to its end."""
    warnings = warnings if warnings is not None else []
    tag_line = TAG_LINE if re.search(r"^TY  -", text, re.MULTILINE) else LOOSE_TAG_LINE
    match_tag = tag_line.match
    value = ""
    pending: tuple[Raw, int] | None = None  # the last record read, given out when the next one starts
    raw: Raw | None = None
    start_line = 0
    last_values: list[str] | None = None
    ended_records = 0
    unended: list[int] = []
    outside: list[tuple[int, str]] = []
    trailing: list[int] = []  # lines of fields written after a record's ER
    last_trailing: list[str] | None = None
    strict = tag_line is TAG_LINE
    for number, line in enumerate(text.split("\n"), start=1):
        if strict:
            # the regular expression, spelt out for speed: "XY  - value" or "XY  -"
            if (
                line[2:5] == "  -"
                and line[0] in _UPPER
                and line[1] in _UPPER_OR_DIGIT
                and (len(line) == 5 or line[5] == " " or not line[5:].strip())
            ):
                tag, value = line[:2], line[6:].strip()
            else:
                tag = ""
        else:
            match = match_tag(line.rstrip())
            tag, value = (match.group(1), (match.group(2) or "").strip()) if match else ("", "")
        if tag:
            if tag == "TY":
                last_trailing = None
                if raw is not None:
                    unended.append(start_line)
                    if pending is not None:
                        yield ParsedRecord(ris_fields(pending[0]), *pending)
                    pending = (raw, start_line)
                if pending is not None:
                    yield ParsedRecord(ris_fields(pending[0]), *pending)
                    pending = None
                raw, start_line = {"TY": [value]}, number
                last_values = raw["TY"]
                continue
            if raw is None:
                if tag == "ER":
                    continue  # a stray end line: nothing to lose
                if pending is None or tag in RECORD_TAGS:
                    raise ReviewError(
                        f"the field '{tag}' is outside any record: no 'TY  - ' line starts a record before it",
                        file=path,
                        line=number,
                        fix="add the record's 'TY  - ' line, or export the file again",
                    )
                # a field written after the record's end line (Ovid's NL): it belongs to that record
                trailing.append(number)
                values = pending[0].setdefault(tag, [])
                values.append(value)
                last_trailing = values
                continue
            if tag == "ER":
                if pending is not None:
                    yield ParsedRecord(ris_fields(pending[0]), *pending)
                pending = (raw, start_line)
                ended_records += 1
                raw, last_values = None, None
                continue
            values = raw.get(tag)
            if values is None:
                values = raw[tag] = []
            values.append(value)
            last_values = values
        elif raw is not None:
            if line.strip() and last_values is not None:
                # a continuation line without a tag belongs to the value above it
                last_values[-1] = f"{last_values[-1]}\n{line.strip()}".strip()
        elif not line.strip():
            last_trailing = None  # a blank line ends a field written after ER
        elif last_trailing is not None:
            last_trailing[-1] = f"{last_trailing[-1]}\n{line.strip()}".strip()
        elif not _RECORD_NUMBER.match(line):
            outside.append((number, line.strip()))
    if raw is not None:
        if ended_records:
            raise ReviewError(
                f"the last record (line {start_line}) has no end line 'ER  - ' although the others have one: "
                "the file looks truncated",
                file=path,
                line=start_line,
                fix="download the export again; if the file is complete, add 'ER  - ' after the last record",
            )
        if pending is not None:
            yield ParsedRecord(ris_fields(pending[0]), *pending)
        pending = (raw, start_line)
        warnings.append("no record ends with 'ER  - ': each 'TY  - ' line was taken as the start of a record")
    elif unended:
        shown = ", ".join(str(n) for n in unended[:10]) + (" ..." if len(unended) > 10 else "")
        warnings.append(
            f"{len(unended)} record(s) have no end line 'ER  - ' before the next 'TY  - ' (records starting on line {shown}); "
            "they were kept as separate records"
        )
    if pending is not None:
        yield ParsedRecord(ris_fields(pending[0]), *pending)
    if trailing:
        warnings.append(
            f"{len(trailing)} field(s) come after a record's end line 'ER  - ' (first on line {trailing[0]}); "
            "each was kept with the record before it"
        )
    if outside:
        first_number, first_text = outside[0]
        warnings.append(
            f"{len(outside)} line(s) outside the records were not read as part of a record "
            f"(line {first_number}: '{shorten(first_text)}')"
        )




_BOOK_TYPES = {"BOOK", "EBOOK", "EDBOOK"}
_URL_TAGS = ("UR", "L2", "LK", "L1", "L4")


def ris_fields(raw: Raw) -> dict[str, str]:
    kind = first_value(raw, "TY").strip().upper()
    authors = split_values(all_values(raw, "AU", "A1"), "\n") or split_values(all_values(raw, "A2", "ED"), "\n")
    keywords = split_values(all_values(raw, "KW", "DE"), "\n;")
    title = first_value(raw, "TI", "T1", "CT") or (first_value(raw, "BT") if kind in _BOOK_TYPES else "")
    journal = "" if kind in _BOOK_TYPES else first_value(raw, "T2", "JF", "JO", "JA", "J2", "J1", "BT")
    issn, isbn = split_issn_isbn(*all_values(raw, "SN"))
    if kind in _BOOK_TYPES or kind in {"CHAP", "ECHAP"}:
        issn = issn if not isbn else ""
    urls = all_values(raw, *_URL_TAGS)
    return {
        "title": clean_text(title),
        "authors": join_authors(authors),
        "year": normalise_year(first_value(raw, "PY"), first_value(raw, "Y1"), first_value(raw, "DA")),
        "journal": clean_text(journal),
        "volume": clean_text(first_value(raw, "VL", "VO")),
        "issue": clean_text(first_value(raw, "IS", "CP")),
        "pages": join_pages(first_value(raw, "SP"), first_value(raw, "EP")),
        "doi": first_doi(all_values(raw, "DO", "DI", "L3", "M3"), urls, all_values(raw, "N1", "M1", "M2", "AN", "C7")),
        "abstract": clean_text(first_value(raw, "AB", "N2")),
        "keywords": join_list(keywords),
        "language": normalise_language(*all_values(raw, "LA")),
        "type": normalise_type(kind),
        "url": clean_text(next((u.split("\n")[0] for u in urls if u.strip()), "")),
        "issn": issn,
        "isbn": isbn,
        "publisher": clean_text(first_value(raw, "PB")),
    }
