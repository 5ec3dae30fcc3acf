"""Comparison forms of the bibliographic fields.

Databases write the same reference differently: capitals, punctuation,
diacritics, HTML and LaTeX mark-up, British and American spelling, Greek
letters spelt out or not, journal names abbreviated, authors as "Smith, John"
or "Smith J" or run together, pages as "221-8". Each function here turns one
field into a form in which those differences vanish, while the differences
that change the meaning (a number, a word, "Erratum:") are kept and can be
told apart by :mod:`reviewflow.dedupe.compare`.

Everything here depends on one record only, so it is computed once per record.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
# Greek letters spelt out, and letters NFKD does not decompose into ASCII
_LETTERS_TABLE = str.maketrans(
    {**GREEK, **{k.upper(): v for k, v in GREEK.items() if k.upper() != k},
     "ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d",
     "Đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h\d|tr|td|table|title|abstract|section)\b[^<>]{0,80}>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,80}>")
_LATEX_ACCENT = re.compile(r"\\[\'\"`^~=.]\s*|\\[uvHcdbtk](?=[\s{])\s*")
_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_LATEX_LETTERS = {"ss": "ss", "ae": "ae", "AE": "ae", "oe": "oe", "OE": "oe", "aa": "a", "AA": "a", "o": "o", "O": "o",
                  "l": "l", "L": "l", "i": "i"}
_LATEX_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![a-zA-Z])")


_LOST_LETTER = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")

#: Punctuation outside ASCII, mapped to its ASCII equivalent before diacritics are dropped (else NFKD
#: with ASCII-ignore deletes it: "0–18" would become "018" and "PM2·5" would no longer be "PM2.5").
_PUNCTUATION_TABLE = str.maketrans(
    {**dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad", "-"),
     **dict.fromkeys("\u00b7\u2027\u2219\u22c5\u30fb\u0387", "."),
     **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4", "'"),
     **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
     **dict.fromkeys("\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\u3000", " "),
     "\u200b": "", "\u2026": "...", "\u00d7": "x", "\u2044": "/", "\u2215": "/", "\u2264": "<=", "\u2265": ">=",
     "\u00b1": "+/-", "\u2192": "->"}
)
#: Characters that mark text decoded with the wrong code page ("â€œ" for a curly quote, "Ã©" for "e acute").
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|\u00e2\u20ac")
#: Dotted abbreviations: "U.S." and "US", "U.K." and "UK" are one word.
_DOTTED_ABBREVIATION = re.compile(r"\b[a-z](?:\.[a-z])+\.?(?![a-z0-9])")


def repair_mojibake(text: str) -> str:
    """Text that was UTF-8 read as Windows-1252 or Latin-1, decoded again (by ftfy, only when it looks garbled)."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # only for the few garbled fields

    return ftfy.fix_encoding(text)


def fold(text: str) -> str:
    """Lower-case ASCII: mojibake repaired, mark-up removed, punctuation mapped to ASCII, Greek letters
    spelt out, diacritics dropped, dotted abbreviations joined (U.S. = US)."""
    if not text:
        return ""
    if not text.isascii():
        text = repair_mojibake(text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))  # inline mark-up joins: K<inf>Ca</inf>3.1 -> KCa3.1
    if "\\" in text:
        text = _LATEX_ACCENT.sub("", text.replace("\\&", "&"))
        text = _LATEX_LETTER.sub(lambda m: _LATEX_LETTERS[m.group(1)], text)
        text = _LATEX_COMMAND.sub(" ", text)
    if "{" in text or "}" in text:
        text = text.replace("{", "").replace("}", "")  # BibTeX braces protect capitals; they separate nothing
    if "?" in text:
        text = _LOST_LETTER.sub("", text)  # "Fran?ais": a letter lost to a wrong encoding
    if not text.isascii():
        text = text.translate(_PUNCTUATION_TABLE).translate(_LETTERS_TABLE)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    if "." in text:
        text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    return text


_NON_WORD = re.compile(r"[^a-z0-9]+")

