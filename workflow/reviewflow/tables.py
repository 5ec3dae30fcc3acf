"""Distribution tables: crosstabs of the coded evidence log, as configured.

A table counts studies (evidence-log rows). A multi-valued field counts a study
once under each of its values. Categories come in the configured order (by
default the field's vocabulary), with the configured labels; how a zero cell
is shown is part of the table's definition (the reference review prints an
empty cell in one table and "0" in another).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .evidence import Field, coding_scheme, split_values


@dataclass
class Table:
    name: str
    title: str
    frame: pd.DataFrame  # display strings: first column the row labels
    counts: pd.DataFrame  # integer counts, index = categories, columns = categories
    group_column: str | None = None


def _categories(axis: dict[str, Any], field: Field, present: list[str]) -> list[str]:
    order = list(axis.get("order") or field.values)
    extra = [value for value in present if value not in order]
    return order + sorted(extra)


def crosstab(config: dict[str, Any], spec: dict[str, Any], evidence: pd.DataFrame) -> Table:
    fields = {f.name: f for f in coding_scheme(config)}
    row_field = fields[spec["rows"]["field"]]
    col_spec = spec.get("columns")
    col_field = fields[col_spec["field"]] if col_spec else None

    for field_name, wanted in spec.get("where", {}).items():
        evidence = evidence[evidence[field_name].map(lambda cell, w=wanted: w in split_values(cell))]
    pairs: list[tuple[str, str]] = []
    for study in evidence.to_dict("records"):
        row_values = split_values(study[row_field.name])
        col_values = split_values(study[col_field.name]) if col_field else ["Studies"]
        pairs += [(r, c) for r in row_values for c in col_values]
    rows_present = sorted({r for r, _ in pairs})
    cols_present = sorted({c for _, c in pairs})
    row_order = _categories(spec["rows"], row_field, rows_present)
    col_order = _categories(col_spec, col_field, cols_present) if col_spec and col_field else ["Studies"]

    counts = pd.DataFrame(0, index=row_order, columns=col_order, dtype=int)
    for r, c in pairs:
        counts.loc[r, c] += 1
    if spec.get("min_count", 0):
        counts = counts[counts.sum(axis=1) >= spec["min_count"]]

    row_labels = spec["rows"].get("labels", {})
    col_labels = (col_spec or {}).get("labels", {})
    zero = spec.get("zero", "0")
    shown = counts.map(lambda n: str(n) if n else zero)
    shown.columns = [col_labels.get(c, c) for c in counts.columns]
    total_column = spec.get("total_column")
    if total_column:
        shown[total_column] = [str(n) for n in counts.sum(axis=1)]
    shown.insert(0, spec["rows"].get("label", row_field.label), [row_labels.get(r, r) for r in counts.index])
    group_column = None
    group_by = spec["rows"].get("group_by")
    if group_by:
        group_column = group_by
        shown.insert(0, group_by, [row_field.groups.get(r, "") for r in counts.index])
        order = {g: i for i, g in enumerate(dict.fromkeys(row_field.groups.values()))}
        shown = shown.assign(_o=shown[group_by].map(lambda g: order.get(g, len(order)))).sort_values("_o", kind="stable")
        shown = shown.drop(columns="_o")
    total_row = spec.get("total_row")
    if total_row:
        totals = {shown.columns[0]: total_row}
        if group_column:
            totals = {group_column: "", shown.columns[1]: total_row}
        for original, label in zip(counts.columns, [col_labels.get(c, c) for c in counts.columns], strict=True):
            # the total counts studies, not mentions: a study coded twice in a column counts once
            totals[label] = str(_studies_in_column(evidence, col_field, original) if col_field else len(evidence))
        if total_column:
            totals[total_column] = str(len(evidence))
        shown = pd.concat([shown, pd.DataFrame([totals])], ignore_index=True)
    return Table(spec["name"], spec.get("title", spec["name"]), shown.reset_index(drop=True), counts, group_column)


def _studies_in_column(evidence: pd.DataFrame, field: Field, value: str) -> int:
    return int(evidence[field.name].map(lambda cell: value in split_values(cell)).sum())


def build_tables(config: dict[str, Any], evidence: pd.DataFrame) -> list[Table]:
    return [crosstab(config, spec, evidence) for spec in config.get("tables", [])]


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" if i == 0 else "---:" for i in range(len(frame.columns))) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"
