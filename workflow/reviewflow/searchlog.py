"""The search log, ``data/raw/searches.csv``: one row per export file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvio import ROW, read_people_csv
from .errors import ReviewError, ReviewErrors

COLUMNS = ("round", "date", "source_type", "database", "query", "file")
OPTIONAL_COLUMNS = ("reported_hits",)

#: PRISMA 2020 lanes: databases and registers, or other methods.
LANES = {
    "database": "databases",
    "register": "databases",
    "website": "other",
    "organisation": "other",
    "citation": "other",
}

FIX = "one row per export file with the columns round, date, source_type, database, query, file (and optionally reported_hits)"


def read_search_log(path: Path, searches_dir: Path) -> pd.DataFrame:
    """The search log, checked, in canonical order (round, then row).

    A log with its header and no rows (a new review) is an empty search: no
    records, every count zero.

    Adds ``lane`` (databases or other) and ``log_order`` (the row's position).
    """
    log = read_people_csv(path, COLUMNS, what="search log", fix=FIX)
    for column in OPTIONAL_COLUMNS:
        if column not in log:
            log[column] = ""
    errors: list[ReviewError] = []
    seen_files: dict[str, int] = {}
    for row in log.itertuples(index=False):
        number = getattr(row, ROW)

        def problem(column: str, message: str, fix: str) -> None:
            errors.append(ReviewError(message, file=path, row=number, column=column, fix=fix))  # noqa: B023

        if not row.round.isdigit() or int(row.round) < 1:
            problem("round", f"'{row.round}' is not a round number", "rounds are whole numbers from 1")
        if row.source_type.lower() not in LANES:
            problem("source_type", f"'{row.source_type}' is not a source type", f"use one of {', '.join(LANES)}")
        if not row.database:
            problem("database", "no database or organisation is named", "name the database searched, e.g. 'EBSCO Discovery Service'")
        if not row.file:
            problem("file", "no export file is named", "give the file's path relative to data/raw/searches/")
        elif row.file in seen_files:
            problem("file", f"the file is already listed on row {seen_files[row.file]}", "list each export file once")
        elif not (searches_dir / row.file).is_file():
            problem("file", f"'{row.file}' is not in {searches_dir}", "put the export in data/raw/searches/ or correct the name")
        else:
            seen_files[row.file] = number
        if row.reported_hits and not row.reported_hits.isdigit():
            problem("reported_hits", f"'{row.reported_hits}' is not a number of records", "leave it empty or give a whole number")
    if errors:
        raise ReviewErrors(errors, f"{path} has problems")
    log["round"] = log["round"].astype(int)
    log["source_type"] = log["source_type"].str.lower()
    log["lane"] = log["source_type"].map(LANES)
    log["log_order"] = range(len(log))
    return log.sort_values(["round", "log_order"], kind="stable").reset_index(drop=True)
