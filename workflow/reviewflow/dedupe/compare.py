"""Comparing two records field by field, and the rules that decide.

For a candidate pair, :func:`compare_records` measures each field (rapidfuzz
similarities for title, authors, abstract; equality for DOI, year, volume,
pages; compatibility for journal names and kinds of publication) and lists
the *conflicts*: facts that show two different works however alike the rest
is. :func:`decide` then applies explicit rules, in order:

Conflicts (a pair with one is never merged automatically):
  different DOIs; different trial-registry numbers; a note about a work
  (erratum, retraction, comment, reply) against the work or another kind of
  note; different parts (Part I / Part II); different numbers in the titles
  (Annual report 2019 / 2020, Kir2.1 / Kir2.2); a different word in otherwise
  equal titles (in vivo / in vitro, men / women); years more than one apart;
  a supplement page (S12, A163) against a regular page; page ranges that do
  not overlap (two articles of one volume); different kinds of
  publication (conference abstract / journal article, thesis / article,
  registry entry, and preprint / published version when ``preprints: different``).
  The same DOI outweighs the differences of year, pages and kind
  (databases disagree on those), but not those of the titles.

Doubts (databases garble these for one work: supplement numbers written as
the volume, truncated volumes, pages off by one): different volumes or first
pages. With a doubt only ``title+authors+journal`` can merge: near-identical
informative titles (no word of one missing from the other), authors agreeing,
same year, compatible journals.

Rules that make a pair the same work (the first that holds names the rule):
  ``doi``              same DOI, titles alike (or one missing);
  ``title+authors+journal``  (the one rule that outweighs a doubt, see above);
  ``title+locator``    titles alike, same volume and first page;
  ``title+authors``    titles alike, authors agreeing (same first author, the lists
                       alike as far as the shorter goes, or the shorter one inside
                       the longer in order), same year, journals not against it;
                       a year apart or missing: all authors the same;
  ``preprint``         a preprint and its published version (``preprints: same``):
                       titles alike, all authors the same, within two years;
  ``title+abstract``   titles alike, abstracts alike, authors not against it;
  ``locator+authors``  same volume and page range, same year and authors
                       (titles translated or reworded);
  ``title+url``        titles alike, the same web address (a report listed by two websites);
  ``registry``         two entries of one trial registration (same registry number);
  ``title+year``       identical long titles (six words or more), same year, authors
                       missing and journals not against it.
A title that names a kind of item ("Editorial", "Annual report 2019") is never
enough: such pairs need the DOI or the volume and page. Journals "not against
it" means compatible or missing on one side.

Pairs that miss a rule narrowly, or hold a conflict against otherwise
overwhelming evidence, go to the review list for a person to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import weights as w
from .normalise import TitleForms, dois_alike
from .prepare import Prepared

#: Title similarity (0-1, normalised Indel similarity of the comparison forms) at which titles are alike.
TITLE_ALIKE = 0.93
#: ... close enough when the volume and first page agree, or the abstracts do.
TITLE_CLOSE = 0.90
#: ... identical but for trivia (needed when the authors are missing).
TITLE_SAME = 0.97
#: Author-list similarity at which the authors are the same.
AUTHORS_SAME = 0.90
#: Abstract similarity at which abstracts are alike.
ABSTRACT_ALIKE = 0.90
#: Below this title similarity titles are unrelated: the same DOI does not join them, and no
#: changed word is looked for.
TITLE_FLOOR = 0.75

#: Significant words the shorter title needs when it is the start of the longer one.
TITLE_PREFIX_WORDS = 6
#: Significant words a title needs to identify a work with only its year beside it.
TITLE_YEAR_WORDS = 6

NEGATIONS = frozenset("not no non without absence lack never".split())

#: Kinds of publication that may be one work however the databases label them.
COMPATIBLE_KINDS = frozenset({frozenset({"report", "web"}), frozenset({"article", "web"})})


class Conflict(NamedTuple):
    """A fact that shows two different works: its kind and, for people, what it is."""

    kind: str  # doi | registry | note | part | number | recurring | publication | wording | year | supplement | pages
    text: str


#: Conflicts found in the titles: the same DOI does not outweigh them.
TITLE_CONFLICTS = frozenset({"note", "part", "number", "wording"})
#: Positive signs of a different work: they keep a pair apart whatever its weights. The other
#: conflicts (different DOIs, years, pages, a word of the title) are weights against the pair.
VETOES = frozenset({"note", "part", "number", "registry", "publication", "recurring", "version"})
#: The version suffix of a DOI: Cochrane's .pub2, a preprint server's v2.
_DOI_VERSION = re.compile(r"(?:\.pub\d+|\.?v\d+)$")


@dataclass(slots=True)
class Evidence:
    doi: str = "missing"  # same | different | missing
    doi_how: str = ""  # "ISSN part" when two DOIs differ only in their ISSN-based part
    title: float = -1.0  # -1: a title is missing
    title_how: str = ""  # subtitle | translation | "" (how the titles were aligned)
    authors: float = -1.0
    first_author: bool = False
    authors_prefix: float = -1.0  # similarity of the first k authors (k = the shorter list)
    year: str = "missing"  # same | off by one | two apart | different | missing
    journal: str = "missing"  # compatible | different | missing
    volume: str = "missing"
    issue: str = "missing"  # same | different | missing
    pages: str = "missing"  # same | different | missing (first page)
    page_range: bool = False  # both have the same first and last page, and last > first
    page_ranges_apart: bool = False  # both have full page ranges, and they do not overlap
    abstract: float = -1.0
    title_extra: int = -1  # significant words one title has and the other lacks (-1: not counted)
    preprint_pair: bool = False  # exactly one is a preprint
    wording: str = ""  # different | negation: a word of one title replaced, or a negation added
    conflicts: list[Conflict] = field(default_factory=list)  # facts that show two different works
    doubts: list[str] = field(default_factory=list)  # differences databases also make for one work (volume, pages)

    def summary(self) -> str:
        def number(value: float) -> str:
            return "missing" if value < 0 else f"{value:.2f}"

        parts = [
            f"doi={self.doi}",
            f"title={number(self.title)}" + (f" ({self.title_how})" if self.title_how else ""),
            f"authors={number(self.authors)}",
            f"year={self.year}",
            f"journal={self.journal}",
            f"volume={self.volume}",
            f"issue={self.issue}",
            f"pages={self.pages}",
            f"abstract={number(self.abstract)}",
        ]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: str  # same | review | different
    rule: str  # the rule that made the pair the same work, or why it is in review
    score: float
    evidence: Evidence
    weights: tuple[w.FieldWeight, ...] = ()

    @property
    def total(self) -> float:
        return w.total(list(self.weights))

    def weights_text(self) -> str:
        return w.describe(list(self.weights)) if self.weights else ""


def _supplement_page(page: str) -> bool:
    """Pages of supplements and abstract books carry a letter: S12, A163, ii12."""
    return bool(page) and not page[0].isdigit()


def _page_range(start: str, end: str) -> tuple[int, int] | None:
    """A complete numeric page range, or None."""
    if start.isdigit() and end.isdigit() and int(end) > int(start):
        return int(start), int(end)
    return None


def _single_page(page: str) -> tuple[int, int] | None:
    return (int(page), int(page)) if page.isdigit() else None


def _apart(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


def _same_page(a: str, b: str) -> bool:
    """Equal, or equal but for a supplement letter one database dropped (S530 / 530)."""
    if a == b:
        return True
    digits_a, digits_b = a.lstrip("abcdefghijklmnopqrstuvwxyz"), b.lstrip("abcdefghijklmnopqrstuvwxyz")
    return bool(digits_a) and digits_a == digits_b and (digits_a == a or digits_b == b)


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def title_similarity(a: TitleForms, b: TitleForms) -> tuple[float, str]:
    """Similarity of two titles, and how they were aligned (a subtitle dropped, a translation in brackets)."""
    best = _ratio(a.full, b.full)
    how = ""
    if best < 1.0 and (a.main != a.full or b.main != b.full):
        main = max(_ratio(a.main, b.main), _ratio(a.main, b.full), _ratio(a.full, b.main))
        if a.translation or b.translation:
            # the English title of one record in brackets beside its original, the other in English only
            main = max(main, _ratio(a.translation or a.full, b.translation or b.full))
        if main > best:
            best, how = main, "translation"
    if best < 1.0 and (a.lead != b.lead) and (a.unnumbered or b.unnumbered):
        # a chapter number before one title ("21 Health effects ...")
        unnumbered = _ratio(a.unnumbered or a.full, b.unnumbered or b.full)
        if unnumbered > best:
            best, how = unnumbered, "chapter number"
    if best < TITLE_ALIKE:
        for short, long in ((a, b), (b, a)):
            if not short.full or len(short.full) > len(long.full):
                continue
            # one database dropped the subtitle: the shorter title is the other's main title
            if long.head and len(short.significant) >= 3 and _ratio(short.full, long.head) >= 0.97:
                return TITLE_ALIKE, "subtitle"
            # one database cut a long title short, or added a group's name after it
            if len(short.significant) >= TITLE_PREFIX_WORDS and _ratio(short.full, long.full[: len(short.full)]) >= 0.97:
                return TITLE_ALIKE, "cut short"
    return best, how


#: Endings that make another form of one word ("double-blind" / "double-blinded").
WORD_ENDINGS = ("ed", "d", "ing", "s", "es", "al", "ly", "ic")


def _typo(x: str, y: str) -> bool:
    """Two spellings or forms of one word: one letter apart, in words of five letters or more, or
    one the other with an ending (blind / blinded)."""
    if min(len(x), len(y)) < 5:
        return False
    if Levenshtein.distance(x, y, score_cutoff=1) <= 1:
        return True
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return long.startswith(short) and long[len(short) :] in WORD_ENDINGS


def title_word_differences(a: TitleForms, b: TitleForms) -> tuple[set[str], set[str]]:
    """Significant words of each title that the other lacks, once cut-off words, words run
    together and typos are paired up."""
    only_a = {w for w in a.significant - b.significant if not w.isdigit()}
    only_b = {w for w in b.significant - a.significant if not w.isdigit()}
    if not only_a and not only_b:
        return only_a, only_b
    words_a, words_b = set(a.full.split()), set(b.full.split())
    # a title cut short ends in part of a word: "... colony-stimulating fac"
    for last, side, other_side, other_words in ((a.last, only_a, only_b, words_b), (b.last, only_b, only_a, words_a)):
        if last in side:
            longer = sorted(w for w in other_words if w.startswith(last) and w != last)
            if longer:
                side.discard(last)
                other_side.discard(longer[0])
    # words run together in one title: "healthcare" against "health care", "online" against "on line"
    for side, other_side, other_words in ((only_a, only_b, words_b), (only_b, only_a, words_a)):
        for word in sorted(side):
            cuts = range(2, len(word) - 1)
            halves = [(word[:k], word[k:]) for k in cuts if word[:k] in other_words and word[k:] in other_words]
            if halves:
                side.discard(word)
                other_side.difference_update(halves[0])
    written_a, written_b = dict(a.spelt), dict(b.spelt)
    for x in sorted(only_a):
        # a typo is judged on the words as written too: "caesaean" (unified "cesean") is one letter from "caesarean"
        match = next((y for y in sorted(only_b) if _typo(x, y) or _typo(written_a.get(x, x), written_b.get(y, y))), None)
        if match is not None:
            only_a.discard(x)
            only_b.discard(match)
    return only_a, only_b


def title_word_conflict(only_a: set[str], only_b: set[str]) -> str:
    """A word of one title replaced by another word in the other, or a negation added ("" when neither)."""
    if only_a and only_b:
        return f"the titles differ in words: {' '.join(sorted(only_a))} / {' '.join(sorted(only_b))}"
    negation = (only_a | only_b) & NEGATIONS
    if negation:
        return f"one title has '{sorted(negation)[0]}'"
    return ""


def title_number_conflict(a: TitleForms, b: TitleForms) -> str:
    numbers_a, numbers_b = set(a.numbers), set(b.numbers)
    if a.lead != b.lead and not (a.lead and b.lead):
        # a chapter number one database put before the title is not a number of the title
        if a.lead and a.numbers.count(a.lead) == 1:
            numbers_a.discard(a.lead)
        if b.lead and b.numbers.count(b.lead) == 1:
            numbers_b.discard(b.lead)
    if numbers_a == numbers_b:
        return ""
    if numbers_a < numbers_b or numbers_b < numbers_a:
        short, long = (a, b) if numbers_a < numbers_b else (b, a)
        # the numbers are in a subtitle or a tail that one database left out
        if short.full and (long.full.startswith(short.full) or (long.head and _ratio(short.full, long.head) >= 0.97)):
            return ""
    only_a = " ".join(sorted(numbers_a - numbers_b)) or "-"
    only_b = " ".join(sorted(numbers_b - numbers_a)) or "-"
    return f"the titles differ in numbers: {only_a} / {only_b}"


def kind_conflict(kind_a: str, kind_b: str, preprints_same: bool) -> str:
    if not kind_a or not kind_b or kind_a == kind_b:
        return ""
    if frozenset({kind_a, kind_b}) in COMPATIBLE_KINDS:
        return ""
    if "preprint" in (kind_a, kind_b) and preprints_same and "registry" not in (kind_a, kind_b):
        return ""
    return f"different kinds of publication: {kind_a} / {kind_b}"


def _same_name(x: str, y: str) -> bool:
    return x == y or (min(len(x), len(y)) >= 5 and _ratio(x, y) >= 0.85)


def _subsequence_of_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The shorter author list appears in the longer, in order (both have two names or more)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return False
    remaining = iter(long)
    return all(any(_same_name(name, other) for other in remaining) for name in short)


#: Words that say what kind of venue a name is, not which: left out when names are compared
#: ("AMCIS 2017 Proceedings" against "Americas Conference on Information Systems").
VENUE_WORDS = frozenset(
    "proceedings proceeding conference conf annual international intl meeting symposium congress workshop abstracts "
    "abstract supplement supplements suppl electronic resource online print edition series".split()
)


def _acronym(word: str, long: tuple[str, ...]) -> bool:
    """``word`` is made of the start of each word of ``long`` in order: JAMA, BMJ, AMCIS (AMericas Conference ...)."""
    if len(word) < 3 or len(long) < 2:
        return False

    @lru_cache(maxsize=None)
    def build(letter: int, index: int) -> bool:
        if index == len(long):
            return letter == len(word)
        target = long[index]
        return any(
            word[letter : letter + size] == target[:size] and build(letter + size, index + 1)
            for size in range(1, min(len(target), len(word) - letter) + 1)
        )

    return build(0, 0)


def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Each word of ``short`` abbreviates the next words of ``long`` in order (ISO 4 style); at most one word skipped."""
    position, skipped = 0, 0
    for word in short:
        while position < len(long):
            target = long[position]
            position += 1
            if target.startswith(word) or (len(word) >= 3 and word[0] == target[0] and _subsequence(word, target)):
                break
            skipped += 1
        else:
            return False
    skipped += len(long) - position
    return skipped <= 1


