"""Normalisers shared by every reader: DOI, year, pages, authors, ISSN/ISBN."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from ..records import LIST_SEPARATOR

_DOI_PATTERN = re.compile(r"10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*", re.IGNORECASE)


def clean_text(value: str) -> str:
    """Collapse white space and decode HTML entities; keep the words as written."""
    value = html.unescape(value)
    value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def normalise_doi(value: str) -> str:
    """A bare, lower-case DOI from a DOI, a doi.org URL or text holding one; "" if none."""
    if not value:
        return ""
    value = unquote(value.strip())
    value = _DOI_PREFIX.sub("", value)
    match = _DOI_PATTERN.search(value)
    if not match:
        return ""
    doi = match.group(0).rstrip(".,;)]}'")
    return doi.lower()


def find_doi(*values: str) -> str:
    """The first DOI found among several candidate values."""
    for value in values:
        doi = normalise_doi(value)
        if doi:
            return doi
    return ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def normalise_year(*values: str) -> str:
    """The first plausible four-digit year in PY, Y1, DA or a date string."""
    for value in values:
        if value:
            match = _YEAR.search(value)
            if match:
                return match.group(1)
    return ""


_PAGE_RANGE = re.compile(r"^\s*([A-Za-z]?)(\d+)\s*[-\u2010-\u2015]+\s*([A-Za-z]?)(\d+)\s*$")


def normalise_pages(value: str) -> str:
    """``482-91`` -> ``482-491``; ``e123`` and single pages kept as they are."""
    value = clean_text(value)
    match = _PAGE_RANGE.match(value)
    if not match:
        return value
    prefix_start, start, prefix_end, end = match.groups()
    if len(end) < len(start) and not prefix_end:
        end = start[: len(start) - len(end)] + end
    if prefix_start and not prefix_end:
        prefix_end = prefix_start
    return f"{prefix_start}{start}-{prefix_end}{end}"


def join_pages(start: str, end: str) -> str:
    start, end = start.strip(), end.strip()
    if start and end and start != end:
        return normalise_pages(f"{start}-{end}")
    return normalise_pages(start or end)


def normalise_author(name: str) -> str:
    """One author as "Surname, Given": accepts "Surname, Given" and "Given Surname"."""
    name = clean_text(name).strip(" ;,")
    if not name:
        return ""
    if "," in name:
        surname, _, given = name.partition(",")
        return f"{surname.strip()}, {given.strip()}".strip().rstrip(",")
    parts = name.split()
    if len(parts) == 1:
        return parts[0]
    # "Smith J" / "Smith JA" (PubMed, Vancouver): surname first, initials last
    if re.fullmatch(r"[A-Z]{1,3}", parts[-1]):
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def join_authors(names: list[str]) -> str:
    return LIST_SEPARATOR.join(a for a in (normalise_author(n) for n in names) if a)


def join_list(values: list[str]) -> str:
    return LIST_SEPARATOR.join(v for v in (clean_text(x) for x in values) if v)


_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")


def normalise_issn(*values: str) -> str:
    found: list[str] = []
    for value in values:
        for a, b in _ISSN.findall(value or ""):
            issn = f"{a}-{b.upper()}"
            if issn not in found:
                found.append(issn)
    return LIST_SEPARATOR.join(found)


def normalise_isbn(*values: str) -> str:
    found: list[str] = []
    for value in values:
        for candidate in re.findall(r"[\dXx][\d\- Xx]{8,16}[\dXx]", value or ""):
            digits = re.sub(r"[^\dXx]", "", candidate).upper()
            if len(digits) in (10, 13) and digits not in found:
                found.append(digits)
    return LIST_SEPARATOR.join(found)


_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("conference", "conference"),
    ("proceeding", "conference"),
    ("inproceedings", "conference"),
    ("conf", "conference"),
    ("thesis", "thesis"),
    ("dissertation", "thesis"),
    ("chapter", "chapter"),
    ("chap", "chapter"),
    ("inbook", "chapter"),
    ("incollection", "chapter"),
    ("book", "book"),
    ("report", "report"),
    ("rprt", "report"),
    ("techreport", "report"),
    ("preprint", "preprint"),
    ("dataset", "dataset"),
    ("data", "dataset"),
    ("web", "web"),
    ("elec", "web"),
    ("online", "web"),
    ("review", "article"),
    ("article", "article"),
    ("jour", "article"),
    ("jfull", "article"),
    ("mgzn", "article"),
    ("news", "article"),
    ("journal", "article"),
    ("erratum", "article"),
    ("letter", "article"),
    ("editorial", "article"),
)


def normalise_type(value: str) -> str:
    """A document type in a small common vocabulary (article, book, chapter,
    conference, thesis, report, preprint, dataset, web, other); "" if unknown."""
    value = clean_text(value).lower()
    if not value:
        return ""
    for word, kind in _TYPE_WORDS:
        if word in value:
            return kind
    return "other"