#: Words that carry no meaning for telling titles apart (but "not", "without",
#: "men", "vivo" and the like do, and are kept).
STOP_WORDS = frozenset(
    "a an the of in on at to for from by with into onto upon via and or as is are was were be been being its it "
    "this that these those their his her our your".split() + ["vs", "versus", "than", "de", "la", "le", "les", "der",
    "die", "das", "und", "el", "los", "las", "del", "des", "du", "et", "en", "y", "e", "di", "da", "do", "dos"]
)

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "first": "1", "second": "2", "third": "3",
    "fourth": "4", "fifth": "5", "sixth": "6", "1st": "1", "2nd": "2", "3rd": "3", "4th": "4", "5th": "5",
    "6th": "6", "7th": "7", "8th": "8", "9th": "9", "10th": "10",
}
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11",
          "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16", "xx": "20"}
_ROMAN_AFTER_WORD = {"i": "1", "v": "5", "x": "10"}
#: Words after which a lone "i", "v" or "x" is a Roman numeral (type I, part V, phase I).
NUMBERED_WORDS = frozenset(
    "part pt section chapter vol volume phase type class stage grade study trial paper series serie book no number "
    "report supplement level".split()
)
#: Words that number the parts of a work: "Part I" and "Part II" are different works.
PART_WORDS = frozenset("part pt section chapter vol volume book paper episode".split())


@lru_cache(maxsize=200_000)
def spelling(token: str) -> str:
    """One word in a spelling shared by British and American English, singular."""
    if token.isdigit() or len(token) < 4:
        return token
    if "ae" in token:
        token = token.replace("ae", "e")  # haemorrhage, paediatric, anaesthesia
    if token.startswith("oe") or "oes" in token or "oed" in token:
        token = token.replace("oe", "e")  # oedema, oesophagus, oestrogen, foetal
    if "ph" in token and token.startswith(("sulph", "sulf")):
        token = token.replace("sulph", "sulf")
    if token.endswith("our") and len(token) > 5:
        token = token[:-3] + "or"  # tumour, behaviour, colour
    elif token.endswith("ours") and len(token) > 6:
        token = token[:-4] + "ors"
    token = re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", token)  # randomised, organisation
    token = re.sub(r"ys(e|ed|es|ing)$", r"yz\1", token)  # analyse, paralysed
    if token.endswith("tre") and len(token) > 5:
        token = token[:-3] + "ter"  # centre, litre
    if token.endswith("ogue") and len(token) > 6:
        token = token[:-2]  # dialogue, catalogue
    if token.endswith("mme") and len(token) > 6:
        token = token[:-2]  # programme
    return singular(token)


def singular(token: str) -> str:
    if len(token) < 4 or not token[-1] == "s" or token.endswith(("ss", "us", "is", "ys")):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


@lru_cache(maxsize=500_000)
def _token(raw: str) -> str:
    if raw[-2:] in ("st", "nd", "rd", "th") and raw[:-2].isdigit():
        return raw[:-2]  # 79th -> 79
    return _NUMBER_WORDS.get(raw) or _ROMAN.get(raw) or spelling(raw)


def words(text: str) -> list[str]:
    """The words of folded text: numbers written as digits, spelling unified."""
    out = [_token(raw) for raw in _NON_WORD.split(text) if raw]
    for position, word in enumerate(out):
        # "type I", "part V": a lone i, v or x after a word that numbers things
        if word in _ROMAN_AFTER_WORD and position and out[position - 1] in NUMBERED_WORDS:
            out[position] = _ROMAN_AFTER_WORD[word]
    return out


# ---------------------------------------------------------------------------------------------
# titles

#: MEDLINE's notes in titles that are not part of the title.
_TITLE_NOTES = re.compile(
    r"\[\s*(?:published erratum|erratum|corrigendum|comment|see |letter|editorial|review|in process|retract|"
    r"update|corrected|republished|expression of concern|news|abstract|author'?s? transl)[^\]]*(?:\]|$)"
    r"|\((?:author'?s? transl(?:ation)?)\)"
    r"|\[\s*\d+\s*(?:refs?|references)\.?\s*\]"  # [45 refs]
    r"|[\[(]\s*(?:article|text|full text|abstract) (?:in|available in) [a-z]+(?: and [a-z]+)?\s*[\])]"  # [Article in German]
    r"|\[\s*(?:in [a-z]+|[a-z]+ abstract|see also|meta-analysis|systematic review|randomized controlled trial)\s*\]",
    re.IGNORECASE,
)
#: A chapter or item number before a title ("21 Health effects of ..." in a book's table of contents).
_LEAD_NUMBER = re.compile(r"^(\d{1,3})\.?\s+(?=[\[(\"'a-z])")
_BRACKETED = re.compile(r"\[([^\]]*)\]")
_SUBTITLE_SEPARATOR = re.compile(r":|\.\s|\?|!|\s[-\u2013\u2014]+\s|\s\(")

