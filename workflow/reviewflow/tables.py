"""Distribution tables: crosstabs of the coded evidence log, as configured, and the search summary.

A table counts studies (evidence-log rows). A multi-valued field counts a study
once under each of its values; totals count studies, not mentions (a study
coded with two terms is one study in a total). Categories come in the
configured order (by default the field's vocabulary), with the configured
labels; how a zero cell is shown is part of the table's definition (the
reference review prints an empty cell in one table and "0" in another).

``min_count`` keeps the rows reported by at least that many studies (the rule
of the reference review's section 5.3: "features reported in at least two
separate studies"); ``group_by`` groups rows by the vocabulary's groups (the
results-chain level of a feature); ``cell`` formats a count, e.g.
``"{n} of {total}"`` gives "54 of 71".

Every table is rendered to CSV (the data, one value a cell), Markdown, an HTML
fragment and LaTeX, from the same display frame. The search summary (per round
and database: hits, records imported, duplicates, new and unique works) is
derived from the ledger and the import report.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from .errors import ReviewError, ReviewErrors
from .evidence import Field, coding_scheme, split_values
from .searchlog import LANES

#: The name of the built-in search summary table (not available to configured tables).
SEARCH_SUMMARY = "search_summary"
LANE_LABELS = {"databases": "Databases and registers", "other": "Other methods"}


@dataclass
class Table:
    name: str
    title: str
    frame: pd.DataFrame  # display strings; the group column (if any), the row labels, then the cells
    counts: pd.DataFrame  # integer counts, index = row categories, columns = column categories
    row_labels: list[str] = field(default_factory=list)  # printed labels of counts.index
    column_labels: list[str] = field(default_factory=list)  # printed labels of counts.columns
    group_column: str | None = None
    total_rows: int = 0  # how many rows at the end are totals
    numeric_from: int = 1  # index of the first column holding numbers (right-aligned)


# ----------------------------------------------------------------------------- configured crosstabs


def _check_spec(index: int, spec: dict[str, Any], fields: dict[str, Field], file: str) -> list[ReviewError]:
    """Codes in the table's definition that are not in the coding scheme (typos would silently count nothing)."""
    errors: list[ReviewError] = []
    key = f"tables[{index}]"
    if spec["name"] == SEARCH_SUMMARY:
        errors.append(ReviewError(f"key '{key}.name': '{SEARCH_SUMMARY}' is the name of the built-in search summary",
                                  file=file, fix="choose another name"))
    for axis_name in ("rows", "columns"):
        axis = spec.get(axis_name)
        if not axis:
            continue
        f = fields[axis["field"]]
        if not f.values:
            errors.append(ReviewError(f"key '{key}.{axis_name}.field': '{f.name}' is free text and cannot be counted",
                                      file=file, fix="count a field with a vocabulary (values:)"))
            continue
        for part in ("order", "labels"):
            for value in axis.get(part) or []:
                if value not in f.values:
                    errors.append(ReviewError(f"key '{key}.{axis_name}.{part}': '{value}' is not a code of '{f.name}'",
                                              file=file, fix=f"use the codes of the field: {'; '.join(f.values)}"))
        if axis.get("group_by") and not f.groups:
            errors.append(ReviewError(f"key '{key}.{axis_name}.group_by': the values of '{f.name}' have no groups",
                                      file=file, fix="give the values a group in evidence_log.fields, or drop group_by"))
    for field_name, wanted in (spec.get("where") or {}).items():
        if field_name not in fields:
            errors.append(ReviewError(f"key '{key}.where': '{field_name}' is not a field of the evidence log",
                                      file=file, fix=f"use one of {sorted(fields)}"))
        elif fields[field_name].values and wanted not in fields[field_name].values:
            errors.append(ReviewError(f"key '{key}.where.{field_name}': '{wanted}' is not a code of '{field_name}'",
                                      file=file, fix=f"use one of: {'; '.join(fields[field_name].values)}"))
    cell = spec.get("cell", "{n}")
    try:
        cell.format(n=1, total=1, percent=100)
    except (KeyError, IndexError, ValueError) as error:
        errors.append(ReviewError(f"key '{key}.cell': '{cell}' is not a cell format ({error})", file=file,
                                  fix="use the placeholders {n}, {total} and {percent}, e.g. '{n} of {total}'"))
    return errors


