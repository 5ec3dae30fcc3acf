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

import functools
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


@functools.lru_cache(maxsize=64)
def _numbered_without_next(keys: tuple[str, ...]) -> frozenset[int]:
    """Columns named "<name> <n>" with no "<name> <n+1>": where an export writes more values than it names."""
    names = set(keys)
    found = set()
    for index, key in enumerate(keys):
        match = re.match(r"^(.*\D)\s*(\d+)$", key)
        if match and f"{match.group(1).rstrip()} {int(match.group(2)) + 1}" not in names:
            found.add(index)
    return frozenset(found)


def _fit(value: str, check: Check | None) -> int:
    """+1 when a value fits its column's test, -1 when it does not, 0 when nothing is known."""
    value = value.strip()
    if not value or check is None:
        return 0
    return 1 if check(value) else -1


def place_extra_cell(cells: Sequence[str], checks: Sequence[Check | None], keys: Sequence[str]) -> int | None:
    """Where one cell too many in ``cells`` (one more than ``checks``) goes: the index of the column
    that holds it as a second value (the cell at ``index + 1`` is the extra one); None when the
    content does not decide.

    Placing it after column ``c`` puts the cells up to ``c`` in their own columns, the extra cell
    in column ``c`` too, and every later cell one column to the left: the score is the number of
    cells that fit their column minus those that do not (two tests per cell, prefix sums)."""
    width = len(checks)
    same = [_fit(cells[i], checks[i]) for i in range(width)]  # cell i in column i
    left = [0] + [_fit(cells[i], checks[i - 1]) for i in range(1, width + 1)]  # cell i in column i - 1
    after = [0] * (width + 2)
    for i in range(width, 0, -1):
        after[i] = after[i + 1] + left[i]
    best: list[int] = []
    best_score = None
    before = 0
    for column in range(width):
        before += same[column]
        score = before + left[column + 1] + after[column + 2]
        if best_score is None or score > best_score:
            best, best_score = [column], score
        elif score == best_score:
            best.append(column)
    if len(best) == 1:
        return best[0] if best_score and best_score > 0 else None
    open_numbers = _numbered_without_next(tuple(keys))
    numbered = [column for column in best if column in open_numbers]
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
        count = len(row)
        same = [_fit(row[i], checks[i]) for i in range(count)]  # cell i in column i
        right = [_fit(row[i], checks[i + 1]) for i in range(count)]  # cell i in column i + 1
        shifted = [0] * (count + 1)
        for i in range(count - 1, -1, -1):
            shifted[i] = shifted[i + 1] + right[i]
        end_score = sum(same)
        best, best_score = count, end_score
        before = 0
        for gap in range(count):
            score = before + shifted[gap]
            if score > best_score or (score == best_score and best_score > end_score):
                best, best_score = gap, score
            before += same[gap]
        row.insert(best, "")
    return row
