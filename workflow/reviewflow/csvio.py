"""CSV at the edges: reading what people save from spreadsheets, writing what we make.

People's files (search log, decisions, evidence log) come from Excel or
LibreOffice: a BOM, ``;`` as separator in European locales, CRLF, trailing
empty rows, stray spaces and capitals in headers. ``read_people_csv`` takes
all of that and returns strings only, with the spreadsheet row number of each
row (the header is row 1) so that every error can name it.

Generated files are written deterministically (sorted by the caller, ``\\n``
line endings, UTF-8, no index) so two runs give identical bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ReviewError

ROW = "sheet_row"  # the spreadsheet row number of a row read by read_people_csv


def _sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_people_csv(
    path: str | Path,
    required: Sequence[str] = (),
    *,
    what: str = "file",
    fix: str | None = None,
) -> pd.DataFrame:
    """Read a CSV written by a person; every cell a stripped string.

    Headers are matched case- and space-insensitively (``Record ID`` ==
    ``record_id``). Rows that are entirely empty are dropped (spreadsheets
    leave them); the ``sheet_row`` column holds each row's spreadsheet row number.
    """
    path = Path(path)
    data = path.read_bytes()
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    assert text is not None  # cp1252 fails only on 5 undefined bytes
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ReviewError(f"the {what} has no header row", file=path, line=1, fix=fix)
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first_line))
    rows = list(reader)
    header = [normalise_header(h) for h in rows[0]]
    while header and not header[-1]:
        header.pop()  # trailing empty columns from a spreadsheet
    missing = [c for c in required if c not in header]
    if missing:
        raise ReviewError(
            f"the {what} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})",
            file=path,
            line=1,
            fix=fix or f"the first row must name the columns {', '.join(required)}",
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ReviewError(f"the column {duplicated[0]} appears twice in the header", file=path, line=1, fix=fix)
    records = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        extra = [c for c in cells[len(header) :] if c]
        if extra:
            raise ReviewError(
                f"the row has {len(cells)} cells but the header names {len(header)} columns",
                file=path,
                row=number,
                fix="check for a separator inside an unquoted cell",
            )
        cells += [""] * (len(header) - len(cells))
        record = {name: cells[i] for i, name in enumerate(header) if name}
        record[ROW] = number
        records.append(record)
    columns = [h for h in header if h] + [ROW]
    return pd.DataFrame.from_records(records, columns=columns).astype({ROW: int})


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a file this pipeline wrote: strings everywhere, nothing converted to NaN."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path, *, for_spreadsheet: bool = False) -> None:
    """Write deterministically; ``for_spreadsheet`` neutralises formula-like cells."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if for_spreadsheet:
        frame = frame.map(neutralise_formula)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_json(data: Any, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_text(text: str, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def write_rows(rows: Iterable[Sequence[Any]], header: Sequence[str], path: str | Path) -> None:
    write_csv(pd.DataFrame(list(rows), columns=list(header)), path)
