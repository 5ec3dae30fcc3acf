"""The scenario of issue 5, and the demo review end to end.

Two reviewers on a 20% sample at the title stage; one conflict settled by
adjudication, one left open; one decision file saved by a spreadsheet (BOM,
``;`` separators, CRLF, trailing empty rows, capitals and stray spaces).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewflow.cli import main as cli
from reviewflow.csvio import read_table, write_csv
from reviewflow.paths import ReviewPaths
from reviewflow.status import status_text

from .conftest import SNAKEFILE, run_snakemake
from .test_screening import TITLE_SAMPLE, load, make_records, make_review, rid

#: The works (in canonical order) that the seeded 20% sample gives the second reviewer: 8 of 40.
SAMPLED = [5, 7, 11, 12, 17, 20, 31, 35]
#: The first reviewer (tm) includes these; everything else is excluded.
TM_INCLUDES = {0, 1, 2, 5, 7, 11, 12}
#: What the second reviewer (ac) said on the sample, as typed in a spreadsheet.
AC_SAYS = {5: "Include", 7: "Yes", 11: " maybe ", 12: "EXCLUDE", 17: " include ", 20: "exclude", 31: "Exclude", 35: "no"}
CONFLICT_SETTLED, CONFLICT_OPEN = 12, 17


def spreadsheet_save(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """What LibreOffice/Excel in a European locale writes: BOM, ';', CRLF, empty rows left at the end."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    writer.writerows([[""] * len(header)] * 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def run(paths: ReviewPaths, *steps: str) -> None:
    for step in steps:
        assert cli([step, "--root", str(paths.root)]) == 0


