"""A search that found nothing, through every step: imported, summarised, in the methods, verified."""

from __future__ import annotations

from pathlib import Path

from reviewflow.cli import main as cli
from reviewflow.csvio import read_table
from reviewflow.paths import ReviewPaths

from . import minireview


def test_a_zero_hit_search_is_counted_through_to_the_report_and_verify(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    with paths.search_log.open("a", encoding="utf-8") as handle:
        handle.write("3,2015-03-15,database,NothingDB,multi-agency,,0\n")
        handle.write("3,2015-03-15,register,EmptyRegister,multi-agency,empty.csv,0\n")
    (paths.searches / "empty.csv").write_text("Title,Authors,Year\n", encoding="utf-8")
    for step in ("import", "dedupe", "screen", "ledger", "tables", "report", "verify"):
        assert cli([step, "--root", str(tmp_path)]) == 0, step
    report = read_table(paths.import_report)
    assert report.loc[report["database"] == "NothingDB", "records"].tolist() == ["0"]
    methods = (paths.report / "methods.md").read_text(encoding="utf-8")
    assert "4 databases searched: TestDB, OtherDB, NothingDB, EmptyRegister" in methods
    summary = (paths.report / "flow.md").read_text(encoding="utf-8")  # the search summary
    assert "| 3 | NothingDB | 0 | 0 | 0 | 0 | 0 |" in summary and "| 3 | EmptyRegister | 0 | 0 | 0 | 0 | 0 |" in summary
