"""The words of screening: decisions and their spellings, reason codes, record ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

DECISIONS = ("include", "exclude", "maybe")

#: The reviewer name of the file that settles disagreements (``<stage>/adjudication.csv``).
ADJUDICATION = "adjudication"

#: Spellings people use, mapped to the three decisions (matched case-insensitively).
DECISION_SYNONYMS: dict[str, str] = {
    **{w: "include" for w in ("include", "included", "incl", "in", "i", "yes", "y", "keep", "relevant", "1")},
    **{w: "exclude" for w in ("exclude", "excluded", "excl", "out", "x", "e", "no", "n", "irrelevant", "0")},
    **{w: "maybe" for w in ("maybe", "unsure", "uncertain", "?", "m", "possibly", "undecided")},
}

#: A record id as the importer writes it: round, content hash, occurrence suffix.
RECORD_ID = re.compile(r"^R\d+-[0-9a-f]{12}(?:-\d+)?$")
_LOOSE_RECORD_ID = re.compile(r"^r(\d+)-([0-9a-f]{12})(-\d+)?$", re.IGNORECASE)

#: Separators between several reason codes in one cell.
REASON_SEPARATORS = re.compile(r"[;,|]")


def decision_words(config: dict[str, Any]) -> dict[str, str]:
    """The review's own spellings (``decisions.synonyms``), lower-cased; they win over the built-in ones."""
    return {" ".join(k.split()).lower(): v for k, v in config.get("decisions", {}).get("synonyms", {}).items()}


def normalise_decision(value: str, synonyms: dict[str, str]) -> str | None:
    """``include``, ``exclude`` or ``maybe``; ``""`` for an empty cell; None when not a decision."""
    word = " ".join(value.split()).lower()
    if not word:
        return ""
    return synonyms.get(word) or DECISION_SYNONYMS.get(word)


def canonical_record_id(value: str) -> str | None:
    """The record id as the pipeline writes it, or None.

    Forgives what people and spreadsheets do to an id: stray spaces, a
    leading apostrophe, capitals, a round without its leading zero (``R3-``).
    """
    text = value.strip().lstrip("'").strip()
    match = _LOOSE_RECORD_ID.match(text)
    if not match:
        return None
    round_number, digest, suffix = match.groups()
    return f"R{int(round_number):02d}-{digest.lower()}{suffix or ''}"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Criteria:
    """Reason codes from the configuration.

    ``labels`` maps each exclusion code to its short label; ``inclusion`` each
    inclusion code to its text. A reason may be written as its code or its
    label, in any case.
    """

    labels: dict[str, str]  # exclusion code -> short label
    not_retrieved: set[str]
    inclusion: dict[str, str] = field(default_factory=dict)  # inclusion code -> text

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Criteria:
        labels: dict[str, str] = {}
        not_retrieved: set[str] = set()
        for criterion in config["criteria"]["exclusion"]:
            labels[criterion["code"]] = criterion.get("label") or criterion["text"]
            if criterion.get("not_retrieved"):
                not_retrieved.add(criterion["code"])
        inclusion = {c["code"]: c.get("label") or c["text"] for c in config["criteria"].get("inclusion", [])}
        return cls(labels, not_retrieved, inclusion)

    def canonical(self, code: str) -> str | None:
        """The exclusion code written as ``code`` (its code or its label, any case), or None."""
        wanted = _key(code)
        for known, label in self.labels.items():
            if wanted in (known.casefold(), _key(label)):
                return known
        return None

    def inclusion_code(self, code: str) -> str | None:
        wanted = _key(code)
        for known, text in self.inclusion.items():
            if wanted in (known.casefold(), _key(text)):
                return known
        return None

    def exclusion_codes(self) -> str:
        return ", ".join(self.labels)


def split_reasons(cell: str) -> list[str]:
    """The reason codes written in one cell (``GEO; NOTEMP``)."""
    return [part.strip() for part in REASON_SEPARATORS.split(cell) if part.strip()]


def primary_reason(reason: str) -> str:
    """The first code of a ``;``-joined reason: the one PRISMA counts."""
    return reason.split(";")[0] if reason else ""


def maybe_passes(stage: dict[str, Any]) -> bool:
    """Whether a 'maybe' counts as include at a stage (``maybe: include``)."""
    return bool(stage.get("maybe", "include") == "include")
