"""People's decisions on duplicates: ``data/raw/decisions/duplicates.csv``.

One row per pair of records: ``record_id_a,record_id_b,verdict,note`` with
verdict ``same`` or ``different``. A decision names records (whose ids depend
only on their content and round), so it holds across reruns and new rounds.
"same" joins the two records' clusters whatever the rules say; "different"
keeps them apart, and nothing may join them through other records either.
The rows of ``review.csv`` start with the same columns, so a reviewed row can
be copied here with its verdict filled in.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..csvio import ROW, read_people_csv
from ..errors import ReviewError, ReviewErrors

COLUMNS = ("record_id_a", "record_id_b", "verdict", "note")
VERDICTS = ("same", "different")
FIX = (
    "one row per pair: record_id_a, record_id_b, verdict (same or different), note; "
    "copy the ids from review.csv or clusters.csv"
)


def read_overrides(path: Path, record_ids: Iterable[str]) -> pd.DataFrame:
    """Read and check the file; every error names the file, row and column."""
    frame = read_people_csv(path, COLUMNS[:3], what="duplicate decisions", fix=FIX)
    return check_overrides(frame, record_ids, file=path)


def check_overrides(
    frame: pd.DataFrame | None,
    record_ids: Iterable[str],
    file: str | Path | None = None,
    what: str = "duplicate decisions",
    id_source: str = "data/processed/dedupe/clusters.csv or review.csv",
    verdict_fix: str = "write same or different",
) -> pd.DataFrame:
    """The decisions with verdicts in lower case, checked against the records' ids.

    ``what``, ``id_source`` and ``verdict_fix`` word the errors for another
    file of pair verdicts (the study links of ``related.py``).
    """
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[*COLUMNS, ROW])
    frame = frame.copy()
    if "note" not in frame:
        frame["note"] = ""
    if ROW not in frame:
        frame[ROW] = range(2, len(frame) + 2)
    known = set(record_ids)
    errors: list[ReviewError] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    verdicts: list[str] = []
    for row in frame.itertuples(index=False):
        number = int(getattr(row, ROW))
        a, b = str(row.record_id_a).strip(), str(row.record_id_b).strip()
        verdict = str(row.verdict).strip().lower()
        verdicts.append(verdict)

        def problem(column: str, message: str, fix: str) -> None:
            errors.append(ReviewError(message, file=file, row=number, column=column, fix=fix))  # noqa: B023

        for column, value in (("record_id_a", a), ("record_id_b", b)):
            if not value:
                problem(column, "the record id is empty", "give both records' ids")
            elif value not in known:
                problem(column, f"'{value}' is not a record id of this review",
                        f"copy the id from {id_source} (ids look like R03-1a2b3c4d5e6f)")
        if a and a == b:
            problem("record_id_b", "a record is paired with itself", "name two different records")
        if verdict not in VERDICTS:
            problem("verdict", f"'{row.verdict}' is not a verdict", verdict_fix)
            continue
        pair = (a, b) if a <= b else (b, a)
        if pair in seen and seen[pair][0] != verdict:
            problem("verdict", f"row {seen[pair][1]} decided the same pair '{seen[pair][0]}'",
                    "keep one decision per pair")
        seen.setdefault(pair, (verdict, number))
    if errors:
        raise ReviewErrors(errors, f"{file or 'the ' + what}: problems in the {what}")
    frame["verdict"] = verdicts
    frame["record_id_a"] = frame["record_id_a"].astype(str).str.strip()
    frame["record_id_b"] = frame["record_id_b"].astype(str).str.strip()
    return frame


def contradictions(frame: pd.DataFrame, same_root: dict[str, str], file: str | Path | None = None) -> None:
    """A "different" pair that people's own "same" decisions put in one cluster is a contradiction."""
    errors = []
    for row in frame[frame["verdict"] == "different"].itertuples(index=False):
        if same_root.get(row.record_id_a) is not None and same_root.get(row.record_id_a) == same_root.get(row.record_id_b):
            errors.append(
                ReviewError(
                    f"{row.record_id_a} and {row.record_id_b} are 'different', but other rows decide 'same' links that join them",
                    file=file,
                    row=int(getattr(row, ROW)),
                    column="verdict",
                    fix="check the 'same' rows that chain these two records together",
                )
            )
    if errors:
        raise ReviewErrors(errors, f"{file or 'the duplicate decisions'}: the decisions contradict each other")
