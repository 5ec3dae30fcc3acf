"""BibTeX, read by a small scanner of its own.

bibtexparser 2 is sound on clean files but, on real exports, it moves whole
entries to ``failed_blocks`` (a field written twice, as Scopus does with
``funding_details``; two entries with the same key; an entry without a key,
as ProQuest writes) and turns an entry with unbalanced braces into a comment
(EBSCO's scraped keywords). It is also the slowest step of an import. This
scanner keeps what bibtexparser keeps, in the same form (field names in
lower case, the enclosing braces or quotes removed, everything inside kept as
written), and also:

- keeps every value of a field written twice;
- reads an entry whose braces do not balance line by line (``name = {value},``
  on each line, as every database writes them), with a warning naming it;
- raises a :class:`ReviewError` naming the line when an entry cannot be read
  at all, so no entry is ever lost in silence.

``@string`` macros are resolved in the normalised fields (``raw`` keeps the
value as written); ``@comment`` and ``@preamble`` are not records.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ReviewError
from ..records import LIST_SEPARATOR
from .base import ParsedRecord, Raw, shorten
from .normalise import (
    clean_text,
    first_doi,
    join_list,
    normalise_author,
    normalise_isbn,
    normalise_issn,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
)

#: An entry starts with ``@type{`` or ``@type(``.
_AT_ENTRY = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
#: Entries starting at the beginning of a line: the text is cut into chunks there, so that one
#: entry's unbalanced braces can never swallow the entries after it.
_LINE_START_ENTRY = re.compile(r"^[ \t]*@\s*[A-Za-z][\w-]*\s*[{(]", re.MULTILINE)
_NOT_RECORDS = {"comment", "preamble", "string"}
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_FIELD_NAME = re.compile(r"\s*([^\s=,{}()\"#]+(?:[^\S\n]+[^\s=,{}()\"#]+)*)\s*=\s*")
_BARE = re.compile(r"[^\s,#{}()\"]+")
_SPACE = re.compile(r"\s*")


def looks_like_bibtex(text: str) -> bool:
    return _LINE_START_ENTRY.search(text) is not None


class _Unbalanced(Exception):
    """An entry whose braces or quotes do not close: read it line by line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Entry:
    __slots__ = ("entry_type", "key", "fields", "line")

    def __init__(self, entry_type: str, key: str, line: int) -> None:
        self.entry_type = entry_type
        self.key = key
        self.line = line
        self.fields: list[tuple[str, str, str]] = []  # (name, raw value, resolved value)


