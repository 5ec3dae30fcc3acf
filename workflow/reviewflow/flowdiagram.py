"""The PRISMA 2020 flow diagram, drawn as SVG from counts.json (no R, nothing typed in).

The layout follows the PRISMA 2020 templates (Page et al. 2021): the lane
"Identification of studies via databases and registers", the lane "via other
methods" (drawn when the review has records from websites, organisations or
citation searching) and, for an update, the "Previous studies" column with
the totals at the bottom. Identification, screening and inclusion are marked
by the phase bars on the left. Options (``report.flow_diagram``):

- ``separate_screening``: one "records screened / excluded" pair of boxes per
  screening stage before full text (titles, then abstracts) instead of one;
- ``database_breakdown``: list each database and register with its count.

Every number comes from the counts: a box line that shows a count carries
``data-field`` (its name in counts.json) and ``data-n``; exclusion reasons
carry ``data-reason`` too. ``diagram_problems`` checks the PRISMA arithmetic
on the numbers the diagram shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from .errors import ReviewError
from .prisma import full_text_stage, parse_named_counts
from .svg import attr, esc, svg_open, wrap

FONT = 12
LINE = 15
PAD = 8
ROW_GAP = 30
NBSP = "\u00a0"

PHASE_FILL = "#9DC3E6"
DB_HEADER_FILL = "#FFD966"
OTHER_HEADER_FILL = "#D9D9D9"


@dataclass
class Item:
    """A line of a box: a heading, or a label with its count."""

    label: str
    field: str | None = None
    n: int | None = None
    bold: bool = False
    indent: bool = False
    data: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.label if self.n is None else f"{self.label} (n{NBSP}={NBSP}{self.n})"


@dataclass
class Box:
    key: str
    column: str
    items: list[Item]
    fill: str = "#ffffff"
    header: bool = False


@dataclass
class FlowDiagram:
    variant: str  # "new" or "update"
    separate_screening: bool
    other_lane: bool
    rows: list[list[Box]]
    arrows: list[tuple[str, str, str]]  # (from box, to box, kind)
    phases: list[tuple[str, int, int]]  # (label, first row, last row)
    numbers: dict[str, int]  # counts.json field -> the number shown

    def svg(self, title: str = "PRISMA 2020 flow diagram") -> str:
        return render_svg(self, title)


def _count(counts: dict[str, Any], key: str) -> int:
    if key not in counts:
        raise ReviewError(f"counts.json has no '{key}'", file="data/processed/counts.json",
                          fix="rebuild it: snakemake --cores 2 (the ledger step writes it)")
    return int(counts[key])


def _named(counts: dict[str, Any], key: str) -> list[tuple[str, int]]:
    try:
        return parse_named_counts(counts.get(key, ""))
    except ValueError as error:
        raise ReviewError(f"counts.json: '{key}' is not a list of 'Name, n': {error}", file="data/processed/counts.json",
                          fix="a reason label or database name must not contain '; '") from None


def draws_update_variant(config: dict[str, Any], counts: dict[str, Any]) -> bool:
    """The update variant: the config names a previous version, or the counts hold previous studies."""
    return bool(config["review"].get("previous_version")) or int(counts.get("previous_studies", 0) or 0) > 0


def build_flow_diagram(config: dict[str, Any], counts: dict[str, Any]) -> FlowDiagram:
    """The diagram's boxes, rows and arrows, every number read from ``counts``."""
    options = config.get("report", {}).get("flow_diagram", {})
    update = draws_update_variant(config, counts)
    numbers: dict[str, int] = {}

    def n(key: str, label: str, **kwargs: Any) -> Item:
        value = _count(counts, key)
        numbers[key] = value
        return Item(label, key, value, **kwargs)

    ft = full_text_stage(config)
    other_identified = sum(_count(counts, k) for k in ("website_results", "organisation_results", "citations_results"))
    other_lane = other_identified > 0 or _count(counts, "other_sought_reports") > 0
    rows: list[list[Box]] = []
    arrows: list[tuple[str, str, str]] = []
    new = "new " if update else ""

    # headers
    header = [Box("db_header", "db", [Item(f"Identification of {new}studies via databases and registers", bold=True)],
                  DB_HEADER_FILL, header=True)]
    if update:
        header.insert(0, Box("previous_header", "previous", [Item("Previous studies", bold=True)], OTHER_HEADER_FILL, True))
    if other_lane:
        header.append(Box("other_header", "other", [Item(f"Identification of {new}studies via other methods", bold=True)],
                          OTHER_HEADER_FILL, header=True))
    rows.append(header)

    # identification
    identified = [Item("Records identified from:")]
    identified.append(n("database_results", "Databases"))
    breakdown = options.get("database_breakdown", True)
    if breakdown:
        identified += [Item(name, "database_specific_results", value, indent=True, data={"name": name})
                       for name, value in _named(counts, "database_specific_results")]
    identified.append(n("register_results", "Registers"))
    if breakdown:
        identified += [Item(name, "register_specific_results", value, indent=True, data={"name": name})
                       for name, value in _named(counts, "register_specific_results")]
    row = [
        Box("db_identified", "db_main", identified),
        Box("db_removed", "db_side", [
            Item("Records removed before screening:"),
            n("duplicates", "Duplicate records removed"),
            n("excluded_automatic", "Records marked as ineligible by automation tools"),
            n("excluded_other", "Records removed for other reasons"),
        ]),
    ]
    arrows.append(("db_identified", "db_removed", "right"))
    if update:
        row.insert(0, Box("previous", "previous", [
            n("previous_studies", "Studies included in previous version of review"),
            n("previous_reports", "Reports of studies included in previous version of review"),
        ]))
    if other_lane:
        row.append(Box("other_identified", "other_main", [
            Item("Records identified from:"),
            n("website_results", "Websites"),
            n("organisation_results", "Organisations"),
            n("citations_results", "Citation searching"),
        ]))
        if _count(counts, "other_duplicates"):
            row.append(Box("other_removed", "other_side", [n("other_duplicates", "Duplicates of records already identified")]))
            arrows.append(("other_identified", "other_removed", "right"))
    rows.append(row)
    first_screening_row = len(rows)

    # screening of records (databases and registers)
    previous = "db_identified"
    if options.get("separate_screening"):
        stages = [s for s in config["stages"] if not s.get("full_text")]
        for stage in stages:
            if stage["lanes"] != ["databases"]:
                raise ReviewError(
                    f"report.flow_diagram.separate_screening: the stage '{stage['name']}' applies to the lanes "
                    f"{stage['lanes']}, so its counts are not those of the databases lane alone",
                    file="config/config.yaml", fix="draw one screening box (separate_screening: false), "
                    "or let the stages before full text apply to the databases lane only (lanes: [databases])")
        for stage in stages:
            name, label = stage["name"], stage.get("label", stage["name"].capitalize())
            side = [n(f"{name}_excluded", "Records excluded"), *_not_screened_items(counts, name, n)]
            if _count(counts, f"{name}_pending"):
                side.append(n(f"{name}_pending", "Records awaiting a decision"))
            rows.append([Box(f"{name}_screened", "db_main", [Item(label, bold=True), n(f"{name}_screened", "Records screened")]),
                         Box(f"{name}_excluded", "db_side", side)])
            arrows += [(previous, f"{name}_screened", "down"), (f"{name}_screened", f"{name}_excluded", "right")]
            previous = f"{name}_screened"
    else:
        side = [n("records_excluded", "Records excluded"), *_not_screened_items(counts, "records", n)]
        if _count(counts, "records_pending"):
            side.append(n("records_pending", "Records awaiting a screening decision"))
        rows.append([Box("records_screened", "db_main", [n("records_screened", "Records screened")]),
                     Box("records_excluded", "db_side", side)])
        arrows += [(previous, "records_screened", "down"), ("records_screened", "records_excluded", "right")]
        previous = "records_screened"

    # reports: sought, not retrieved, assessed, excluded with reasons
    if ft is not None:
        sought = [Box("dbr_sought", "db_main", [n("dbr_sought_reports", "Reports sought for retrieval")]),
                  Box("dbr_notretrieved", "db_side", [n("dbr_notretrieved_reports", "Reports not retrieved")])]
        assessed = [Box("dbr_assessed", "db_main", [n("dbr_assessed", "Reports assessed for eligibility")]),
                    Box("dbr_excluded", "db_side", _excluded_items(counts, "dbr", n))]
        arrows += [(previous, "dbr_sought", "down"), ("dbr_sought", "dbr_notretrieved", "right"),
                   ("dbr_sought", "dbr_assessed", "down"), ("dbr_assessed", "dbr_excluded", "right")]
        previous = "dbr_assessed"
        if other_lane:
            sought += [Box("other_sought", "other_main", [n("other_sought_reports", "Reports sought for retrieval")]),
                       Box("other_notretrieved", "other_side", [n("other_notretrieved_reports", "Reports not retrieved")])]
            assessed += [Box("other_assessed", "other_main", [n("other_assessed", "Reports assessed for eligibility")]),
                         Box("other_excluded", "other_side", _excluded_items(counts, "other", n))]
            arrows += [("other_identified", "other_sought", "down"), ("other_sought", "other_notretrieved", "right"),
                       ("other_sought", "other_assessed", "down"), ("other_assessed", "other_excluded", "right")]
        rows += [sought, assessed]
    last_screening_row = len(rows) - 1

    # included
    if update:
        included = [n("new_studies", "New studies included in review"), n("new_reports", "Reports of new included studies")]
    else:
        included = [n("new_studies", "Studies included in review"), n("new_reports", "Reports of included studies")]
    rows.append([Box("included", "db_main", included)])
    arrows.append((previous, "included", "down"))
    if other_lane and ft is not None:
        arrows.append(("other_assessed", "included", "elbow"))
    if update:
        rows.append([Box("total", "db_main", [n("total_studies", "Total studies included in review"),
                                               n("total_reports", "Reports of total included studies")])])
        arrows += [("included", "total", "down"), ("previous", "total", "elbow-previous")]
    phases = [("Identification", 1, 1), ("Screening", first_screening_row, last_screening_row),
              ("Included", last_screening_row + 1, len(rows) - 1)]
    return FlowDiagram("update" if update else "new", bool(options.get("separate_screening")), other_lane,
                       rows, arrows, phases, numbers)


