"""The report: Markdown sections rendered with jinja2, and one self-contained HTML report.

Every number in the report comes from counts.json, the tables or the
agreement files; nothing is typed in. The sections (``methods``, ``flow``,
``tables``, ``studies``) are Markdown templates, looked up first in the
review's own ``templates/`` folder, then in reviewflow's. Text from the data
goes through the ``md`` filter, so a ``<``, ``&``, ``*`` or ``|`` in a title
is shown as written.

The HTML report is the same sections converted with markdown-it (raw HTML
disabled, so nothing from the data can become markup), with the project's
SVG figures and flow diagram inlined in place of their image links, in
``report.html.j2`` with inline CSS: nothing is fetched when it is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from .errors import ReviewError
from .prisma import parse_named_counts
from .tables import Table, markdown_escape, to_markdown

SECTIONS = ("methods", "flow", "tables", "studies")


def template_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """Templates looked up in order: the review's own ``templates/`` first, then reviewflow's."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs if d.is_dir()]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # HTML templates (report.html.j2) escape every value; Markdown ones use the `md` filter
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg", "html.j2", "htm.j2", "xml.j2", "svg.j2"]),
    )
    env.filters["md"] = markdown_escape
    return env


def stage_summaries(config: dict[str, Any], counts: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": stage["name"],
            "label": stage.get("label", stage["name"].capitalize()),
            "full_text": bool(stage.get("full_text")),
            "lanes": stage["lanes"],
            "screened": counts[f"{stage['name']}_screened"],
            "included": counts[f"{stage['name']}_included"],
            "excluded": counts[f"{stage['name']}_excluded"],
            "pending": counts[f"{stage['name']}_pending"],
        }
        for stage in config["stages"]
    ]


