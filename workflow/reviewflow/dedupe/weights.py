"""Evidence weights: how strongly each field comparison speaks for or against one work (Fellegi-Sunter).

Each field of a pair of records gives one outcome (agree, partly agree,
disagree, absent), and each outcome a weight in bits: about log2(m / u), where
m is how often two copies of one work show that outcome and u how often two
different works that reached comparison (blocking put them side by side) do.
An absent field is no evidence (weight 0), never a conflict. The weights add
up to the pair's total; a total of ``MATCH`` or more makes the pair one work,
from ``REVIEW`` up the pair goes to the review list.

The weights are set by hand, in round numbers, from what databases do to the
records of one work (they drop DOIs, abbreviate journals, garble pages, give
the epub year) and from how alike different works can look (a recurring title,
a companion paper, a second edition). They are not fitted to any labelled set.
A positive sign of a different work (an erratum, another part, another trial
registration, a preprint against its published version...) is not a weight: it
keeps the pair apart whatever the total (see :mod:`.compare`).

The weights of every merge are written to ``clusters.csv`` (column ``weights``),
those of every pair in doubt to ``review.csv``, so a person can read why.
"""

from __future__ import annotations

from typing import NamedTuple

#: Total weight (bits) at which a pair is one work, and from which it goes to the review list.
MATCH = 16.0
REVIEW = 10.0
#: Conflicts (fields that each show a different work: DOIs, years, pages, a word of the title) that the
#: weights may outweigh in one pair; with more, the fields that agree are most likely copied from one
#: work to another (an update, a companion paper), and a person decides.
OUTWEIGHED_CONFLICTS = 1
#: Title, abstract and authors are not independent evidence: a later update, a companion paper or the
#: same abstract at two meetings copies all three. When any field weighs against a pair, the three
#: together count at most this much (with nothing against, they count in full: a title+abstract-only
#: export can still find its duplicates).
CONTENT_FIELDS = frozenset({"title", "abstract", "authors"})
CONTENT_CAP = 18.0

#: Title similarity bands (normalised Indel similarity of the comparison forms) and their weights.
TITLE_BANDS = ((0.97, 10.0, "same"), (0.93, 8.0, "alike"), (0.90, 6.0, "close"), (0.85, 3.0, "near"), (0.75, 0.0, "related"))
TITLE_UNRELATED = -10.0
#: A title that names a kind of item ("Editorial", "Introduction") says little about which one.
GENERIC_TITLE_CAP = 1.0
#: A short title (fewer significant words than this) is shared by different works more often.
SHORT_TITLE_WORDS = 6
SHORT_TITLE_PENALTY = 2.0
ABSTRACT_BANDS = ((0.95, 8.0, "same"), (0.90, 6.0, "alike"), (0.80, 3.0, "near"), (0.60, 0.0, "related"))
ABSTRACT_UNRELATED = -6.0
OUTCOME_WEIGHTS: dict[tuple[str, str], float] = {
    ("doi", "same"): 10.0,
    ("doi", "different"): -6.0,  # one copy's DOI is often plainly wrong: evidence against, not a veto
    ("authors", "same"): 5.0,
    ("authors", "agree"): 3.0,  # same first author, lists alike as far as the shorter goes
    ("authors", "first"): 1.0,  # same first author only
    ("authors", "partly"): -2.0,
    ("authors", "different"): -6.0,
    ("year", "same"): 2.0,
    ("year", "off by one"): 0.5,  # epub against print year
    ("year", "two apart"): -3.0,
    ("year", "different"): -7.0,
    ("journal", "compatible"): 2.0,
    ("journal", "different"): -6.0,  # names that no abbreviation, acronym or venue word reconciles
    ("volume", "same"): 2.0,
    ("volume", "different"): -2.0,  # supplement numbers written as the volume, truncated volumes
    ("pages", "same range"): 4.0,
    ("pages", "same"): 3.0,
    ("pages", "different"): -2.0,  # article numbers against print pages, garbled supplements
    ("pages", "apart"): -10.0,  # two full page ranges that do not overlap: two articles of one volume, as a rule
    ("pages", "supplement"): -2.0,  # a supplement page against a regular page
    ("venue", "different"): -4.0,  # journal and volume both differ: the text published a second time
    ("locator", "different"): -4.0,  # volume and first page both differ: rarely both garbled at once
    ("edition", "different"): -5.0,  # years two or more apart in other volumes: a later update or edition
    ("issue", "same"): 1.0,
    ("issue", "different"): -2.0,
    ("wording", "different"): -8.0,  # a word replaced by another: in vivo / in vitro, men / women
    ("wording", "negation"): -10.0,  # a negation added
    ("wording", "misspelt"): -2.0,  # one long word spelt much like the other's: a typing error
}


class FieldWeight(NamedTuple):
    field: str
    outcome: str
    weight: float


def banded(value: float, bands: tuple[tuple[float, float, str], ...], below: float) -> tuple[float, str]:
    """The weight and outcome name of a similarity (0-1)."""
    for threshold, weight, name in bands:
        if value >= threshold:
            return weight, name
    return below, "different"


def title_weight(similarity: float, informative: bool, significant_words: int) -> FieldWeight:
    weight, outcome = banded(similarity, TITLE_BANDS, TITLE_UNRELATED)
    if weight > 0 and not informative:
        weight, outcome = min(weight, GENERIC_TITLE_CAP), f"{outcome}, generic"
    elif weight > 0 and significant_words < SHORT_TITLE_WORDS:
        weight, outcome = weight - SHORT_TITLE_PENALTY, f"{outcome}, short"
    return FieldWeight("title", outcome, weight)


def abstract_weight(similarity: float) -> FieldWeight:
    weight, outcome = banded(similarity, ABSTRACT_BANDS, ABSTRACT_UNRELATED)
    return FieldWeight("abstract", outcome, weight)


def outcome_weight(field: str, outcome: str) -> FieldWeight:
    return FieldWeight(field, outcome, OUTCOME_WEIGHTS.get((field, outcome), 0.0))


def _content_capped(weights: list[FieldWeight]) -> bool:
    content = sum(w.weight for w in weights if w.field in CONTENT_FIELDS and w.weight > 0)
    return content > CONTENT_CAP and any(w.weight < 0 for w in weights)


def total(weights: list[FieldWeight]) -> float:
    """The pair's total weight; with any field against, title, abstract and authors count at most
    ``CONTENT_CAP`` together (see there)."""
    if _content_capped(weights):
        content = sum(w.weight for w in weights if w.field in CONTENT_FIELDS and w.weight > 0)
        return sum(w.weight for w in weights) - content + CONTENT_CAP
    return sum(w.weight for w in weights)


def describe(weights: list[FieldWeight]) -> str:
    """``title=same +10 authors=agree +3 year=off by one +0.5 ... total=+13.5`` (absent fields left out)."""
    shown = [f"{w.field}={w.outcome} {w.weight:+g}" for w in weights if w.outcome != "missing"]
    if _content_capped(weights):
        shown.append(f"(title+abstract+authors capped at +{CONTENT_CAP:g})")
    return " ".join([*shown, f"total={total(weights):+g}"])
