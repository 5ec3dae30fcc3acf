"""Reports of one study: candidate links between different works, and the links people confirm.

PRISMA 2020 counts studies and reports apart: a preprint and its published
version, a conference abstract and the full article, or companion papers of
one trial are different works (each screened as its own record), but once
included they are one study with several reports.

``find_related(records, clusters)`` lists candidate pairs of works for
``data/processed/dedupe/related.csv``, each with the reason it is listed:

- ``preprint``: a preprint (preprint server DOI prefix such as 10.1101
  bioRxiv/medRxiv, 10.48550 arXiv, 10.2139 SSRN, 10.21203 Research Square, or
  a preprint server named as the source) and a work of another kind with a
  similar title, within three years, with an author in common when both
  name authors;
- ``conference_abstract``: a conference abstract (a conference record, or a
  source that is a meeting or its abstracts) and a work of another kind, on
  the same terms;
- ``registry_id``: works that name the same trial or review registration
  (NCT..., ISRCTN..., ACTRN..., EudraCT, PROSPERO CRD..., and the other
  registries :func:`reviewflow.dedupe.normalise.registry_ids` reads) anywhere
  in their title, abstract, keywords or notes.

People confirm links in ``data/raw/decisions/studies.csv``:
``record_id_a,record_id_b,verdict,note`` with verdict ``same`` (reports of one
study) or ``different``. ``study_ids`` turns the confirmed links into a study
for every work: the works a chain of ``same`` links joins are one study, named
by its earliest work's cluster id. Nothing is linked without a person's
verdict.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from ..csvio import ROW, read_people_csv
from ..errors import ReviewError, ReviewErrors
from .normalise import (
    PREPRINT_DOI_PREFIXES,
    REGISTRY_HOSTS,
    author_keys,
    doi_key,
    publication_kind,
    registry_ids,
    title_forms,
    year_number,
)
from .overrides import check_overrides

RELATED_COLUMNS = (
    "record_id_a",
    "record_id_b",
    "verdict",
    "note",
    "relation",
    "reason",
    "title_a",
    "title_b",
    "year_a",
    "year_b",
    "source_a",
    "source_b",
    "cluster_id_a",
    "cluster_id_b",
)
STUDY_COLUMNS = ("record_id_a", "record_id_b", "verdict", "note")
STUDY_FIX = (
    "one row per pair: record_id_a, record_id_b, verdict (same: reports of one study; different), note; "
    "copy the ids from data/processed/dedupe/related.csv"
)
#: Title similarity (rapidfuzz, 0-100) at which a preprint or an abstract and another work are listed: the
#: words in any order, or one title's words all in the other (a word added or dropped on publication).
#: Candidates only: a person decides, and the authors and years must agree too.
TITLE_SIMILARITY = 85
TITLE_CONTAINED = 95
#: Most years between the two reports (a preprint or an abstract comes first, or in the same year).
YEARS_APART = 3
#: A registration named by more works than this links each to the earliest only (not every pair).
STAR_ABOVE = 6

_WORD = re.compile(r"[a-z0-9]+")
#: "ISRCTN 12345678", "NCT: 01234567", "CRD 42019..." as people write them, joined to the form registries print
_SPACED_ID = re.compile(r"\b(NCT|ISRCTN|ACTRN|DRKS|PACTR|CRD|UMIN|KCT|TCTR)[\s:#-]{1,3}(?=\d)", re.IGNORECASE)
#: Substrings one of which every registration the shared pattern reads contains, as registries print them ("CT": NCT,
#: ISRCTN, IRCT, KCT, ACTRN, ChiCTR, CTRI, EUCTR, PACTR, SLCTR, TCTR, EudraCT); a record with none names no registration.
#: Each is one pass through all the texts, so they are few.
_ID_PREFIXES = ("CT", "nct", "CRD", "DRKS", "UMIN", "JPRN", "NTR", "NL", "udra")
#: A EudraCT number after the word (the shared pattern reads one followed by it)
_EUDRACT = re.compile(r"eudract\D{0,30}?(\d{4}-\d{6}-\d{2})", re.IGNORECASE)
_ABSTRACT_SOURCE = re.compile(r"\b(?:abstracts?|proceedings|conference|congress|symposium|annual meeting|scientific meeting)\b",
                              re.IGNORECASE)


def _kinds(frame: pd.DataFrame) -> list[str]:
    """Each record: preprint, conference (an abstract or paper of a meeting), registry, or "" for any other work.

    ``publication_kind`` decides, once per distinct type, source and publisher;
    the DOI prefix and the web address, which it reads too, are checked on the
    whole columns at once.
    """
    sources = list(zip(frame["type"].tolist(), frame["journal"].tolist(), frame["publisher"].tolist(), strict=True))
    kind_of_source = {key: _source_kind(*key) for key in set(sources)}
    kinds = [kind_of_source[key] for key in sources]
    doi = frame["doi"].str.strip().str.lower().str.replace(r"^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*", "", regex=True)
    preprint = doi.str.startswith(PREPRINT_DOI_PREFIXES).tolist()
    url = frame["url"].str.lower()
    registry = url.str.contains("|".join(re.escape(h) for h in REGISTRY_HOSTS), regex=True).tolist() if len(url) else []
    return ["registry" if r else "preprint" if p else k for k, p, r in zip(kinds, preprint, registry, strict=True)]


def _source_kind(kind: str, journal: str, publisher: str) -> str:
    found = publication_kind(kind.strip().lower(), journal, publisher, "", "")
    if found in ("preprint", "registry"):
        return found
    if found == "conference" or _ABSTRACT_SOURCE.search(journal or "") or "abstract" in kind.lower():
        return "conference"
    return ""


def _describe(kind: str, row: dict[str, str]) -> str:
    doi = doi_key(row["doi"])
    source = row["journal"] or row["publisher"] or row["database"]
    what = "a preprint" if kind == "preprint" else "a conference abstract"
    return f"{what} ({source}{', DOI ' + doi if doi else ''})"


def _mentioning(texts: list[str], substrings: tuple[str, ...]) -> list[int]:
    """Positions of the texts that hold any of the substrings, in order.

    One search of each substring through all the texts joined (instead of
    every substring in every text): most records name no registration.
    """
    import bisect

    # as UTF-8 bytes: one byte per character of ASCII text, whatever else the texts hold
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    joined = b"\x00".join(encoded)
    starts = list(itertools.accumulate((len(t) + 1 for t in encoded[:-1]), initial=0))
    found: set[int] = set()
    for substring in substrings:
        needle = substring.encode()
        at = joined.find(needle)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            found.add(i)
            at = joined.find(needle, starts[i + 1] if i + 1 < len(starts) else len(joined))
    return sorted(found)


def registrations(*texts: str) -> set[str]:
    """Trial and review registrations named in the texts (NCT04123456, ISRCTN12345678, EUCTR2015-001234-56, ...)."""
    text = " ".join(t for t in texts if t)
    if not any(prefix in text for prefix in _ID_PREFIXES):  # plain substring tests: far quicker than any pattern
        return set()
    if _SPACED_ID.search(text):
        text = _SPACED_ID.sub(lambda m: m.group(1), text)
    found = set(registry_ids(text))
    if "eudract" in text.lower():
        found |= {f"EUCTR{number}" for number in _EUDRACT.findall(text)}
        found = {f for f in found if not re.fullmatch(r"\d{4}-\d{6}-\d{2}", f)} | {
            f"EUCTR{f}" for f in found if re.fullmatch(r"\d{4}-\d{6}-\d{2}", f)}
    return found


def find_related(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Candidate pairs of works that may be reports of one study, one row per pair of works, with the reason."""
    cluster_ids = clusters["cluster_id"].tolist()
    cluster_of = dict(zip(clusters["record_id"].tolist(), cluster_ids, strict=True))
    fields = ["record_id", "title", "authors", "year", "journal", "doi", "abstract", "keywords", "type", "url",
              "publisher", "database", "raw"]
    frame = pd.DataFrame({f: records[f].fillna("").astype(str) if f in records else "" for f in fields}, index=records.index)
    columns = {f: frame[f].tolist() for f in fields}
    ids = columns["record_id"]
    works_of = [cluster_of[r] for r in ids]

    def row(i: int) -> dict[str, str]:
        return {f: columns[f][i] for f in fields}

    order: dict[str, int] = {}
    for cluster_id in cluster_ids:
        order.setdefault(cluster_id, len(order))
    pairs: dict[tuple[str, str], dict[str, str]] = {}

    def add(i: int, j: int, relation: str, reason: str) -> None:
        ca, cb = works_of[i], works_of[j]
        if ca == cb:
            return
        key = (ca, cb) if order[ca] <= order[cb] else (cb, ca)
        if key in pairs:  # another record of the same two works: one reason per relation is enough
            if relation not in pairs[key]["relation"].split("; "):
                pairs[key]["reason"] += "; " + reason
                pairs[key]["relation"] += "; " + relation
            return
        first, second = (row(i), row(j)) if key[0] == ca else (row(j), row(i))
        pairs[key] = {
            "record_id_a": first["record_id"], "record_id_b": second["record_id"], "verdict": "", "note": "",
            "relation": relation, "reason": reason, "title_a": first["title"], "title_b": second["title"],
            "year_a": first["year"], "year_b": second["year"], "source_a": first["journal"] or first["database"],
            "source_b": second["journal"] or second["database"], "cluster_id_a": key[0], "cluster_id_b": key[1],
        }

    # companion reports: the same registration named anywhere in the record (its raw fields hold every field
    # as exported, notes included; the title, abstract and keywords when there are no raw fields)
    named: dict[str, list[int]] = {}
    texts = [raw or " ".join((columns["title"][i], columns["abstract"][i], columns["keywords"][i]))
             for i, raw in enumerate(columns["raw"])]
    for i in _mentioning(texts, _ID_PREFIXES):
        for registration in sorted(registrations(texts[i])):
            works = named.setdefault(registration, [])
            if all(works_of[w] != works_of[i] for w in works):
                works.append(i)
    for registration, works in named.items():
        if len(works) < 2:
            continue
        links = [(works[0], w) for w in works[1:]] if len(works) > STAR_ABOVE else \
            [(a, b) for n, a in enumerate(works) for b in works[n + 1:]]
        for a, b in links:
            add(a, b, "registry_id", f"both name the registration {registration}")

    # a preprint or a conference abstract, and a work of another kind with a similar title
    kinds = _kinds(frame)
    special = [i for i, kind in enumerate(kinds) if kind in ("preprint", "conference")]
    if special:
        words = [set(_WORD.findall(title.lower())) for title in columns["title"]]
        pool = {i: sorted((w for w in words[i] if len(w) >= 4), key=lambda w: (-len(w), w))[:6] for i in special}
        index: dict[str, list[int]] = {w: [] for ws in pool.values() for w in ws}
        keys = index.keys()
        for j, ws in enumerate(words):
            if not ws.isdisjoint(keys):
                for w in ws & keys:
                    index[w].append(j)
        # of each title's six longest words, the three fewest other titles have
        wanted = {i: sorted(ws, key=lambda w: (len(index[w]), w))[:3] for i, ws in pool.items()}
        for i in special:
            hits: dict[int, int] = {}
            for w in wanted[i]:
                for j in index[w]:
                    hits[j] = hits.get(j, 0) + 1
            enough = min(2, len(wanted[i]))  # two of the three longest words (or all, for shorter titles)
            candidates = [j for j, n in hits.items() if n >= enough and kinds[j] != kinds[i] and kinds[j] != "registry"
                          and works_of[j] != works_of[i]
                          and len(words[i] & words[j]) >= 0.6 * min(len(words[i]), len(words[j]))]
            for j in sorted(candidates):
                reason = _report_pair(row(i), kinds[i], row(j), kinds[j])
                if reason:
                    add(i, j, kinds[i] if kinds[i] == "preprint" else "conference_abstract", reason)
    result = pd.DataFrame(list(pairs.values()), columns=list(RELATED_COLUMNS))
    if len(result):
        result = result.assign(_a=result["cluster_id_a"].map(order), _b=result["cluster_id_b"].map(order))
        result = result.sort_values(["_a", "_b"], kind="stable").drop(columns=["_a", "_b"]).reset_index(drop=True)
    return result


