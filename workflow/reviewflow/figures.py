"""Figures as SVG, drawn from the distribution tables: horizontal bar charts, grouped or stacked.

A figure (``report.figures`` in the config) draws one table: its categories
are the table's rows or its columns (``categories``), its series the other
axis. The reference review's bar chart of the terms used for partnership in
peer-reviewed articles by sector (section 5.1) is ``terms_by_sector`` with the
sectors as categories and the terms as series. Every bar carries its numbers
(``data-category``, ``data-series``, ``data-n``) and a tooltip, so the
figure can be checked against its table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .svg import attr, esc, svg_open, text_width, wrap
from .tables import Table

#: Okabe-Ito colours (distinguishable with colour-vision deficiencies), then greys.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#666666")
FONT = 12
SMALL = 10


@dataclass
class Figure:
    name: str
    title: str
    svg: str


def nice_step(maximum: int, ticks: int = 6) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving at most ``ticks`` intervals."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * ticks:
                return step * factor
        step *= 10


def bar_chart(
    figure_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[int]]],
    *,
    stacked: bool = False,
    value_label: str = "Studies",
    width: int = 760,
) -> str:
    """A horizontal bar chart as a standalone SVG string."""
    label_lines = [wrap(c, 230, FONT) for c in categories]
    label_width = max([text_width(line, FONT) for lines in label_lines for line in lines] + [40])
    plot_x = 16 + label_width + 12
    plot_w = width - plot_x - 48
    y = 28.0
    parts: list[str] = [f'<text x="16" y="{y:.0f}" font-size="15" font-weight="bold">{esc(title)}</text>']
    y += 16
    # legend
    x = 16.0
    for index, (name, _) in enumerate(series):
        item = 14 + 6 + text_width(name, SMALL + 1) + 18
        if x + item > width - 16:
            x = 16.0
            y += 18
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 18:.1f}" y="{y + 10:.1f}" font-size="{SMALL + 1}">{esc(name)}</text>')
        x += item
    y += 30
    top = y
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    maximum = max((totals if stacked else [v for _, values in series for v in values]) or [0]) or 1
    step = nice_step(maximum)
    axis_max = step * -(-maximum // step)
    scale = plot_w / axis_max
    bar = 16 if stacked else 13
    band_gap = 10
    bars: list[str] = []
    labels: list[str] = []
    for ci, category in enumerate(categories):
        # grouped: a category's bars are its non-zero series, in series order (colours tell them apart)
        shown = [si for si, (_, values) in enumerate(series) if values[ci]]
        band = bar if stacked else bar * max(len(shown), 1)
        band = max(band, len(label_lines[ci]) * (FONT + 2))
        middle = y + band / 2
        first = middle - (len(label_lines[ci]) - 1) * (FONT + 2) / 2 + FONT / 3
        tspans = "".join(
            f'<tspan x="{plot_x - 8:.1f}" y="{first + li * (FONT + 2):.1f}">{esc(line)}</tspan>'
            for li, line in enumerate(label_lines[ci])
        )
        labels.append(f'<text text-anchor="end" font-size="{FONT}">{tspans}</text>')
        offset = 0.0
        bar_y = middle - (bar if stacked else bar * max(len(shown), 1)) / 2
        for si, (name, values) in enumerate(series):
            n = values[ci]
            colour = PALETTE[si % len(PALETTE)]
            tip = f"{category}, {name}: {n}"
            if stacked:
                if n:
                    w = n * scale
                    bars.append(
                        f'<rect x="{plot_x + offset:.2f}" y="{bar_y:.2f}" width="{w:.2f}" height="{bar}" fill="{colour}" '
                        f"data-category={attr(category)} data-series={attr(name)} data-n=\"{n}\"><title>{esc(tip)}</title></rect>"
                    )
                    if w >= 18:
                        ink = "#000" if colour in ("#E69F00", "#F0E442", "#56B4E9", "#999999") else "#fff"
                        bars.append(f'<text x="{plot_x + offset + w / 2:.2f}" y="{bar_y + bar - 4:.2f}" font-size="{SMALL}" '
                                    f'text-anchor="middle" fill="{ink}">{n}</text>')
                    offset += w
            else:
                if n:
                    by = bar_y + shown.index(si) * bar
                    bars.append(
                        f'<rect x="{plot_x:.2f}" y="{by:.2f}" width="{n * scale:.2f}" height="{bar - 1}" fill="{colour}" '
                        f"data-category={attr(category)} data-series={attr(name)} data-n=\"{n}\"><title>{esc(tip)}</title></rect>"
                    )
                    bars.append(f'<text x="{plot_x + n * scale + 3:.2f}" y="{by + bar - 2:.2f}" font-size="{SMALL - 1}">{n}</text>')
        if stacked and totals[ci]:
            bars.append(f'<text x="{plot_x + offset + 4:.2f}" y="{bar_y + bar - 4:.2f}" font-size="{SMALL}" '
                        f'font-weight="bold">{totals[ci]}</text>')
        y += band + band_gap
    bottom = y - band_gap + 6
    grid = []
    for tick in range(0, axis_max + 1, step):
        gx = plot_x + tick * scale
        grid.append(f'<line x1="{gx:.2f}" y1="{top - 4:.1f}" x2="{gx:.2f}" y2="{bottom:.1f}" stroke="#d0d0d0" stroke-width="1"/>')
        grid.append(f'<text x="{gx:.2f}" y="{bottom + 14:.1f}" font-size="{SMALL}" text-anchor="middle">{tick}</text>')
    grid.append(f'<line x1="{plot_x:.2f}" y1="{top - 4:.1f}" x2="{plot_x:.2f}" y2="{bottom:.1f}" stroke="#333" stroke-width="1"/>')
    height = bottom + 40
    grid.append(f'<text x="{plot_x + plot_w / 2:.1f}" y="{bottom + 32:.1f}" font-size="{FONT}" text-anchor="middle">'
                f"{esc(value_label)}</text>")
    desc = f"{'Stacked' if stacked else 'Grouped'} bar chart of {len(categories)} categories and {len(series)} series: " + "; ".join(
        f"{c}: " + ", ".join(f"{name} {values[i]}" for name, values in series if values[i]) for i, c in enumerate(categories)
    )
    return (
        svg_open(width, height, title=title, desc=desc, element_id=figure_id, css_class="rf-figure")
        + f'<rect width="{width}" height="{height:.0f}" fill="#fff"/>\n'
        + "\n".join(grid + labels + bars + parts)
        + "\n</svg>\n"
    )


def figure_from_table(spec: dict[str, Any], table: Table) -> Figure:
    """The figure ``spec`` (an entry of ``report.figures``) drawn from its table's counts."""
    counts = table.counts
    row_labels = table.row_labels or [str(i) for i in counts.index]
    col_labels = table.column_labels or [str(c) for c in counts.columns]
    if spec.get("categories", "rows") == "rows":
        categories = row_labels
        series = [(label, [int(v) for v in counts[c]]) for c, label in zip(counts.columns, col_labels, strict=True)]
    else:
        categories = col_labels
        series = [(label, [int(v) for v in counts.loc[r]]) for r, label in zip(counts.index, row_labels, strict=True)]
    if spec.get("drop_empty", True):
        keep = [i for i in range(len(categories)) if any(values[i] for _, values in series)]
        categories = [categories[i] for i in keep]
        series = [(name, [values[i] for i in keep]) for name, values in series]
        series = [(name, values) for name, values in series if any(values)]
    title = spec.get("title", table.title)
    svg = bar_chart(f"figure-{spec['name']}", title, categories, series, stacked=spec.get("kind", "grouped") == "stacked",
                    value_label=spec.get("value_label", "Studies"))
    return Figure(spec["name"], title, svg)


def build_figures(config: dict[str, Any], tables: list[Table]) -> list[Figure]:
    by_name = {t.name: t for t in tables}
    return [figure_from_table(spec, by_name[spec["table"]]) for spec in config.get("report", {}).get("figures", [])]
