"""Normalisers shared by every reader: text, DOI, year, pages, authors, ISSN/ISBN,
language and document type.

Each takes what a database wrote and returns the common form (``""`` when
there is nothing usable); none of them ever raises on odd input.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from ..records import LIST_SEPARATOR

# ----------------------------------------------------------------------------------------------
# text


def clean_text(value: str) -> str:
    """Collapse white space, decode HTML entities, compose accents (NFC); keep the words as written."""
    if not value:
        return ""
    if "&" in value:
        value = html.unescape(value)
    if value.isascii():
        if (
            "  " not in value
            and "\n" not in value
            and "\t" not in value
            and "\r" not in value
            and "\x0b" not in value
            and "\x0c" not in value
            and value[0] != " "
            and value[-1] != " "
        ):
            return value  # already clean (most values): no need to split it into words
    elif not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def join_list(values: Iterable[str]) -> str:
    """Items cleaned, empty and repeated ones left out, joined with "; "."""
    seen: list[str] = []
    for value in values:
        item = clean_text(value).strip(" ;,")
        if item and item not in seen:
            seen.append(item)
    return LIST_SEPARATOR.join(seen)


def split_values(values: Iterable[str], separators: str = "\n;") -> list[str]:
    """Values that pack several items (keywords on continuation lines, "a; b") split into items."""
    pattern = _splitter(separators)
    items: list[str] = []
    for value in values:
        if pattern.search(value):
            items.extend(part for part in pattern.split(value) if part.strip())
        elif value.strip():
            items.append(value)
    return items


@functools.lru_cache(maxsize=64)
def _splitter(separators: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(separators) + "]")


# ----------------------------------------------------------------------------------------------
# DOI

# A DOI in text: "10.", a registrant code, "/", then anything up to white space or a
# character that does not occur in real DOIs written in running text or URLs.
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"<>&|]+", re.IGNORECASE)
# A DOI in a field that holds only a DOI: everything after the prefix (SICI DOIs hold <, >, ;).
_DOI_WHOLE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_DOI_PREFIX = re.compile(
    r"^\s*(?:(?:https?://)?(?:(?:dx\.)?doi\.org|doi-org\.[^/\s]+|doi\.[a-z]+\.[^/\s]+)/|doi\s*[:=]?\s*|\[?doi\]?\s*)",
    re.IGNORECASE,
)
# "doi: 10...", "DOI 10...", "doi.org/10..." inside free text (notes, sources, citations)
_LABELLED_DOI = re.compile(r"(?:\bdoi\s*[:=]?\s*|doi\.org/)(10\.\d{4,9}/[^\s\"<>&|]+)", re.IGNORECASE)
_TRAILING = ".,;:'\""


def _tidy_doi(doi: str) -> str:
    doi = doi.strip()
    while doi and doi[-1] in _TRAILING + ")]}":
        closing = doi[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and doi.count(opening) >= doi.count(closing):
            break  # a balanced bracket is part of the DOI: 10.1016/S0140-6736(20)30183-5
        doi = doi[:-1]
    return doi.lower()


def normalise_doi(value: str) -> str:
    """A bare, lower-case DOI from a field that holds one DOI (DO, DI, a DOI column).

    Accepts ``https://doi.org/...``, ``http://dx.doi.org/...``, ``doi:...``,
    URL-encoded DOIs and a trailing ``[doi]`` marker. "" if there is none.
    """
    if not value or "10." not in value:
        return ""
    value = value.strip()
    if "%" in value:
        value = unquote(value)
    if not value.startswith("10."):
        value = _DOI_PREFIX.sub("", value)
    if "[" in value:
        value = re.sub(r"\s*\[doi\]\s*$", "", value, flags=re.IGNORECASE)
    match = _DOI_WHOLE.match(value.strip()) or _DOI_IN_TEXT.search(value)
    return _tidy_doi(match.group(0)) if match else ""


def doi_in_url(value: str) -> str:
    """A DOI inside a URL (``https://doi.org/10...``, ``.../doi/10...``, ``?doi=10...``), or ""."""
    if not value or "10." not in value:
        return ""
    if "%" in value:
        value = unquote(value)
    for url in value.split():
        match = re.search(r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/|epdf/)?|[?&;]doi=|doi:)(10\.\d{4,9}/[^\s\"<>&|?#]+)", url, re.IGNORECASE)
        if match:
            return _tidy_doi(match.group(1))
    return ""


def doi_in_text(value: str) -> str:
    """A DOI that free text labels as one ("doi: 10...", "doi.org/10..."), or ""."""
    if not value or "10." not in value:
        return ""
    match = _LABELLED_DOI.search(unquote(value) if "%" in value else value)
    return _tidy_doi(match.group(1)) if match else ""


def first_doi(identifier_fields: Iterable[str] = (), urls: Iterable[str] = (), texts: Iterable[str] = ()) -> str:
    """The DOI of a record: from DOI fields first, then URLs, then labelled DOIs in notes."""
    for value in identifier_fields:
        doi = normalise_doi(value)
        if doi:
            return doi
    for value in urls:
        doi = doi_in_url(value)
        if doi:
            return doi
    for value in texts:
        doi = doi_in_text(value)
        if doi:
            return doi
    return ""


# ----------------------------------------------------------------------------------------------
# year

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def normalise_year(*values: str) -> str:
    """The first plausible four-digit year in PY, Y1, DA or a date string ("2016/09//", "MAR 1 2019")."""
    for value in values:
        if value:
            match = _YEAR.search(value)
            if match:
                return match.group(1)
    return ""


# ----------------------------------------------------------------------------------------------
# pages

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_PAGE_RANGE = re.compile(rf"^([A-Za-z]*)(\d+)\s*[{_DASHES}]+\s*([A-Za-z]*)(\d+)$")
_PAGE_LABEL = re.compile(r"^(?:pp?\.?|pages?|pgs?\.?)\s*", re.IGNORECASE)


def normalise_pages(value: str) -> str:
    """``482-91`` -> ``482-491``; ``46--65`` -> ``46-65``; ``pp. 1 - 10`` -> ``1-10``;
    ``e123``, single pages and other forms kept as written."""
    value = clean_text(value)
    if not value:
        return ""
    value = _PAGE_LABEL.sub("", value).strip()
    match = _PAGE_RANGE.match(value)
    if not match:
        return value
    prefix_start, start, prefix_end, end = match.groups()
    if len(end) < len(start) and not prefix_end:
        expanded = start[: len(start) - len(end)] + end
        if int(expanded) < int(start):  # 98-3 -> 98-103
            step = 10 ** len(end)
            while int(expanded) < int(start):
                expanded = str(int(expanded) + step)
        end = expanded
    if prefix_start and not prefix_end:
        prefix_end = prefix_start
    return f"{prefix_start}{start}-{prefix_end}{end}"


def join_pages(start: str, end: str) -> str:
    """Pages from a start page and an end page (either may be empty, or hold the whole range)."""
    if start.isdigit() and end.isdigit() and len(end) >= len(start) and start != end:
        return f"{int(start)}-{int(end)}" if start[0] != "0" and end[0] != "0" else f"{start}-{end}"  # the common case
    start, end = clean_text(start), clean_text(end)
    if start and end and start != end:
        return normalise_pages(f"{start}-{end}")
    return normalise_pages(start or end)


# ----------------------------------------------------------------------------------------------
# authors

_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "das", "dos", "du", "le", "la", "ter", "ten", "st.", "bin", "al", "el"}
_CORPORATE = re.compile(
    r"\b(?:group|organi[sz]ation|collaborat\w*|committee|association|institute|society|council|department|"
    r"ministry|university|team|consortium|investigators|network|agency|office|board|trust|foundation|"
    r"centre|center|commission|services|alliance|programme|authority|federation|panel|"
    r"project|inc|ltd|llc|gmbh|nhs)\b",
    re.IGNORECASE,
)
_EMAIL_OR_ID = re.compile(r"\s*\((?:[^()]*@[^()]*|\d{5,})\)\s*")