def exclusion_summaries(config: dict[str, Any], counts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each exclusion criterion with the reports excluded for it at full text, per lane (from the counts)."""
    per_lane = {lane: dict(parse_named_counts(counts.get(f"{lane}_excluded_reasons", ""))) for lane in ("dbr", "other")}
    out = []
    for criterion in config["criteria"]["exclusion"]:
        label = criterion.get("label") or criterion["text"]
        if criterion.get("not_retrieved"):  # counted as reports not retrieved, not as exclusions
            databases, other = int(counts["dbr_notretrieved_reports"]), int(counts["other_notretrieved_reports"])
        else:
            databases, other = per_lane["dbr"].get(label, 0), per_lane["other"].get(label, 0)
        out.append({**criterion, "label": label, "databases": databases, "other": other, "total": databases + other})
    return out


def agreement_summaries(config: dict[str, Any], agreement: dict[str, list[dict[Any, Any]]]) -> list[dict[str, Any]]:
    """One row per stage and pair of reviewers who both screened records."""
    names = {code: r["name"] for code, r in config["reviewers"].items()}
    rows = []
    for stage in config["stages"]:
        for pair in agreement.get(stage["name"], []):
            rows.append({
                "stage": stage.get("label", stage["name"]),
                "reviewers": f"{names.get(pair['reviewer_a'], pair['reviewer_a'])} and {names.get(pair['reviewer_b'], pair['reviewer_b'])}",
                "reviewer_a": names.get(pair["reviewer_a"], pair["reviewer_a"]),
                "reviewer_b": names.get(pair["reviewer_b"], pair["reviewer_b"]),
                **{k: pair[k] for k in ("double_screened", "agreed", "percent_agreement", "cohens_kappa", "note")},
            })
    return rows


def agreement_markdown(rows: list[dict[str, Any]]) -> str:
    import pandas as pd

    frame = pd.DataFrame(
        [[r["stage"], r["reviewers"], r["note"], r["double_screened"], r["agreed"], r["percent_agreement"], r["cohens_kappa"] or "not defined"]
         for r in rows],
        columns=["Stage", "Reviewers", "How decisions were compared", "Screened by both", "Agreed", "Agreement (%)", "Cohen's kappa"],
    )
    return to_markdown(Table("agreement", "Agreement", frame, frame, numeric_from=3))


@dataclass
class ReportInputs:
    """Everything the sections are rendered from (all derived, nothing typed in)."""

    config: dict[str, Any]
    counts: dict[str, Any]
    tables: list[Table]
    search_summary: Table
    source_contribution: Table
    figures: list[dict[str, str]]  # name, title, path (relative to the report folder)
    flow_diagram_path: str
    agreement: dict[str, list[dict[Any, Any]]]
    studies: list[dict[Any, Any]]  # included works with their reference
    grey_sources: dict[str, list[str]]  # source type -> names searched
    evidence_fields: list[str]  # labels of the coding scheme's fields
    studies_coded: int
    stopping: dict[str, dict[str, Any]] = field(default_factory=dict)  # stage -> its stopping rule's test (screening/stopping.json)


def render_sections(env: jinja2.Environment, inputs: ReportInputs) -> dict[str, str]:
    """Section name -> Markdown text."""
    config, counts = inputs.config, inputs.counts
    report_config = config.get("report", {})
    methods_tables = report_config.get("methods_tables", [])
    unknown = [name for name in methods_tables if name not in {t.name for t in inputs.tables}]
    if unknown:
        raise ReviewError(f"key 'report.methods_tables': no table is named {', '.join(map(repr, unknown))}",
                          file="config/config.yaml", fix=f"use the names under 'tables:': {[t.name for t in inputs.tables]}")
    tables = [{"name": t.name, "title": t.title, "markdown": to_markdown(t), "frame": t.frame} for t in inputs.tables]
    context = {
        "review": config["review"],
        "questions": config["questions"],
        "criteria": config["criteria"],
        "keywords": report_config.get("keywords", []),
        "counts": counts,
        "stages": stage_summaries(config, counts),
        "stage": {s["name"]: s for s in stage_summaries(config, counts)},
        "exclusions": exclusion_summaries(config, counts),
        "tables": [t for t in tables if t["name"] not in methods_tables],
        "methods_tables": [t for t in tables if t["name"] in methods_tables],
        "table": {t["name"]: t for t in tables},
        "search_summary": to_markdown(inputs.search_summary),
        "source_contribution": to_markdown(inputs.source_contribution),
        "figures": inputs.figures,
        "flow_diagram": inputs.flow_diagram_path,
        "agreement": inputs.agreement,
        "agreement_rows": agreement_summaries(config, inputs.agreement),
        "agreement_table": agreement_markdown(agreement_summaries(config, inputs.agreement)),
        "reviewers": config["reviewers"],
        "studies": inputs.studies,
        "grey_sources": inputs.grey_sources,
        "evidence_fields": inputs.evidence_fields,
        "studies_coded": inputs.studies_coded,
        "stopping": inputs.stopping,
    }
    return {name: env.get_template(f"{name}.md.j2").render(**context) for name in SECTIONS}


# ----------------------------------------------------------------------------- HTML


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"
    slug, i = base, 2
    while slug in taken:
        slug, i = f"{base}-{i}", i + 1
    taken.add(slug)
    return slug


def markdown_renderer(svgs: dict[str, str]) -> MarkdownIt:
    """CommonMark + tables, raw HTML off; images of the project's SVGs are inlined, others refused."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

    def image(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        src = token.attrGet("src") or ""
        if src not in svgs:
            raise ReviewError(
                f"the report links the image '{src}', which the self-contained HTML report cannot embed",
                file=env.get("section", "a report template"),
                fix="link only the project's figures and flow diagram (they are inlined), or drop the image",
            )
        return f'<span class="rf-svg">{svgs[src].strip()}</span>'

    def heading_open(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        inline = tokens[idx + 1]
        plain = "".join(child.content for child in (inline.children or []) if child.type in ("text", "code_inline"))
        slug = _slug(plain, env.setdefault("ids", set()))
        token.attrSet("id", slug)
        if token.tag == "h2":
            env.setdefault("toc", []).append((slug, plain))
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("image", image)
    md.add_render_rule("heading_open", heading_open)
    return md


def render_html(env: jinja2.Environment, config: dict[str, Any], sections: dict[str, str], svgs: dict[str, str]) -> str:
    """One self-contained HTML page of the sections, the SVGs inlined."""
    md = markdown_renderer(svgs)
    state: dict[str, Any] = {"ids": {"contents"}}
    rendered = []
    for name in SECTIONS:
        state["section"] = f"templates/{name}.md.j2"
        rendered.append({"name": name, "html": Markup(md.render(sections[name], state))})  # noqa: S704 - escaped by markdown-it
    toc = [{"id": slug, "title": title} for slug, title in state.get("toc", [])]
    return env.get_template("report.html.j2").render(review=config["review"], sections=rendered, toc=toc)

