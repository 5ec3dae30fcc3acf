"""CSV at the edges: reading what people save from spreadsheets, writing what we make.

People's files (search log, decisions, evidence log) come from Excel or
LibreOffice: a BOM, ``;`` as separator in European locales, CRLF, trailing
empty rows, stray spaces and capitals in headers, Excel's ``sep=;`` hint line,
"Unicode text" (UTF-16, tab-separated). ``read_people_csv`` takes all of that
and returns strings only, with the spreadsheet row number of each row (the
header is row 1) so that every error can name it. ``parse_sheet_date`` reads
the date formats spreadsheets write.

Generated files meant for a spreadsheet have formula-like cells neutralised
(CSV formula injection): a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return, even after leading spaces, gets a leading apostrophe.

Generated files are written deterministically (sorted by the caller, ``\\n``
line endings, UTF-8, no index) so two runs give identical bytes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ReviewError

ROW = "sheet_row"  # the spreadsheet row number of a row read by read_people_csv


#: Excel writes (and reads) a first line ``sep=;`` naming the separator.
SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)


def _decode(data: bytes) -> str:
    """UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # cp1252 fails only on 5 undefined bytes


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
    text = _decode(path.read_bytes()).lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    hint = SEP_HINT.match(first_line)
    if hint:  # Excel's separator line; the spreadsheet hides it, so the header stays row 1
        delimiter, text = hint.group(1), rest
        first_line = text.split("\n", 1)[0]
    else:
        delimiter = _sniff_delimiter(first_line)
    if not first_line.strip():
        raise ReviewError(f"the {what} has no header row", file=path, line=1, fix=fix)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
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


def read_table(path: str | Path, columns: Sequence[str] | Callable[[str], bool] | None = None) -> pd.DataFrame:
    """Read a file this pipeline wrote: strings everywhere, nothing converted to NaN.

    ``columns``: only these (names, or a test of a name), e.g. records.csv without its bulky ``raw``.
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, usecols=columns)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe.

    Leading spaces do not hide a formula from every spreadsheet, so they are
    looked through.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


#: Month names and abbreviations (English), as spreadsheets print them.
MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_NAMED_DATE = re.compile(r"^(?:(\d{1,2})[-\s]+([a-z]+)\.?[-\s,]+(\d{2,4})|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{2,4}))$")
_TIME_PART = re.compile(r"[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]m)?$", re.IGNORECASE)
#: Excel's serial day numbers count from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:  # two-digit years: the spreadsheet convention (00-29: 2000s)
        year += 2000 if year < 30 else 1900
    return year


def parse_sheet_date(value: str, *, day_first: bool = True) -> dt.date | None:
    """A date as a spreadsheet may have saved it; None when it is not a date.

    Understood: ISO ``2015-03-02`` (with or without a time), ``02/03/2015``,
    ``2.3.15``, ``02-03-2015`` (day first unless ``day_first`` is False),
    ``2015/03/02``, ``2 Mar 2015``, ``02-Mar-15``, ``March 2, 2015`` and
    Excel serial numbers (``42065``).
    """
    text = _TIME_PART.sub("", value.strip()).strip().lower()
    if not text:
        return None
    try:
        if text.isdigit() and 20000 <= int(text) <= 80000:  # 1954 to 2119 as Excel serials
            return EXCEL_EPOCH + dt.timedelta(days=int(text))
        numeric = _NUMERIC_DATE.match(text)
        if numeric:
            a, b, c = numeric.groups()
            if len(a) == 4:
                return dt.date(int(a), int(b), int(c))
            if len(c) not in (2, 4):
                return None
            day, month = (a, b) if day_first else (b, a)
            return dt.date(_year(c), int(month), int(day))
        named = _NAMED_DATE.match(text)
        if named:
            day, month_name, year = named.group(1, 2, 3) if named.group(1) else (named.group(5), named.group(4), named.group(6))
            month = MONTHS.get(month_name)
            return dt.date(_year(year), month, int(day)) if month else None
    except ValueError:  # 31/02/2015 and the like
        return None
    return None


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