@functools.lru_cache(maxsize=4096)
def format_given(given: str) -> str:
    """Initials in one form (``JA``, ``J.A.``, ``J. A.`` -> ``J. A.``); full given names kept."""
    given = given.strip()
    compact = given.replace(" ", "").replace("-", "")
    if re.fullmatch(r"[A-Z]{1,3}|(?:[A-Z]\.){1,4}", compact):
        return " ".join(f"{letter}." for letter in compact.replace(".", ""))
    return given


@functools.lru_cache(maxsize=65536)
def normalise_author(name: str, *, corporate: bool = False) -> str:
    """One author as "Surname, Given".

    Accepts "Surname, Given", "Surname,Given", "Given Surname", "Surname AB"
    (PubMed, Vancouver) and "Surname A.B." (Embase, Ovid); drops e-mail
    addresses and database author ids in brackets. Names of organisations
    are kept as written.
    """
    name = clean_text(_EMAIL_OR_ID.sub(" ", name) if "(" in name else name).strip(" ;,")
    if not name:
        return ""
    if corporate:
        return name
    if "," in name:
        surname, _, given = name.partition(",")
        surname, given = surname.strip(), given.strip()
        if not given:
            return surname
        return f"{surname}, {format_given(given)}"
    parts = name.split()
    if len(parts) == 1 or len(parts) > 5 or "&" in name or _CORPORATE.search(name):
        return name
    # "Smith JA" / "Smith J.A." / "van der Berg J": surname first, initials last
    if _INITIALS.match(parts[-1]) and (parts[-1].isupper() or "." in parts[-1]) and len(parts[-1].replace(".", "").replace("-", "")) <= 3:
        if not _INITIALS.match(parts[0]) or len(parts) == 2:
            return f"{' '.join(parts[:-1])}, {format_given(parts[-1])}"
    # "Given Middle Surname" (with particles: "Ludwig van Beethoven" -> "van Beethoven, Ludwig")
    surname_start = len(parts) - 1
    while surname_start > 1 and parts[surname_start - 1].lower() in _PARTICLES:
        surname_start -= 1
    return f"{' '.join(parts[surname_start:])}, {format_given(' '.join(parts[:surname_start]))}"