def _subsequence(word: str, target: str) -> bool:
    letters = iter(target)
    return all(ch in letters for ch in word)


def _names_agree(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    if x == y:
        return True
    short, long = (x, y) if len(" ".join(x)) <= len(" ".join(y)) else (y, x)
    if _abbreviates(short, long):
        return True
    if len(short) == 1 and _acronym(short[0], long):
        return True
    if set(short) <= set(long) and len(short) >= 2:
        return True
    if long[: len(short)] == short and len(long) > len(short) and long[len(short)] in VENUE_WORDS:
        return True  # "Microcirculation. Conference: 24th meeting ...": the journal and the meeting it printed
    return _ratio(" ".join(x), " ".join(y)) >= 0.9


@lru_cache(maxsize=100_000)
def journals_compatible(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> bool:
    """Whether two journal names (each possibly with alternative names) can name one journal or meeting."""
    for x in a:
        for y in b:
            if _names_agree(x, y):
                return True
            core_x = tuple(w for w in x if w not in VENUE_WORDS and not w.isdigit()) or x
            core_y = tuple(w for w in y if w not in VENUE_WORDS and not w.isdigit()) or y
            if any(_names_agree(p, q) for p, q in ((core_x, y), (x, core_y), (core_x, core_y)) if (p, q) != (x, y)):
                return True
    return False


def compare_records(prep: Prepared, i: int, j: int, settings: dict[str, Any]) -> Evidence:
    """Field-by-field evidence on records i and j, with the conflicts between them."""
    ev = Evidence()
    conflicts = ev.conflicts
    preprints_same = settings.get("preprints", "different") == "same"
    kind_i, kind_j = prep.kind[i], prep.kind[j]
    ev.preprint_pair = (kind_i == "preprint") != (kind_j == "preprint")
    doi_i, doi_j = prep.doi[i], prep.doi[j]
    if doi_i and doi_j:
        ev.doi = "same" if doi_i == doi_j or dois_alike(doi_i, doi_j) else "different"
        ev.doi_how = "ISSN part" if ev.doi == "same" and doi_i != doi_j else ""
        if ev.doi == "different" and _DOI_VERSION.sub("", doi_i) == _DOI_VERSION.sub("", doi_j):
            conflicts.append(Conflict("version", f"different DOIs of versions of one work: {doi_i} / {doi_j}"))
        elif ev.doi == "different" and not (ev.preprint_pair and preprints_same):
            conflicts.append(Conflict("doi", f"different DOIs: {doi_i} / {doi_j}"))
    doi_same = ev.doi == "same"

    registry_i, registry_j = prep.registry[i], prep.registry[j]
    if registry_i and registry_j and not registry_i & registry_j:
        registrations = f"{' '.join(sorted(registry_i))} / {' '.join(sorted(registry_j))}"
        conflicts.append(Conflict("registry", f"different trial registrations: {registrations}"))

    title_i, title_j = prep.title[i], prep.title[j]
    wording = ""
    misspelt = False
    if title_i.full and title_j.full:
        ev.title, ev.title_how = title_similarity(title_i, title_j)
        if title_i.markers != title_j.markers:
            notes = " / ".join(", ".join(sorted(m)) or "the work itself" for m in (title_i.markers, title_j.markers))
            conflicts.append(Conflict("note", f"a note about a work against another record: {notes}"))
        if title_i.parts != title_j.parts:
            parts = " / ".join(", ".join(sorted(p)) or "no part" for p in (title_i.parts, title_j.parts))
            conflicts.append(Conflict("part", f"different parts: {parts}"))
        numbers = title_number_conflict(title_i, title_j)
        if numbers:
            conflicts.append(Conflict("number", numbers))
        if ev.title >= TITLE_FLOOR and ev.title_how != "translation":
            only_i, only_j = title_word_differences(title_i, title_j)
            wording = title_word_conflict(only_i, only_j)
            ev.title_extra = len(only_i) + len(only_j)
            misspelt = _misspelt(only_i, only_j)
    authors_i, authors_j = prep.authors[i], prep.authors[j]
    if authors_i and authors_j:
        ev.authors = _ratio(prep.authors_text[i], prep.authors_text[j])
        first_i, first_j = authors_i[0], authors_j[0]
        ev.first_author = _same_name(first_i, first_j)
        k = min(len(authors_i), len(authors_j))
        words_i, words_j = prep.author_words[i], prep.author_words[j]
        if not ev.first_author and " " in words_i and words_i == words_j:
            # the same names split into authors differently (an organisation's name cut at its comma)
            ev.first_author, ev.authors, ev.authors_prefix = True, 1.0, 1.0
        elif k == max(len(authors_i), len(authors_j)):
            ev.authors_prefix = ev.authors
        else:
            ev.authors_prefix = _ratio(" ".join(authors_i[:k]), " ".join(authors_j[:k]))
            if ev.authors_prefix < 0.85 and _subsequence_of_names(authors_i, authors_j):
                ev.authors_prefix = 1.0  # a database left out some authors, kept the order

    year_i, year_j = int(prep.year[i]), int(prep.year[j])
    if year_i and year_j:
        gap = abs(year_i - year_j)
        ev.year = {0: "same", 1: "off by one", 2: "two apart"}.get(gap, "different")
        allowed = 2 if (ev.preprint_pair and preprints_same) else 1
        if gap > allowed and not doi_same:
            conflicts.append(Conflict("year", f"years {min(year_i, year_j)} and {max(year_i, year_j)}"))

    journal_i, journal_j = prep.journal[i], prep.journal[j]
    if journal_i and journal_j:
        ev.journal = "compatible" if journals_compatible(journal_i, journal_j) else "different"

    volume_i, volume_j = prep.volume[i], prep.volume[j]
    if volume_i and volume_j:
        ev.volume = "same" if volume_i == volume_j else "different"
    issue_i, issue_j = prep.issue[i], prep.issue[j]
    if issue_i and issue_j:
        ev.issue = "same" if issue_i == issue_j else "different"
    page_i, page_j = prep.page_start[i], prep.page_start[j]
    if page_i and page_j:
        ev.pages = "same" if _same_page(page_i, page_j) else "different"
        end_i, end_j = prep.page_end[i], prep.page_end[j]
        ev.page_range = ev.pages == "same" and bool(end_i) and _same_page(end_i, end_j) and end_i != page_i
    if (title_i.recurring or title_j.recurring) and not doi_same:
        # a recurring title (Editor's Comments, Introduction, Letters) names one item per issue and page
        if ev.issue == "different" and ev.pages != "same":
            conflicts.append(Conflict("recurring", f"a recurring title in issues {issue_i} and {issue_j}"))
        elif ev.pages == "different":
            conflicts.append(Conflict("recurring", f"a recurring title on pages {page_i} and {page_j}"))
    if not doi_same and not ev.preprint_pair:
        if ev.volume == "different":
            ev.doubts.append(f"volumes {volume_i} / {volume_j}")
        if ev.pages == "different":
            range_i = _page_range(page_i, prep.page_end[i])
            range_j = _page_range(page_j, prep.page_end[j])
            if _supplement_page(page_i) != _supplement_page(page_j):
                conflicts.append(Conflict("supplement", f"a supplement page against a regular page: {page_i} / {page_j}"))
            elif (range_i or range_j) and _apart(range_i or _single_page(page_i), range_j or _single_page(page_j)):
                shown_i, shown_j = f"{page_i}-{prep.page_end[i] or page_i}", f"{page_j}-{prep.page_end[j] or page_j}"
                conflicts.append(Conflict("pages", f"pages {shown_i} and {shown_j} do not overlap"))
                ev.page_ranges_apart = bool(range_i and range_j)
            else:
                ev.doubts.append(f"first pages {page_i} / {page_j}")

    if wording:
        # same volume, page range, year and authors identify an article: its title was translated or reworded
        authors_same = ev.authors >= AUTHORS_SAME and ev.first_author
        if ev.page_range and ev.volume == "same" and ev.year == "same" and authors_same:
            ev.title_how = "reworded"
        else:
            ev.wording = "misspelt" if misspelt else "different" if only_words_differ_text(wording) else "negation"
            conflicts.append(Conflict("wording", wording))

    locator_same = ev.volume == "same" and ev.pages == "same"
    if not doi_same and not locator_same:
        kind = kind_conflict(kind_i, kind_j, preprints_same)
        if kind:
            conflicts.append(Conflict("publication", kind))

    abstract_i, abstract_j = prep.abstract[i], prep.abstract[j]
    if len(abstract_i) >= 150 and len(abstract_j) >= 150:
        ev.abstract = _ratio(abstract_i, abstract_j)
    return ev


def weigh(prep: Prepared, i: int, j: int, ev: Evidence) -> list[w.FieldWeight]:
    """Each field's weight for (positive) or against (negative) records i and j being one work."""
    found: list[w.FieldWeight] = []
    found.append(w.outcome_weight("doi", ev.doi))
    if ev.title >= 0:
        words = min(len(prep.title[i].significant), len(prep.title[j].significant))
        found.append(w.title_weight(ev.title, prep.title[i].informative and prep.title[j].informative, words))
    else:
        found.append(w.FieldWeight("title", "missing", 0.0))
    if ev.wording:
        found.append(w.outcome_weight("wording", ev.wording))
    found.append(w.abstract_weight(ev.abstract) if ev.abstract >= 0 else w.FieldWeight("abstract", "missing", 0.0))
    if ev.authors < 0:
        authors = "missing"
    elif ev.authors >= AUTHORS_SAME and ev.first_author:
        authors = "same"
    elif ev.first_author and ev.authors_prefix >= 0.85:
        authors = "agree"
    elif ev.first_author:
        authors = "first"
    else:
        authors = "partly" if max(ev.authors, ev.authors_prefix) >= 0.5 else "different"
    found.append(w.outcome_weight("authors", authors))
    found.append(w.outcome_weight("year", ev.year))
    found.append(w.outcome_weight("journal", ev.journal))
    found.append(w.outcome_weight("volume", ev.volume))
    if ev.journal == "different" and ev.volume == "different":
        found.append(w.outcome_weight("venue", "different"))  # another journal and volume: a second publication
    if ev.volume == "different" and ev.year in ("two apart", "different"):
        found.append(w.outcome_weight("edition", "different"))  # a later year in a later volume: an update
    found.append(w.outcome_weight("issue", ev.issue))
    kinds = {c.kind for c in ev.conflicts}
    if ev.pages == "same":
        pages = "same range" if ev.page_range else "same"
    elif "supplement" in kinds:
        pages = "supplement"
    elif "pages" in kinds and ev.page_ranges_apart:
        pages = "apart"  # two full page ranges that do not overlap: two articles
    elif "pages" in kinds:
        pages = "different"  # a single page against a range: often an article number or a garble
    else:
        pages = ev.pages
    found.append(w.outcome_weight("pages", pages))
    if ev.volume == "different" and pages in ("different", "apart"):
        # another volume and another regular page: printed elsewhere (a supplement page against a
        # regular one says rather that a database garbled the supplement's volume and page)
        found.append(w.outcome_weight("locator", "different"))
    return found


def outweighed(ev: Evidence, total: float) -> bool:
    """Whether the weights make the pair one work: no positive sign of a different work, at most
    ``OUTWEIGHED_CONFLICTS`` conflicts, and a total of ``MATCH`` or more."""
    if any(c.kind in VETOES for c in ev.conflicts):
        return False
    return len(ev.conflicts) <= w.OUTWEIGHED_CONFLICTS and total >= w.MATCH


def blocking_conflict(prep: Prepared, i: int, j: int, settings: dict[str, Any]) -> str:
    """Why records i and j cannot be one work ("" when they can): a positive sign of a different
    work, or conflicts that the other fields' weights do not outweigh."""
    ev = compare_records(prep, i, j, settings)
    if not ev.conflicts:
        return ""
    if outweighed(ev, w.total(weigh(prep, i, j, ev))):
        return ""
    return "; ".join(c.text for c in ev.conflicts)


def only_words_differ_text(text: str) -> bool:
    return text.startswith("the titles differ in words")


def only_words_differ(conflict: Conflict) -> bool:
    """A word replaced by another (not a negation added)."""
    return only_words_differ_text(conflict.text)


def _misspelt(only_a: set[str], only_b: set[str]) -> bool:
    """One long word against one spelt much like it (phosphorus / phsophorous, effusion / effusing):
    more likely a typing error than another word (in vivo / in vitro, men / women are not)."""
    if len(only_a) != 1 or len(only_b) != 1:
        return False
    x, y = next(iter(only_a)), next(iter(only_b))
    return min(len(x), len(y)) >= 6 and _ratio(x, y) >= 0.8


def decide(prep: Prepared, i: int, j: int, settings: dict[str, Any]) -> Decision:
    """The verdict on one pair: same (with the rule), review (with the reason) or different.

    A positive sign of a different work (:data:`VETOES`) keeps the pair apart (or, against
    overwhelming evidence, sends it to a person). Otherwise the named rules take the pairs whose
    fields agree in a familiar pattern, and the total of the fields' weights (:mod:`.weights`)
    decides the rest: a conflict such as a wrong DOI, an epub year or garbled pages lowers the
    total instead of vetoing the match.
    """
    ev = compare_records(prep, i, j, settings)
    weights = tuple(weigh(prep, i, j, ev))
    total = w.total(list(weights))
    ruled = _by_rules(prep, i, j, ev, total)
    return Decision(ruled.verdict, ruled.rule, ruled.score, ev, weights)


def _by_rules(prep: Prepared, i: int, j: int, ev: Evidence, total: float) -> Decision:
    conflicts = ev.conflicts
    vetoed = any(c.kind in VETOES for c in conflicts)
    weighed_same = outweighed(ev, total)
    weighed_review = not vetoed and total >= w.REVIEW
    weights_note = f"weights {total:+g}"
    title = ev.title
    informative = prep.title[i].informative and prep.title[j].informative
    titles_missing = title < 0
    title_conflict = any(c.kind in TITLE_CONFLICTS for c in conflicts)
    reasons = "; ".join(c.text for c in conflicts)
    authors_same = ev.authors >= AUTHORS_SAME and ev.first_author
    authors_agree = ev.first_author and ev.authors_prefix >= 0.85
    authors_missing = ev.authors < 0
    locator_same = ev.volume == "same" and ev.pages == "same"

    if ev.doi == "same":
        if not title_conflict and (titles_missing or title >= TITLE_FLOOR):
            return Decision("same", "doi", 1.0, ev)
        if weighed_same and title >= TITLE_FLOOR:
            return Decision("same", "doi", 1.0, ev)  # a title variant (a word's form, a typo) with the same DOI
        if authors_agree or title >= 0.6:  # else a DOI shared by a whole supplement
            why = reasons if title_conflict else f"titles differ (similarity {title:.2f})"
            return Decision("review", f"same DOI, but {why}", max(title, 0.0), ev)
        return Decision("different", "", max(title, 0.0), ev)

    if conflicts:
        if weighed_same:
            return Decision("same", "weights", max(title, 0.0), ev)  # only conflicts the other fields outweigh
        # overwhelming evidence against a single conflict: a person decides
        if (
            len(conflicts) == 1
            and conflicts[0].kind == "wording"
            and only_words_differ(conflicts[0])
            and ev.year == "same"
            and (authors_agree or authors_missing)
            and (locator_same or ev.journal == "compatible")
        ):
            return Decision("review", f"alike, but {conflicts[0].text}", title, ev)
        if (
            len(conflicts) == 1
            and not title_conflict
            and title >= TITLE_SAME
            and (authors_same or (authors_missing and locator_same))
            and ev.year in ("same", "off by one")
        ):
            return Decision("review", f"alike, but {conflicts[0].text}", title, ev)
        if weighed_review:
            return Decision("review", f"{weights_note}, but {reasons}", max(title, 0.0), ev)
        return Decision("different", reasons, max(title, 0.0), ev)

    if ev.doubts:
        # volumes and pages are garbled often (supplement numbers, truncation); near-identical
        # title, authors, year and journal outweigh them
        if (
            informative
            and title >= TITLE_SAME
            and ev.title_extra == 0
            and authors_agree
            and ev.year == "same"
            and ev.journal == "compatible"
        ):
            return Decision("same", "title+authors+journal", title, ev)
        if weighed_same:
            return Decision("same", "weights", max(title, 0.0), ev)
        if informative and title >= TITLE_ALIKE and authors_agree and ev.year in ("same", "off by one"):
            return Decision("review", f"alike, but {'; '.join(ev.doubts)}", title, ev)
        if weighed_review:
            return Decision("review", f"{weights_note}, but {'; '.join(ev.doubts)}", max(title, 0.0), ev)
        return Decision("different", "; ".join(ev.doubts), max(title, 0.0), ev)

    year_same = ev.year == "same"
    year_near = ev.year in ("same", "off by one")
    journal_ok = ev.journal != "different"

    if title >= TITLE_CLOSE and locator_same and ev.year != "two apart":
        return Decision("same", "title+locator", title, ev)
    if title >= TITLE_CLOSE and prep.url[i] and prep.url[i] == prep.url[j]:
        return Decision("same", "title+url", title, ev)
    registry_i, registry_j = prep.registry[i], prep.registry[j]
    if prep.kind[i] == prep.kind[j] == "registry" and registry_i & registry_j and title >= TITLE_FLOOR:
        return Decision("same", "registry", title, ev)
    if informative and title >= TITLE_ALIKE:
        if year_same and authors_agree and journal_ok:
            return Decision("same", "title+authors", title, ev)
        if ev.year in ("off by one", "missing") and authors_same and journal_ok:
            return Decision("same", "title+authors", title, ev)
        if ev.preprint_pair and authors_same and ev.year in ("same", "off by one", "two apart"):
            return Decision("same", "preprint", title, ev)
    abstracts_alike = ev.abstract >= ABSTRACT_ALIKE
    if informative and title >= TITLE_CLOSE and abstracts_alike and year_near and (authors_missing or authors_agree):
        return Decision("same", "title+abstract", title, ev)
    if ev.page_range and locator_same and year_same and authors_same:
        return Decision("same", "locator+authors", max(ev.authors, 0.0), ev)
    if (
        informative
        and title >= TITLE_SAME
        and year_same
        and authors_missing
        and journal_ok
        and min(len(prep.title[i].significant), len(prep.title[j].significant)) >= TITLE_YEAR_WORDS
    ):
        return Decision("same", "title+year", title, ev)
    if weighed_same:
        return Decision("same", "weights", max(title, 0.0), ev)

    # narrowly missed: for a person
    if informative and title >= 0.85 and year_near and (authors_agree or (authors_missing and journal_ok)):
        return Decision("review", f"titles alike ({title:.2f}) but not enough else agrees", title, ev)
    if title >= TITLE_ALIKE and year_near and authors_agree and not informative:
        return Decision("review", "a generic title: needs the DOI or the volume and page", title, ev)
    if locator_same and authors_agree and year_near:
        return Decision("review", "same volume, page and first author, but the titles differ", max(title, 0.0), ev)
    if weighed_review:
        return Decision("review", f"{weights_note}: not enough agrees", max(title, 0.0), ev)
    return Decision("different", "", max(title, 0.0), ev)
