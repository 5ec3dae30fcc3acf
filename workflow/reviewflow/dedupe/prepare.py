"""Every record's comparison forms, computed once (see :mod:`reviewflow.dedupe.normalise`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .normalise import (
    TitleForms,
    abstract_form,
    author_keys,
    author_words,
    doi_key,
    issue_key,
    first_page,
    journal_forms,
    publication_kind,
    registry_ids,
    title_forms,
    url_key,
    volume_key,
    year_number,
)


@dataclass
class Prepared:
    """Column-wise comparison forms of the records, in the records' order."""

    record_id: list[str]
    round: np.ndarray  # int
    doi: list[str]
    title: list[TitleForms]
    title_full: list[str]
    authors: list[tuple[str, ...]]
    authors_text: list[str]  # surname keys joined by spaces
    author_words: list[str]  # every name word, sorted: the same however the field is split into authors
    year: np.ndarray  # int, 0 when unknown
    journal: list[tuple[tuple[str, ...], ...]]
    volume: list[str]
    issue: list[str]  # the issue's number ("" when unknown)
    page_start: list[str]
    page_end: list[str]
    abstract: list[str]
    kind: list[str]
    registry: list[frozenset[str]]
    url: list[str]  # url_key of the record's web address

    def __len__(self) -> int:
        return len(self.record_id)


#: What databases and spreadsheets write for "no value".
MISSING = frozenset({"na", "n/a", "n.a.", "nan", "null", "none", "-", "--", "[no title]", "no title", "[not available]"})


def _column(records: pd.DataFrame, name: str) -> list[str]:
    if name not in records:
        return [""] * len(records)
    values = ["" if value is None or value != value else str(value) for value in records[name].tolist()]
    return ["" if len(v) <= 16 and v.strip().lower() in MISSING else v for v in values]


def prepare(records: pd.DataFrame) -> Prepared:
    title = _column(records, "title")
    doi = [doi_key(d) for d in _column(records, "doi")]
    journal_text = _column(records, "journal")
    publisher = _column(records, "publisher")
    url = _column(records, "url")
    kind_field = _column(records, "type")
    abstract_text = _column(records, "abstract")
    titles = [title_forms(t) for t in title]
    author_text = _column(records, "authors")
    authors = [author_keys(a) for a in author_text]
    pages = [first_page(p) for p in _column(records, "pages")]
    rounds = records["round"].astype(int).to_numpy() if "round" in records else np.ones(len(records), dtype=int)
    return Prepared(
        record_id=_column(records, "record_id"),
        round=rounds,
        doi=doi,
        title=titles,
        title_full=[t.full for t in titles],
        authors=authors,
        authors_text=[" ".join(a) for a in authors],
        author_words=[author_words(a) for a in author_text],
        year=np.array([year_number(y) for y in _column(records, "year")], dtype=np.int32),
        journal=[journal_forms(j) for j in journal_text],
        volume=[volume_key(v) for v in _column(records, "volume")],
        issue=[issue_key(v) for v in _column(records, "issue")],
        page_start=[p[0] for p in pages],
        page_end=[p[1] for p in pages],
        abstract=[abstract_form(a) for a in abstract_text],
        kind=[
            publication_kind(k, j, p, d, u)
            for k, j, p, d, u in zip(kind_field, journal_text, publisher, doi, url, strict=True)
        ],
        registry=[registry_ids(t, u, j, d) for t, u, j, d in zip(title, url, journal_text, doi, strict=True)],
        url=[url_key(u) for u in url],
    )
