"""The evidence log: one coded row per included study, checked against the coding scheme.

The coding scheme (``evidence_log.fields`` in the config) gives each field a
controlled vocabulary, whether it holds one value or several (separated by
``;``), and whether it is required. Rows are matched to the ledger through any
record id of the study: of its work's records or, when people linked several
works as reports of one study (``data/raw/decisions/studies.csv``), of any of
them; every included study needs exactly one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .csvio import ROW, read_people_csv
from .errors import ReviewError, ReviewErrors
from .ledger import study_column
from .paths import ReviewPaths

TODO_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url")


@dataclass
class Field:
    name: str
    label: str
    values: list[str]  # empty: free text
    groups: dict[str, str]  # value -> group (e.g. results-chain level)
    multiple: bool
    required: bool

    @classmethod
    def from_config(cls, spec: dict[str, Any]) -> Field:
        values, groups = [], {}
        for item in spec.get("values", []):
            if isinstance(item, dict):
                values.append(item["value"])
                if "group" in item:
                    groups[item["value"]] = item["group"]
            else:
                values.append(item)
        return cls(
            name=spec["name"],
            label=spec.get("label", spec["name"].replace("_", " ").capitalize()),
            values=values,
            groups=groups,
            multiple=bool(spec.get("multiple")),
            required=bool(spec.get("required")),
        )

    def canonical(self, value: str) -> str | None:
        """The vocabulary's spelling of a value (case and spaces ignored); None if not in it."""
        wanted = " ".join(value.split()).casefold()
        for known in self.values:
            if " ".join(known.split()).casefold() == wanted:
                return known
        return None


def coding_scheme(config: dict[str, Any]) -> list[Field]:
    return [Field.from_config(spec) for spec in config["evidence_log"]["fields"]]


def split_values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(";") if v.strip()]


def included_studies(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per included work (its primary record), in ledger order."""
    return ledger[(ledger["fate"] == "included")]


def study_of(ledger: pd.DataFrame) -> dict[str, str]:
    """record_id -> the study it reports."""
    return dict(zip(ledger["record_id"], study_column(ledger), strict=True))


def read_evidence_log(paths: ReviewPaths, config: dict[str, Any]) -> pd.DataFrame:
    id_column = config["evidence_log"].get("id_column", "record_id")
    if not paths.evidence_log.exists():
        return pd.DataFrame(columns=[id_column, ROW])  # (a folder at that path is read, and named in the error)
    return read_people_csv(
        paths.evidence_log,
        [id_column],
        what="evidence log",
        fix=f"one row per included study: {id_column} and the coding fields of the config",
    )


def check_evidence_log(
    config: dict[str, Any],
    log: pd.DataFrame,
    ledger: pd.DataFrame,
    file: str,
) -> pd.DataFrame:
    """The evidence log with canonical values and the study's cluster, or every problem at once.

    Multi-valued cells are kept as canonical values joined with "; ".
    """
    id_column = config["evidence_log"].get("id_column", "record_id")
    fields = coding_scheme(config)
    cluster_of = study_of(ledger)
    work_of = dict(zip(ledger["record_id"], ledger["cluster_id"], strict=True))
    reports = included_studies(ledger)
    included = set(study_column(reports))
    included_works = set(reports["cluster_id"])
    first_report = dict(zip(study_column(reports)[::-1], reports["cluster_id"][::-1], strict=True))
    errors: list[ReviewError] = []
    absent = [f for f in fields if f.name not in log.columns]
    for f in absent:
        if f.required and len(log):
            errors.append(ReviewError(f"the evidence log has no column '{f.name}' ({f.label}), a required field",
                                      file=file, line=1, column=f.name,
                                      fix="add the column to the header row; evidence_log_todo.csv has every column"))
    reported_absent = {f.name for f in absent}
    rows = []
    seen: dict[str, int] = {}
    for row in log.to_dict("records"):
        number = row[ROW]
        record_id = row[id_column]
        cluster = cluster_of.get(record_id)
        if cluster is None:
            errors.append(ReviewError(f"'{record_id}' is not a record id of this review", file=file, row=number,
                                      column=id_column, fix="copy the record_id from evidence_log_todo.csv"))
            continue
        if cluster not in included:
            errors.append(ReviewError(f"the study {record_id} is not included in the review (see its fate in ledger.csv)",
                                      file=file, row=number, column=id_column,
                                      fix="remove the row, or correct the screening decisions"))
            continue
        if cluster in seen:
            errors.append(ReviewError(f"a second row for the study {cluster} (the first is row {seen[cluster]})",
                                      file=file, row=number, column=id_column, fix="keep one row per study"))
            continue
        seen[cluster] = number
        work = work_of[record_id] if work_of[record_id] in included_works else first_report[cluster]
        coded: dict[str, Any] = {"cluster_id": work, "study_id": cluster, "record_id": record_id, ROW: number}
        for f in fields:
            cell = str(row.get(f.name, "") or "")
            values = split_values(cell) if f.multiple else ([cell.strip()] if cell.strip() else [])
            if f.required and not values and f.name not in reported_absent:
                errors.append(ReviewError(f"the field '{f.name}' is required", file=file, row=number, column=f.name,
                                          fix=f"use one of {f.values}" if f.values else "fill it in"))
            if f.values:
                canonical = []
                for value in values:
                    known = f.canonical(value)
                    if known is None:
                        errors.append(ReviewError(f"'{value}' is not a code of '{f.name}'", file=file, row=number,
                                                  column=f.name, fix=f"use one of: {'; '.join(f.values)}"))
                    else:
                        canonical.append(known)
                values = canonical
            coded[f.name] = "; ".join(values)
        rows.append(coded)
    missing = [c for c in dict.fromkeys(study_column(reports)) if c not in seen]
    for cluster in missing:
        errors.append(ReviewError(f"the included study {cluster} has no row in the evidence log", file=file,
                                  fix="add its row: data/processed/evidence_log_todo.csv has it ready to paste"))
    if errors:
        raise ReviewErrors(errors, f"{file} does not match the coding scheme and the included studies")
    columns = ["cluster_id", "study_id", "record_id", ROW, *[f.name for f in fields]]
    return pd.DataFrame(rows, columns=columns).drop(columns=[ROW])


def evidence_todo(config: dict[str, Any], log: pd.DataFrame, ledger: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Ready rows for included studies the evidence log does not have yet.

    The bibliographic columns hold the best details of the study's records (an
    empty field of one export filled from another); the reference field, when
    the scheme has one, a reference formatted from them; the other coding
    columns are empty.
    """
    from .included import format_reference, included_works, reference_field

    id_column = config["evidence_log"].get("id_column", "record_id")
    study = study_of(ledger)
    coded = {study.get(r) for r in log[id_column]} if id_column in log else set()
    works = included_works(ledger, records)
    works = works.assign(_study=works["record_id"].map(study))
    todo = works[~works["_study"].isin(coded)].drop_duplicates("_study")  # one row per study: its earliest report
    frame = todo[list(TODO_FIELDS)].reset_index(drop=True)
    frame.insert(0, id_column, todo["cluster_id"].tolist())
    for f in coding_scheme(config):
        if f.name not in frame.columns:
            frame[f.name] = ""
    field = reference_field(config)
    if field:
        frame[field] = [format_reference({str(k): v for k, v in work.items()}) for work in todo.to_dict("records")]
    return frame
