"""The import step: every file of the search log into one table of records.

Counting contract: for every file, records out equal records read; a file
that cannot be read stops the run with an error naming it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..records import BIBLIO_FIELDS, RECORD_COLUMNS, assign_record_ids
from . import read_export

REPORT_COLUMNS = ("round", "source_type", "database", "file", "format", "encoding", "records", "reported_hits", "warnings")


def import_searches(log: pd.DataFrame, searches_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every export listed in the (checked, canonically ordered) search log.

    Returns the records (``RECORD_COLUMNS``, canonical order) and the import
    report (one row per file).
    """
    rows: list[dict[str, object]] = []
    report: list[dict[str, object]] = []
    for entry in log.itertuples(index=False):
        export = read_export(searches_dir / entry.file)
        warnings = list(export.warnings)
        if entry.reported_hits and int(entry.reported_hits) != len(export.records):
            warnings.append(
                f"the search log says the source reported {entry.reported_hits} records; the file holds {len(export.records)}"
            )
        report.append(
            {
                "round": entry.round,
                "source_type": entry.source_type,
                "database": entry.database,
                "file": entry.file,
                "format": export.format,
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
    records = pd.DataFrame(rows, columns=[c for c in RECORD_COLUMNS if c != "record_id"])
    records.insert(0, "record_id", assign_record_ids(records["round"], records["raw"]))
    records["raw"] = [json.dumps(raw, ensure_ascii=False, sort_keys=True) for raw in records["raw"]]
    return records, pd.DataFrame(report, columns=list(REPORT_COLUMNS))