def _not_screened_items(counts: dict[str, Any], prefix: str, n: Any) -> list[Item]:
    """Under "Records excluded", when a stopping rule left works unscreened: by reviewers, and not screened.

    PRISMA 2020 asks, when automation tools were used, how many records were excluded by a human and how
    many by the tools (footnote to "Records excluded"); the stopping rule of prioritised screening is one.
    """
    if not counts.get(f"{prefix}_not_screened"):
        return []
    human = f"{prefix}_excluded_by_reviewers" if prefix == "records" else None
    items = []
    if human:
        items.append(n(human, "by reviewers", indent=True))
    else:
        counts_by_reviewers = _count(counts, f"{prefix}_excluded") - _count(counts, f"{prefix}_not_screened")
        items.append(Item("by reviewers", None, counts_by_reviewers, indent=True))
    items.append(n(f"{prefix}_not_screened", "not screened: stopping rule reached", indent=True))
    return items


def _excluded_items(counts: dict[str, Any], prefix: str, n: Any) -> list[Item]:
    items = [n(f"{prefix}_excluded", "Reports excluded")]
    items += [Item(reason, f"{prefix}_excluded_reasons", value, indent=True, data={"reason": reason})
              for reason, value in _named(counts, f"{prefix}_excluded_reasons")]
    if int(counts.get(f"{prefix}_pending", 0) or 0):
        items.append(n(f"{prefix}_pending", "Reports awaiting a decision"))
    return items


