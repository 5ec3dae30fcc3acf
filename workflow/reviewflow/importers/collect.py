"""The import step: every file of the search log into one table of records.

Counting contract: for every file, records out equal records read; a file
that cannot be read stops the run with an error naming it (every bad file is
named, not just the first), and nothing is written as if the import had
succeeded.

The files are read by up to two worker processes (reading and normalising
is most of the work; 100,000 records must import in at most 20 s on two
cores) and the records are written in canonical order: round, then the
file's row in the search log, then the record's position in its file.
"""

from __future__ import annotations

import array
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..errors import ReviewError, ReviewErrors
from ..progress import track
from ..records import BIBLIO_FIELDS, ID_HASH_LENGTH, RECORD_COLUMNS, format_round
from . import FORMATS, ParsedExport, better_reading, open_export
from .base import gc_paused

REPORT_COLUMNS = ("round", "source_type", "database", "file", "format", "encoding", "records", "reported_hits", "warnings")
#: Below this many bytes of exports in all, the files are read in this process (starting workers costs more).
PARALLEL_FROM_BYTES = 4_000_000
MAX_WORKERS = 2


@dataclass(frozen=True)
class LogEntry:
    """What the import needs of one row of the search log."""

    round: int
    source_type: str
    database: str
    file: str
    reported_hits: str


@dataclass
class FileImport:
    """One export file read: its report row, and its records as output rows."""

    entry: LogEntry
    format: str = ""
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    #: per record: the content hash of its raw fields, and the values of every
    #: column of records.csv after ``record_id`` (raw as canonical JSON), either
    #: as values or (when read to a ``part`` file) as the UTF-8 CSV text of the row
    #: after ``record_id,`` in that file, ``sizes`` giving each row's bytes
    hashes: list[str] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)
    part: Path | None = None
    sizes: array.array = field(default_factory=lambda: array.array("q"))  # type: ignore[type-arg]
    error: ReviewError | None = None

    @property
    def count(self) -> int:
        return len(self.hashes)

    def report_row(self) -> dict[str, object]:
        return {
            "round": self.entry.round,
            "source_type": self.entry.source_type,
            "database": self.entry.database,
            "file": self.entry.file,
            "format": self.format,
            "encoding": self.encoding,
            "records": self.count,
            "reported_hits": self.entry.reported_hits,
            "warnings": " | ".join(self.warnings),
        }


def hits_mismatch(reported_hits: str, export: ParsedExport, count: int) -> str:
    """The warning when the database's reported number of hits (or the file's own
    stated total) differs from the ``count`` of records in the file; "" when they agree."""
    problems = []
    if reported_hits and int(reported_hits) != count:
        problems.append(f"the search log says the database reported {reported_hits} records; the file holds {count}")
    if export.stated_total is not None and export.stated_total != count:
        problems.append(f"the file says it holds {export.stated_total} records; {count} were read")
    return "; ".join(problems)


def wrong_format_error(entry: LogEntry, export: ParsedExport, count: int) -> ReviewError | None:
    """An error when fewer records were read (``count``) than the database reported and reading
    the file in another format gives more of them (up to the reported number): the format was misread."""
    if not entry.reported_hits or int(entry.reported_hits) <= count:
        return None
    hits = int(entry.reported_hits)
    better = better_reading(export.path, export.format, count, hits)
    if better is None:
        return None
    fmt, other_count = better
    return ReviewError(
        f"read as {FORMATS[export.format]} the file holds {count} records, but the search log reports "
        f"{hits} hits and read as {FORMATS.get(fmt, fmt)} it holds {other_count}: the format was misread",
        file=export.path,
        fix=f"check the file (is it really {FORMATS[export.format]}?), or export it again in one format such as RIS",
    )


#: ``records.canonical_raw`` without copying each record's lists first (tested to give the same text)
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def canonical_json(raw: dict[str, list[str]]) -> str:
    """``records.canonical_raw(raw)`` for a raw record of a reader (a dict of lists of strings), faster."""
    return _CANONICAL(raw)


