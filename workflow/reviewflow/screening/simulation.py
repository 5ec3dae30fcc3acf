"""Simulated screening: how much work the priority order saves on a review whose decisions are all known.

The convention of ASReview's simulation mode: start from one included and one
excluded work (drawn with a seed), screen the B works the model ranks first,
reveal their labels as if a reviewer had decided them, re-train, and go on
until every work is screened. The order found is measured by

- WSS@r (work saved over sampling at recall r): the share of works not yet
  screened when a share r of the includes has been found, minus (1 - r);
- recall after 10% and 25% of the works;
- the works screened to reach 95% and 100% recall;
- where the stopping rule (``stopping.py``) would have stopped: the recall
  reached there and the share of works left unscreened.

The prior works count as screened. Everything is pure and seeded: the same
inputs give the same figures on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ReviewError
from ..svg import attr, esc, svg_open
from .priority import MODEL, features, learned_scores
from .stopping import stop_point

#: Label columns looked for, in this order, when none is named (the shared screening sets' and ASReview's).
LABEL_COLUMNS = ("label_abstract_screening", "label_included", "included", "label")
BATCHES = (1, 10, 50)


@dataclass(frozen=True)
class Labelled:
    """A labelled review: one text and one label (1 included, 0 excluded) per work."""

    name: str
    texts: list[str]
    labels: np.ndarray
    label_column: str


def read_labelled(path: str | Path, label: str | None = None, fields: Sequence[str] = ("title", "abstract")) -> Labelled:
    """A labelled CSV: a ``title`` and ``abstract`` column (either may be empty) and a 0/1 label column.

    ``label`` names the label column; by default the first of ``LABEL_COLUMNS`` present.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ReviewError(f"cannot read the labelled file: {error}", file=path,
                          fix="give a CSV file (UTF-8) with a title, an abstract and a 0/1 label column") from error
    columns = {c.strip().lower(): c for c in table.columns}
    if label is None:
        label = next((c for c in LABEL_COLUMNS if c in columns), None)
        if label is None:
            raise ReviewError(f"no label column: looked for {', '.join(LABEL_COLUMNS)}", file=path,
                              fix="name the column of 0/1 decisions with --label")
    if label.strip().lower() not in columns:
        raise ReviewError(f"no column '{label}' (columns: {', '.join(table.columns)})", file=path, fix="name an existing column with --label")
    label_column = columns[label.strip().lower()]
    present = [columns[f] for f in fields if f in columns]
    if not present:
        raise ReviewError(f"no text column: looked for {', '.join(fields)}", file=path, fix="the file needs a title and/or an abstract column")
    values = table[label_column].str.strip()
    bad = values[~values.isin(["0", "1", "0.0", "1.0"])]
    if len(bad):
        first = int(bad.index[0])
        raise ReviewError(f"label '{bad.iloc[0]}' is not 0 or 1 ({len(bad)} such row{'s' if len(bad) > 1 else ''})",
                          file=path, row=first + 2, column=label_column,
                          fix="every work needs a decision, 1 (included) or 0 (excluded): a simulation needs complete decisions")
    labels = values.astype(float).astype(int).to_numpy()
    texts = [" ".join(parts) for parts in zip(*(table[c].tolist() for c in present), strict=True)]
    check_labels(labels, path)
    return Labelled(path.stem, texts, labels, label_column)


def check_labels(labels: np.ndarray, where: str | Path) -> None:
    if labels.sum() < 1 or labels.sum() == len(labels):
        raise ReviewError(f"{int(labels.sum())} of {len(labels)} works are included: a simulation needs at least one "
                          "included and one excluded work", file=where)