def _categories(axis: dict[str, Any], f: Field) -> list[str]:
    order = list(axis.get("order") or f.values)
    return order + [value for value in f.values if value not in order]


def _values(cell: str, f: Field | None) -> list[str]:
    if f is None:
        return [""]
    return list(dict.fromkeys(split_values(cell) if f.multiple else ([cell] if cell else [])))


def crosstab(config: dict[str, Any], spec: dict[str, Any], evidence: pd.DataFrame) -> Table:
    """One configured table of the coded (checked, canonical) evidence log."""
    fields = {f.name: f for f in coding_scheme(config)}
    row_spec = spec["rows"]
    row_field = fields[row_spec["field"]]
    col_spec = spec.get("columns")
    col_field = fields[col_spec["field"]] if col_spec else None

    studies = evidence
    for field_name, wanted in (spec.get("where") or {}).items():
        studies = studies[studies[field_name].map(lambda cell, w=wanted: w in split_values(cell))]
    row_order = _categories(row_spec, row_field)
    col_order = _categories(col_spec, col_field) if col_spec and col_field else [""]

    cells: Counter[tuple[str, str]] = Counter()
    row_studies = dict.fromkeys(row_order, 0)
    col_studies = dict.fromkeys(col_order, 0)
    for study in studies.to_dict("records"):
        rows = _values(study[row_field.name], row_field)
        cols = _values(study[col_field.name], col_field) if col_field else [""]
        for r in rows:
            row_studies[r] += 1
            cells.update((r, c) for c in cols)
        for c in cols:
            col_studies[c] += 1
    counts = pd.DataFrame([[cells[(r, c)] for c in col_order] for r in row_order], index=row_order, columns=col_order, dtype=int)
    min_count = spec.get("min_count", 0)
    kept = [r for r in row_order if row_studies[r] >= min_count] if min_count else row_order
    counts = counts.loc[kept]

    row_labels_map = row_spec.get("labels") or {}
    col_labels_map = (col_spec or {}).get("labels") or {}
    row_labels = [row_labels_map.get(r, r) for r in counts.index]
    column_labels = [col_labels_map.get(c, c) for c in col_order] if col_field else [spec.get("value_label", "Studies")]
    zero = spec.get("zero", "0")
    cell = spec.get("cell", "{n}")

    def show(n: int, total: int) -> str:
        if not n:
            return zero
        return cell.format(n=n, total=total, percent=round(100 * n / total) if total else 0)

    frame = pd.DataFrame(index=range(len(counts)))
    group_column = None
    if row_spec.get("group_by"):
        group_column = row_spec.get("group_label") or row_spec["group_by"].replace("_", " ").capitalize()
        frame[group_column] = [row_field.groups.get(r, "") for r in counts.index]
    frame[row_spec.get("label", row_field.label)] = row_labels
    for c, label in zip(col_order, column_labels, strict=True):
        total = col_studies[c] if col_field else len(studies)
        frame[label] = [show(int(n), total) for n in counts[c]]
    total_column = spec.get("total_column")
    if total_column:
        frame[total_column] = [str(row_studies[r]) for r in counts.index]
    if group_column:
        groups = list(dict.fromkeys([*(row_spec.get("group_order") or []), *row_field.groups.values()]))
        rank = frame[group_column].map(lambda g: groups.index(g) if g in groups else len(groups))
        order = rank.sort_values(kind="stable").index
        frame = frame.loc[order].reset_index(drop=True)
        counts = counts.iloc[list(order)]
        row_labels = [row_labels[i] for i in order]
    total_rows = 0
    total_row = spec.get("total_row")
    if total_row:
        totals = dict.fromkeys(frame.columns, "")
        totals[row_spec.get("label", row_field.label)] = total_row
        for c, label in zip(col_order, column_labels, strict=True):
            totals[label] = str(col_studies[c] if col_field else len(studies))
        if total_column:
            totals[total_column] = str(len(studies))
        frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
        total_rows = 1
    return Table(
        name=spec["name"],
        title=spec.get("title", spec["name"]),
        frame=frame,
        counts=counts,
        row_labels=row_labels,
        column_labels=column_labels,
        group_column=group_column,
        total_rows=total_rows,
        numeric_from=2 if group_column else 1,
    )


