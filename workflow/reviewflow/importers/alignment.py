"""Rows whose number of cells disagrees with the header, put right by what the cells hold.

Scopus writes one ``Funding Text 1`` column in its header and then two funding
cells in most rows, so every value after it is one column to the right of its
name. Reading by position would put a reference list under ``Correspondence
Address`` and a language under ``PubMed ID``; dropping the row would lose a
record. Instead the extra cell is placed where the cells after it fit their
columns best: a DOI under ``DOI``, a year under ``Year``, an ``2-s2.0-`` id
under ``EID``, a URL under ``Link``, digits under ``Page start`` ... (what a
column holds is known from its name, and learnt from the rows that have as many
cells as the header). The extra cell is kept as a second value of the column
before it. When the content does not decide (two places fit equally well and
no header name tells which), the row is an error naming it: an unquoted
separator inside a title cannot be placed by guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Check = Callable[[str], bool]

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
_INT = re.compile(r"^\d+$")
_PAGE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EID = re.compile(r"^2-s2\.0-\d+$")
_ISSN = re.compile(r"^(?:\d{4}-?\d{3}[\dXx][;, ]*)+$")
_ISBN = re.compile(r"^(?:[\dXx-]{10,17}[;, ]*)+$")
_DATEISH = re.compile(r"^\d{4}(?:[-/]\d{1,2}){0,2}$|^\d{1,2}[-/]\d{1,2}[-/]\d{2,4}$")

#: What a column holds, from its name (compared as ``column_key`` gives it).
_BY_NAME: tuple[tuple[re.Pattern[str], Check], ...] = (
    (re.compile(r"^(doi|item doi|di|digital object identifier)$"), _DOI.match),  # type: ignore[list-item]
    (re.compile(r"^(year|publication year|pubyear|py|publication_year)$"), _YEAR.match),  # type: ignore[list-item]
    (re.compile(r"^eid$"), _EID.match),  # type: ignore[list-item]
    (re.compile(r"^(link|url|pdf link|documenturl)$"), _URL.match),  # type: ignore[list-item]
    (re.compile(r"^(page start|page end|start page|end page|bp|ep)$"), _PAGE.match),  # type: ignore[list-item]
    (re.compile(r"^(cited by|page count|pubmed id|pmid|times cited|conference code|reference count)$"), _INT.match),  # type: ignore[list-item]
    (re.compile(r"^(issn|eissn|e-issn)$"), _ISSN.match),  # type: ignore[list-item]
    (re.compile(r"^(isbn|isbns)$"), _ISBN.match),  # type: ignore[list-item]
    (re.compile(r"^(source)$"), lambda v: v.lower() in {"scopus", "embase", "medline", "web of science"}),
)

_SHAPES: tuple[tuple[str, Check], ...] = (
    ("doi", _DOI.match),  # type: ignore[tuple-item]
    ("eid", _EID.match),  # type: ignore[tuple-item]
    ("url", _URL.match),  # type: ignore[tuple-item]
    ("date", _DATEISH.match),  # type: ignore[tuple-item]
    ("int", _INT.match),  # type: ignore[tuple-item]
)


def _shape(value: str) -> str:
    for name, check in _SHAPES:
        if check(value):
            return name
    return "text"


def column_checks(keys: Sequence[str], full_rows: Sequence[Sequence[str]]) -> list[Check | None]:
    """For each column, a test of whether a value belongs there (None where nothing is known):
    from its name, else from the rows of the right length when all their values share a shape."""
    checks: list[Check | None] = []
    for index, key in enumerate(keys):
        check: Check | None = next((c for pattern, c in _BY_NAME if pattern.match(key)), None)
        if check is None and full_rows:
            shapes = {_shape(row[index].strip()) for row in full_rows if index < len(row) and row[index].strip()}
            if len(shapes) == 1 and (only := next(iter(shapes))) != "text":
                check = dict(_SHAPES)[only]
        checks.append(check)
    return checks


def _score(cells: Sequence[str], start: int, checks: Sequence[Check | None], column_of: Callable[[int], int]) -> int:
    score = 0
    for position in range(start, len(cells)):
        value = cells[position].strip()
        column = column_of(position)
        if not value or column >= len(checks) or checks[column] is None:
            continue
        score += 1 if checks[column](value) else -1  # type: ignore[misc]
    return score


def _numbered_without_next(keys: Sequence[str]) -> set[int]:
    """Columns named "<name> <n>" with no "<name> <n+1>": where an export writes more values than it names."""
    names = set(keys)
    found = set()
    for index, key in enumerate(keys):
        match = re.match(r"^(.*\D)\s*(\d+)$", key)
        if match and f"{match.group(1).rstrip()} {int(match.group(2)) + 1}" not in names:
            found.add(index)
    return found


def place_extra_cell(cells: Sequence[str], checks: Sequence[Check | None], keys: Sequence[str]) -> int | None:
    """Where one cell too many in ``cells`` (one more than ``checks``) goes: the index of the column
    that holds it as a second value (the cell at ``index + 1`` is the extra one); None when the
    content does not decide."""
    width = len(checks)
    best: list[int] = []
    best_score = None
    for column in range(width):
        extra = column + 1  # the position of the extra cell
        score = _score(cells, extra + 1, checks, lambda position: position - 1)
        score += _score(cells[: extra], 0, checks, lambda position: position)
        score += _score(cells[extra : extra + 1], 0, checks, lambda position: column)  # noqa: B023 (a second value of that column)
        if best_score is None or score > best_score:
            best, best_score = [column], score
        elif score == best_score:
            best.append(column)
    if len(best) == 1:
        return best[0] if best_score and best_score > 0 else None
    numbered = [column for column in best if column in _numbered_without_next(keys)]
    if len(numbered) == 1:
        return numbered[0]
    return None


def align_row(cells: list[str], checks: Sequence[Check | None], keys: Sequence[str]) -> list[list[str]] | None:
    """The values of each column for a row holding more cells than the header (each column a
    list: a column given an extra cell holds two values); None when the content does not decide."""
    width = len(checks)
    columns: list[list[str]] = [[cell] for cell in cells]
    while len(columns) > width:
        flat = [values[-1] for values in columns]
        place = place_extra_cell(flat, checks, keys)
        if place is None:
            return None
        columns[place].extend(columns.pop(place + 1))
    return columns


def place_missing_cells(cells: list[str], checks: Sequence[Check | None]) -> list[str]:
    """A row holding fewer cells than the header, padded with empty cells where the content says
    they are missing: at the end (as the csv module reads it) unless a place inside fits strictly
    better; among places that fit equally well, the last (the cells before it keep their columns)."""
    row = list(cells)
    while len(row) < len(checks):
        end_score = _score(row, 0, checks, lambda position: position)
        best, best_score = len(row), end_score
        for gap in range(len(row)):
            score = _score(row[:gap] + [""] + row[gap:], 0, checks, lambda position: position)
            if score > best_score or (score == best_score and best_score > end_score):
                best, best_score = gap, score
        row.insert(best, "")
    return row
