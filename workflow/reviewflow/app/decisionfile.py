"""A reviewer's decision file, edited in place as a person would: one row at a time.

The screening page writes ``data/raw/decisions/<stage>/<reviewer>.csv`` (or
``adjudication.csv``) and nothing else. The file stays the reviewer's own:

- one row per decision; deciding a work again changes that work's row only;
- every other row, and every column the reviewer added, stays byte for byte:
  the encoding and BOM, the separator (``,``, ``;`` or tab, Excel's ``sep=``
  line), the line endings and the quoting are kept;
- a row the reviewer pasted from a worksheet with the decision still empty is
  filled in where it is, rather than repeated at the end;
- a column the page needs and the header lacks (``reason``, ``note``) is added
  at the end of the header only: the pipeline reads the rows before it as
  having that cell empty.

``DecisionFile`` is pure (bytes in, bytes out); ``write_atomically`` and
``spreadsheet_lock`` are the edges that touch the disk.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..csvio import SEP_HINT, neutralise_formula, normalise_header, sniff_delimiter
from ..errors import ReviewError
from ..screening.files import COLUMN_ALIASES, LOCK_PREFIXES
from ..screening.vocabulary import canonical_record_id

#: The header of a decision file the page creates (the columns the pipeline reads).
NEW_FILE_HEADER = ("record_id", "decision", "reason", "note", "date")


@dataclass(frozen=True)
class Span:
    """One line of the file as written: ``text[start:end]`` and its line ending."""

    start: int
    end: int
    ending: str


@dataclass(frozen=True)
class Entry:
    """What one data row says (cells stripped, as the pipeline reads them)."""

    index: int  # position among the data rows
    sheet_row: int  # the row number the pipeline's errors name (the header is row 1)
    record_id: str  # canonical, or the cell as written when it is no record id
    decision: str
    reason: str
    note: str
    text: str  # the row exactly as in the file, without its line ending


def _decode(data: bytes) -> tuple[bytes, str, str]:
    """(BOM, codec, text): the same choice as the pipeline's reader, kept for writing back."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8")):
        if data.startswith(bom):
            return bom, codec, data[len(bom):].decode(codec)
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            return b"", codec, data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def split_lines(text: str, delimiter: str) -> list[Span]:
    """The CSV rows of ``text`` as spans: a line break inside a quoted cell belongs to its row."""
    spans: list[Span] = []
    if '"' not in text:  # nothing quoted: every line break ends a row
        start = 0
        for match in _LINE_BREAK.finditer(text):
            spans.append(Span(start, match.start(), match.group()))
            start = match.end()
        if start < len(text):
            spans.append(Span(start, len(text), ""))
        return spans
    start, i, size = 0, 0, len(text)
    quoted, field_start = False, True
    while i < size:
        char = text[i]
        if quoted:
            if char == '"':
                if text.startswith('"', i + 1):
                    i += 2
                    continue
                quoted = False
            i += 1
            continue
        if char == '"' and field_start:
            quoted, field_start = True, False
        elif char == delimiter:
            field_start = True
        elif char in "\r\n":
            ending = "\r\n" if text.startswith("\r\n", i) else char
            spans.append(Span(start, i, ending))
            i += len(ending)
            start, field_start = i, True
            continue
        else:
            field_start = False
        i += 1
    if start < size:
        spans.append(Span(start, size, ""))
    return spans


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])