# ----------------------------------------------------------------------------- checks


def diagram_problems(numbers: dict[str, int], reasons: dict[str, list[int]], stages: list[str]) -> list[str]:
    """The PRISMA 2020 arithmetic on the numbers a diagram shows (a count it does not show is 0).

    ``reasons``: field -> the counts of its reasons; ``stages``: the separate screening stages, in order.
    """
    g = lambda key: numbers.get(key, 0)  # noqa: E731
    problems = []

    def rule(text: str, left: int, right: int) -> None:
        if left != right:
            problems.append(f"{text} ({left} != {right})")

    rule("records screened = identified - duplicates - removed before screening", g("records_screened") if not stages else g(f"{stages[0]}_screened"),
         g("database_results") + g("register_results") - g("duplicates") - g("excluded_automatic") - g("excluded_other"))
    if stages:
        for before, after in zip(stages, stages[1:], strict=False):
            rule(f"{after} screened = {before} screened - excluded - awaiting", g(f"{after}_screened"),
                 g(f"{before}_screened") - g(f"{before}_excluded") - g(f"{before}_pending"))
        last = stages[-1]
        passed = g(f"{last}_screened") - g(f"{last}_excluded") - g(f"{last}_pending")
    else:
        passed = g("records_screened") - g("records_excluded") - g("records_pending")
    if "dbr_sought_reports" in numbers:
        rule("reports sought = records screened - excluded - awaiting", g("dbr_sought_reports"), passed)
        rule("reports assessed = sought - not retrieved", g("dbr_assessed"), g("dbr_sought_reports") - g("dbr_notretrieved_reports"))
        included = g("dbr_assessed") - g("dbr_excluded") - g("dbr_pending")
        if "other_sought_reports" in numbers:
            rule("reports sought (other methods) = records identified - duplicates",
                 g("other_sought_reports"), g("website_results") + g("organisation_results") + g("citations_results") - g("other_duplicates"))
            rule("reports assessed (other methods) = sought - not retrieved", g("other_assessed"),
                 g("other_sought_reports") - g("other_notretrieved_reports"))
            included += g("other_assessed") - g("other_excluded") - g("other_pending")
        rule("studies included = reports assessed - excluded - awaiting, over both lanes", g("new_studies"), included)
    else:
        rule("studies included = records screened - excluded - awaiting", g("new_studies"), passed)
    for key, values in reasons.items():
        total_key = key.removesuffix("_reasons")
        if key.endswith("_excluded_reasons") and values:
            rule(f"{total_key}: the reasons add up to the reports excluded", sum(values), g(total_key))
    if "database_specific_results" in reasons and reasons["database_specific_results"]:
        rule("the databases add up", sum(reasons["database_specific_results"]), g("database_results"))
    if "total_studies" in numbers:
        rule("total studies = previous + new", g("total_studies"), g("previous_studies") + g("new_studies"))
        rule("total reports = previous + new", g("total_reports"), g("previous_reports") + g("new_reports"))
    return problems