def _report_pair(a: dict[str, str], kind_a: str, b: dict[str, str], kind_b: str) -> str:
    """Why a (a preprint or an abstract) and b look like two reports of one study; "" when they do not."""
    title_a, title_b = title_forms(a["title"]), title_forms(b["title"])
    if not title_a.informative or not title_b.informative:
        return ""
    similarity = max(fuzz.token_sort_ratio(title_a.main, title_b.main), fuzz.ratio(title_a.full, title_b.full))
    if similarity < TITLE_SIMILARITY:
        contained = fuzz.token_set_ratio(title_a.main, title_b.main)
        if contained < TITLE_CONTAINED:
            return ""
        similarity = contained
    year_a, year_b = year_number(a["year"]), year_number(b["year"])
    if year_a and year_b and (abs(year_a - year_b) > YEARS_APART or (not kind_b and year_a > year_b + 1)):
        return ""  # too far apart, or the preprint (abstract) long after the article
    authors_a, authors_b = author_keys(a["authors"]), author_keys(b["authors"])
    shared = [name for name in authors_a if name in set(authors_b)]
    if authors_a and authors_b and not shared:
        return ""
    other = _describe(kind_b, b) if kind_b else f"a {b['type'] or 'work'} in {b['journal'] or b['database'] or 'another source'}"
    parts = [f"{_describe(kind_a, a)} and {other}", f"titles {similarity / 100:.2f} similar"]
    if year_a and year_b:
        parts.append(f"years {year_a} and {year_b}")
    parts.append(f"authors in common: {', '.join(shared[:3])}" if shared else "authors not given on both")
    return "; ".join(parts)


