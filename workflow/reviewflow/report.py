"""Report sections rendered with jinja2 from the counts and tables, never typed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .tables import Table, to_markdown


def template_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """Templates looked up in order: the review's own ``templates/`` first, then reviewflow's."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs if d.is_dir()]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"]),
    )


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


def render_sections(
    env: jinja2.Environment,
    config: dict[str, Any],
    counts: dict[str, Any],
    tables: list[Table],
    agreement: dict[str, list[dict[str, Any]]],
) -> dict[str, str]:
    """Section name -> Markdown text."""
    context = {
        "review": config["review"],
        "questions": config["questions"],
        "criteria": config["criteria"],
        "keywords": config.get("report", {}).get("keywords", []),
        "counts": counts,
        "stages": stage_summaries(config, counts),
        "tables": [{"name": t.name, "title": t.title, "markdown": to_markdown(t.frame)} for t in tables],
        "agreement": agreement,
        "reviewers": config["reviewers"],
    }
    return {name: env.get_template(f"{name}.md.j2").render(**context) for name in ("methods", "tables")}
