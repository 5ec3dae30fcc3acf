"""A workbook (``.xlsx``) saved beside a reviewer's decision file (``.csv``).

Reviewers open the worksheet in Excel and save as ``.xlsx`` by habit; only the
CSV is read. When the workbook holds decisions the CSV lacks or contradicts,
that work would be lost in silence: an error naming both files and the rows.
When it holds nothing new, a warning (it can be deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..csvio import ROW, read_people_xlsx
from ..errors import ReviewError
from .tablerows import iter_rows
from .vocabulary import canonical_record_id, normalise_decision, split_reasons


def workbook_beside(csv_path: Path) -> Path | None:
    """The workbook saved beside a decision file under the same name (any capitals), if any."""
    if not csv_path.parent.is_dir():
        return None
    stem = csv_path.stem.lower()
    for candidate in sorted(csv_path.parent.iterdir()):
        if candidate.is_file() and candidate.suffix.lower() in (".xlsx", ".xlsm") and candidate.stem.lower() == stem:
            return candidate
    return None


def _decisions(frame: pd.DataFrame, synonyms: dict[str, str]) -> dict[str, tuple[str, tuple[str, ...], int]]:
    """record id -> (decision, reason codes, row), for the rows that hold a decision."""
    found: dict[str, tuple[str, tuple[str, ...], int]] = {}
    if "record_id" not in frame.columns or "decision" not in frame.columns:
        return found
    for row in iter_rows(frame):
        record_id = canonical_record_id(str(row.get("record_id", "")))
        decision = normalise_decision(str(row.get("decision", "")), synonyms)
        if record_id and decision:
            reasons = tuple(code.upper() for code in split_reasons(str(row.get("reason", "") or "")))
            found.setdefault(record_id, (decision, reasons, int(row[ROW])))
    return found


def compare_workbook(
    csv_path: Path,
    csv_frame: pd.DataFrame,
    synonyms: dict[str, str],
    rename: Callable[[pd.DataFrame, Path], pd.DataFrame],
) -> tuple[ReviewError | None, str]:
    """(an error, "") when the workbook beside ``csv_path`` holds decisions the CSV lacks or
    contradicts; (None, a warning) when it holds nothing new; (None, "") when there is none.
    ``rename`` maps a read frame's column aliases to the decision columns."""
    workbook = workbook_beside(csv_path)
    if workbook is None:
        return None, ""
    try:
        frame = rename(read_people_xlsx(workbook), workbook)
    except ReviewError as error:
        return None, (f"{workbook} beside {csv_path.name} cannot be read as decisions ({error.message}); only the CSV is read: "
                      f"if the workbook holds the latest work, save it as CSV over {csv_path.name}, else delete it")
    in_csv = _decisions(csv_frame, synonyms)
    lacking, contradicting = [], []
    for record_id, (decision, reasons, row) in _decisions(frame, synonyms).items():
        written = in_csv.get(record_id)
        if written is None:
            lacking.append(row)
        elif (written[0], written[1]) != (decision, reasons):
            contradicting.append((row, written[2]))
    if not lacking and not contradicting:
        return None, f"{workbook} beside {csv_path} holds no decision the CSV lacks: only the CSV is read (the workbook can be deleted)"
    parts = []
    if lacking:
        parts.append(f"{len(lacking)} decision(s) the CSV lacks (workbook rows {_rows(lacking)})")
    if contradicting:
        parts.append(f"{len(contradicting)} that contradict it (workbook row / CSV row "
                     f"{', '.join(f'{a}/{b}' for a, b in contradicting[:10])}{' ...' if len(contradicting) > 10 else ''})")
    return ReviewError(
        f"the workbook {workbook.name} beside it holds {' and '.join(parts)}; only the CSV is read",
        file=csv_path,
        fix=f"if the workbook is the latest work, save it as CSV over {csv_path.name} (File > Save as > CSV); "
        f"else delete {workbook.name}",
    ), ""


def _rows(rows: list[int]) -> str:
    return ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