# ----------------------------------------------------------------------------- people's verdicts


def read_study_links(path: Path, record_ids: Iterable[str]) -> pd.DataFrame:
    """``data/raw/decisions/studies.csv``, checked; every error names the file, row and column."""
    frame = read_people_csv(path, STUDY_COLUMNS[:3], what="study links", fix=STUDY_FIX)
    return check_study_links(frame, record_ids, file=path)


def check_study_links(frame: pd.DataFrame | None, record_ids: Iterable[str], file: str | Path | None = None) -> pd.DataFrame:
    """The links with verdicts in lower case, checked against the records' ids (as duplicates.csv is checked)."""
    return check_overrides(frame, record_ids, file, what="study links", id_source="data/processed/dedupe/related.csv",
                           verdict_fix="write same (reports of one study) or different")


def study_ids(clusters: pd.DataFrame, links: pd.DataFrame | None, file: str | Path | None = None) -> dict[str, str]:
    """cluster_id -> study_id for the works that ``same`` links join (other works are their own study).

    A study is named by its earliest work's cluster id. A ``different`` pair
    that a chain of ``same`` links joins is an error naming its row.
    """
    if links is None or links.empty:
        return {}
    cluster_of = dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True))
    order: dict[str, int] = {}
    for cluster_id in clusters["cluster_id"]:
        order.setdefault(cluster_id, len(order))
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            parent[c] = parent.get(parent[c], parent[c])
            c = parent[c]
        return c

    for row in links[links["verdict"] == "same"].itertuples(index=False):
        ra, rb = root(cluster_of[row.record_id_a]), root(cluster_of[row.record_id_b])
        if ra != rb:
            first, second = (ra, rb) if order[ra] <= order[rb] else (rb, ra)
            parent[second] = first
    errors = [
        ReviewError(f"{row.record_id_a} and {row.record_id_b} are 'different', but 'same' links join their works into "
                    f"one study ({root(cluster_of[row.record_id_a])})", file=file, row=int(getattr(row, ROW)),
                    column="verdict", fix="check the 'same' rows that chain these two works together")
        for row in links[links["verdict"] == "different"].itertuples(index=False)
        if root(cluster_of[row.record_id_a]) == root(cluster_of[row.record_id_b])
        and cluster_of[row.record_id_a] != cluster_of[row.record_id_b]
    ]
    if errors:
        raise ReviewErrors(errors, f"{file or 'the study links'}: the links contradict each other")
    touched = {cluster_of[r] for column in ("record_id_a", "record_id_b")
               for r in links.loc[links["verdict"] == "same", column]}
    return {c: root(c) for c in touched}