def check_diagram(diagram: FlowDiagram, counts: dict[str, Any]) -> list[str]:
    """Every number shown equals counts.json, and the PRISMA arithmetic holds on them."""
    problems = [f"{key}: the diagram shows {value}, counts.json has {counts.get(key)}"
                for key, value in diagram.numbers.items() if counts.get(key) != value]
    reasons: dict[str, list[int]] = {}
    for box in (b for row in diagram.rows for b in row):
        for item in box.items:
            if item.field and item.field.endswith(("_reasons", "_specific_results")) and item.n is not None:
                reasons.setdefault(item.field, []).append(item.n)
    stages = [b.key.removesuffix("_screened") for row in diagram.rows for b in row
              if b.key.endswith("_screened") and b.key != "records_screened"]
    return problems + diagram_problems(diagram.numbers, reasons, stages)


# ----------------------------------------------------------------------------- drawing

PHASE_X = 10
PHASE_W = 28


def _columns(diagram: FlowDiagram) -> dict[str, tuple[float, float]]:
    """Column name -> (x, width)."""
    columns: dict[str, tuple[float, float]] = {}
    x = PHASE_X + PHASE_W + 16.0
    if diagram.variant == "update":
        columns["previous"] = (x, 200)
        x += 200 + 30
    columns["db_main"] = (x, 220)
    columns["db_side"] = (x + 220 + 26, 250)
    columns["db"] = (x, 220 + 26 + 250)
    x += 220 + 26 + 250
    if diagram.other_lane:
        x += 40
        columns["other_main"] = (x, 210)
        columns["other_side"] = (x + 210 + 26, 220)
        columns["other"] = (x, 210 + 26 + 220)
        x += 210 + 26 + 220
    columns["_width"] = (x + 12, 0)
    return columns


def _lines(box: Box, width: float) -> list[tuple[Item, list[str]]]:
    out = []
    for item in box.items:
        indent = 12 if item.indent else 0
        out.append((item, wrap(item.text, width - 2 * PAD - indent, FONT + (1 if box.header else 0), item.bold or box.header)))
    return out