def prior(labels: np.ndarray, seed: int) -> tuple[int, int]:
    """(one included, one excluded) work, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    return int(rng.choice(np.flatnonzero(labels == 1))), int(rng.choice(np.flatnonzero(labels == 0)))


def screening_order(matrix: sparse.csr_matrix, labels: np.ndarray, start: tuple[int, int], batch: int, model: str = MODEL) -> np.ndarray:
    """Every work in the order a simulated reviewer meets it: the prior, then B at a time as the model ranks them."""
    n = matrix.shape[0]
    seen = np.zeros(n, dtype=bool)
    order = list(start)
    seen[list(start)] = True
    while len(order) < n:
        screened = np.array(order)
        inc = screened[labels[screened] == 1]
        exc = screened[labels[screened] == 0]
        left = np.flatnonzero(~seen)
        if len(inc) and len(exc):
            score = learned_scores(matrix, inc.tolist(), exc.tolist(), None, model)[left]
            ranked = left[np.lexsort((left, -score))]
        else:  # cannot happen from a prior of one each; kept for safety
            ranked = left
        chosen = ranked[:batch]
        order.extend(chosen.tolist())
        seen[chosen] = True
    return np.array(order)


def records_to(hits: np.ndarray, recall: float) -> int:
    """Works screened (in this order) until ``recall`` of the includes were found."""
    needed = math.ceil(round(recall * int(hits.sum()), 9))
    return int(np.searchsorted(np.cumsum(hits), needed) + 1)


def measures(hits: np.ndarray) -> dict[str, float]:
    """WSS@95, WSS@100, recall after 10% and 25%, works to 95% and 100% recall, for one screening order."""
    n, found = len(hits), np.cumsum(hits)
    total = int(found[-1])
    to95, to100 = records_to(hits, 0.95), records_to(hits, 1.0)
    return {
        "wss95": (n - to95) / n - 0.05,
        "wss100": (n - to100) / n,
        "recall10": found[max(int(n * 0.10), 1) - 1] / total,
        "recall25": found[max(int(n * 0.25), 1) - 1] / total,
        "to95": to95,
        "to100": to100,
    }


def stopping_measures(hits: np.ndarray, batch: int, target_recall: float, confidence: float, min_screened: int) -> dict[str, float]:
    """Where the stopping rule, tested after each batch, stops: recall there and share of works not screened."""
    n = len(hits)
    stop = stop_point(hits, n, target_recall, confidence, min_screened, every=batch)
    return {"stop_at": stop, "recall_at_stop": hits[:stop].sum() / hits.sum(), "saved_at_stop": (n - stop) / n}


def simulate(
    data: Labelled,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    batches: Sequence[int] = BATCHES,
    model: str = MODEL,
    stopping: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, dict[tuple[int, int], np.ndarray]]:
    """(one row of measures per batch size and seed, (batch, seed) -> the labels in screening order)."""
    check_labels(data.labels, data.name)
    matrix, _ = features(data.texts)
    rows, orders = [], {}
    for batch in batches:
        if batch < 1:
            raise ReviewError(f"batch size {batch}: screen at least one work between re-rankings")
        for seed in seeds:
            order = screening_order(matrix, data.labels, prior(data.labels, seed), batch, model)
            hits = data.labels[order]
            orders[(batch, seed)] = hits
            row = {"set": data.name, "model": model, "batch": batch, "seed": seed, "works": len(hits),
                   "includes": int(hits.sum()), **measures(hits)}
            if stopping:
                row.update(stopping_measures(hits, batch, **stopping))
            rows.append(row)
    return pd.DataFrame(rows), orders


def summary_table(results: pd.DataFrame) -> pd.DataFrame:
    """Mean measures over the seeds, per set, model and batch size."""
    keys = ["set", "model", "batch"]
    numeric = [c for c in results.columns if c not in (*keys, "seed")]
    return results.groupby(keys, sort=False)[numeric].mean().reset_index()


def format_table(summary: pd.DataFrame) -> str:
    """The summary as aligned text: percentages for shares, whole numbers for counts."""
    shares = {"wss95", "wss100", "recall10", "recall25", "recall_at_stop", "saved_at_stop"}
    heads = {"wss95": "WSS@95", "wss100": "WSS@100", "recall10": "recall@10%", "recall25": "recall@25%",
             "to95": "to 95%", "to100": "to 100%", "stop_at": "stop at", "recall_at_stop": "recall@stop",
             "saved_at_stop": "saved@stop"}
    columns = [c for c in summary.columns]
    cells = [[heads.get(c, c) for c in columns]]
    for row in summary.itertuples(index=False):
        line = []
        for c, v in zip(columns, row, strict=True):
            if c in shares:
                line.append(f"{100 * v:.1f}%")
            elif isinstance(v, float):
                line.append(f"{v:.0f}")
            else:
                line.append(str(v))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
                     for r in cells)


COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def recall_curve_svg(curves: dict[str, list[np.ndarray]], title: str) -> str:
    """Recall against works screened, one line per seed, one colour per series (e.g. batch size); random order dashed."""
    width, height, left, bottom, top, right = 640, 420, 60, 50, 40, 170
    plot_w, plot_h = width - left - right, height - top - bottom

    def point(x: float, y: float) -> str:
        return f"{left + x * plot_w:.1f},{top + (1 - y) * plot_h:.1f}"

    parts = [svg_open(width, height, title=title, desc="Share of the includes found against the share of works screened.",
                      element_id="recall-curve", css_class="recall-curve")]
    parts.append(f'<text x="{width / 2 - right / 2:.0f}" y="22" text-anchor="middle" font-size="14">{esc(title)}</text>\n')
    for tick in range(0, 11, 2):
        t = tick / 10
        x0, y0 = point(t, 0).split(",")
        xl, yl = point(0, t).split(",")
        parts.append(f'<line x1="{x0}" y1="{top + plot_h}" x2="{x0}" y2="{top + plot_h + 4}" stroke="#333"/>'
                     f'<text x="{x0}" y="{top + plot_h + 18}" text-anchor="middle" font-size="11">{tick * 10}%</text>\n')
        parts.append(f'<line x1="{left}" y1="{yl}" x2="{left + plot_w}" y2="{yl}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{float(yl) + 4:.1f}" text-anchor="end" font-size="11">{tick * 10}%</text>\n')
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>\n')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 12}" text-anchor="middle" font-size="12">works screened</text>\n')
    parts.append(f'<text x="16" y="{top + plot_h / 2}" text-anchor="middle" font-size="12" '
                 f'transform="rotate(-90 16 {top + plot_h / 2})">recall (includes found)</text>\n')
    parts.append(f'<polyline points="{point(0, 0)} {point(1, 1)}" fill="none" stroke="#888" stroke-dasharray="5,4"/>\n')
    for k, (label, series) in enumerate(curves.items()):
        colour = COLOURS[k % len(COLOURS)]
        for hits in series:
            n, found = len(hits), np.cumsum(hits) / max(hits.sum(), 1)
            step = max(1, n // 400)
            xs = list(range(0, n, step)) + [n - 1]
            pts = " ".join(point((i + 1) / n, found[i]) for i in xs)
            parts.append(f'<polyline points="{point(0, 0)} {pts}" fill="none" stroke={attr(colour)} stroke-opacity="0.7" stroke-width="1.3"/>\n')
        y = top + 14 + 18 * k
        parts.append(f'<line x1="{left + plot_w + 14}" y1="{y}" x2="{left + plot_w + 34}" y2="{y}" stroke={attr(colour)} stroke-width="2"/>'
                     f'<text x="{left + plot_w + 40}" y="{y + 4}" font-size="12">{esc(label)}</text>\n')
    y = top + 14 + 18 * len(curves)
    parts.append(f'<line x1="{left + plot_w + 14}" y1="{y}" x2="{left + plot_w + 34}" y2="{y}" stroke="#888" stroke-dasharray="5,4"/>'
                 f'<text x="{left + plot_w + 40}" y="{y + 4}" font-size="12">random order</text>\n')
    parts.append("</svg>\n")
    return "".join(parts)


def review_labelled(root: str | Path, stage: str | None = None) -> Labelled:
    """A review folder's works at a stage (the first by default) with their outcomes, once every one is decided.

    Reads the processed records and clusters (run the pipeline up to ``screen`` first) and the decision files.
    """
    from ..config import load_config
    from ..csvio import read_table
    from ..paths import ReviewPaths
    from .files import read_decisions
    from .outcomes import resolve
    from .sheets import work_texts
    from .units import Units

    paths = ReviewPaths(Path(root))
    config = load_config(paths.config)
    names = [s["name"] for s in config["stages"]]
    stage = stage or names[0]
    if stage not in names:
        raise ReviewError(f"no stage '{stage}' (stages: {', '.join(names)})", file=paths.config, fix="name a stage of the config with --stage")
    for needed in (paths.records, paths.clusters):
        if not needed.is_file():
            raise ReviewError("the review's records are not imported and de-duplicated yet", file=needed,
                              fix="run the pipeline (snakemake) up to the screening step first")
    records = read_table(paths.records)
    units = Units.build(records, read_table(paths.clusters))
    decisions = read_decisions(paths, config, units)
    outcomes = resolve(config, units, decisions.table).outcomes
    at_stage = outcomes[outcomes["stage"] == stage]
    open_ = at_stage[~at_stage["outcome"].isin(["include", "exclude", "not_retrieved"])]
    if len(open_):
        raise ReviewError(f"stage '{stage}': {len(open_)} of {len(at_stage)} works are not decided yet "
                          f"(e.g. {open_['cluster_id'].iloc[0]})", file=paths.decisions / stage,
                          fix="a simulation replays complete decisions: finish the stage, or give a labelled CSV")
    shown = records.set_index("record_id")
    representative = dict(zip(units.clusters["cluster_id"], units.clusters["representative"], strict=True))
    texts = list(work_texts(shown, representative, at_stage["cluster_id"].tolist()).values())
    labels = (at_stage["outcome"] == "include").astype(int).to_numpy()
    check_labels(labels, paths.decisions / stage)
    return Labelled(f"{paths.root.resolve().name}:{stage}", texts, labels, stage)