def build_tables(config: dict[str, Any], evidence: pd.DataFrame, file: str = "config/config.yaml") -> list[Table]:
    """Every configured table; a definition naming codes the scheme lacks is an error."""
    fields = {f.name: f for f in coding_scheme(config)}
    errors = [e for i, spec in enumerate(config.get("tables", [])) for e in _check_spec(i, spec, fields, file)]
    if errors:
        raise ReviewErrors(errors, f"{file}: the tables name codes the coding scheme does not have")
    return [crosstab(config, spec, evidence) for spec in config.get("tables", [])]


# ----------------------------------------------------------------------------- the search summary


def searches_without_records(import_report: pd.DataFrame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A summary row for each search (round and database) of the import report that gave no
    records (a search that found nothing is a search): hits reported 0 (or as logged), all else 0."""
    if not {"round", "source_type", "database", "reported_hits"} <= set(import_report.columns):
        return []  # a report of files only: nothing to tell the searches apart by
    seen = {(r["lane"], int(r["round"]), r["database"]) for r in rows}
    extra: dict[tuple[str, int, str], list[str]] = {}
    for entry in import_report.itertuples(index=False):
        key = (LANES.get(str(entry.source_type).lower(), "other"), int(entry.round), str(entry.database))
        if key not in seen:
            extra.setdefault(key, []).append(str(entry.reported_hits or ""))
    return [
        {"lane": lane, "round": round_, "database": database,
         "hits": sum(int(h) for h in hits) if all(hits) else None,
         "imported": 0, "duplicates": 0, "new": 0, "unique": 0}
        for (lane, round_, database), hits in extra.items()
    ]


def search_summary(ledger: pd.DataFrame, import_report: pd.DataFrame) -> Table:
    """Per round and database: hits reported, records imported, duplicates, new works, unique works.

    - *records imported*: ledger rows of the round and database;
    - *duplicates*: those that are copies of a record counted elsewhere (role ``duplicate``);
    - *new works*: those that stand for their work (role ``primary``): imported = new + duplicates;
    - *unique works*: works found by this round and database and by no other search;
    - *hits reported*: what the source said it returned (the search log's ``reported_hits``),
      empty when not reported for every export of the row.
    """
    hits_of_file = dict(zip(import_report["file"], import_report["reported_hits"], strict=True))
    frame = ledger[["record_id", "cluster_id", "role", "round", "source_type", "database", "source_file"]].copy()
    frame["round"] = frame["round"].astype(int)
    frame["lane"] = frame["source_type"].map(LANES)
    frame["search"] = list(zip(frame["round"], frame["database"], strict=True))
    searches_per_cluster = frame.groupby("cluster_id")["search"].nunique()
    unique_clusters = set(searches_per_cluster[searches_per_cluster == 1].index)

    rows = []
    frame["unique"] = frame["cluster_id"].isin(unique_clusters)
    grouped = frame.assign(_lane=frame["lane"].map(list(LANE_LABELS).index)).groupby(["_lane", "round", "database"], sort=True)
    for key, part in grouped:
        lane_rank, round_, database = cast(tuple[int, int, str], key)
        reported = [hits_of_file.get(f, "") for f in sorted(set(part["source_file"]))]
        rows.append({
            "lane": list(LANE_LABELS)[lane_rank],
            "round": round_,
            "database": database,
            "hits": sum(int(h) for h in reported) if all(reported) else None,
            "imported": len(part),
            "duplicates": int((part["role"] == "duplicate").sum()),
            "new": int((part["role"] == "primary").sum()),
            "unique": int(part.loc[part["unique"], "cluster_id"].nunique()),
        })
    rows = sorted([*rows, *searches_without_records(import_report, rows)],
                  key=lambda r: (list(LANE_LABELS).index(r["lane"]), r["round"], r["database"]))
    data = pd.DataFrame(rows, columns=["lane", "round", "database", "hits", "imported", "duplicates", "new", "unique"])

    def total(label: str, part: pd.DataFrame) -> dict[str, Any]:
        hits = part["hits"]
        return {"lane": "", "round": label, "database": "",
                "hits": int(hits.sum()) if len(hits) and hits.notna().all() else None,
                **{c: int(part[c].sum()) for c in ("imported", "duplicates", "new", "unique")}}

    lanes = list(dict.fromkeys(data["lane"]))
    totals = [total(f"All {LANE_LABELS[lane].lower()}", data[data["lane"] == lane]) for lane in lanes] if len(lanes) > 1 else []
    totals.append(total("All searches", data))
    shown = pd.concat([data, pd.DataFrame(totals)], ignore_index=True)
    display = pd.DataFrame({
        "Lane": [LANE_LABELS.get(lane, lane) for lane in shown["lane"]],
        "Round": shown["round"].astype(str),
        "Source": shown["database"],
        "Hits reported": ["" if pd.isna(h) else str(int(h)) for h in shown["hits"]],
        "Records imported": shown["imported"].astype(str),
        "Duplicates": shown["duplicates"].astype(str),
        "New works": shown["new"].astype(str),
        "Unique works": shown["unique"].astype(str),
    })
    counts = data.set_index(["round", "database"])[["imported", "duplicates", "new", "unique"]]
    return Table(
        name=SEARCH_SUMMARY,
        title="Searches by round and source: hits, records imported, duplicates, new and unique works",
        frame=display,
        counts=counts,
        group_column="Lane",
        total_rows=len(totals),
        numeric_from=3,
    )


SOURCE_CONTRIBUTION = "source_contribution"
_SOURCE_TYPE_LABELS = {"database": "Database", "register": "Register", "website": "Website",
                       "organisation": "Organisation", "citation": "Citation searching"}


def source_contribution(sources: pd.DataFrame) -> Table:
    """What each source contributed, from de-duplication's ``sources.csv``: records, works,
    works no other source found, and works other sources found too."""
    numbers = ["records", "works", "unique_works", "overlapping_works", "duplicates_within"]
    data = sources.copy()
    for column in numbers:
        data[column] = data[column].astype(int)
    display = pd.DataFrame({
        "Source": data["database"],
        "Type": [_SOURCE_TYPE_LABELS.get(t, t) for t in data["source_type"]],
        "Rounds": data["rounds"].astype(str),
        "Records": data["records"].astype(str),
        "Works": data["works"].astype(str),
        "Found only here": data["unique_works"].astype(str),
        "Also found elsewhere": data["overlapping_works"].astype(str),
        "Duplicates within the source": data["duplicates_within"].astype(str),
    })
    total = {"Source": "All sources", "Type": "", "Rounds": "", "Records": str(int(data["records"].sum())),
             "Works": "", "Found only here": str(int(data["unique_works"].sum())),
             "Also found elsewhere": "", "Duplicates within the source": str(int(data["duplicates_within"].sum()))}
    return Table(
        name=SOURCE_CONTRIBUTION,
        title="What each source contributed",
        frame=pd.concat([display, pd.DataFrame([total])], ignore_index=True),
        counts=data.set_index("database")[numbers],
        total_rows=1,
        numeric_from=3,
    )


# ----------------------------------------------------------------------------- renderings

MARKDOWN_SPECIAL = set("\\`*_[]<>|")


def markdown_escape(value: Any) -> str:
    """Text shown literally in Markdown (CommonMark + tables): no emphasis, links, HTML or cell breaks."""
    text = " ".join(str(value).split())
    out = []
    for i, char in enumerate(text):
        if char in MARKDOWN_SPECIAL:
            out.append("\\" + char)
        elif char == "&" and _looks_like_entity(text, i):
            out.append("\\&")
        else:
            out.append(char)
    escaped = "".join(out)
    # what would start a heading, a list, a rule or a fence at the start of a line
    if re.match(r"#{1,6}(\s|$)|[-+](\s|$)|(=+|-+)$|~~~", escaped):
        return "\\" + escaped
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", escaped)


def _looks_like_entity(text: str, i: int) -> bool:
    end = text.find(";", i)
    return end > i + 1 and (text[i + 1 : end].isalnum() or text[i + 1 : i + 2] == "#") and " " not in text[i:end]


def _display_rows(table: Table) -> list[list[str]]:
    """The frame's rows with a group's label shown on its first row only."""
    rows = [[str(v) for v in row] for row in table.frame.itertuples(index=False)]
    if table.group_column:
        previous = None
        for row in rows[: len(rows) - table.total_rows]:
            current = row[0]
            if current == previous:
                row[0] = ""
            previous = current
    return rows


def to_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table; totals in bold; every cell escaped."""
    columns = list(table.frame.columns)
    header = "| " + " | ".join(markdown_escape(c) for c in columns) + " |"
    rule = "|" + "|".join("---:" if i >= table.numeric_from else "---" for i in range(len(columns))) + "|"
    body = []
    rows = _display_rows(table)
    for index, row in enumerate(rows):
        cells = [markdown_escape(v) for v in row]
        if index >= len(rows) - table.total_rows:
            cells = [f"**{c}**" if c else c for c in cells]
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *body]) + "\n"