def parse_bibtex(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    warnings = warnings if warnings is not None else []
    macros: dict[str, str] = {}
    entries: list[_Entry] = []
    starts = [m.start() for m in _LINE_START_ENTRY.finditer(text)]
    if not starts or text[: starts[0]].strip():
        starts.insert(0, 0)
    line = 1
    previous = 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        line += text.count("\n", previous, start)
        previous = start
        _scan_chunk(text, start, end, line, path, macros, entries, warnings)
    warnings.extend(repeated_key_warnings(entries))
    records = []
    for entry in entries:
        warnings.extend(repeated_field_warnings(entry))
        raw: Raw = {"ENTRYTYPE": [entry.entry_type.lower()], "ID": [entry.key]}
        resolved: dict[str, list[str]] = {}
        for name, value, value_resolved in entry.fields:
            raw.setdefault(name, []).append(value)
            resolved.setdefault(name, []).append(value_resolved)
        records.append(ParsedRecord(bibtex_fields(resolved, entry.entry_type.lower()), raw, entry.line))
    return records


#: Fields read into one common field from their first filled value (the others use every value).
_FIRST_VALUE_FIELDS = {
    "title": "title", "author": "authors", "editor": "authors", "year": "year", "date": "year", "journal": "journal",
    "journaltitle": "journal", "booktitle": "journal", "volume": "volume", "number": "issue", "issue": "issue",
    "pages": "pages", "abstract": "abstract", "language": "language", "langid": "language", "document_type": "type",
    "type": "type", "url": "url", "link": "url", "publisher": "publisher",
}


def repeated_key_warnings(entries: list[_Entry]) -> list[str]:
    """A warning for each key used by more than one entry (each entry stays a record of its own)."""
    lines: dict[str, list[int]] = {}
    for entry in entries:
        if entry.key:
            lines.setdefault(entry.key, []).append(entry.line)
    return [
        f"the key '{key}' is used by {len(at)} entries (lines {', '.join(map(str, at))}): each is kept as a record of its own"
        for key, at in lines.items()
        if len(at) > 1
    ]


def repeated_field_warnings(entry: _Entry) -> list[str]:
    """A warning for each field written more than once in one entry, saying which value is used where."""
    values: dict[str, list[str]] = {}
    for name, value, _ in entry.fields:
        values.setdefault(name, []).append(value)
    warnings = []
    for name, written in values.items():
        if len(written) < 2:
            continue
        where = f"the entry '{entry.key}'" if entry.key else "an entry without a key"
        common = _FIRST_VALUE_FIELDS.get(name)
        if common:
            kept = next((v for v in written if v.strip()), "")
            use = f"the first filled one ('{shorten(kept, 40)}') is read as the {common}, and every value is kept in raw"
        else:
            use = "every value is kept in raw"
        warnings.append(f"{where} (line {entry.line}) has the field '{name}' {len(written)} times: {use}")
    return warnings


def count_bibtex_entries(text: str) -> int:
    """Entries by an independent count: the lines starting an ``@type{`` that is not @comment, @preamble or @string."""
    return sum(1 for match in _LINE_START_ENTRY_TYPE.finditer(text) if match.group(1).lower() not in _NOT_RECORDS)


_LINE_START_ENTRY_TYPE = re.compile(r"^[ \t]*@\s*([A-Za-z][\w-]*)\s*[{(]", re.MULTILINE)


def _scan_chunk(
    text: str,
    start: int,
    end: int,
    line: int,
    path: Path,
    macros: dict[str, str],
    entries: list[_Entry],
    warnings: list[str],
) -> None:
    """Read the entries in text[start:end] (one entry, or more written on the same line)."""
    position = start
    while position < end:
        match = _AT_ENTRY.search(text, position, end)
        if not match:
            return
        entry_line = line + text.count("\n", start, match.start())
        kind = match.group(1).lower()
        closing = "}" if match.group(2) == "{" else ")"
        body = match.end()
        if kind in ("comment", "preamble"):
            stop = _balanced_end(text, body, end, closing)
            position = stop if stop is not None else end
            continue
        try:
            if kind == "string":
                position = _read_string(text, body, end, closing, macros)
                continue
            entry, position = _read_entry(text, kind, body, end, closing, macros, entry_line)
        except _Unbalanced as problem:
            entry = _read_entry_by_lines(text, kind, body, end, macros, entry_line, path, end == len(text))
            warnings.append(
                f"the entry '{entry.key}' (line {entry_line}) does not close properly ({problem.message}); "
                f"it was read line by line: check its fields {', '.join(n for n, _, _ in entry.fields)}"
            )
            position = end
        entries.append(entry)


def _balanced_end(text: str, position: int, end: int, closing: str) -> int | None:
    """The position after the delimiter closing a block opened just before ``position``."""
    if closing == ")":
        depth = 0
        for index in range(position, end):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == ")" and depth <= 0:
                return index + 1
        return None
    depth = 1
    for match in _BRACE.finditer(text, position, end):
        if match.start() > 0 and text[match.start() - 1] == "\\":
            continue
        depth += 1 if match.group() == "{" else -1
        if depth == 0:
            return match.end()
    return None


def _read_value(text: str, position: int, end: int, macros: dict[str, str]) -> tuple[str, str, int]:
    """One field value (pieces joined by ``#``): (as written, resolved, position after it)."""
    pieces_raw: list[str] = []
    pieces_resolved: list[str] = []
    first = position
    while True:
        position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
        if position >= end:
            raise _Unbalanced("the file ends inside a value")
        char = text[position]
        if char == "{":
            stop = _balanced_end(text, position + 1, end, "}")
            if stop is None:
                raise _Unbalanced("a '{' is never closed")
            piece = text[position + 1 : stop - 1]
            pieces_raw.append(piece)
            pieces_resolved.append(piece)
            position = stop
        elif char == '"':
            stop = _quoted_end(text, position + 1, end)
            piece = text[position + 1 : stop - 1]
            pieces_raw.append(piece)
            pieces_resolved.append(piece)
            position = stop
        else:
            match = _BARE.match(text, position, end)
            if not match:
                raise _Unbalanced(f"unexpected '{char}' where a value should start")
            token = match.group()
            pieces_raw.append(token)
            pieces_resolved.append(macros.get(token.lower(), token))
            position = match.end()
        after = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
        if after < end and text[after] == "#":
            position = after + 1
            continue
        break
    if len(pieces_raw) == 1:
        return pieces_raw[0].strip(), pieces_resolved[0], position
    return text[first:position].strip(), "".join(pieces_resolved), position


def _quoted_end(text: str, position: int, end: int) -> int:
    depth = 0
    for match in _QUOTE_OR_BRACE.finditer(text, position, end):
        if match.start() > 0 and text[match.start() - 1] == "\\":
            continue
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise _Unbalanced("a '}' closes nothing inside a quoted value")
        elif depth == 0:
            return match.end()
    raise _Unbalanced('a \'"\' is never closed')


def _read_string(text: str, position: int, end: int, closing: str, macros: dict[str, str]) -> int:
    match = _FIELD_NAME.match(text, position, end)
    if not match:
        stop = _balanced_end(text, position, end, closing)
        return stop if stop is not None else end
    _, resolved, position = _read_value(text, match.end(), end, macros)
    macros[match.group(1).lower()] = resolved
    position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
    if position < end and text[position] == closing:
        return position + 1
    raise _Unbalanced("an @string does not close")


def _read_entry(
    text: str, kind: str, position: int, end: int, closing: str, macros: dict[str, str], line: int
) -> tuple[_Entry, int]:
    # the key: up to the first comma (none when the entry starts with a field, as ProQuest writes)
    comma = text.find(",", position, end)
    close = text.find(closing, position, end)
    if close != -1 and (comma == -1 or close < comma):
        key_end = close
    else:
        key_end = comma
    if key_end == -1:
        raise _Unbalanced("the entry has no ',' after its key and never closes")
    key_text = text[position:key_end]
    if "=" in key_text:
        key = ""
    else:
        key = key_text.strip()
        position = key_end + (1 if key_end == comma else 0)
    entry = _Entry(kind, key, line)
    while True:
        position = _skip_separators(text, position, end)
        if position >= end:
            raise _Unbalanced(f"the entry never closes with '{closing}'")
        if text[position] == closing:
            return entry, position + 1
        match = _FIELD_NAME.match(text, position, end)
        if not match:
            raise _Unbalanced(f"unexpected text '{shorten(text[position:position + 30], 30)}' where a field should start")
        value, resolved, position = _read_value(text, match.end(), end, macros)
        entry.fields.append((match.group(1).lower(), value, resolved))
        position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
        if position < end and text[position] not in "," + closing:
            raise _Unbalanced(f"unexpected '{text[position]}' after the value of '{match.group(1)}'")


def _skip_separators(text: str, position: int, end: int) -> int:
    while position < end and (text[position].isspace() or text[position] == ","):
        position += 1
    return position


_LINE_FIELD = re.compile(r"^\s*([A-Za-z][\w\-:.+]*(?:[^\S\n]+[\w\-:.+]+)*)\s*=\s*(.*)$")
_LINE_CLOSE = re.compile(r"^\s*[})]\s*$")


def _read_entry_by_lines(
    text: str, kind: str, position: int, end: int, macros: dict[str, str], line: int, path: Path, last: bool
) -> _Entry:
    """Recover an entry whose braces do not balance: one ``name = value`` per line, up to a line
    holding only the closing brace. The last entry of the file without that line is a truncated file."""
    lines = text[position:end].split("\n")
    first = lines[0]
    key = "" if "=" in first else first.split(",", 1)[0].strip()
    if key or not first.strip():
        lines = lines[1:]
    entry = _Entry(kind, key, line)
    current: list[str] | None = None
    name = ""

    def finish() -> None:
        if current is None:
            return
        value = "\n".join(current).strip()
        value = value[:-1].rstrip() if value.endswith(",") else value
        if len(value) >= 2 and value[0] + value[-1] in ("{}", '""'):
            value = value[1:-1]
        value = value.strip()
        entry.fields.append((name, value, macros.get(value.lower(), value)))

    closed = False
    for row in lines:
        match = _LINE_FIELD.match(row)
        if match:
            finish()
            name, current = match.group(1).lower(), [match.group(2)]
        elif _LINE_CLOSE.match(row):
            finish()
            current = None
            closed = True
            break
        elif current is not None:
            current.append(row)
    if not closed and last:
        raise ReviewError(
            f"the last BibTeX entry ('{key}') never closes: the file looks truncated",
            file=path,
            line=line,
            fix="download the export again",
        )
    finish()
    if not entry.fields:
        raise ReviewError(
            f"the BibTeX entry '{key}' cannot be read: its braces do not balance and no 'name = value' line was found",
            file=path,
            line=line,
            fix="check the entry's braces, or export the records again",
        )
    return entry


# ----------------------------------------------------------------------------------------------
# LaTeX to text

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331",
}
_SYMBOL_ACCENT = re.compile(r"\\(['`^\"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
}
_LETTER_COMMAND = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*")


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3)
    if letter in ("\\i", "\\j"):
        letter = letter[1]
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def strip_latex(value: str) -> str:
    """LaTeX markup to plain text: accents (``{\\"o}`` -> ö), escaped characters, commands, braces."""
    if not value:
        return ""
    if "\\" in value:
        value = _SYMBOL_ACCENT.sub(_accent, value)
        value = _LETTER_ACCENT.sub(_accent, value)
        value = _LETTER_COMMAND.sub(lambda m: _LETTERS[m.group(1)], value)
        value = re.sub(r"\\([&%$#_{}])", r"\1", value)
        value = re.sub(r"\\[a-zA-Z]+\s*", "", value)
        value = value.replace("\\", "")
    if "$" in value:
        value = re.sub(r"(?<!\\)\$", "", value)
    return clean_text(value.replace("{", "").replace("}", "").replace("~", " "))


