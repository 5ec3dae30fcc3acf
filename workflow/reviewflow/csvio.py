"""CSV at the edges: reading what people save from spreadsheets, writing what we make.

People's files (search log, decisions, evidence log) come from Excel or
LibreOffice: a BOM, ``;`` as separator in European locales, CRLF, trailing
empty rows, stray spaces and capitals in headers, Excel's ``sep=;`` hint line,
"Unicode text" (UTF-16, tab-separated). ``read_people_csv`` takes all of that
and returns strings only, with the spreadsheet row number of each row (the
header is row 1) so that every error can name it. ``parse_sheet_date`` reads
the date formats spreadsheets write.

Generated files have formula-like cells neutralised (CSV formula injection):
a cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a
line feed, even after leading spaces, gets a leading apostrophe, and so does a
cell that already starts with apostrophes before one of them (so the escape can
be undone exactly); plain numbers (``-0.25``) are left alone. ``read_table``
removes that apostrophe again: the value read back is the value written. The
exceptions, written exactly as they are: ``records.csv`` (the data table of
every imported record, read by programs) and ``PRISMA.csv`` (read by the
PRISMA2020 app); see ``EXACT_FILES``.

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


def sniff_delimiter(first_line: str) -> str:
    """The separator a spreadsheet most likely used on this line: the most frequent of , ; and tab (, when none)."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_input_bytes(path: Path, what: str = "file") -> bytes:
    """The bytes of a file people write, or a ReviewError saying why it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(f"the {what} does not exist", file=path, fix="create it, or check its name and folder") from None
    except IsADirectoryError:
        raise ReviewError(f"this is a folder, not the {what}", file=path,
                          fix=f"the {what} is a CSV file at this path; move the folder away") from None
    except PermissionError:
        raise ReviewError(f"the {what} cannot be read (permission denied)", file=path,
                          fix="give yourself read permission on it (chmod u+r), or save it again") from None


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
    text = _decode(read_input_bytes(path, what)).lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    hint = SEP_HINT.match(first_line)
    if hint:  # Excel's separator line; the spreadsheet hides it, so the header stays row 1
        delimiter, text = hint.group(1), rest
        first_line = text.split("\n", 1)[0]
    else:
        delimiter = sniff_delimiter(first_line)
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


#: Generated CSV files written exactly, with no formula cell neutralised (by file name).
EXACT_FILES = frozenset({"records.csv", "PRISMA.csv"})


def read_table(path: str | Path, columns: Sequence[str] | Callable[[str], bool] | None = None) -> pd.DataFrame:
    """Read a file this pipeline wrote: strings everywhere, nothing converted to NaN, and the
    apostrophe that neutralised a formula-like cell removed (the value as it was before writing).

    ``columns``: only these (names, or a test of a name), e.g. records.csv without its bulky ``raw``.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, usecols=columns)
    if Path(path).name not in EXACT_FILES:
        for column in frame.columns:
            values = frame[column]
            if not _NEUTRALISED_IN_TEXT.search("\n".join(values.tolist())):
                continue  # the common case, found in one pass over the column's text
            marked = values.str.match(_NEUTRALISED)
            if marked.any():
                frame.loc[marked, column] = values[marked].str.slice(1)
    return frame


_FORMULA = r"[ ]*[=+\-@\t\r\n]"
#: What a neutralised cell looks like: apostrophes, then a formula-like start.
_NEUTRALISED = re.compile(r"'+" + _FORMULA)
#: What gets an apostrophe when written: a formula-like start, or apostrophes before one.
_TO_NEUTRALISE = re.compile(r"'*" + _FORMULA)
_NEUTRALISED_IN_TEXT = re.compile(r"^'+" + _FORMULA, re.MULTILINE)
_TO_NEUTRALISE_IN_TEXT = re.compile(r"^'*" + _FORMULA, re.MULTILINE)
_PLAIN_NUMBER = re.compile(r"^[ ]*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def neutralise_column(values: pd.Series) -> pd.Series:
    """``neutralise_formula`` over a column of strings, vectorised (ledgers have millions of cells)."""
    if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
        return values  # numbers, booleans
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
        if not _TO_NEUTRALISE_IN_TEXT.search("\n".join(values.dropna().tolist())):
            return values  # the common case, found in one pass over the column's text
        strings = values.notna()
    else:
        strings = values.map(lambda value: isinstance(value, str))
    text = values.where(strings, "").astype(str)
    marked = strings & text.str.match(_TO_NEUTRALISE) & ~text.str.match(_PLAIN_NUMBER)
    if not marked.any():
        return values
    values = values.astype(object)
    values[marked] = "'" + text[marked]
    return values


def neutralise_formula(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe.

    Leading spaces do not hide a formula from every spreadsheet, so they are
    looked through.
    """
    if isinstance(value, str) and _TO_NEUTRALISE.match(value) and not _PLAIN_NUMBER.match(value):
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


def write_csv(frame: pd.DataFrame, path: str | Path, *, for_spreadsheet: bool | None = None) -> None:
    """Write deterministically, formula-like cells neutralised (``for_spreadsheet``; by default
    every file but those of ``EXACT_FILES``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if for_spreadsheet is None:
        for_spreadsheet = path.name not in EXACT_FILES
    if for_spreadsheet:
        changed = {i: new for i, (_, column) in enumerate(frame.items()) if (new := neutralise_column(column)) is not column}
        if changed:
            frame = frame.copy()
            for index, values in changed.items():
                frame.isetitem(index, values)
    # the csv module leaves a cell holding a bare carriage return unquoted, which splits its row
    quoting = csv.QUOTE_ALL if _holds_carriage_return(frame) else csv.QUOTE_MINIMAL
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)


def _holds_carriage_return(frame: pd.DataFrame) -> bool:
    for _, column in frame.items():
        if pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype):
            if "\r" in "\n".join(column.astype(str).tolist()):
                return True
    return False


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


def read_people_xlsx(path: str | Path) -> pd.DataFrame:
    """The first sheet holding data of a workbook a person saved, as ``read_people_csv`` gives a
    CSV: stripped strings, normalised headers, and the ``sheet_row`` of each row."""
    import openpyxl

    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ReviewError(f"the workbook cannot be opened ({type(error).__name__})", file=path,
                          fix="open it in a spreadsheet and save it again, or delete it") from None
    try:
        rows: list[list[str]] = []
        for sheet in workbook.worksheets:
            rows = [[_sheet_cell(v) for v in values] for values in sheet.iter_rows(values_only=True)]
            if any(any(cells) for cells in rows):
                break
    finally:
        workbook.close()
    if not rows:
        return pd.DataFrame(columns=[ROW])
    header = [normalise_header(h) for h in rows[0]]
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        record = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        record[ROW] = number
        records.append(record)
    return pd.DataFrame.from_records(records, columns=[*dict.fromkeys(h for h in header if h), ROW])


def _sheet_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
