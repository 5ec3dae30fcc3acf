"""Web of Science "plain text" / ``.ciw`` (also Zoological Record and the other
Web of Science databases), and the field mapping shared with the tab-delimited export.

``FN``/``VR`` header, then records from ``PT`` to ``ER``, then ``EF``. Tags
are two characters and a space; a value continues on lines indented by three
spaces (one author, affiliation or cited reference per line). Read by hand:
rispy's reader fails on the newer tags (WE, C3, Z-tags...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw, first_value, outside_lines_warning
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

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")


def looks_like_wos(text: str) -> bool:
    head = text.lstrip()[:20000]
    if re.match(r"FN [^\n]*\nVR ", head) or head.startswith("FN Clarivate") or head.startswith("FN Thomson"):
        return True
    return bool(re.search(r"^PT [A-Z]\s*$", head, re.MULTILINE)) and bool(re.search(r"^ER\s*$", head, re.MULTILINE)) and not re.search(
        r"^TY  - ", head, re.MULTILINE
    )


def count_wos_records(text: str) -> int:
    return text.count("\nPT ") + text.startswith("PT ")


def parse_wos(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    return list(iter_wos(text, path, warnings))


def iter_wos(text: str, path: Path, warnings: list[str] | None = None) -> Iterator[ParsedRecord]:
    """The records one by one, as each is complete; the warnings once the text is read to its end."""
    warnings = warnings if warnings is not None else []
    raw: Raw | None = None
    start_line = 0
    last_values: list[str] | None = None
    ended = 0
    unended: list[int] = []
    saw_end_of_file = False
    outside: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip()
        if not stripped:
            continue
        if line.startswith(" "):
            if raw is not None and last_values is not None:
                last_values[-1] = f"{last_values[-1]}\n{stripped.strip()}"
            else:
                outside.append((number, stripped.strip()))
            continue
        match = _TAG.match(stripped)
        if not match:
            if raw is not None and last_values is not None:
                last_values[-1] = f"{last_values[-1]}\n{stripped.strip()}"
            else:
                outside.append((number, stripped.strip()))
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "PT":
            if raw is not None:
                unended.append(start_line)
                yield ParsedRecord(wos_fields(raw), raw, start_line)
            raw, start_line = {"PT": [value]}, number
            last_values = raw["PT"]
            continue
        if raw is None:
            if tag in ("FN", "VR"):
                continue
            if tag == "EF":
                saw_end_of_file = True
                continue
            if tag == "ER":
                continue
            raise ReviewError(
                f"the field '{tag}' is outside any record: no 'PT' line starts a record before it",
                file=path,
                line=number,
                fix="add the record's 'PT' line, or export the file again",
            )
        if tag == "ER":
            yield ParsedRecord(wos_fields(raw), raw, start_line)
            ended += 1
            raw, last_values = None, None
            continue
        if tag == "EF":
            break
        values = raw.get(tag)
        if values is None:
            values = raw[tag] = []
        values.append(value)
        last_values = values
    if raw is not None:
        raise ReviewError(
            f"the last record (line {start_line}) has no end line 'ER': the file looks truncated",
            file=path,
            line=start_line,
            fix="download the export again; a Web of Science file ends every record with 'ER' and the file with 'EF'",
        )
    if unended:
        warnings.append(
            f"{len(unended)} record(s) have no 'ER' line before the next 'PT' (first on line {unended[0]}); kept as separate records"
        )
    if ended and not saw_end_of_file:
        warnings.append("the file has no end line 'EF': check that the download is complete")
    if outside:
        warnings.append(outside_lines_warning(outside))



def _lines(raw: Raw, *tags: str, separators: str = "\n") -> list[str]:
    return split_values([v for tag in tags for v in raw.get(tag, ())], separators)


def wos_fields(raw: Raw) -> dict[str, str]:
    """Common fields from Web of Science tags (plain text: one item a line; tab-delimited: "; " between items)."""
    authors = _lines(raw, "AF", separators="\n;") or _lines(raw, "AU", separators="\n;")
    if not authors:
        authors = _lines(raw, "BF", separators="\n;") or _lines(raw, "BA", separators="\n;")
    groups = _lines(raw, "CA", "GP", separators="\n;")
    kind = first_value(raw, "DT") or first_value(raw, "PT")
    return {
        "title": clean_text(first_value(raw, "TI")),
        "authors": "; ".join(a for a in (join_authors(authors), join_authors(groups, corporate=True)) if a),
        "year": normalise_year(first_value(raw, "PY"), first_value(raw, "EY"), first_value(raw, "EA"), first_value(raw, "PD")),
        "journal": clean_text(first_value(raw, "SO", "SE")),
        "volume": clean_text(first_value(raw, "VL")),
        "issue": clean_text(first_value(raw, "IS")),
        "pages": join_pages(first_value(raw, "BP"), first_value(raw, "EP")) or clean_text(first_value(raw, "AR")) or normalise_pages(first_value(raw, "PS")),
        "doi": first_doi([*raw.get("DI", []), *raw.get("D2", [])], raw.get("UR", [])),
        "abstract": clean_text(first_value(raw, "AB")),
        "keywords": join_list(_lines(raw, "DE", "ID", separators="\n;")),
        "language": normalise_language(*raw.get("LA", [])),
        "type": normalise_type(kind),
        "url": clean_text(first_value(raw, "UR").split("\n")[0]),
        "issn": normalise_issn(*raw.get("SN", []), *raw.get("EI", [])),
        "isbn": normalise_isbn(*raw.get("BN", [])),
        "publisher": clean_text(first_value(raw, "PU")),
    }