def join_authors(names: Iterable[str], *, corporate: bool = False) -> str:
    """Authors normalised and joined with "; " (order kept, empty names left out)."""
    return LIST_SEPARATOR.join(a for a in (normalise_author(n, corporate=corporate) for n in names) if a)


_SURNAME_INITIALS = re.compile(r"^\S+(?:\s\S+)*\s+(?:[A-Z]\.?-?){1,4}$")
_INITIALS_SURNAME = re.compile(r"^(?:[A-Z]\.\s*|[A-Z]\s+){1,3}\S+(?:\s\S+)?$")


def _split_commas(text: str) -> list[str]:
    pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
    if len(pieces) <= 1:
        return pieces
    if all(_SURNAME_INITIALS.match(p) or _INITIALS_SURNAME.match(p) for p in pieces):
        return pieces  # "Liu R., Adler D.G." or "J Smith, K Jones"
    if len(pieces) % 2 == 0 and all(len(pieces[i].split()) <= 3 for i in range(0, len(pieces), 2)):
        return [f"{pieces[i]}, {pieces[i + 1]}" for i in range(0, len(pieces), 2)]  # "Smith, J, Jones, K"
    if all(len(p.split()) >= 2 for p in pieces):
        return pieces  # "John Smith, Kate Jones, Bob Lee"
    return [text]


def split_author_list(text: str) -> list[str]:
    """Authors packed in one cell: "A; B", "A | B", "A and B", "Liu R., Adler D.G.", "Smith, J, Jones, K"."""
    text = text.strip()
    if not text:
        return []
    for separator in (";", "|"):
        if separator in text:
            return [part.strip() for part in text.split(separator) if part.strip()]
    if _CORPORATE.search(text) and "," not in text:
        return [text]  # "Centre for Excellence and Outcomes in Children and Young People's Services"
    parts = [p for p in re.split(r"\s*,?\s+and\s+|\s*&\s*", text) if p.strip()]
    if len(parts) > 1 and all("," in p or len(p.split()) <= 3 for p in parts):
        return [name for part in parts for name in (_split_commas(part) if part.count(",") > 1 or (
            "," in part and all(len(x.split()) >= 2 for x in part.split(","))) else [part])]
    return _split_commas(text) if "," in text else [text]


# ----------------------------------------------------------------------------------------------
# ISSN / ISBN

_NUMBER_RUN = re.compile(r"\d[\d-]*[\dXx]")
_PLAIN_ISSN = re.compile(r"\d{4}-\d{3}[\dXx]$")


