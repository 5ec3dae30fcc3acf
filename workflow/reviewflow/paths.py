"""Where everything lives in a review folder (the folder contract)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Files in data/raw/searches/ that are not exports: hidden files and office lock files.
NOT_EXPORT_PREFIXES = (".", "~$")


def export_paths(searches_dir: Path) -> list[Path]:
    """The files in the searches folder and its subfolders that may be exports (no hidden files or
    office lock files), sorted; none when the folder does not exist. (No pandas: the Snakefile calls it.)"""
    if not searches_dir.is_dir():
        return []
    return [
        f for f in sorted(searches_dir.rglob("*"))
        if f.is_file() and not any(part.startswith(NOT_EXPORT_PREFIXES) for part in f.relative_to(searches_dir).parts)
    ]


@dataclass(frozen=True)
class ReviewPaths:
    root: Path = Path(".")

    # written by people (the pipeline never writes here)
    @property
    def config(self) -> Path:
        return self.root / "config" / "config.yaml"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def search_log(self) -> Path:
        return self.raw / "searches.csv"

    @property
    def searches(self) -> Path:
        return self.raw / "searches"

    @property
    def decisions(self) -> Path:
        return self.raw / "decisions"

    @property
    def duplicate_decisions(self) -> Path:
        return self.decisions / "duplicates.csv"

    @property
    def evidence_log(self) -> Path:
        return self.raw / "evidence_log.csv"

    def decision_file(self, stage: str, reviewer: str) -> Path:
        return self.decisions / stage / f"{reviewer}.csv"

    def adjudication_file(self, stage: str) -> Path:
        return self.decisions / stage / "adjudication.csv"

    # generated
    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def records(self) -> Path:
        return self.processed / "records.csv"

    @property
    def import_report(self) -> Path:
        return self.processed / "import_report.csv"

    @property
    def dedupe(self) -> Path:
        return self.processed / "dedupe"

    @property
    def clusters(self) -> Path:
        return self.dedupe / "clusters.csv"

    @property
    def dedupe_sources(self) -> Path:
        return self.dedupe / "sources.csv"

    @property
    def related(self) -> Path:
        """Candidate links between works that may be reports of one study."""
        return self.dedupe / "related.csv"

    @property
    def study_decisions(self) -> Path:
        """People's verdicts on reports of one study."""
        return self.decisions / "studies.csv"

    @property
    def dedupe_review(self) -> Path:
        return self.dedupe / "review.csv"

    @property
    def screening(self) -> Path:
        return self.processed / "screening"

    @property
    def decisions_table(self) -> Path:
        return self.screening / "decisions.csv"

    def worksheet(self, stage: str, reviewer: str) -> Path:
        return self.screening / stage / f"{reviewer}_todo.csv"

    def conflicts(self, stage: str) -> Path:
        return self.screening / stage / "conflicts.csv"

    def agreement(self, stage: str) -> Path:
        return self.screening / stage / "agreement.csv"

    @property
    def orphans(self) -> Path:
        return self.screening / "orphans.csv"

    @property
    def screening_summary(self) -> Path:
        return self.screening / "summary.json"

    @property
    def stopping(self) -> Path:
        """Each stage's stopping rule: the test's result and whether it was applied."""
        return self.screening / "stopping.json"

    @property
    def ledger(self) -> Path:
        return self.processed / "ledger.csv"

    @property
    def counts(self) -> Path:
        return self.processed / "counts.json"

    @property
    def previous_counts(self) -> Path:
        """The previous version's counts, re-derived from its records ({} when no previous version is marked)."""
        return self.processed / "counts_previous.json"

    @property
    def prisma_csv(self) -> Path:
        return self.processed / "prisma" / "PRISMA.csv"

    @property
    def tables(self) -> Path:
        return self.processed / "tables"

    @property
    def report(self) -> Path:
        return self.processed / "report"

    # the report's artefacts (the report step)
    @property
    def figures(self) -> Path:
        return self.processed / "figures"

    def figure(self, name: str) -> Path:
        return self.figures / f"{name}.svg"

    @property
    def flow_diagram(self) -> Path:
        return self.processed / "prisma" / "flow_diagram.svg"

    @property
    def report_html(self) -> Path:
        return self.report / "report.html"

    @property
    def included_ris(self) -> Path:
        return self.report / "included_studies.ris"

    @property
    def included_csv(self) -> Path:
        return self.report / "included_studies.csv"