def _split_names(value: str) -> list[tuple[str, bool]]:
    """Authors joined by ``and`` at brace depth 0; a name in braces is an organisation."""
    names: list[tuple[str, bool]] = []
    depth = 0
    current: list[str] = []
    for token in re.split(r"(\s+and\s+|[{}])", value, flags=re.IGNORECASE):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token and re.fullmatch(r"\s+and\s+", token, re.IGNORECASE):
            names.append(_one_name("".join(current)))
            current = []
            continue
        current.append(token)
    names.append(_one_name("".join(current)))
    return [n for n in names if n[0]]


def _one_name(name: str) -> tuple[str, bool]:
    name = name.strip()
    corporate = name.startswith("{") and name.endswith("}") and _balanced_end(name, 1, len(name), "}") == len(name)
    return strip_latex(name), corporate


def _get(fields: dict[str, list[str]], *names: str) -> str:
    for name in names:
        for value in fields.get(name, ()):
            if value.strip():
                return value
    return ""


def bibtex_fields(fields: dict[str, list[str]], entry_type: str = "") -> dict[str, str]:
    """The common fields of one entry (field names in lower case, values resolved)."""
    names = _split_names(_get(fields, "author")) or _split_names(_get(fields, "editor"))
    keywords = [k for value in fields.get("keywords", []) + fields.get("author_keywords", []) for k in re.split(r"[;,]", value)]
    doi_fields = [strip_latex(v) for v in fields.get("doi", [])]
    urls = [strip_latex(v) for v in fields.get("url", []) + fields.get("link", [])]
    notes = [strip_latex(v) for v in fields.get("note", []) + fields.get("annote", [])]
    return {
        "title": strip_latex(_get(fields, "title")),
        "authors": LIST_SEPARATOR.join(
            author for author in (normalise_author(name, corporate=corporate) for name, corporate in names) if author
        ),
        "year": normalise_year(_get(fields, "year"), _get(fields, "date")),
        "journal": strip_latex(_get(fields, "journal", "journaltitle", "booktitle")),
        "volume": strip_latex(_get(fields, "volume")),
        "issue": strip_latex(_get(fields, "number", "issue")),
        "pages": normalise_pages(strip_latex(_get(fields, "pages")).replace("--", "-")),
        "doi": first_doi(doi_fields, urls, notes),
        "abstract": strip_latex(_get(fields, "abstract")),
        "keywords": join_list(strip_latex(k) for k in keywords),
        "language": normalise_language(strip_latex(_get(fields, "language", "langid"))),
        "type": normalise_type(_get(fields, "document_type", "type") or entry_type),
        "url": strip_latex(_get(fields, "url", "link")),
        "issn": normalise_issn(*fields.get("issn", []), *fields.get("eissn", [])),
        "isbn": normalise_isbn(*fields.get("isbn", [])),
        "publisher": strip_latex(_get(fields, "publisher")),
    }

