"""The search log, ``data/raw/searches.csv``: one row per search and its export file.

A search that found nothing is a row with ``reported_hits`` 0 and no file (or a
file holding only a header): it is counted among the searches run. Every file
in ``data/raw/searches/`` must be named by exactly one row, with a path inside
that folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .config import prisma_name_problem
from .csvio import ROW, parse_sheet_date, read_people_csv
from .errors import ReviewError, ReviewErrors
from .paths import export_paths

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
    rows_of_file: dict[str, list[int]] = {}
    for row in log.itertuples(index=False):
        number = getattr(row, ROW)

        def problem(column: str, message: str, fix: str) -> None:
            errors.append(ReviewError(message, file=path, row=number, column=column, fix=fix))  # noqa: B023

        if not row.round.isdigit() or int(row.round) < 1:
            problem("round", f"'{row.round}' is not a round number", "rounds are whole numbers from 1")
        if row.date and parse_sheet_date(row.date) is None:
            problem("date", f"'{row.date}' is not a date", "write the date the search was run as YYYY-MM-DD, e.g. 2026-02-28")
        if row.source_type.lower() not in LANES:
            problem("source_type", f"'{row.source_type}' is not a source type", f"use one of {', '.join(LANES)}")
        if not row.database:
            problem("database", "no database or organisation is named", "name the database searched, e.g. 'EBSCO Discovery Service'")
        elif LANES.get(row.source_type.lower()) == "databases" and (why := prisma_name_problem(row.database)):
            problem("database", f"the name '{row.database}' goes to PRISMA.csv's database counts, but {why}",
                    "write the name without them, e.g. 'Ovid MEDLINE(R) - Epub Ahead of Print'")
        if row.reported_hits and not row.reported_hits.isdigit():
            problem("reported_hits", f"'{row.reported_hits}' is not a number of records", "leave it empty or give a whole number")
        if not row.file:
            if row.reported_hits.isdigit() and int(row.reported_hits) == 0:
                continue  # a search that found nothing: a search all the same
            problem(
                "file",
                "no export file is named",
                "give the file's path relative to data/raw/searches/ (a search that found nothing: reported_hits 0 and no file)",
            )
            continue
        outside = _outside(row.file)
        if outside:
            problem("file", f"'{row.file}' {outside}", "give the path relative to data/raw/searches/, with the export inside that folder")
            continue
        rows_of_file.setdefault(_key(row.file), []).append(number)
        if (searches_dir / row.file).exists() and not _inside(searches_dir / row.file, searches_dir):
            problem("file", f"'{row.file}' is a link to a file outside data/raw/searches/",
                    "copy the export itself into data/raw/searches/")
        elif not (searches_dir / row.file).is_file():
            if (searches_dir / row.file).is_dir():
                problem("file", f"'{row.file}' is a folder, not an export file", "name the export file inside it")
            else:
                problem("file", f"'{row.file}' is not in {searches_dir}", "put the export in data/raw/searches/ or correct the name")
    for name, numbers in rows_of_file.items():
        if len(numbers) > 1:
            errors.append(ReviewError(
                f"the file '{name}' is named by rows {', '.join(map(str, numbers))}",
                file=path,
                row=numbers[1],
                column="file",
                fix="list each export file once (one row per export; two searches need two export files)",
            ))
    for unlisted in unlisted_exports(searches_dir, set(rows_of_file)):
        errors.append(ReviewError(
            f"the file '{unlisted}' in {searches_dir} is named by no row of the search log, so it would not be imported",
            file=path,
            fix=f"add a row for it to {path.name} (round, date, source_type, database, query, file = {unlisted}), "
            "or move it out of data/raw/searches/",
        ))
    if errors:
        raise ReviewErrors(errors, f"{path} has problems")
    log["round"] = log["round"].astype(int)
    log["source_type"] = log["source_type"].str.lower()
    log["lane"] = log["source_type"].map(LANES)
    log["log_order"] = range(len(log))
    return log.sort_values(["round", "log_order"], kind="stable").reset_index(drop=True)


def _key(name: str) -> str:
    """A file's path as compared between rows and the folder (forward slashes, no ``./``)."""
    return Path(name.replace("\\", "/")).as_posix()


def _outside(name: str) -> str:
    """Why a ``file`` path does not stay inside the searches folder ("" when it does)."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return "is an absolute path"
    if ".." in posix.split("/"):
        return "leaves data/raw/searches/ (it holds '..')"
    return ""


def _inside(path: Path, folder: Path) -> bool:
    """Whether a path (its links followed) is inside a folder."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def unlisted_exports(searches_dir: Path, listed: set[str]) -> list[str]:
    """Files in the searches folder (and its subfolders) that no row names, as paths relative to it."""
    relative = (file.relative_to(searches_dir).as_posix() for file in export_paths(searches_dir))
    return [name for name in relative if name not in listed]


def databases_searched(import_report: pd.DataFrame) -> list[str]:
    """The databases and registers of the import report, each once, in the log's order (those whose
    searches found nothing included: PRISMA asks for every database searched)."""
    lane = import_report["source_type"].str.lower().map(LANES) == "databases"
    return list(dict.fromkeys(import_report.loc[lane, "database"]))