def _identifiers(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """ISSNs (8 characters) and ISBNs (10 or 13) among runs of digits and hyphens."""
    issns: list[str] = []
    isbns: list[str] = []
    for value in values:
        if not value:
            continue
        if len(value) == 9 and _PLAIN_ISSN.match(value):
            issn = value.upper()
            if issn not in issns:
                issns.append(issn)
            continue
        for run in _NUMBER_RUN.findall(value):
            digits = run.replace("-", "").upper()
            if "X" in digits[:-1]:
                continue
            if len(digits) == 8:
                issn = f"{digits[:4]}-{digits[4:]}"
                if issn not in issns:
                    issns.append(issn)
            elif len(digits) in (10, 13) and digits not in isbns:
                isbns.append(digits)
    return issns, isbns


def normalise_issn(*values: str) -> str:
    """ISSNs as ``1234-567X``, joined with "; " ("20964129 (ISSN)", "ISSN-1234-4567", "0167-8809 (Print)")."""
    return LIST_SEPARATOR.join(_identifiers(values)[0])


def normalise_isbn(*values: str) -> str:
    """ISBN-10 and ISBN-13 as bare digits (``X`` upper-case), joined with "; "."""
    return LIST_SEPARATOR.join(_identifiers(values)[1])


def split_issn_isbn(*values: str) -> tuple[str, str]:
    """A field that holds ISSNs or ISBNs (RIS SN, EndNote isbn, refer %@): told apart by their length."""
    issns, isbns = _identifiers(values)
    return LIST_SEPARATOR.join(issns), LIST_SEPARATOR.join(isbns)


# ----------------------------------------------------------------------------------------------
# language

_LANGUAGES: dict[str, str] = {}
for _name, _codes in {
    "English": "en eng",
    "French": "fr fre fra",
    "German": "de ger deu",
    "Spanish": "es spa",
    "Italian": "it ita",
    "Portuguese": "pt por",
    "Dutch": "nl dut nld",
    "Chinese": "zh chi zho",
    "Japanese": "ja jpn",
    "Korean": "ko kor",
    "Russian": "ru rus",
    "Polish": "pl pol",
    "Swedish": "sv swe",
    "Norwegian": "no nor nob nno",
    "Danish": "da dan",
    "Finnish": "fi fin",
    "Turkish": "tr tur",
    "Arabic": "ar ara",
    "Hebrew": "he heb",
    "Greek": "el gre ell",
    "Czech": "cs cze ces",
    "Hungarian": "hu hun",
    "Persian": "fa per fas",
    "Croatian": "hr hrv",
    "Serbian": "sr srp",
    "Slovak": "sk slo slk",
    "Slovenian": "sl slv",
    "Romanian": "ro rum ron",
    "Bulgarian": "bg bul",
    "Ukrainian": "uk ukr",
    "Lithuanian": "lt lit",
    "Afrikaans": "af afr",
    "Catalan": "ca cat",
    "Welsh": "cy wel cym",
    "Irish": "ga gle",
    "Gaelic": "gd gla",
    "Icelandic": "is ice isl",
    "Indonesian": "id ind",
    "Malay": "ms may msa",
    "Thai": "th tha",
    "Vietnamese": "vi vie",
    "Hindi": "hi hin",
    "Estonian": "et est",
    "Latvian": "lv lav",
    "Latin": "la lat",
}.items():
    for _code in _codes.split():
        _LANGUAGES[_code] = _name
    _LANGUAGES[_name.lower()] = _name


@functools.lru_cache(maxsize=1024)
def normalise_language(*values: str) -> str:
    """Languages as English names ("eng", "en", "ENGLISH" -> "English"), joined with "; "."""
    found: list[str] = []
    for value in values:
        for part in re.split(r"[;,/|\n]|\band\b", value or ""):
            word = clean_text(part).strip(" .")
            if not word:
                continue
            name = _LANGUAGES.get(word.lower()) or _LANGUAGES.get(word.lower().split(" ")[0], "")
            name = name or (word[:1].upper() + word[1:].lower() if word.isupper() or word.islower() else word)
            if name not in found:
                found.append(name)
    return LIST_SEPARATOR.join(found)


# ----------------------------------------------------------------------------------------------
# document type

#: Exact codes: RIS ``TY``, BibTeX entry types, WoS ``PT`` letters, EndNote and refer names.
_TYPE_CODES: dict[str, str] = {
    # RIS
    "jour": "article", "jfull": "article", "ejour": "article", "mgzn": "article", "news": "article",
    "abst": "article", "inpr": "article", "book": "book", "ebook": "book", "edbook": "book",
    "chap": "chapter", "echap": "chapter", "conf": "conference", "cpaper": "conference",
    "thes": "thesis", "rprt": "report", "gov": "report", "govdoc": "report", "stand": "report",
    "data": "dataset", "dbase": "dataset", "elec": "web", "blog": "web", "web": "web",
    "unpb": "other", "gen": "other", "pat": "other", "ser": "book", "pamp": "other",
    # BibTeX
    "article": "article", "inproceedings": "conference", "proceedings": "conference", "conference": "conference",
    "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis", "mastersthesis": "thesis",
    "techreport": "report", "report": "report", "misc": "other", "online": "web", "booklet": "book",
    "manual": "report", "unpublished": "other", "dataset": "dataset",
    # Web of Science PT
    "j": "article", "b": "book", "s": "book", "p": "other",
}
#: Words in a longer type description, most specific first.
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("preprint", "preprint"),
    ("conference", "conference"),
    ("proceeding", "conference"),
    ("congress", "conference"),
    ("meeting", "conference"),
    ("symposium", "conference"),
    ("thesis", "thesis"),
    ("theses", "thesis"),
    ("dissertation", "thesis"),
    ("chapter", "chapter"),
    ("section", "chapter"),
    ("book", "book"),
    ("monograph", "book"),
    ("report", "report"),
    ("government", "report"),
    ("guideline", "report"),
    ("dataset", "dataset"),
    ("data paper", "article"),
    ("data set", "dataset"),
    ("web page", "web"),
    ("webpage", "web"),
    ("website", "web"),
    ("blog", "web"),
    ("article", "article"),
    ("journal", "article"),
    ("review", "article"),
    ("letter", "article"),
    ("editorial", "article"),
    ("erratum", "article"),
    ("comment", "article"),
    ("note", "article"),
    ("survey", "article"),
    ("magazine", "article"),
    ("newspaper", "article"),
    ("news", "article"),
)


