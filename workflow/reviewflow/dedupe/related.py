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

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from ..csvio import ROW, read_people_csv
from ..errors import ReviewError, ReviewErrors
from .normalise import author_keys, doi_key, publication_kind, registry_ids, title_forms, year_number

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
STUDY_VERDICTS = ("same", "different")
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
#: A EudraCT number after the word (the shared pattern reads one followed by it)
_EUDRACT = re.compile(r"eudract\D{0,30}?(\d{4}-\d{6}-\d{2})", re.IGNORECASE)
_ABSTRACT_SOURCE = re.compile(r"\b(?:abstracts?|proceedings|conference|congress|symposium|annual meeting|scientific meeting)\b",
                              re.IGNORECASE)


def _kind(row: dict[str, str]) -> str:
    """preprint, conference (an abstract or paper of a meeting), registry, or "" for any other work."""
    kind = publication_kind(row["type"].strip().lower(), row["journal"], row["publisher"], doi_key(row["doi"]), row["url"])
    if kind in ("preprint", "registry"):
        return kind
    if kind == "conference" or _ABSTRACT_SOURCE.search(row["journal"] or "") or "abstract" in row["type"].lower():
        return "conference"
    return ""


def _describe(kind: str, row: dict[str, str]) -> str:
    doi = doi_key(row["doi"])
    source = row["journal"] or row["publisher"] or row["database"]
    what = "a preprint" if kind == "preprint" else "a conference abstract"
    return f"{what} ({source}{', DOI ' + doi if doi else ''})"


def registrations(*texts: str) -> set[str]:
    """Trial and review registrations named in the texts (NCT04123456, ISRCTN12345678, EUCTR2015-001234-56, ...)."""
    text = " ".join(t for t in texts if t)
    if "ISRCTN " in text.upper() or _SPACED_ID.search(text):
        text = _SPACED_ID.sub(lambda m: m.group(1), text)
    found = set(registry_ids(text))
    if "eudract" in text.lower():
        found |= {f"EUCTR{number}" for number in _EUDRACT.findall(text)}
        found = {f for f in found if not re.fullmatch(r"\d{4}-\d{6}-\d{2}", f)} | {
            f"EUCTR{f}" for f in found if re.fullmatch(r"\d{4}-\d{6}-\d{2}", f)}
    return found