def render_svg(diagram: FlowDiagram, title: str) -> str:
    columns = _columns(diagram)
    width = columns.pop("_width")[0]
    laid: dict[str, tuple[float, float, float, float]] = {}  # key -> x, y, w, h
    body: list[str] = []
    y = 12.0
    row_top: list[float] = []
    row_height: list[float] = []
    for row in diagram.rows:
        wrapped = {box.key: _lines(box, columns[box.column][1]) for box in row}
        height = max(2 * PAD + sum(len(lines) for _, lines in wrapped[box.key]) * LINE for box in row)
        row_top.append(y)
        row_height.append(height)
        for box in row:
            x, w = columns[box.column]
            laid[box.key] = (x, y, w, height)
            body.append(_draw_box(box, wrapped[box.key], x, y, w, height))
        y += height + ROW_GAP
    height_total = y - ROW_GAP + 12
    for label, first, last in diagram.phases:
        if last < first:
            continue
        top, bottom = row_top[first], row_top[last] + row_height[last]
        cx = PHASE_X + PHASE_W / 2
        cy = (top + bottom) / 2
        body.append(f'<g class="rf-phase"><rect x="{PHASE_X}" y="{top:.1f}" width="{PHASE_W}" height="{bottom - top:.1f}" '
                    f'rx="6" fill="{PHASE_FILL}" stroke="#5b8fc0"/>'
                    f'<text x="{cx:.1f}" y="{cy:.1f}" transform="rotate(-90 {cx:.1f} {cy:.1f})" text-anchor="middle" '
                    f'dominant-baseline="central" font-size="{FONT + 1}" font-weight="bold">{esc(label)}</text></g>')
    for source, target, kind in diagram.arrows:
        body.append(_arrow(laid[source], laid[target], kind))
    defs = ('<defs><marker id="rf-flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker></defs>')
    desc = "Numbers shown: " + "; ".join(f"{key} {value}" for key, value in diagram.numbers.items())
    opening = svg_open(width, height_total, title=title, desc=desc, element_id="prisma-flow-diagram", css_class="rf-flow")
    opening = opening.replace(' class="rf-flow"', f' class="rf-flow" data-variant="{diagram.variant}" '
                              f'data-screening="{"separate" if diagram.separate_screening else "combined"}"', 1)
    return (opening + defs + "\n" + f'<rect width="{width:.0f}" height="{height_total:.0f}" fill="#fff"/>\n'
            + "\n".join(body) + "\n</svg>\n")


def _draw_box(box: Box, wrapped: list[tuple[Item, list[str]]], x: float, y: float, w: float, h: float) -> str:
    size = FONT + (1 if box.header else 0)
    parts = [f'<g class="rf-box" data-box={attr(box.key)}>',
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{8 if box.header else 2}" '
             f'fill="{box.fill}" stroke="#222" stroke-width="1.2"/>']
    total_lines = sum(len(lines) for _, lines in wrapped)
    ty = y + (h - total_lines * LINE) / 2 + LINE - 4
    for item, lines in wrapped:
        attrs = ""
        if item.field:
            attrs = f" data-field={attr(item.field)} data-n=\"{item.n}\"" + "".join(
                f" data-{k}={attr(v)}" for k, v in item.data.items())
        anchor = ' text-anchor="middle"' if box.header else ""
        tx = x + w / 2 if box.header else x + PAD + (12 if item.indent else 0)
        weight = ' font-weight="bold"' if (item.bold or box.header) else ""
        tspans = "".join(f'<tspan x="{tx:.1f}" y="{ty + i * LINE:.1f}">{esc(line)}</tspan>' for i, line in enumerate(lines))
        parts.append(f'<text font-size="{size}"{weight}{anchor}{attrs}>{tspans}</text>')
        ty += len(lines) * LINE
    parts.append("</g>")
    return "".join(parts)


def _arrow(source: tuple[float, float, float, float], target: tuple[float, float, float, float], kind: str) -> str:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    style = 'fill="none" stroke="#222" stroke-width="1.3" marker-end="url(#rf-flow-arrow)"'
    if kind == "right":
        my = sy + sh / 2
        d = f"M{sx + sw:.1f},{my:.1f} L{tx - 1:.1f},{my:.1f}"
    elif kind == "down":
        cx = sx + sw / 2
        d = f"M{cx:.1f},{sy + sh:.1f} L{cx:.1f},{ty - 1:.1f}"
    elif kind == "elbow":  # from a box in a lane to the right, down then left into the target
        cx = sx + sw / 2
        my = ty + th / 2
        d = f"M{cx:.1f},{sy + sh:.1f} L{cx:.1f},{my:.1f} L{tx + tw + 1:.1f},{my:.1f}"
    else:  # elbow-previous: from the previous-studies column, down then right
        cx = sx + sw / 2
        my = ty + th / 2
        d = f"M{cx:.1f},{sy + sh:.1f} L{cx:.1f},{my:.1f} L{tx - 1:.1f},{my:.1f}"
    return f'<path d="{d}" {style}/>'


def draw_flow_diagram(config: dict[str, Any], counts: dict[str, Any]) -> tuple[str, list[str]]:
    """The review's diagram as SVG, and the problems ``check_diagram`` finds in what it shows."""
    diagram = build_flow_diagram(config, counts)
    return diagram.svg(f"PRISMA 2020 flow diagram: {config['review']['title']}"), check_diagram(diagram, counts)
