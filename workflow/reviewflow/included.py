"""The included studies: full references for the report, and RIS and CSV for reference managers.

An included work is a cluster of records (a work found by several searches).
Its bibliographic details are those of its primary record, each empty field
filled from the other records of the cluster in ledger order (one export may
give the DOI another lacks). The printed reference is the evidence log's
reference field when the review codes one (the team's own wording), otherwise
one formatted from the details.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .records import BIBLIO_FIELDS, LIST_SEPARATOR

#: RIS reference types for the records' ``type``; an untyped record with a journal is an article.
RIS_TYPES = {
    "article": "JOUR",
    "journal article": "JOUR",
    "report": "RPRT",
    "book": "BOOK",
    "chapter": "CHAP",
    "book chapter": "CHAP",
    "thesis": "THES",
    "conference": "CPAPER",
    "conference paper": "CPAPER",
    "dataset": "DATA",
    "web page": "ELEC",
    "webpage": "ELEC",
}

EXPORT_COLUMNS = ("record_id", "cluster_id", "study_id", "reference", *[f for f in BIBLIO_FIELDS if f != "abstract"], "abstract",
                  "lane", "source_type", "database", "records_in_cluster")


def reference_field(config: dict[str, Any]) -> str | None:
    """The evidence-log field holding a study's reference: ``report.reference_field``, else ``reference`` if coded."""
    report = config.get("report", {})
    if "reference_field" in report:
        return report["reference_field"] or None
    names = {f["name"] for f in config["evidence_log"]["fields"]}
    return "reference" if "reference" in names else None


def included_works(ledger: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """One row per included work: its primary record's ids and the best details of its cluster, in ledger order."""
    included = ledger[(ledger["fate"] == "included") & (ledger["role"] == "primary")]
    members = ledger[ledger["cluster_id"].isin(set(included["cluster_id"]))]
    records_of: dict[str, list[str]] = {}
    for record_id, cluster_id in zip(members["record_id"], members["cluster_id"], strict=True):
        records_of.setdefault(cluster_id, []).append(record_id)
    wanted = records[records["record_id"].isin(set(members["record_id"]))]
    info = {row["record_id"]: row for row in wanted[["record_id", *BIBLIO_FIELDS]].to_dict("records")}
    rows = []
    for work in included.to_dict("records"):
        ordered = [work["record_id"], *[r for r in records_of[work["cluster_id"]] if r != work["record_id"]]]
        row: dict[str, Any] = {"record_id": work["record_id"], "cluster_id": work["cluster_id"],
                               "study_id": work.get("study_id", work["cluster_id"]),
                               "lane": work["cluster_lane"], "source_type": work["source_type"],
                               "database": work["database"], "records_in_cluster": len(ordered)}
        for name in BIBLIO_FIELDS:
            row[name] = next((str(info[r][name]) for r in ordered if str(info[r][name]).strip()), "")
        rows.append(row)
    return pd.DataFrame(rows, columns=["record_id", "cluster_id", "study_id", *BIBLIO_FIELDS, "lane", "source_type",
                                       "database", "records_in_cluster"])


def _authors(authors: str) -> str:
    names = [a.strip() for a in authors.split(LIST_SEPARATOR.strip()) if a.strip()]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " & " + names[-1]
    return names[0] if names else ""


def format_reference(work: dict[str, Any]) -> str:
    """An author-date reference: Authors (Year) Title. Journal, Volume(Issue), Pages. Publisher. DOI or URL."""
    parts = []
    authors = _authors(work.get("authors", ""))
    year = work.get("year", "") or "n.d."
    title = (work.get("title") or "").strip().rstrip(".")
    parts.append(f"{authors} ({year})" if authors else f"({year})")
    if title:
        parts.append(f" {title}.")
    journal = work.get("journal", "")
    if journal:
        source = journal
        if work.get("volume"):
            source += f", {work['volume']}"
            if work.get("issue"):
                source += f"({work['issue']})"
        if work.get("pages"):
            source += f", {work['pages']}"
        parts.append(f" {source}.")
    elif work.get("publisher"):
        parts.append(f" {work['publisher']}.")
    if work.get("doi"):
        parts.append(f" https://doi.org/{work['doi']}")
    elif work.get("url"):
        parts.append(f" {work['url']}")
    return " ".join("".join(parts).split())


def with_references(works: pd.DataFrame, evidence: pd.DataFrame | None, reference_field: str | None) -> pd.DataFrame:
    """The works with their printed ``reference`` and coded fields, sorted as a reference list."""
    works = works.copy()
    coded = pd.DataFrame()
    if evidence is not None and len(evidence):
        coded = evidence.set_index("cluster_id")
    references = []
    for work in works.to_dict("records"):
        given = ""
        if reference_field and reference_field in coded.columns and work["cluster_id"] in coded.index:
            given = str(coded.at[work["cluster_id"], reference_field]).strip()
        references.append(given or format_reference({str(k): v for k, v in work.items()}))
    works["reference"] = pd.Series(references, index=works.index, dtype=object)
    if len(coded):
        extra = [c for c in coded.columns if c not in works.columns and c not in ("record_id", reference_field)]
        # a study's codes go to each of its reports
        by_study = coded.set_index("study_id") if "study_id" in coded.columns else coded
        key = works["study_id"] if "study_id" in coded.columns and "study_id" in works else works["cluster_id"]
        for column in extra:
            works[column] = key.map(by_study[column]).fillna("")
    key = works["reference"].map(lambda text: str(text).casefold())
    return works.assign(_key=key).sort_values(["_key", "record_id"], kind="stable").drop(columns="_key").reset_index(drop=True)


def to_csv_frame(works: pd.DataFrame) -> pd.DataFrame:
    """The columns of included_studies.csv: the export columns, then the evidence log's codes."""
    first = [c for c in EXPORT_COLUMNS if c in works.columns]
    return works[first + [c for c in works.columns if c not in first]]


def _ris_line(tag: str, value: Any) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def to_ris(works: pd.DataFrame, coded_fields: list[str] | None = None) -> str:
    """The works as RIS: one record each, authors and keywords one per line, codes as notes."""
    out: list[str] = []
    for work in works.to_dict("records"):
        kind = RIS_TYPES.get(str(work.get("type", "")).strip().lower(), "JOUR" if work.get("journal") else "GEN")
        lines = [_ris_line("TY", kind)]
        lines += [_ris_line("AU", a.strip()) for a in str(work.get("authors", "")).split(";") if a.strip()]
        for tag, name in (("PY", "year"), ("TI", "title"), ("T2", "journal"), ("VL", "volume"), ("IS", "issue")):
            if work.get(name):
                lines.append(_ris_line(tag, work[name]))
        pages = str(work.get("pages", ""))
        if pages:
            start, _, end = pages.partition("-")
            lines.append(_ris_line("SP", start.strip()))
            if end.strip():
                lines.append(_ris_line("EP", end.strip()))
        for tag, name in (("DO", "doi"), ("UR", "url"), ("SN", "issn"), ("SN", "isbn"), ("PB", "publisher"),
                          ("LA", "language"), ("AB", "abstract")):
            if work.get(name):
                lines.append(_ris_line(tag, work[name]))
        lines += [_ris_line("KW", k.strip()) for k in str(work.get("keywords", "")).split(";") if k.strip()]
        lines.append(_ris_line("ID", work["record_id"]))
        for name in coded_fields or []:
            if work.get(name):
                lines.append(_ris_line("N1", f"{name}: {work[name]}"))
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"
