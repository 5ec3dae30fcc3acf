"""What every reader returns, and the shared text handling (encodings, line endings).

Every reader turns one export file into :class:`ParsedRecord` objects:

- ``raw``: every field of the record exactly as the database wrote it, as
  ``tag or column -> list of values`` (a tag written twice keeps both values,
  in order; a continuation line is appended to the value it continues, after
  a newline). Record ids are a hash of ``raw``, so it must not depend on
  anything but the record's own content.
- ``fields``: the common normalised fields (``records.BIBLIO_FIELDS``).
- ``line``: the line (or spreadsheet row) where the record starts, so that
  every message can point at it.
"""

from __future__ import annotations

import codecs
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReviewError
from ..records import BIBLIO_FIELDS

Raw = dict[str, list[str]]


@dataclass
class ParsedRecord:
    """One record as read: normalised fields, every original field, its line."""

    fields: dict[str, str]
    raw: Raw
    line: int = 0  # 1-based line (or spreadsheet row) where the record starts

    def __post_init__(self) -> None:
        if len(self.fields) < len(BIBLIO_FIELDS):
            for name in BIBLIO_FIELDS:
                self.fields.setdefault(name, "")


@dataclass
class ParsedExport:
    """Every record of one file, and what was learnt reading it."""

    path: Path
    format: str
    encoding: str
    records: list[ParsedRecord]
    warnings: list[str] = field(default_factory=list)
    #: The database or tool whose layout was recognised (e.g. "Scopus" for a CSV), "" if generic.
    dialect: str = ""
    #: The number of records the file itself says it holds (e.g. ProQuest's "Document 1 of 100"), if it says.
    stated_total: int | None = None

    @property
    def format_label(self) -> str:
        return f"{self.format} ({self.dialect})" if self.dialect else self.format


@dataclass
class DecodedText:
    text: str  # line endings normalised to "\n", BOM removed
    encoding: str
    warnings: list[str] = field(default_factory=list)


_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))
_OTHER_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    """Decode an export's bytes: a BOM first, then UTF-8, then the legacy codecs.

    Without a BOM: UTF-16 is recognised by its zero bytes; valid UTF-8 is
    UTF-8; otherwise GBK when the non-ASCII bytes come in pairs (Chinese
    text), else cp1252 (Windows Western, a superset of Latin-1's printable
    characters), else Latin-1 (which decodes any byte). A file that is UTF-8
    in some lines and not in others (exports pasted together) is decoded line
    by line and reported. Line endings (CRLF, bare CR, mixed) become "\\n".
    """
    if not data.strip():
        raise ReviewError(
            "the file is empty",
            file=path,
            fix="export the search results again; an empty export has no records to import",
        )
    for bom, encoding in _UTF32_BOMS:
        if data.startswith(bom):
            return DecodedText(normalise_newlines(data[len(bom) :].decode(encoding)), "utf-32")
    for bom, codec, name in _OTHER_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise ReviewError(
                    f"the file starts with a {name} byte-order mark but byte {error.start + len(bom)} is not valid {name}",
                    file=path,
                    fix="export the file again, or save it as UTF-8",
                ) from None
            return DecodedText(normalise_newlines(text.lstrip("\ufeff")), name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return DecodedText(normalise_newlines(data.decode(utf16)), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return DecodedText(normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed_utf8(data)
    if mixed is not None:
        return mixed
    if _looks_like_gbk(data):
        return DecodedText(normalise_newlines(data.decode("gbk")), "gbk")
    try:
        return DecodedText(normalise_newlines(data.decode("cp1252")), "cp1252")
    except UnicodeDecodeError:
        return DecodedText(normalise_newlines(data.decode("latin-1")), "latin-1")


def _utf16_without_bom(data: bytes) -> str:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return ""
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return ""


def _looks_like_gbk(data: bytes) -> bool:
    """Chinese GBK text has its non-ASCII bytes in pairs (and long runs);
    Western cp1252 text has mostly single accented letters between ASCII."""
    runs = _HIGH_RUN.findall(data)
    high = sum(len(run) for run in runs)
    if not high:
        return False
    in_pairs = sum(len(run) for run in runs if len(run) >= 2 and len(run) % 2 == 0)
    if in_pairs < 0.8 * high:
        return False
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _decode_mixed_utf8(data: bytes) -> DecodedText | None:
    """UTF-8 with some lines in a legacy codec (files pasted together): decode each line on its own."""
    lines = data.split(b"\n")
    bad: list[int] = []
    good_multibyte = 0
    decoded: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            if any(byte >= 0x80 for byte in line):
                good_multibyte += 1
        except UnicodeDecodeError:
            bad.append(number)
            text = line.decode("cp1252", errors="strict") if _cp1252_ok(line) else line.decode("latin-1")
        decoded.append(text)
    if not good_multibyte:
        return None  # no line is UTF-8 beyond ASCII: a file in one legacy encoding
    shown = ", ".join(str(n) for n in bad[:10]) + (" ..." if len(bad) > 10 else "")
    warning = (
        f"the file is UTF-8 except {len(bad)} line(s) ({shown}), read as cp1252: "
        "check the accented letters on those lines"
    )
    return DecodedText(normalise_newlines("\n".join(decoded)), "utf-8+cp1252", [warning])


def _cp1252_ok(line: bytes) -> bool:
    try:
        line.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def normalise_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def shorten(value: str, limit: int = 60) -> str:
    """A value cut to fit in a message."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 3] + "..."


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are built.

    Reading builds millions of small lists and dicts and no reference cycles;
    the collector would otherwise walk every object built so far again and
    again (it doubles the time of a large import).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def first_value(raw: Raw, *keys: str) -> str:
    """The first non-blank value among the keys (tags, columns, paths), in order; "" if none."""
    for key in keys:
        for value in raw.get(key, ()):
            if value.strip():
                return value
    return ""


def all_values(raw: Raw, *keys: str) -> list[str]:
    """Every value of the keys, in order."""
    return [value for key in keys for value in raw.get(key, ())]


def outside_lines_warning(outside: list[tuple[int, str]]) -> str:
    """The warning for lines found outside any record (kept out of the records, never silently)."""
    number, value = outside[0]
    return f"{len(outside)} line(s) outside the records were not read (line {number}: '{shorten(value)}')"