#: Titles that mark a record as a note about another work: a correction, a
#: retraction, a comment or a reply are never the work itself.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("erratum", re.compile(r"\b(?:errat(?:um|a)|corrigend(?:um|a))\b|^(?:correction|corrections)\b(?!\s+(?:of|for)\b)"
                           r"|^notice of correction|\bauthor correction\b|^correction to\b")),
    ("retraction", re.compile(r"^(?:retraction|retracted|withdrawn|notice of retraction|expression of concern)\b"
                              r"|\bretraction note\b|\[retracted\]")),
    ("comment", re.compile(r"^(?:comments?|commentary) (?:on|to|about|regarding)\b|^re\s*:|^comment:|\bcomment on\b"
                           r"|^letter (?:to|re|regarding|on)\b|^a comment\b")),
    ("reply", re.compile(r"^(?:reply|response|responses|rebuttal|in reply|authors? reply|the authors? reply)\b"
                         r"|\b(?:reply|response) (?:to|from) (?:the )?(?:comments?|letter|authors?|editor|critique|"
                         r"discussion|commentary|re)\b|\bauthors?'? (?:reply|response)\b")),
)

#: Titles that name a kind of item rather than a work: they are reused across
#: issues and years, so the title alone never identifies the work.
_GENERIC_TITLE = re.compile(
    r"^(?:editorial|editorials|guest editorial|editors?'?s? (?:note|choice|introduction|comment|page|letter)s?|introduction|preface|"
    r"foreword|prologue|epilogue|in this issue|this issue|highlights?|news|announcements?|obituary|in memoriam|"
    r"acknowledge?ments?|reviewers?|thank you to (?:our )?reviewers|contents|table of contents|index|"
    r"(?:annual|quarterly|monthly|progress|activity|final|interim) report|book reviews?|letters?(?: to the editor)?|"
    r"correspondence|abstracts?|poster(?:s| abstracts?)?|proceedings|conference|congress|meeting|symposium|"
    r"case reports?|untitled|no title|not available|\[?no title\]?|welcome|message from|president'?s message|"
    r"opening remarks|summary|executive summary|minitrack)\b"
)
#: Notes about a work ("Erratum", "Reply") are generic only when little else follows.
_NOTE_TITLE = re.compile(
    r"^(?:erratum|errata|corrigendum|correction|retraction|retracted|reply|response|comment|commentary|in reply)\b"
)
_REGISTRY_ID = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-\d\w]{6,20}|DRKS\d{8}|EUCTR\d{4}-\d{6}-\d{2}|"
    r"\d{4}-\d{6}-\d{2}(?=\D*eudract)|CTRI/\d{4}/\d{2,3}/\d{5,6}|IRCT\d{8,}N\d+|PACTR\d{15}|NTR\d{3,5}|"
    r"NL\d{4,5}|KCT\d{7}|JPRN-[A-Za-z]+\d+|UMIN\d{9}|TCTR\d{11}|CRD42\d{6,9}|SLCTR/\d{4}/\d{3})\b",
    re.IGNORECASE,
)
#: Registries: a registry entry is a record of a trial, not a report of its results.
_REGISTRY_SOURCE = re.compile(
    r"clinicaltrials\.gov|isrctn|anzctr|chictr|who ictrp|ictrp|trialregister|eu clinical trials register|"
    r"clinicaltrialsregister|drks|ctri\.nic|umin|jrct|prospero|irct\.ir|pactr", re.IGNORECASE
)
#: Web addresses of trial registries.
REGISTRY_HOSTS = ("clinicaltrials.gov", "isrctn.com", "anzctr.org.au", "chictr.org", "trialsearch.who.int",
                  "clinicaltrialsregister.eu", "drks.de", "ctri.nic.in", "umin.ac.jp", "jrct.niph.go.jp",
                  "crd.york.ac.uk/prospero", "irct.ir", "pactr.org", "trialregister.nl", "onderzoekmetmensen.nl")