@dataclass
class DecisionFile:
    """A decision file's text, with the rows located; every change returns the new bytes."""

    path: Path
    bom: bytes
    codec: str
    text: str
    delimiter: str
    newline: str
    spans: list[Span]
    header_at: int  # index in spans of the header line (1 after Excel's sep= line)
    header: list[str]  # normalised names, trailing empty ones dropped
    columns: dict[str, int] = field(default_factory=dict)  # record_id/decision/reason/note/date -> cell index

    @classmethod
    def parse(cls, path: Path, data: bytes) -> DecisionFile:
        bom, codec, text = _decode(data)
        if not text.strip():  # a new or empty file: the page writes the header
            text_bom = bom or b""
            return cls._new(path, text_bom, codec if bom else "utf-8")
        first = text.split("\n", 1)[0].rstrip("\r")
        hint = SEP_HINT.match(first)
        delimiter = hint.group(1) if hint else ""
        spans = split_lines(text, delimiter or ",")
        header_at = 1 if hint else 0
        if not delimiter:
            delimiter = sniff_delimiter(text[spans[0].start : spans[0].end])
            if delimiter != ",":  # the lines were located reading ","
                spans = split_lines(text, delimiter)
        endings = [s.ending for s in spans if s.ending]
        newline = endings[0] if endings else "\n"
        if header_at >= len(spans):
            raise ReviewError("the decision file has no header row", file=path, line=1,
                              fix="the first row names the columns record_id, decision and, if wanted, reason, note, date")
        header = [normalise_header(h) for h in _cells(text[spans[header_at].start : spans[header_at].end], delimiter)]
        while header and not header[-1]:
            header.pop()
        columns: dict[str, int] = {}
        for column, aliases in COLUMN_ALIASES.items():
            present = [a for a in aliases if a in header]
            if present:
                columns[column] = header.index(present[0])
        missing = [c for c in ("record_id", "decision") if c not in columns]
        if missing:
            found = ", ".join(h for h in header if h) or "none"
            raise ReviewError(f"the decision file lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                              f"(found: {found})", file=path, line=1,
                              fix="the first row names the columns record_id, decision and, if wanted, reason, note, date")
        return cls(path, bom, codec, text, delimiter, newline, spans, header_at, header, columns)

    @classmethod
    def _new(cls, path: Path, bom: bytes, codec: str) -> DecisionFile:
        line = ",".join(NEW_FILE_HEADER)
        header = list(NEW_FILE_HEADER)
        return cls(path, bom, codec, line + "\n", ",", "\n", [Span(0, len(line), "\n")], 0, header,
                   {name: i for i, name in enumerate(header)})

    # reading

    def entries(self, naming: Iterable[str] | None = None) -> list[Entry]:
        """Every data row (blank rows too, so that indexes stay those of the file), or only those naming these record ids."""
        digests = None if naming is None else [r.split("-")[1].lower() for r in naming]
        found = []
        for index, span in enumerate(self.spans[self.header_at + 1 :]):
            line = self.text[span.start : span.end]
            if digests is not None and not any(d in line.lower() for d in digests):
                continue
            cells = [c.strip() for c in _cells(line, self.delimiter)]

            def cell(name: str, cells: list[str] = cells) -> str:
                at = self.columns.get(name)
                return cells[at] if at is not None and at < len(cells) else ""

            written = cell("record_id")
            found.append(Entry(index, index + 2, canonical_record_id(written) or written, cell("decision"), cell("reason"),
                               cell("note"), line))
        return found

    def to_bytes(self) -> bytes:
        return self.bom + self.text.encode(self.codec)

    # changing

    def _line(self, cells: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator="", quoting=csv.QUOTE_MINIMAL).writerow(cells)
        return out.getvalue()

    def _replace_span(self, position: int, line: str) -> str:
        span = self.spans[position]
        return self.text[: span.start] + line + self.text[span.end :]

    def _with_columns(self, names: list[str]) -> DecisionFile:
        """The file with the named columns added at the end of the header (rows untouched)."""
        wanted = [n for n in names if n not in self.columns]
        if not wanted:
            return self
        span = self.spans[self.header_at]
        cells = _cells(self.text[span.start : span.end], self.delimiter)
        cells = cells[: len(self.header)] + wanted
        return DecisionFile.parse(self.path, self.bom + self._replace_span(self.header_at, self._line(cells)).encode(self.codec))

    def set_row(self, index: int | None, record_id: str | None, values: dict[str, str]) -> tuple[bytes, str]:
        """(the new file, the row as written) with ``values`` in the row ``index``, or in a new row at the end.

        ``values`` maps decision/reason/note/date to cell text; the row's other
        cells (its record id as written when ``record_id`` is None, columns the
        reviewer added) are kept. A value that a
        spreadsheet would read as a formula is written with a leading ``'``.
        """
        needed = [name for name, value in values.items() if value and name not in self.columns]
        target = self._with_columns(needed)
        cells_for = {name: str(neutralise_formula(value)) for name, value in values.items()}
        if record_id is not None:
            cells_for["record_id"] = record_id
        if index is None:
            cells = [""] * len(target.header)
        else:
            span = target.spans[target.header_at + 1 + index]
            cells = _cells(target.text[span.start : span.end], target.delimiter)
        for name, value in cells_for.items():
            at = target.columns.get(name)
            if at is None:
                continue  # an empty value for a column the file does not have
            cells += [""] * (at + 1 - len(cells))
            cells[at] = value
        line = target._line(cells)
        if index is None:
            text = target.text
            if text and not text.endswith(("\n", "\r")):
                text += target.newline
            text += line + target.newline
        else:
            text = target._replace_span(target.header_at + 1 + index, line)
        return target._encode(text), line

    def replace_line(self, index: int, line: str | None) -> bytes:
        """The file with data row ``index`` replaced by ``line`` (as written), or removed when None."""
        span = self.spans[self.header_at + 1 + index]
        if line is not None:
            return self._encode(self._replace_span(self.header_at + 1 + index, line))
        return self._encode(self.text[: span.start] + self.text[span.end + len(span.ending) :])

    def _encode(self, text: str) -> bytes:
        try:
            return self.bom + text.encode(self.codec)
        except UnicodeEncodeError as error:
            raise ReviewError(f"'{error.object[error.start:error.end]}' cannot be written in this file's encoding ({self.codec})",
                              file=self.path, fix="leave that character out, or save the file as UTF-8 in the spreadsheet") from None


def spreadsheet_lock(path: Path) -> Path | None:
    """The lock file a spreadsheet keeps beside ``path`` while it has it open (LibreOffice, Excel), if any."""
    if not path.parent.is_dir():
        return None
    names = {path.name, path.stem + ".xlsx", path.stem + ".xls", path.stem + ".ods"}
    for candidate in path.parent.iterdir():
        name = candidate.name
        if not name.startswith(LOCK_PREFIXES):
            continue
        if name.startswith(".~lock.") and name.removeprefix(".~lock.").rstrip("#") in names:
            return candidate
        # Excel's ~$ lock replaces the first characters of long names
        if name.startswith("~$") and any(n.endswith(name[2:]) for n in names if len(name) > 4):
            return candidate
    return None


def write_atomically(path: Path, data: bytes, check: Callable[[Path], None] | None = None) -> None:
    """Replace ``path`` by ``data``: a temporary file in the same folder, flushed and synced, then renamed.

    ``check(temporary)`` runs before the rename; when it raises, the file is
    left as it was. The file keeps its permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.reviewflow-", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        if check is not None:
            check(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