@functools.lru_cache(maxsize=1024)
def normalise_type(value: str) -> str:
    """A document type in a small common vocabulary: article, book, chapter,
    conference, thesis, report, preprint, dataset, web or other ("" if none given)."""
    value = clean_text(value).lower()
    if not value:
        return ""
    if value in _TYPE_CODES:
        return _TYPE_CODES[value]
    for word, kind in _TYPE_WORDS:
        if word in value:
            return kind
    return "other"


# ----------------------------------------------------------------------------------------------
# citation strings ("Nature. 2021 Dec 21;1(2):10-11.", "Journal (2014) 3:3 (152-160)", "v10 n1 p1-10 2000")

_CITATION_PATTERNS = (
    # PubMed: "Journal. 2021 Dec 21;12(3):482-91. doi: ..."
    re.compile(r"^(?P<journal>[^.]+(?:\.[^.;:\d]+)*)\.\s+(?P<year>\d{4})[^;]*;(?P<volume>[^(:;]*)(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>[^.;\s]+))?"),
    # Embase: "Journal (2014) 3:3 (152-160). Date of Publication: 2014"
    re.compile(r"^(?P<journal>.+?)\s+\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]*)(?::(?P<issue>[^\s(]*))?\s*(?:\((?P<pages>[^)]*)\))?"),
    # ERIC: "v10 n1 p1-10 2000"
    re.compile(r"^v(?P<volume>\d\w*)\s+(?:n(?P<issue>\S+)\s+)?(?:p(?P<pages>\S+)\s+)?(?P<year>\d{4})?\s*$"),
)


def parse_citation(value: str) -> dict[str, str]:
    """Journal, year, volume, issue and pages from a one-line citation; only what is found."""
    value = clean_text(value)
    if not value:
        return {}
    for pattern in _CITATION_PATTERNS:
        match = pattern.match(value)
        if match and any(match.groupdict().values()):
            found = {key: (val or "").strip() for key, val in match.groupdict().items() if val and val.strip()}
            if "pages" in found:
                found["pages"] = normalise_pages(found["pages"])
            return found
    return {}
