"""A small review folder built in code, for tests that need a whole review.

Three database rounds (RIS, BibTeX, CSV) and one organisation's list: seven
records, one duplicate across rounds (same DOI), one grey-literature record.
Decisions are written after import, naming the ids reviewflow assigns.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewflow.config import load_config
from reviewflow.dedupe import find_duplicates
from reviewflow.importers.collect import import_searches
from reviewflow.paths import ReviewPaths
from reviewflow.searchlog import read_search_log

CONFIG = """
review: {title: A small review}
questions: [{id: Q1, text: "Does it work?"}]
reviewers:
  a: {name: Reviewer A}
  b: {name: Reviewer B}
stages:
  - {name: title, lanes: [databases], reviewers: [a, b], assignment: {mode: dual}}
  - {name: fulltext, lanes: [databases, other], full_text: true, reviewers: [a], reasons: required, maybe: pending}
criteria:
  exclusion:
    - {code: X1, label: Wrong population, text: "Not the population of interest"}
    - {code: NR, label: Not retrieved, text: "Full text not available", not_retrieved: true}
evidence_log:
  fields:
    - {name: design, required: true, values: [Qualitative, Quantitative]}
    - {name: topics, multiple: true, values: [alpha, beta]}
tables:
  - {name: design, rows: {field: design, label: Design}}
"""

RIS = textwrap.dedent(
    """\
    TY  - JOUR
    TI  - Partnership working in schools
    AU  - Smith, John
    PY  - 2010
    T2  - Journal of Partnerships
    DO  - 10.5555/test.1
    ER  - 

    TY  - JOUR
    TI  - Collaboration in hospitals
    AU  - Jones, Ann
    PY  - 2011
    T2  - Health Journal
    ER  - 

    TY  - JOUR
    TI  - Joint working in policing
    AU  - Brown, Tom
    PY  - 2012
    T2  - Police Journal
    DO  - 10.5555/test.3
    ER  - 
    """
)

BIBTEX = textwrap.dedent(
    """\
    @article{k1,
      title = {Partnership Working in Schools},
      author = {Smith, John},
      year = {2010},
      journal = {Journal of Partnerships},
      doi = {https://doi.org/10.5555/TEST.1}
    }

    @article{k2,
      title = {Integration of care in {Scotland}},
      author = {Reid, Kay and Ross, Lee},
      year = {2013},
      journal = {Care Journal}
    }
    """
)

CSV = 'Title,Authors,Year,Source Title,DOI\nMulti-agency teams,"Green, Pat",2014,Team Journal,10.5555/test.6\n'
GREY = "Title,Authors,Year,Publisher\nLocal partnerships: a report,Some Foundation,2009,Some Foundation\n"

SEARCH_LOG = (
    "round,date,source_type,database,query,file,reported_hits\n"
    "1,2015-03-01,database,TestDB,partnership,r1.ris,3\n"
    "2,2015-03-08,database,TestDB,collaboration,r2.bib,2\n"
    "3,2015-03-15,database,OtherDB,multi-agency,r3.csv,\n"
    "4,2015-04-01,organisation,Some Foundation,publications list,org.csv,1\n"
)


def write_inputs(root: Path) -> ReviewPaths:
    paths = ReviewPaths(root)
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(CONFIG, encoding="utf-8")
    paths.searches.mkdir(parents=True, exist_ok=True)
    (paths.searches / "r1.ris").write_text(RIS, encoding="utf-8")
    (paths.searches / "r2.bib").write_text(BIBTEX, encoding="utf-8")
    (paths.searches / "r3.csv").write_text(CSV, encoding="utf-8")
    (paths.searches / "org.csv").write_text(GREY, encoding="utf-8")
    paths.search_log.write_text(SEARCH_LOG, encoding="utf-8")
    return paths


def record_ids(root: Path) -> dict[str, str]:
    """Short title -> cluster id (the id a worksheet shows), as reviewflow assigns them."""
    paths = ReviewPaths(root)
    log = read_search_log(paths.search_log, paths.searches)
    records, _ = import_searches(log, paths.searches)
    clusters = find_duplicates(records).clusters
    cluster_of = dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True))
    return {title.split()[0].lower(): cluster_of[rid] for rid, title in zip(records["record_id"], records["title"], strict=True)}


def write_decisions(root: Path, rows: dict[tuple[str, str], list[tuple[str, str, str]]]) -> None:
    """(stage, reviewer) -> [(record_id, decision, reason)]."""
    paths = ReviewPaths(root)
    for (stage, reviewer), decisions in rows.items():
        path = paths.decision_file(stage, reviewer) if reviewer != "adjudication" else paths.adjudication_file(stage)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["record_id,decision,reason,note"] + [f"{r},{d},{why}," for r, d, why in decisions]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(root: Path, *, complete: bool = True) -> dict[str, str]:
    """The mini review with every work decided (complete) or the full text still to do."""
    write_inputs(root)
    ids = record_ids(root)
    title = [(ids["partnership"], "include", ""), (ids["collaboration"], "include", ""),
             (ids["joint"], "exclude", ""), (ids["integration"], "include", ""), (ids["multi-agency"], "exclude", "")]
    decisions = {("title", "a"): title, ("title", "b"): title}
    if complete:
        decisions[("fulltext", "a")] = [
            (ids["partnership"], "include", ""),
            (ids["collaboration"], "exclude", "X1"),
            (ids["integration"], "exclude", "NR"),
            (ids["local"], "include", ""),
        ]
    write_decisions(root, decisions)
    if complete:
        (ReviewPaths(root).evidence_log).write_text(
            f"record_id,design,topics\n{ids['partnership']},Qualitative,alpha; beta\n{ids['local']},quantitative,\n",
            encoding="utf-8",
        )
    load_config(ReviewPaths(root).config)  # the fixture itself must be valid
    return ids