PREPRINT_DOI_PREFIXES = (
    "10.1101/",  # bioRxiv, medRxiv
    "10.48550/",  # arXiv
    "10.2139/",  # SSRN
    "10.21203/",  # Research Square
    "10.20944/",  # Preprints.org
    "10.31234/",  # PsyArXiv
    "10.31219/",  # OSF Preprints
    "10.31235/",  # SocArXiv
    "10.26434/",  # ChemRxiv
    "10.36227/",  # TechRxiv
    "10.1590/scielopreprints",
    "10.22541/",  # Authorea
)
_PREPRINT_SOURCE = re.compile(
    r"\b(?:arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|ssrn|research square|preprints?|osf preprints|"
    r"authorea|techrxiv|scielo preprints)\b", re.IGNORECASE
)
_CONFERENCE_SOURCE = re.compile(r"\b(?:conference|congress|symposium|meeting|workshop|colloquium|abstracts)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleForms:
    full: str  # every word, spelling unified, joined by spaces
    main: str  # without a bracketed translation, or the translation when the whole title is bracketed
    head: str  # the part before the first subtitle separator ("" when there is none)
    key: str  # significant words run together: the blocking key
    significant: frozenset[str]  # words other than stop words
    numbers: tuple[str, ...]  # the numbers, in order (digits, Roman numerals and number words)
    parts: frozenset[str]  # "part:2", "volume:3": which part of a larger work
    markers: frozenset[str]  # erratum, retraction, comment, reply
    informative: bool  # names a work (not "Editorial", "Annual report", a short generic phrase)
    last: str  # the last word (a database that cuts long titles may cut it short)
    spelt: tuple[tuple[str, str], ...] = ()  # (unified word, word as written) where they differ
    translation: str = ""  # a bracketed translation beside the original title ("" when there is none)
    recurring: bool = False  # names a kind of item that recurs in every issue (Editorial, Letters, Introduction)
    lead: str = ""  # a chapter or item number before the title ("21 Health effects ...")
    unnumbered: str = ""  # ``full`` without that number ("" when there is none)


#: First words of notices about a work, for misspellings one letter away.
_NOTICE_WORDS = (("erratum", "erratum"), ("corrigendum", "erratum"), ("retraction", "retraction"))
_MARKER_HINTS = ("errat", "corrig", "correct", "retract", "withdrawn", "concern", "comment", "re:", "re :", "letter",
                 "repl", "respon", "rebuttal")
_DIGIT = re.compile(r"\d+")
_NO_WORDS: frozenset[str] = frozenset()


@lru_cache(maxsize=300_000)
def title_forms(title: str) -> TitleForms:
    """The comparison forms of a title (cached: copies of a work often carry the very same title)."""
    return _title_forms(title)


def _title_forms(title: str) -> TitleForms:
    text = fold(title)
    if "[" in text or "(" in text:
        text = _TITLE_NOTES.sub(" ", text)
    stripped = text.strip(" [](){}\"'")
    markers = (
        frozenset(name for name, pattern in _MARKERS if pattern.search(stripped))
        if any(hint in text for hint in _MARKER_HINTS)
        else _NO_WORDS
    )
    written = [raw for raw in _NON_WORD.split(text) if raw]
    if written and not markers and len(written[0]) >= 6 and written[0][0] in "ecr":
        # a notice whose first word a database misspelt ("Erratm: ...") is a notice all the same
        first = written[0]
        misspelt = next(
            (
                name
                for word, name in _NOTICE_WORDS
                if Levenshtein.distance(first, word, score_cutoff=1) <= 1 and not first.startswith(word)
            ),
            "",
        )
        if misspelt:
            markers = frozenset({misspelt})
    tokens = words(text)
    full = " ".join(tokens)
    main = full
    translation = ""
    if "[" in text:
        inside = " ".join(_BRACKETED.findall(text))
        outside_tokens = words(_BRACKETED.sub(" ", text))
        if inside.strip() and sum(1 for t in outside_tokens if t not in STOP_WORDS) >= 3:
            main = " ".join(outside_tokens)  # "Original title [English translation]" -> the original
            translation = " ".join(words(inside))
    separator = _SUBTITLE_SEPARATOR.search(stripped)
    head = " ".join(words(stripped[: separator.start()])) if separator else ""
    significant = [t for t in tokens if t not in STOP_WORDS]
    numbers: tuple[str, ...] = ()
    parts = _NO_WORDS
    if _DIGIT.search(full):
        numbers = tuple(t for t in tokens if t.isdigit()) + tuple(
            d for t in tokens if not t.isdigit() for d in _DIGIT.findall(t)
        )
        parts = frozenset(
            f"part:{tokens[i + 1]}"
            for i, token in enumerate(tokens[:-1])
            if token in PART_WORDS and tokens[i + 1].isdigit()
        )
    if " part " in f" {full} ":
        lettered = zip(tokens, tokens[1:], strict=False)
        parts = parts | frozenset(f"part:{b}" for a, b in lettered if a == "part" and b in ("a", "b", "c", "d"))
    key = "".join(significant)
    informative = len(significant) >= 3 and len(key) >= 16
    generic = _GENERIC_TITLE.match(stripped)
    recurring = generic is not None
    if not informative:
        generic = None
    if generic:
        # "Abstracts of the 79th EAS Congress" names one book of abstracts; "Annual report 2019" does not
        rest = [t for t in words(stripped[generic.end() :]) if t not in STOP_WORDS]
        informative = any(t.isdigit() for t in rest) and sum(1 for t in rest if not t.isdigit()) >= 2
    if informative and _NOTE_TITLE.match(stripped):
        informative = len(significant) >= 5  # "Erratum: <a title>" names the work it corrects
    last = tokens[-1] if tokens else ""
    spelt = tuple(sorted({(t, w) for t, w in zip(tokens, written, strict=True) if t != w and not t.isdigit()}))
    lead = _LEAD_NUMBER.match(text.strip())
    unnumbered = " ".join(tokens[1:]) if lead and len(significant) >= 4 and tokens and tokens[0] == lead.group(1) else ""
    return TitleForms(full, main, head, key, frozenset(significant), numbers, parts, markers, informative, last, spelt,
                      translation, recurring and not informative, lead.group(1) if unnumbered else "", unnumbered)


# ---------------------------------------------------------------------------------------------
# authors

#: Particles that databases keep, drop or join to the surname (van der Berg, Berg, Vanderberg).
NAME_PARTICLES = frozenset("van von der den de del della di da dos das du le la lo ter ten zu af av al el bin ben st".split())
_AUTHOR_SPLIT = re.compile(r"\s*;\s*|\s+and\s+|\s*&\s*")


_JOINED_PARTICLE = re.compile(r"^(?:vander|vanden|vande|vonder|vonden)(?=[a-z]{3})")


@lru_cache(maxsize=200_000)
def _surname_key(name: str) -> str:
    parts = [p for p in _NON_WORD.split(fold(name)) if p]
    kept = [p for p in parts if p not in NAME_PARTICLES] or parts
    return _JOINED_PARTICLE.sub("", "".join(kept))


def author_words(authors: str) -> str:
    """Every name word of the author field, sorted and joined: the same however the field is split into authors.

    "Social Policy Research Unit, York University" and "Unit, Social Policy
    Research; York University" (one organisation split at its comma) give the
    same words.
    """
    if not authors:
        return ""
    return " ".join(sorted({w for w in _NON_WORD.split(fold(authors)) if len(w) >= 2 and w not in NAME_PARTICLES}))


def url_key(url: str) -> str:
    """A web address without scheme, "www.", fragment or trailing slash ("" when it names no page)."""
    text = (url or "").strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("#", 1)[0].rstrip("/")
    text = text.removeprefix("www.")
    return text if "/" in text and len(text.split("/", 1)[1]) >= 3 else ""


def author_keys(authors: str) -> tuple[str, ...]:
    """Surnames of the authors in order, as folded keys without particles.

    Accepts "Surname, Given; ...", "Surname GN, ...", "Given Surname and ..."
    as the importers normalise them, and strings in which a database ran the
    names together ("Adeli K.Lewis G. F."): there every word of two letters
    or more that is not a run of initials is taken as a surname.
    """
    if not authors or not authors.strip():
        return ()
    keys: list[str] = []
    for item in _AUTHOR_SPLIT.split(authors.strip()):
        keys.extend(_author_item(item))
    return tuple(keys)


@lru_cache(maxsize=500_000)
def _author_item(item: str) -> tuple[str, ...]:
    """The surname key(s) in one author item ("Smith, John" -> ("smith",))."""
    item = item.strip(" ,.")
    if not item:
        return ()
    surname, comma, _given = item.partition(",")
    if comma and _has_name_word(surname) and not _RUN_TOGETHER.search(surname):
        key = _surname_key(surname)
        return (key,) if key else ()
    return tuple(_surnames_in_run(item))


_RUN_TOGETHER = re.compile(r"[A-Za-z]\.[A-Za-z]")


def _has_name_word(text: str) -> bool:
    plain = text.replace(" ", "").replace("-", "").replace("'", "")
    if plain.isalpha() and len(plain) >= 2:
        return not (plain.isupper() and len(plain) <= 3 and not text.isupper()) or " " in text.strip()
    return any(len(w) >= 2 and not (w.isupper() and len(w) <= 3 and not text.isupper()) for w in re.findall(r"[^\W\d_]+", text))


def _surnames_in_run(text: str) -> list[str]:
    """Surnames in an author string without usable separators (concatenated names)."""
    all_upper = text.isupper()
    found = []
    for word in re.findall(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", text):
        if len(word) < 2 or (not all_upper and word.isupper() and len(word) <= 3):
            continue  # initials: "K", "GF"
        key = _surname_key(word)
        if key and key not in NAME_PARTICLES:
            found.append(key)
    return found


# ---------------------------------------------------------------------------------------------
# journals, pages, volume, year, DOI, abstract

#: Common abbreviations of words in journal names that do not abbreviate by truncation.
_JOURNAL_WORDS = {"jnl": "journal", "jrnl": "journal", "intl": "international", "natl": "national", "assn": "association",
                  "assoc": "association", "soc": "society", "sci": "science", "med": "medicine", "am": "american",
                  "br": "british", "brit": "british", "engl": "england", "univ": "university", "dept": "department",
                  "rev": "review", "res": "research", "proc": "proceedings", "trans": "transactions"}
_JOURNAL_NOISE = re.compile(r"\((?:[^()]*\b(?:online|print|electronic|london|england|baltimore|md|ny|new york|oxford|"
                            r"berlin|paris|basel|chicago|ill|philadelphia|pa|edinburgh|scotland)\b[^()]*)\)")


@lru_cache(maxsize=50_000)
def journal_forms(journal: str) -> tuple[tuple[str, ...], ...]:
    """The journal's name as word tuples (one per alternative name given with "=")."""
    text = fold(journal)
    if not text:
        return ()
    forms = []
    for part in re.split(r"\s=\s|\s/\s", text):
        part = _JOURNAL_NOISE.sub(" ", part).replace("&", " and ")
        tokens = tuple(_JOURNAL_WORDS.get(w, w) for w in _NON_WORD.split(part) if w and w not in STOP_WORDS)
        if tokens:
            forms.append(tokens)
    return tuple(forms)


_PAGE = re.compile(r"([a-z]{0,3}\d+[a-z]?)(?:\s*[-\u2010-\u2015]+\s*([a-z]{0,3}\d+[a-z]?))?")


_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def first_page(pages: str) -> tuple[str, str]:
    """(first page, last page) of the first page range: "221-8" -> ("221", "228"), "e43268" -> ("43268", "")."""
    text = fold(pages) if pages else ""
    if _MONTH.search(text):
        # a spreadsheet turned "5-13" into a date ("13-May"): comparable only as it stands
        return text.replace(" ", ""), ""
    match = _PAGE.search(text)
    if not match:
        return "", ""
    start, end = _page(match.group(1)), _page(match.group(2) or "")
    if end and start and end.isdigit() and start.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end  # 221-8 -> 221-228
    return start, end


def _page(value: str) -> str:
    if value.startswith("e") and value[1:].isdigit():
        value = value[1:]  # electronic article numbers: e43268 == 43268
    return value.lstrip("0") or value if value.isdigit() else value


def volume_key(volume: str) -> str:
    """The volume's number (leading digits): "20 Suppl 1" -> "20"; "" when there is none."""
    match = re.search(r"\d+", volume or "")
    return match.group(0).lstrip("0") or "0" if match else ""


def issue_key(issue: str) -> str:
    """The issue's number or label, folded ("3", "3-4", "suppl 2"); "" when unknown."""
    text = fold(issue or "").strip()
    return " ".join(w.lstrip("0") or w for w in _NON_WORD.split(text) if w)


def year_number(year: str) -> int:
    match = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", year or "")
    return int(match.group(1)) if match else 0


#: DOI-like strings that name a database entry, not the article: Cochrane CENTRAL's record
#: addresses (10.1002/central/CN-01234567) are copied into the DOI field from its URLs.
_PSEUDO_DOI = re.compile(r"^10\.1002/central/cn-")
_DOI_START = re.compile(r"10\.\d{4,9}/")


def doi_key(doi: str) -> str:
    """The DOI, bare and lower case ("" for none, or for a pseudo-DOI that names a database entry)."""
    doi = (doi or "").strip().lower()
    doi = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*", "", doi)
    if doi and not doi.startswith("10."):
        found = _DOI_START.search(doi)  # "https://doi.wiley.com/10...." or "DOI 10...."
        doi = doi[found.start() :] if found else doi
    doi = doi.rstrip(".,;)]}'\" ")
    if _PSEUDO_DOI.match(doi):
        return ""
    return doi


_ISSN_IN_DOI = re.compile(r"(?<![0-9])\d{4}-?\d{3}[\dx](?![0-9])")


def dois_alike(a: str, b: str) -> bool:
    """Two DOIs of one article that differ only in their ISSN-based part (10.1586/14737140.7.1.57 and
    10.1586/14787210.7.1.57: a journal's print and electronic ISSN), with the same registrant."""
    if a == b:
        return True
    if a.split("/", 1)[0] != b.split("/", 1)[0] or not _ISSN_IN_DOI.search(a) or not _ISSN_IN_DOI.search(b):
        return False
    rest_a, rest_b = _ISSN_IN_DOI.sub("#", a), _ISSN_IN_DOI.sub("#", b)
    return rest_a == rest_b and len(rest_a.split("/", 1)[-1].replace("#", "")) >= 5


def abstract_form(abstract: str, length: int = 300) -> str:
    """The abstract's first words, folded (long enough to compare, short enough to be quick)."""
    if not abstract:
        return ""
    return _NON_WORD.sub(" ", fold(abstract[: length + 100]))[:length].strip()


#: Registry numbers start with one of these (checked as plain substrings first: much faster than the pattern).
_REGISTRY_PREFIXES = ("NCT", "ISRCTN", "ACTRN", "ChiCTR", "DRKS", "EUCTR", "CTRI/", "IRCT", "PACTR", "NTR", "NL",
                      "KCT", "JPRN", "UMIN", "TCTR", "CRD42", "SLCTR", "EudraCT", "eudract", "nct", "isrctn")


def registry_ids(*texts: str) -> frozenset[str]:
    text = " ".join(t for t in texts if t)
    if not text or not any(prefix in text for prefix in _REGISTRY_PREFIXES):
        return _NO_IDS
    return frozenset(m.upper().replace(" ", "") for m in _REGISTRY_ID.findall(text))


_NO_IDS: frozenset[str] = frozenset()


def publication_kind(kind: str, journal: str, publisher: str, doi: str, url: str) -> str:
    """What the record is a record of: article, conference, preprint, registry, thesis, book, chapter, report...

    "" when nothing says. The type field comes first; names of the source,
    the URL and DOI prefixes fill in what the type leaves open.
    """
    if url and any(host in url.lower() for host in REGISTRY_HOSTS):
        return "registry"
    if doi.startswith(PREPRINT_DOI_PREFIXES):
        return "preprint"
    return _kind_from_source(kind, journal, publisher)


@lru_cache(maxsize=100_000)
def _kind_from_source(kind: str, journal: str, publisher: str) -> str:
    source = f"{journal} {publisher}"
    if _REGISTRY_SOURCE.search(source):
        return "registry"
    if kind == "preprint" or _PREPRINT_SOURCE.search(source):
        return "preprint"
    if kind in ("conference", "thesis", "book", "chapter", "report", "dataset"):
        return kind
    if not kind and _CONFERENCE_SOURCE.search(journal):
        return "conference"
    return "article" if kind == "article" else ""