def content_hash_of(canonical: str) -> str:
    """``records.content_hash`` of a record whose canonical raw JSON is already made."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:ID_HASH_LENGTH]


def read_file(entry: LogEntry, searches_dir: Path, part: Path | None = None) -> FileImport:
    """One file of the search log, ready to be written (errors are returned, not raised); with
    ``part``, its rows are written there as CSV text (a worker process hands back only the ids'
    hashes and the rows' sizes, not the rows: the import never holds the records of every file)."""
    with gc_paused():
        if part is None:
            return _read_file(entry, searches_dir, None)
        with part.open("wb") as handle:
            result = _read_file(entry, searches_dir, handle)
        if result.error is not None:
            part.unlink(missing_ok=True)
        else:
            result.part = part
        return result


def _read_file(entry: LogEntry, searches_dir: Path, handle: BinaryIO | None) -> FileImport:
    result = FileImport(entry)
    no_hits = entry.reported_hits.isdigit() and int(entry.reported_hits) == 0
    if not entry.file and no_hits:
        result.format = "none (no hits)"
        return result  # a search that found nothing: counted, with no records
    head = (str(entry.round), entry.source_type, entry.database, entry.file)
    try:
        # the records one by one, each turned into its output row at once: the file's parsed
        # records are never all held (RIS, MEDLINE, WoS and tables are read record by record; the rest whole)
        stream = open_export(searches_dir / entry.file)
        for index, record in enumerate(stream.records, start=1):
            canonical = canonical_json(record.raw)
            fields = record.fields
            result.hashes.append(content_hash_of(canonical))
            row = (*head, str(index), str(record.line), *[fields[name] for name in BIBLIO_FIELDS], canonical)
            if handle is not None:
                text = (",".join([_quoted(v) if _needs_quotes(v) else v for v in row]) + "\n").encode("utf-8")
                handle.write(text)
                result.sizes.append(len(text))
            else:
                result.rows.append(row)
        export = stream.finish(allow_empty=no_hits)
        wrong_format = wrong_format_error(entry, export, stream.count)
        if wrong_format is not None:
            raise wrong_format
    except ReviewError as error:
        return FileImport(entry, error=error)
    result.format = export.format_label
    result.encoding = export.encoding
    result.warnings = list(export.warnings)
    mismatch = hits_mismatch(entry.reported_hits, export, stream.count)
    if mismatch:
        result.warnings.insert(0, f"MISMATCH: {mismatch}")
    return result


def _read_task(task: tuple[LogEntry, Path, Path | None]) -> FileImport:
    return read_file(*task)


def log_entries(log: pd.DataFrame) -> list[LogEntry]:
    return [
        LogEntry(int(row.round), str(row.source_type), str(row.database), str(row.file), str(row.reported_hits or ""))
        for row in log.itertuples(index=False)
    ]


def read_files(
    entries: list[LogEntry], searches_dir: Path, workers: int | None = None, parts: list[Path] | None = None
) -> Iterator[FileImport]:
    """Every file read, in the search log's (canonical) order; in worker processes when worth it.

    ``workers``: how many processes; None chooses (two for large searches, else one); a
    negative number chooses with at most that many (Snakemake's ``threads``). ``parts``: one
    file per entry where its rows are written (see ``read_file``).
    """
    targets: list[Path | None] = list(parts) if parts is not None else [None] * len(entries)
    if workers is None or workers < 0:
        size = sum((searches_dir / e.file).stat().st_size for e in entries if (searches_dir / e.file).is_file())
        cap = min(MAX_WORKERS, os.cpu_count() or 1, -workers if workers else MAX_WORKERS)
        workers = min(cap, len(entries)) if size >= PARALLEL_FROM_BYTES else 1
    if workers <= 1 or len(entries) <= 1:
        for entry, part in zip(entries, targets, strict=True):
            yield read_file(entry, searches_dir, part)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_read_task, [(e, searches_dir, part) for e, part in zip(entries, targets, strict=True)], chunksize=1)


