"""What ``reviewflow check FILE`` prints: a new export's format, records, field
coverage and problems, before it is added to the search log."""

from __future__ import annotations

from ..records import BIBLIO_FIELDS
from .base import ParsedExport

def field_coverage(export: ParsedExport) -> dict[str, int]:
    """For each common field, how many records have it."""
    return {name: sum(1 for record in export.records if record.fields.get(name)) for name in BIBLIO_FIELDS}


def describe_export(export: ParsedExport, reported_hits: int | None = None) -> tuple[str, list[str]]:
    """The check's text for one readable file, and the problems found (empty when none).

    A problem is a count that does not add up; records without a title are
    noted (they can be imported, but not screened on their titles)."""
    count = len(export.records)
    lines = [
        f"{export.path}",
        f"  format:   {export.format_label}",
        f"  encoding: {export.encoding}",
        f"  records:  {count}" + (f" (the file says {export.stated_total})" if export.stated_total is not None else ""),
        "  field coverage:",
    ]
    coverage = field_coverage(export)
    for name, filled in coverage.items():
        lines.append(f"    {name:<10} {filled:>7} of {count} ({100 * filled / count:.0f}%)")
    problems: list[str] = []
    if reported_hits is not None and reported_hits != count:
        problems.append(f"the database reported {reported_hits} records but the file holds {count}")
        if reported_hits > count:
            from . import FORMATS, better_reading

            better = better_reading(export.path, export.format, count, reported_hits)
            if better is not None:
                problems.append(f"read as {FORMATS.get(better[0], better[0])} it holds {better[1]}: the format may have been misread")
    if export.stated_total is not None and export.stated_total != count:
        problems.append(f"the file says it holds {export.stated_total} records but {count} were read")
    for warning in export.warnings:
        lines.append(f"  warning: {warning}")
    if coverage["title"] != count:
        missing = [str(r.line) for r in export.records if not r.fields.get("title")]
        lines.append(
            f"  note: {count - coverage['title']} record(s) have no title (starting on line {', '.join(missing[:10])}"
            f"{' ...' if len(missing) > 10 else ''}): they cannot be screened on their titles"
        )
    for problem in problems:
        lines.append(f"  PROBLEM: {problem}")
    return "\n".join(lines), problems