def find_related(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Candidate pairs of works that may be reports of one study, one row per pair of works, with the reason."""
    cluster_of = dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True))
    fields = ["record_id", "title", "authors", "year", "journal", "doi", "abstract", "keywords", "type", "url",
              "publisher", "database", "raw"]
    rows = records[[f for f in fields if f in records.columns]].fillna("").astype(str).to_dict("records")
    for row in rows:
        for f in fields:
            row.setdefault(f, "")
    pairs: dict[tuple[str, str], dict[str, str]] = {}

    def add(a: dict[str, str], b: dict[str, str], relation: str, reason: str) -> None:
        ca, cb = cluster_of[a["record_id"]], cluster_of[b["record_id"]]
        if ca == cb:
            return
        key = (ca, cb) if order[ca] <= order[cb] else (cb, ca)
        if key in pairs:
            if reason not in pairs[key]["reason"]:
                pairs[key]["reason"] += "; " + reason
                pairs[key]["relation"] += "; " + relation
            return
        first, second = (a, b) if key[0] == ca else (b, a)
        pairs[key] = {
            "record_id_a": first["record_id"], "record_id_b": second["record_id"], "verdict": "", "note": "",
            "relation": relation, "reason": reason, "title_a": first["title"], "title_b": second["title"],
            "year_a": first["year"], "year_b": second["year"], "source_a": first["journal"] or first["database"],
            "source_b": second["journal"] or second["database"], "cluster_id_a": key[0], "cluster_id_b": key[1],
        }

    order: dict[str, int] = {}
    for cluster_id in clusters["cluster_id"]:
        order.setdefault(cluster_id, len(order))

    # companion reports: the same registration named anywhere in the record
    named: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        for registration in sorted(registrations(row["title"], row["abstract"], row["keywords"], row["raw"])):
            works = named.setdefault(registration, [])
            if all(cluster_of[w["record_id"]] != cluster_of[row["record_id"]] for w in works):
                works.append(row)
    for registration, works in named.items():
        if len(works) < 2:
            continue
        links = [(works[0], w) for w in works[1:]] if len(works) > STAR_ABOVE else \
            [(a, b) for i, a in enumerate(works) for b in works[i + 1:]]
        for a, b in links:
            add(a, b, "registry_id", f"both name the registration {registration}")

    # a preprint or a conference abstract, and a work of another kind with a similar title
    kinds = [_kind(row) for row in rows]
    special = [i for i, kind in enumerate(kinds) if kind in ("preprint", "conference")]
    if special:
        words = [set(_WORD.findall(row["title"].lower())) for row in rows]
        wanted = {i: sorted((w for w in words[i] if len(w) >= 4), key=lambda w: (-len(w), w))[:3] for i in special}
        index: dict[str, list[int]] = {w: [] for ws in wanted.values() for w in ws}
        for j, ws in enumerate(words):
            for w in ws & index.keys():
                index[w].append(j)
        for i in special:
            a = rows[i]
            candidates = {j for w in wanted[i] for j in index[w] if kinds[j] != kinds[i] and kinds[j] != "registry"}
            for j in sorted(candidates):
                reason = _report_pair(a, kinds[i], rows[j], kinds[j])
                if reason:
                    add(a, rows[j], kinds[i] if kinds[i] == "preprint" else "conference_abstract", reason)
    frame = pd.DataFrame(list(pairs.values()), columns=list(RELATED_COLUMNS))
    if len(frame):
        frame = frame.assign(_a=frame["cluster_id_a"].map(order), _b=frame["cluster_id_b"].map(order))
        frame = frame.sort_values(["_a", "_b"], kind="stable").drop(columns=["_a", "_b"]).reset_index(drop=True)
    return frame


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
    """The links with verdicts in lower case, checked against the records' ids."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[*STUDY_COLUMNS, ROW])
    frame = frame.copy()
    if "note" not in frame:
        frame["note"] = ""
    if ROW not in frame:
        frame[ROW] = range(2, len(frame) + 2)
    known = set(record_ids)
    errors: list[ReviewError] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    verdicts = []
    for row in frame.itertuples(index=False):
        number = int(getattr(row, ROW))
        a, b = str(row.record_id_a).strip(), str(row.record_id_b).strip()
        verdict = str(row.verdict).strip().lower()
        verdicts.append(verdict)
        for column, value in (("record_id_a", a), ("record_id_b", b)):
            if not value:
                errors.append(ReviewError("the record id is empty", file=file, row=number, column=column,
                                          fix="give both records' ids"))
            elif value not in known:
                errors.append(ReviewError(f"'{value}' is not a record id of this review", file=file, row=number,
                                          column=column, fix="copy the id from data/processed/dedupe/related.csv or "
                                                             "clusters.csv (ids look like R03-1a2b3c4d5e6f)"))
        if a and a == b:
            errors.append(ReviewError("a record is paired with itself", file=file, row=number, column="record_id_b",
                                      fix="name two different records"))
        if verdict not in STUDY_VERDICTS:
            errors.append(ReviewError(f"'{row.verdict}' is not a verdict", file=file, row=number, column="verdict",
                                      fix="write same (reports of one study) or different"))
            continue
        pair = (a, b) if a <= b else (b, a)
        if pair in seen and seen[pair][0] != verdict:
            errors.append(ReviewError(f"row {seen[pair][1]} decided the same pair '{seen[pair][0]}'", file=file,
                                      row=number, column="verdict", fix="keep one decision per pair"))
        seen.setdefault(pair, (verdict, number))
    if errors:
        raise ReviewErrors(errors, f"{file or 'the study links'}: problems in the study links")
    frame["verdict"] = verdicts
    for column in ("record_id_a", "record_id_b"):
        frame[column] = frame[column].astype(str).str.strip()
    return frame


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