def to_html(table: Table) -> str:
    """An HTML fragment: a captioned table, groups as row-group headers, totals in the footer."""

    def esc(value: Any) -> str:
        return html.escape(str(value), quote=True)

    columns = list(table.frame.columns)
    shown = columns[1:] if table.group_column else columns
    numeric_from = table.numeric_from - (1 if table.group_column else 0)

    def cells(row: list[str], tag: str = "td") -> str:
        out = []
        for i, value in enumerate(row):
            if i == 0:
                out.append(f'<th scope="row">{esc(value)}</th>')
            else:
                cls = ' class="num"' if i >= numeric_from else ""
                out.append(f"<{tag}{cls}>{esc(value)}</{tag}>")
        return "".join(out)

    lines = [f'<table class="rf-table" id="table-{esc(table.name)}">', f"<caption>{esc(table.title)}</caption>", "<thead><tr>"]
    num = ' class="num"'
    lines.append("".join(f'<th scope="col"{num if i >= numeric_from else ""}>{esc(c)}</th>' for i, c in enumerate(shown)))
    lines.append("</tr></thead>")
    rows = [[str(v) for v in row] for row in table.frame.itertuples(index=False)]
    body, foot = rows[: len(rows) - table.total_rows], rows[len(rows) - table.total_rows :]
    lines.append("<tbody>")
    group = None
    for row in body:
        if table.group_column and row[0] != group:
            group = row[0]
            lines.append(f'<tr class="rf-group"><th colspan="{len(shown)}" scope="rowgroup">{esc(group)}</th></tr>')
        lines.append(f"<tr>{cells(row[1:] if table.group_column else row)}</tr>")
    lines.append("</tbody>")
    if foot:
        lines.append("<tfoot>")
        lines += [f"<tr>{cells(row[1:] if table.group_column else row)}</tr>" for row in foot]
        lines.append("</tfoot>")
    lines.append("</table>")
    return "\n".join(lines) + "\n"


LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def latex_escape(value: Any) -> str:
    return "".join(LATEX_SPECIAL.get(char, char) for char in " ".join(str(value).split()))


def to_latex(table: Table) -> str:
    """A LaTeX ``table`` (plain tabular with rules: no package needed); groups as spanning rows."""
    columns = list(table.frame.columns)
    shown = columns[1:] if table.group_column else columns
    numeric_from = table.numeric_from - (1 if table.group_column else 0)
    rows = [[str(v) for v in row] for row in table.frame.itertuples(index=False)]
    widest = max([len(str(shown[0]))] + [len(row[1 if table.group_column else 0]) for row in rows])
    first = "p{0.45\\linewidth}" if widest > 40 else "l"
    spec = first + "".join("r" if i >= numeric_from else "l" for i in range(1, len(shown)))

    def line(cells: list[str]) -> str:
        return " & ".join(latex_escape(c) for c in cells) + r" \\"

    out = [r"\begin{table}[htbp]", r"\centering", f"\\caption{{{latex_escape(table.title)}}}",
           f"\\label{{tab:{table.name}}}", f"\\begin{{tabular}}{{{spec}}}", r"\hline", line(shown), r"\hline"]
    body, foot = rows[: len(rows) - table.total_rows], rows[len(rows) - table.total_rows :]
    group = None
    for row in body:
        if table.group_column and row[0] != group:
            group = row[0]
            out.append(f"\\multicolumn{{{len(shown)}}}{{l}}{{\\textit{{{latex_escape(group)}}}}} \\\\")
        out.append(line(row[1:] if table.group_column else row))
    if foot:
        out.append(r"\hline")
        out += [line(row[1:] if table.group_column else row) for row in foot]
    out += [r"\hline", r"\end{tabular}", r"\end{table}"]
    return "\n".join(out) + "\n"


RENDERINGS = {"md": to_markdown, "html": to_html, "tex": to_latex}
