"""What every reader returns, and the shared text handling (encodings, lines)."""

from __future__ import annotations

import codecs
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
    line: int = 0  # 1-based line where the record starts (0 where lines mean nothing)

    def __post_init__(self) -> None:
        for name in BIBLIO_FIELDS:
            self.fields.setdefault(name, "")


@dataclass
class ParsedExport:
    path: Path
    format: str
    encoding: str
    records: list[ParsedRecord]
    warnings: list[str] = field(default_factory=list)


@dataclass
class DecodedText:
    text: str  # line endings normalised to "\n", BOM removed
    encoding: str


ENCODINGS = ("utf-8", "cp1252", "gbk", "latin-1")


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    """Decode an export: BOMs first, then UTF-8, then the common legacy codecs.

    Line endings (CRLF, bare CR, mixed) become "\\n".
    """
    if not data.strip():
        raise ReviewError(
            "the file is empty",
            file=path,
            fix="export the search results again; an empty export has no records to import",
        )
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReviewError(
            "this is a binary file, not a search export",
            file=path,
            fix="export the results as RIS, BibTeX, MEDLINE, Web of Science text, CSV/TSV, XLSX or EndNote XML",
        )
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding)
            return DecodedText(normalise_newlines(text.lstrip("\ufeff")), encoding)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return DecodedText(normalise_newlines(text), encoding)
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
