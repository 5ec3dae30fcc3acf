"""The import step: every file of the search log into one table of records.

Counting contract: for every file, records out equal records read; a file
that cannot be read stops the run with an error naming it (every bad file is
named, not just the first), and nothing is returned for the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import ReviewError, ReviewErrors
from ..records import BIBLIO_FIELDS, RECORD_COLUMNS, assign_record_ids
from . import ParsedExport, read_export

REPORT_COLUMNS = ("round", "source_type", "database", "file", "format", "encoding", "records", "reported_hits", "warnings")


def hits_mismatch(reported_hits: str, export: ParsedExport) -> str:
    """The warning when the database's reported number of hits (or the file's own
    stated total) differs from the records in the file; "" when they agree."""
    problems = []
    if reported_hits and int(reported_hits) != len(export.records):
        problems.append(
            f"the search log says the database reported {reported_hits} records; the file holds {len(export.records)}"
        )
    if export.stated_total is not None and export.stated_total != len(export.records):
        problems.append(f"the file says it holds {export.stated_total} records; {len(export.records)} were read")
    return "; ".join(problems)


def import_searches(log: pd.DataFrame, searches_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every export listed in the (checked, canonically ordered) search log.

    Returns the records (``RECORD_COLUMNS``, canonical order) and the import
    report (one row per file: format detected, encoding, records imported,
    reported hits, warnings including any mismatch with the reported hits).
    """
    rows: list[dict[str, object]] = []
    report: list[dict[str, object]] = []
    errors: list[ReviewError] = []
    for entry in log.itertuples(index=False):
        try:
            export = read_export(searches_dir / entry.file)
        except ReviewError as error:
            errors.append(error)
            continue
        warnings = list(export.warnings)
        mismatch = hits_mismatch(str(entry.reported_hits), export)
        if mismatch:
            warnings.insert(0, f"MISMATCH: {mismatch}")
        report.append(
            {
                "round": entry.round,
                "source_type": entry.source_type,
                "database": entry.database,
                "file": entry.file,
                "format": export.format_label,
                "encoding": export.encoding,
                "records": len(export.records),
                "reported_hits": entry.reported_hits,
                "warnings": " | ".join(warnings),
            }
        )
        for index, record in enumerate(export.records, start=1):
            row: dict[str, object] = {
                "round": entry.round,
                "source_type": entry.source_type,
                "database": entry.database,
                "source_file": entry.file,
                "source_index": index,
                "source_line": record.line,
                "raw": record.raw,
            }
            row.update({name: record.fields.get(name, "") for name in BIBLIO_FIELDS})
            rows.append(row)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ReviewErrors(errors, f"{len(errors)} of {len(log)} export files cannot be imported")
    records = pd.DataFrame(rows, columns=[c for c in RECORD_COLUMNS if c != "record_id"])
    records.insert(0, "record_id", assign_record_ids(records["round"], records["raw"]))
    records["raw"] = [json.dumps(raw, ensure_ascii=False, sort_keys=True) for raw in records["raw"]]
    return records, pd.DataFrame(report, columns=list(REPORT_COLUMNS))