class RecordIds:
    """Record ids in canonical order, as ``records.assign_record_ids`` gives them: the round and
    the content hash, and an occurrence number for identical records within a round."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def next(self, round_number: int, content_hash: str) -> str:
        base = f"{format_round(round_number)}-{content_hash}"
        count = self.seen.get(base, 0) + 1
        self.seen[base] = count
        return base if count == 1 else f"{base}-{count}"


def _raise_errors(errors: list[ReviewError], files: int) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ReviewErrors(errors, f"{len(errors)} of {files} export files cannot be imported")


def import_searches(log: pd.DataFrame, searches_dir: Path, workers: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every export listed in the (checked, canonically ordered) search log.

    Returns the records (``RECORD_COLUMNS``, canonical order; ``raw`` as
    canonical JSON) and the import report (one row per file: format detected,
    encoding, records imported, reported hits, warnings including any
    mismatch with the reported hits).
    """
    entries = log_entries(log)
    ids = RecordIds()
    rows: list[tuple[str, ...]] = []
    report: list[dict[str, object]] = []
    errors: list[ReviewError] = []
    with gc_paused():
        for result in read_files(entries, searches_dir, workers):
            if result.error is not None:
                errors.append(result.error)
                continue
            report.append(result.report_row())
            for content_hash, row in zip(result.hashes, result.rows, strict=True):
                rows.append((ids.next(result.entry.round, content_hash), *row))
    _raise_errors(errors, len(entries))
    records = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    for column in ("round", "source_index", "source_line"):
        records[column] = records[column].astype(int)
    return records, pd.DataFrame(report, columns=list(REPORT_COLUMNS))


_needs_quotes = re.compile(r'[",\n\r]').search


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def csv_cell(value: str) -> str:
    """A cell as the csv module writes it (minimal quoting), several times faster for large cells;
    also quoted when it holds a carriage return (the csv module leaves it bare, which splits the row)."""
    return _quoted(value) if _needs_quotes(value) else value


def write_import(log: pd.DataFrame, searches_dir: Path, records_path: Path, workers: int | None = None) -> pd.DataFrame:
    """Import every file of the search log into ``records_path`` (written only if every file
    can be read; an earlier file at that path is removed when one cannot) and return the report.

    Streamed: each file's rows go to a part file as they are read (in a worker process), and
    the parts are copied into ``records_path`` in canonical order with their record ids, so the
    memory used does not grow with the number of records (``benchmarks/bench_import.py``)."""
    entries = log_entries(log)
    ids = RecordIds()
    report: list[dict[str, object]] = []
    errors: list[ReviewError] = []
    records_path.parent.mkdir(parents=True, exist_ok=True)
    partial = records_path.with_name(records_path.name + ".partial")
    parts = [records_path.with_name(f"{records_path.name}.part{index:04d}") for index in range(len(entries))]
    try:
        with gc_paused(), partial.open("wb") as handle:
            handle.write((",".join(RECORD_COLUMNS) + "\n").encode("utf-8"))
            files = read_files(entries, searches_dir, workers, parts=parts)
            for result in track(files, len(entries), "import: export files read", "files", quiet_below=2):
                if result.error is not None:
                    errors.append(result.error)
                    continue
                report.append(result.report_row())
                if errors or result.part is None:
                    continue  # the import fails: no need to write more
                round_number = result.entry.round
                with result.part.open("rb") as rows:
                    for content_hash, size in zip(result.hashes, result.sizes, strict=True):
                        handle.write(ids.next(round_number, content_hash).encode("ascii") + b"," + rows.read(size))
                result.part.unlink()
        _raise_errors(errors, len(entries))
    except BaseException:
        partial.unlink(missing_ok=True)
        records_path.unlink(missing_ok=True)
        raise
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    partial.replace(records_path)
    return pd.DataFrame(report, columns=list(REPORT_COLUMNS))
