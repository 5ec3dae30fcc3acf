"""The common record: the columns every importer fills, and stable record ids.

A record is one entry of one export file. ``records.csv`` holds one row per
record read, in canonical order (round, then the file's row in the search
log, then the record's position in its file), so "earliest" always means
"first row".

Record ids depend on the round and on the record's *content*, never on its
position: the id is ``R<round>-<hash>`` where the hash is taken over the
record's raw fields exactly as the database wrote them (``raw``). Re-exporting
a file in another order, or adding rounds, leaves every existing id unchanged.
Identical copies within one round get an occurrence suffix (``-2``, ``-3``...);
as the copies are identical, which one gets which suffix does not matter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

#: Normalised bibliographic fields, all strings ("" when absent).
#: ``authors`` and ``keywords`` are lists joined with "; "; authors in the
#: form "Surname, Given". ``doi`` is bare and lower-case (``10.xxxx/...``).
BIBLIO_FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",
    "language",
    "type",
    "url",
    "issn",
    "isbn",
    "publisher",
)

#: Where a record came from.
PROVENANCE_FIELDS: tuple[str, ...] = (
    "record_id",
    "round",
    "source_type",
    "database",
    "source_file",
    "source_index",
    "source_line",
)

#: Columns of ``records.csv``. ``raw`` is the JSON object of every original
#: field of the record (tag or column -> list of values), so nothing the
#: database wrote is lost.
RECORD_COLUMNS: tuple[str, ...] = (*PROVENANCE_FIELDS, *BIBLIO_FIELDS, "raw")

LIST_SEPARATOR = "; "

#: Hex digits of the content hash in a record id (48 bits: a collision inside
#: one round of a few hundred thousand records has odds below 1 in 1,000).
ID_HASH_LENGTH = 12


def canonical_raw(raw: Mapping[str, Sequence[str]]) -> str:
    """The raw fields as canonical JSON: keys sorted, values kept in order."""
    return json.dumps(
        {key: list(values) for key, values in raw.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def content_hash(raw: Mapping[str, Sequence[str]]) -> str:
    digest = hashlib.sha256(canonical_raw(raw).encode("utf-8")).hexdigest()
    return digest[:ID_HASH_LENGTH]


def format_round(round_number: int) -> str:
    return f"R{round_number:02d}"


def assign_record_ids(rounds: Iterable[int], raws: Iterable[Mapping[str, Sequence[str]]]) -> list[str]:
    """Ids for records given in canonical order.

    Identical raw content within one round is told apart by an occurrence
    number, counted in canonical order.
    """
    seen: dict[str, int] = {}
    ids: list[str] = []
    for round_number, raw in zip(rounds, raws, strict=True):
        base = f"{format_round(int(round_number))}-{content_hash(raw)}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def split_list(value: str) -> list[str]:
    """Split a "; "-joined list field (authors, keywords) into its items."""
    return [item.strip() for item in value.split(";") if item.strip()] if value else []