def test_dual_screening_of_a_sample_with_conflicts_and_adjudication(tmp_path: Path) -> None:
    paths = make_review(tmp_path, [TITLE_SAMPLE], make_records(40))
    config, *_ = load(paths)
    run(paths, "screen")

    # the worksheets: tm has every work, ac the 20% sample
    tm_sheet = read_table(paths.worksheet("title", "tm"))
    ac_sheet = read_table(paths.worksheet("title", "ac"))
    assert sorted(tm_sheet["record_id"]) == sorted(rid(i) for i in range(40))
    assert sorted(ac_sheet["record_id"]) == sorted(rid(i) for i in SAMPLED)
    assert list(ac_sheet.columns) == ["record_id", "priority", "title", "decision", "reason", "note"]

    # tm fills the worksheet and saves it as the decision file
    number = {rid(i): i for i in range(40)}
    tm_sheet["decision"] = ["include" if number[r] in TM_INCLUDES else "exclude" for r in tm_sheet["record_id"]]
    tm_sheet.loc[tm_sheet["record_id"] == rid(3), "reason"] = "GEO"
    write_csv(tm_sheet, paths.decision_file("title", "tm"))
    # ac fills theirs in a spreadsheet with European settings
    ac_rows = []
    for row in ac_sheet.to_dict("records"):
        said = AC_SAYS[number[row["record_id"]]]
        ac_rows.append([row["record_id"], row["priority"], row["title"], said, " geo " if number[row["record_id"]] == CONFLICT_SETTLED else "", ""])
    spreadsheet_save(paths.decision_file("title", "ac"), ["Record ID", "Priority", "Title", "Decision", "Reason", "Note"], ac_rows)
    assert paths.decision_file("title", "ac").read_bytes().startswith(b"\xef\xbb\xbfRecord ID;Priority;Title;Decision")
    run(paths, "screen")

    # two conflicts: work 12 (tm include, ac exclude) and work 17 (tm exclude, ac include)
    open_conflicts = read_table(paths.conflicts("title"))
    assert sorted(open_conflicts["record_id"]) == sorted([rid(CONFLICT_SETTLED), rid(CONFLICT_OPEN)])
    assert set(open_conflicts["status"]) == {"open"}
    assert read_table(paths.worksheet("title", "ac")).empty and read_table(paths.worksheet("title", "tm")).empty

    # the adjudicator settles work 12 in conflicts.csv and saves the rows as adjudication.csv
    open_conflicts.loc[open_conflicts["record_id"] == rid(CONFLICT_SETTLED), ["decision", "note"]] = ["include", "UK data reported apart"]
    write_csv(open_conflicts, paths.adjudication_file("title"))
    run(paths, "screen", "ledger")

    # conflicts.csv: the open one first, then the settled one
    table = read_table(paths.conflicts("title"))
    assert table[["record_id", "kind", "status", "decisions", "resolution"]].values.tolist() == [
        [rid(CONFLICT_OPEN), "decision", "open", "tm: exclude; ac: include", ""],
        [rid(CONFLICT_SETTLED), "decision", "resolved", "tm: include; ac: exclude (GEO)", "include by adjudication"],
    ]

    # the counts: 7 included (3 outside the sample, 3 agreed in it, 1 adjudicated), 1 pending (the open conflict)
    counts = json.loads(paths.counts.read_text(encoding="utf-8"))
    assert {k: counts[k] for k in ("title_screened", "title_included", "title_excluded", "title_pending")} == {
        "title_screened": 40, "title_included": 7, "title_excluded": 32, "title_pending": 1}
    assert {k: counts[k] for k in ("title_conflicts_open", "title_conflicts_resolved", "title_double_screened", "conflicts_open")} == {
        "title_conflicts_open": 1, "title_conflicts_resolved": 1, "title_double_screened": 8, "conflicts_open": 1}
    assert (counts["new_studies"], counts["pending"]) == (7, 1)

    # agreement on the 8 double-screened works, maybe counted as include (work 11):
    #                 ac include   ac exclude
    #   tm include        3            1        (5, 7, 11 | 12)
    #   tm exclude        1            3        (17 | 20, 31, 35)
    # p_o = 6/8; p_e = (4/8)(4/8) + (4/8)(4/8) = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 0.5
    (pair,) = read_table(paths.agreement("title")).to_dict("records")
    assert (pair["reviewer_a"], pair["reviewer_b"], pair["double_screened"], pair["agreed"]) == ("tm", "ac", "8", "6")
    assert pair["percent_agreement"] == "75.0"
    assert float(pair["cohens_kappa"]) == pytest.approx((6 / 8 - 1 / 2) / (1 - 1 / 2), abs=5e-4)
    assert (pair["both_include"], pair["both_exclude"], pair["only_a_includes"], pair["only_b_includes"]) == ("3", "3", "1", "1")
    assert pair["note"] == "maybe counted as include"

    # status: what is left, and who does it
    text = status_text(paths, config)
    assert "title            40         7        32        1     1 open" in text
    assert f"- ks: settle 1 open conflict at title: fill decision (and reason) on the open rows of {paths.conflicts('title')}" in text
    assert "tm-ac: 8 double-screened, 75.0% agreed, kappa 0.500" in text

    # the same inputs give the same bytes
    before = {p: p.read_bytes() for p in sorted(paths.processed.rglob("*")) if p.is_file()}
    run(paths, "screen", "ledger")
    assert {p: p.read_bytes() for p in sorted(paths.processed.rglob("*")) if p.is_file()} == before


@pytest.mark.e2e
def test_the_demo_review_reproduces_its_counts_and_shows_its_agreement(demo_review: Path) -> None:
    result = run_snakemake(demo_review)
    assert "review status" in result.stdout and "tm-ac: 619 double-screened, 97.7% agreed, kappa 0.860" in result.stdout
    paths = ReviewPaths(demo_review)
    assert (paths.processed / "verify.txt").read_text(encoding="utf-8").rstrip().endswith("adds up")
    (title,) = read_table(paths.agreement("title")).to_dict("records")
    assert (title["double_screened"], title["percent_agreement"], title["cohens_kappa"]) == ("619", "97.7", "0.860")
    counts = json.loads(paths.counts.read_text(encoding="utf-8"))
    assert (counts["title_double_screened"], counts["conflicts_open"], counts["title_conflicts_resolved"]) == (619, 0, 14)
    assert "agreed on 97.7% (Cohen's kappa 0.860; maybe counted as include)" in (paths.report / "methods.md").read_text(encoding="utf-8")
    # `snakemake status` prints the summary on demand, even when nothing else has to run
    command = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "-d", str(demo_review), "--cores", "1", "status"]
    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "review status" in again.stdout and "next: nothing is pending" in again.stdout
