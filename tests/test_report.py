"""The report on the demo review: published numbers, the flow diagram's arithmetic, escaping, exports.

One Snakemake run of a copy of the demo review (with hostile text injected into
a reference, an organisation's name and an exclusion reason's label) serves
the end-to-end tests; the flow-diagram variants and the escaping of titles are
also tested without Snakemake.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from .conftest import REPO, copy_review, run_snakemake

from reviewflow.cli import main
from reviewflow.config import load_config
from reviewflow.errors import ReviewError
from reviewflow.flowdiagram import build_flow_diagram, check_diagram
from reviewflow.included import format_reference, to_ris, with_references
from reviewflow.report import ReportInputs, render_html, render_sections, template_environment
from reviewflow.tables import search_summary, source_contribution

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_REFERENCE = 'Armistead, C. <script>alert("x")</script> & Pettigrew\'s "partners" | *2004* [link](javascript:alert(1))'
HOSTILE_ORGANISATION = 'Demos <b>&amp; "Friends"</b>'
HOSTILE_REASON = 'Not on <partnership> & "working"'

#: The counts of the demo review (data/processed/counts.json), for the tests that need no Snakemake run.
DEMO_COUNTS: dict[str, Any] = {
    "search_rounds": 31, "other_search_rounds": 1, "search_files": 50, "records_imported": 7690,
    "title_screened": 5813, "title_included": 551, "title_excluded": 5262, "title_pending": 0,
    "abstract_screened": 551, "abstract_included": 123, "abstract_excluded": 428, "abstract_pending": 0,
    "fulltext_screened": 163, "fulltext_included": 71, "fulltext_excluded": 92, "fulltext_pending": 0,
    "fulltext_not_retrieved": 1, "database_results": 7645, "database_specific_results": "EBSCO Discovery Service, 7645",
    "register_results": 0, "register_specific_results": "", "website_results": 6, "organisation_results": 39,
    "citations_results": 0, "duplicates": 1832, "other_duplicates": 5, "excluded_automatic": 0, "excluded_other": 0,
    "records_screened": 5813, "records_excluded": 5690, "records_pending": 0, "dbr_sought_reports": 123,
    "dbr_notretrieved_reports": 0, "dbr_assessed": 123, "dbr_excluded": 63,
    "dbr_excluded_reasons": "Not empirical research in UK public services, 30; No research questions or methods, 11; "
                            "Context too different, 7; Citizen participation partnership, 6; Private public partnership, 5; "
                            "Not on partnership working, 3; Not in English, 1",
    "dbr_pending": 0, "dbr_included": 60, "other_sought_reports": 40, "other_notretrieved_reports": 1,
    "other_assessed": 39, "other_excluded": 28,
    "other_excluded_reasons": "Not empirical research in UK public services, 18; No research questions or methods, 6; "
                              "Not on partnership working, 3; Context too different, 1",
    "other_pending": 0, "other_included": 11, "new_studies": 71, "new_reports": 71, "previous_studies": 0,
    "previous_reports": 0, "total_studies": 71, "total_reports": 71, "pending": 0,
}


# ----------------------------------------------------------------------------- reading a flow diagram back


def shown_numbers(svg_text: str) -> tuple[dict[str, int], dict[str, list[int]], list[str], ET.Element]:
    """What a drawn diagram shows: field -> n, field -> the n of each reason/database, the separate stages."""
    root = ET.fromstring(svg_text)
    numbers: dict[str, int] = {}
    named: dict[str, list[int]] = {}
    for element in root.iter(f"{SVG}text"):
        field = element.get("data-field")
        if not field:
            continue
        n = int(element.get("data-n", ""))
        text = " ".join("".join(element.itertext()).replace("\u00a0", " ").split())
        assert text.endswith(f"(n = {n})"), f"{field}: the text '{text}' does not show {n}"
        if field.endswith(("_reasons", "_specific_results")):
            named.setdefault(field, []).append(n)
        else:
            assert field not in numbers, f"{field} is shown twice"
            numbers[field] = n
    stages = [box.get("data-box", "").removesuffix("_screened") for box in root.iter(f"{SVG}g")
              if box.get("data-box", "").endswith("_screened") and box.get("data-box") != "records_screened"]
    return numbers, named, stages, root


def svg_text(root: ET.Element) -> str:
    """The words a drawing shows, its lines joined by spaces."""
    return " ".join(" ".join((t.text or "").replace("\u00a0", " ").split()) for t in root.iter(f"{SVG}tspan"))


def assert_prisma_invariants(numbers: dict[str, int], named: dict[str, list[int]], stages: list[str]) -> None:
    """The PRISMA 2020 arithmetic, written out here independently of the package."""
    n = lambda key: numbers.get(key, 0)  # noqa: E731 - a count the diagram does not draw is 0
    identified = n("database_results") + n("register_results")
    removed = n("duplicates") + n("excluded_automatic") + n("excluded_other")
    if stages:
        assert n(f"{stages[0]}_screened") == identified - removed
        for before, after in zip(stages, stages[1:], strict=False):
            assert n(f"{after}_screened") == n(f"{before}_screened") - n(f"{before}_excluded") - n(f"{before}_pending")
        last = stages[-1]
        to_full_text = n(f"{last}_screened") - n(f"{last}_excluded") - n(f"{last}_pending")
    else:
        # screened = identified minus duplicates (and the other removals)
        assert n("records_screened") == identified - removed
        to_full_text = n("records_screened") - n("records_excluded") - n("records_pending")
    # sought = screened minus excluded; assessed = sought minus not retrieved; included = assessed minus excluded
    assert n("dbr_sought_reports") == to_full_text
    assert n("dbr_assessed") == n("dbr_sought_reports") - n("dbr_notretrieved_reports")
    included = n("dbr_assessed") - n("dbr_excluded") - n("dbr_pending")
    if "other_sought_reports" in numbers:
        other_identified = n("website_results") + n("organisation_results") + n("citations_results")
        assert n("other_sought_reports") == other_identified - n("other_duplicates")
        assert n("other_assessed") == n("other_sought_reports") - n("other_notretrieved_reports")
        included += n("other_assessed") - n("other_excluded") - n("other_pending")
    assert n("new_studies") == included
    for field in ("dbr_excluded", "other_excluded"):
        if f"{field}_reasons" in named:
            assert sum(named[f"{field}_reasons"]) == n(field)
    if "database_specific_results" in named:
        assert sum(named["database_specific_results"]) == n("database_results")
    if "total_studies" in numbers:
        assert n("total_studies") == n("previous_studies") + n("new_studies")
        assert n("total_reports") == n("previous_reports") + n("new_reports")


# ----------------------------------------------------------------------------- the demo, built once


def _rewrite_csv(path: Path, change: Any) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    review = copy_review(REPO, tmp_path_factory.mktemp("report") / "demo")

    def hostile_reference(rows: list[dict[str, str]]) -> None:
        rows[0]["reference"] = HOSTILE_REFERENCE

    def hostile_organisation(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["database"] == "Demos":
                row["database"] = HOSTILE_ORGANISATION

    _rewrite_csv(review / "data/raw/evidence_log.csv", hostile_reference)
    _rewrite_csv(review / "data/raw/searches.csv", hostile_organisation)
    config = review / "config/config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "label: Not on partnership working," in text
    config.write_text(text.replace("label: Not on partnership working,", "label: 'Not on <partnership> & \"working\"',"), encoding="utf-8")
    run_snakemake(review)
    return review


def processed(review: Path, name: str) -> str:
    return (review / "data/processed" / name).read_text(encoding="utf-8")


PUBLISHED_TABLES = {
    "nation": [
        ["Nation", "Peer reviewed", "Grey"],
        ["Cross national", "13", "7"], ["England", "31", "4"], ["Scotland", "6", ""], ["Wales", "1", ""],
        ["Northern Ireland", "2", ""], ["Not specified", "7", ""], ["Total", "60", "11"],
    ],
    "sector": [
        ["Sector", "Peer Reviewed", "Grey"],
        ["Children", "5", "1"],
        ["Community safety (includes domestic abuse, crime reduction and drug prevention)", "9", "0"],
        ["Local area, (includes community planning, regeneration, local government)", "10", "3"],
        ["Cross sector", "2", "5"], ["Employment", "2", "0"], ["Environment", "2", "0"],
        ["Health and social care", "17", "2"], ["Public health", "12", "0"], ["Tourism", "1", "0"], ["Total", "60", "11"],
    ],
    "evidence_type": [
        ["Type of Evidence", "Peer review", "Grey"],
        ["Qualitative", "41", "2"], ["Quantitative", "4", "0"], ["Mixed Method", "8", "5"], ["Review", "7", "4"],
        ["Total", "60", "11"],
    ],
}


@pytest.mark.e2e
def test_methods_show_the_published_numbers(built: Path) -> None:
    methods = processed(built, "report/methods.md")
    for sentence in (
        "31 rounds of searches using combinations of search terms were run in total",
        "5813 articles were screened in an initial scoping stage",
        "551 articles were selected as possibly relevant",
        "exclusions made reduced the possibly relevant total to 123",
        "The final evidence review consists of 60 peer reviewed articles and 11 from grey literature",
    ):
        assert sentence in methods


@pytest.mark.e2e
def test_the_three_appendix_tables_are_reproduced(built: Path) -> None:
    methods = processed(built, "report/methods.md")
    for name, published in PUBLISHED_TABLES.items():
        with (built / "data/processed/tables" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            assert list(csv.reader(handle)) == published
        for label, *cells in published[1:]:
            row = "| " + " | ".join([label, *cells]) + " |"
            if label == "Total":
                row = "| " + " | ".join(f"**{c}**" for c in [label, *cells]) + " |"
            assert row in methods, row


@pytest.mark.e2e
def test_question_3_is_addressed_by_54_of_71_studies(built: Path) -> None:
    questions = pd.read_csv(built / "data/processed/tables/questions.csv", dtype=str, keep_default_na=False)
    assert questions.iloc[2].tolist() == ["3. What are the features of an effective partnership?", "54 of 71"]
    assert "| 3\\. What are the features of an effective partnership? | 54 of 71 |" in processed(built, "report/tables.md")
    assert ">54 of 71<" in processed(built, "report/report.html")


@pytest.mark.e2e
def test_features_reported_in_at_least_two_studies_by_results_chain_level(built: Path) -> None:
    features = pd.read_csv(built / "data/processed/tables/features.csv", dtype=str, keep_default_na=False)
    assert list(dict.fromkeys(features["Results-chain level"])) == ["Input", "Activity", "Output", "Outcome"]
    assert (features["Studies"].astype(int) >= 2).all()
    evidence = pd.read_csv(built / "data/processed/evidence_log.csv", dtype=str, keep_default_na=False)
    for row in features.itertuples(index=False):
        studies = evidence["features"].map(lambda cell, f=row.Feature: f in [v.strip() for v in cell.split(";")]).sum()
        assert int(row.Studies) == studies
    coded = {v.strip() for cell in evidence["features"] for v in cell.split(";") if v.strip()}
    dropped = coded - set(features["Feature"])
    assert dropped, "the demo has features below the rule"
    for feature in dropped:
        assert evidence["features"].map(lambda cell, f=feature: f in [v.strip() for v in cell.split(";")]).sum() < 2


@pytest.mark.e2e
def test_flow_diagram_numbers_equal_counts_and_the_prisma_invariants_hold(built: Path) -> None:
    counts = json.loads(processed(built, "counts.json"))
    svg = processed(built, "prisma/flow_diagram.svg")
    numbers, named, stages, root = shown_numbers(svg)
    assert root.get("data-variant") == "new" and root.get("data-screening") == "separate"
    assert stages == ["title", "abstract"]
    for field, n in numbers.items():
        assert counts[field] == n, field
    for field in ("database_results", "duplicates", "title_screened", "title_excluded", "abstract_screened",
                  "abstract_excluded", "dbr_sought_reports", "dbr_assessed", "dbr_excluded", "other_sought_reports",
                  "other_notretrieved_reports", "other_assessed", "other_excluded", "new_studies"):
        assert field in numbers, f"{field} is not drawn"
    reasons = {element.get("data-reason"): int(element.get("data-n", "")) for element in root.iter(f"{SVG}text")
               if element.get("data-field") == "dbr_excluded_reasons"}
    published = {name: int(n) for name, n in (pair.rsplit(", ", 1) for pair in counts["dbr_excluded_reasons"].split("; "))}
    assert reasons == published
    assert reasons[HOSTILE_REASON] == 3  # the label came through the SVG as text
    assert_prisma_invariants(numbers, named, stages)
    # the same drawing is inlined in the HTML report
    assert svg.strip() in processed(built, "report/report.html")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.e2e
def test_html_report_is_self_contained_and_escapes_the_data(built: Path) -> None:
    page = processed(built, "report/report.html")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "b" not in parser.tags and "link" not in parser.tags
    assert not [a for a in parser.attributes if a[0] in ("src", "srcset", "data") or (a[0] == "href" and a[1] and ":" in a[1])]
    assert not re.search(r"url\((?!#)|@import", page)  # only references to the page's own elements
    text = " ".join("".join(parser.text).split())
    assert HOSTILE_REFERENCE in text
    assert HOSTILE_ORGANISATION in text
    assert HOSTILE_REASON in text
    assert "&lt;script&gt;" in page
    for name in ("Searches and study selection", "Research summary", "Included studies", "How the review was carried out"):
        assert name in text
    # the Markdown shows them literally too
    assert "\\<script\\>" in processed(built, "report/studies.md")
    assert "Demos \\<b\\>\\&amp; \"Friends\"\\</b\\>" in processed(built, "report/methods.md")


@pytest.mark.e2e
def test_figures_and_svgs_are_well_formed_and_equal_their_tables(built: Path) -> None:
    terms = pd.read_csv(built / "data/processed/tables/terms_by_sector.csv", dtype=str, keep_default_na=False).set_index("Term")
    root = ET.fromstring(processed(built, "figures/terms_by_sector.svg"))
    bars = {(r.get("data-category"), r.get("data-series")): int(r.get("data-n", "")) for r in root.iter(f"{SVG}rect") if r.get("data-n")}
    expected = {(sector, term): int(n) for term, row in terms.iterrows() for sector, n in row.items() if int(n)}
    assert bars == expected
    ET.fromstring(processed(built, "figures/sector_by_type.svg"))


@pytest.mark.e2e
def test_search_summary_totals_equal_the_counts(built: Path) -> None:
    counts = json.loads(processed(built, "counts.json"))
    summary = pd.read_csv(built / "data/processed/tables/search_summary.csv", dtype=str, keep_default_na=False).set_index("Round")
    databases = summary.loc["All databases and registers"]
    assert int(databases["Records imported"]) == counts["database_results"] + counts["register_results"]
    assert int(databases["Duplicates"]) == counts["duplicates"]
    other = summary.loc["All other methods"]
    assert int(other["Records imported"]) == counts["website_results"] + counts["organisation_results"] + counts["citations_results"]
    assert int(other["Duplicates"]) == counts["other_duplicates"]
    assert int(summary.loc["All searches", "Records imported"]) == counts["records_imported"]
    assert len(summary) == 31 + 16 + 3  # 31 rounds of one database, 16 organisations and websites, 3 totals


@pytest.mark.e2e
def test_included_studies_export_for_reference_managers(built: Path) -> None:
    from reviewflow.importers import read_export

    ledger = pd.read_csv(built / "data/processed/ledger.csv", dtype=str, keep_default_na=False)
    included = ledger[ledger["fate"] == "included"]
    table = pd.read_csv(built / "data/processed/report/included_studies.csv", dtype=str, keep_default_na=False)
    assert sorted(table["record_id"]) == sorted(included["record_id"]) and len(table) == 71
    assert HOSTILE_REFERENCE in set(table["reference"])
    export = read_export(built / "data/processed/report/included_studies.ris")
    assert len(export.records) == 71
    titles = {r.fields["title"] for r in export.records}
    assert titles == set(table["title"])
    studies = processed(built, "report/studies.md")
    assert studies.count("\n- ") == 71


@pytest.mark.e2e
def test_report_outputs_are_byte_identical_when_rebuilt(built: Path) -> None:
    names = ["report/methods.md", "report/flow.md", "report/tables.md", "report/studies.md", "report/report.html",
             "report/included_studies.ris", "report/included_studies.csv", "prisma/flow_diagram.svg",
             "figures/terms_by_sector.svg", "tables/features.tex", "tables/search_summary.html"]
    before = {name: (built / "data/processed" / name).read_bytes() for name in names}
    assert main(["tables", "--root", str(built)]) == 0
    assert main(["report", "--root", str(built)]) == 0
    assert {name: (built / "data/processed" / name).read_bytes() for name in names} == before


# ----------------------------------------------------------------------------- diagram variants, no Snakemake


@pytest.fixture
def demo_config() -> dict[str, Any]:
    return load_config(REPO / "config/config.yaml")


@pytest.mark.parametrize("separate", [True, False])
def test_new_review_variant_with_combined_or_separate_screening(demo_config: dict[str, Any], separate: bool) -> None:
    demo_config["report"]["flow_diagram"]["separate_screening"] = separate
    diagram = build_flow_diagram(demo_config, DEMO_COUNTS)
    assert check_diagram(diagram, DEMO_COUNTS) == []
    numbers, named, stages, root = shown_numbers(diagram.svg())
    assert root.get("data-variant") == "new"
    assert stages == (["title", "abstract"] if separate else [])
    assert ("records_screened" in numbers) is not separate
    assert all(DEMO_COUNTS[k] == v for k, v in numbers.items())
    assert_prisma_invariants(numbers, named, stages)
    text = svg_text(root)
    assert "Identification of studies via other methods" in text and "Previous studies" not in text


def test_update_variant_when_counts_hold_previous_studies(demo_config: dict[str, Any]) -> None:
    counts = {**DEMO_COUNTS, "previous_studies": 12, "previous_reports": 14, "total_studies": 83, "total_reports": 85}
    diagram = build_flow_diagram(demo_config, counts)
    assert check_diagram(diagram, counts) == []
    numbers, named, stages, root = shown_numbers(diagram.svg())
    assert root.get("data-variant") == "update"
    assert {k: numbers[k] for k in ("previous_studies", "previous_reports", "total_studies", "total_reports")} == {
        "previous_studies": 12, "previous_reports": 14, "total_studies": 83, "total_reports": 85}
    assert_prisma_invariants(numbers, named, stages)
    text = svg_text(root)
    assert "Identification of new studies via databases and registers" in text
    assert "Studies included in previous version of review (n = 12)" in text


def test_update_variant_when_the_config_names_a_previous_version(demo_config: dict[str, Any]) -> None:
    demo_config["review"]["previous_version"] = {"last_round": 10}
    diagram = build_flow_diagram(demo_config, DEMO_COUNTS)
    assert diagram.variant == "update"
    numbers, named, stages, _ = shown_numbers(diagram.svg())
    assert numbers["previous_studies"] == 0 and numbers["total_studies"] == 71
    assert_prisma_invariants(numbers, named, stages)


def test_databases_only_review_has_no_other_methods_lane(demo_config: dict[str, Any]) -> None:
    counts = copy.deepcopy(DEMO_COUNTS)
    for key in ("website_results", "organisation_results", "other_duplicates", "other_sought_reports",
                "other_notretrieved_reports", "other_assessed", "other_excluded", "other_included"):
        counts[key] = 0
    counts["other_excluded_reasons"] = ""
    counts["new_studies"] = counts["new_reports"] = counts["total_studies"] = counts["total_reports"] = 60
    diagram = build_flow_diagram(demo_config, counts)
    assert check_diagram(diagram, counts) == []
    numbers, named, stages, root = shown_numbers(diagram.svg())
    assert "other methods" not in svg_text(root) and "other_sought_reports" not in numbers
    assert_prisma_invariants(numbers, named, stages)


def test_numbers_that_do_not_add_up_are_reported(demo_config: dict[str, Any]) -> None:
    counts = {**DEMO_COUNTS, "dbr_assessed": 122}
    diagram = build_flow_diagram(demo_config, counts)
    problems = check_diagram(diagram, counts)
    assert any("reports assessed = sought - not retrieved" in p for p in problems)
    numbers, named, stages, _ = shown_numbers(diagram.svg())
    with pytest.raises(AssertionError):
        assert_prisma_invariants(numbers, named, stages)


def test_separate_screening_needs_stages_of_the_databases_lane(demo_config: dict[str, Any]) -> None:
    demo_config["stages"][0]["lanes"] = ["databases", "other"]
    with pytest.raises(ReviewError, match="separate_screening"):
        build_flow_diagram(demo_config, DEMO_COUNTS)


def test_hostile_titles_are_escaped_from_records_to_html(demo_config: dict[str, Any]) -> None:
    title = 'Partnerships <em>&amp;</em> "joint" working: <script>alert(1)</script> & R&D'
    works = pd.DataFrame([{"record_id": "R01-x", "cluster_id": "R01-x", "title": title, "authors": "O'Neil, A.; Smith, B.",
                           "year": "2010", "journal": "Journal of <Things>", "volume": "3", "issue": "2", "pages": "1-9",
                           "doi": "10.1/x", "url": "", "publisher": "", "type": "", "lane": "databases"}])
    works = with_references(works, None, None)
    assert works.loc[0, "reference"] == (f"O'Neil, A. & Smith, B. (2010) {title}. Journal of <Things>, 3(2), 1-9. "
                                         "https://doi.org/10.1/x")
    assert format_reference({"title": "Untitled"}) == "(n.d.) Untitled."
    assert f"TI  - {title}" in to_ris(works)
    ledger = pd.DataFrame([("R01-x", "R01-x", "primary", "1", "database", "DB", "r.ris")],
                          columns=["record_id", "cluster_id", "role", "round", "source_type", "database", "source_file"])
    diagram_svg = build_flow_diagram(demo_config, DEMO_COUNTS).svg()
    demo_config["report"]["methods_tables"] = []  # no tables here
    demo_config["review"]["title"] = "Partnership <i>working</i> & \"more\""
    demo_config["review"]["authors"] = ["A. <u>Author</u>"]
    inputs = ReportInputs(config=demo_config, counts=DEMO_COUNTS, tables=[],
                          search_summary=search_summary(ledger, pd.DataFrame({"file": ["r.ris"], "reported_hits": ["1"]})),
                          source_contribution=source_contribution(pd.DataFrame([{
                              "source_type": "organisation", "database": "<b>Org</b> & \"Co\"", "rounds": "1", "records": "1",
                              "works": "1", "unique_works": "1", "overlapping_works": "0", "duplicates_within": "0"}])),
                          figures=[], flow_diagram_path="../prisma/flow_diagram.svg", agreement={},
                          studies=works.to_dict("records"), grey_sources={"website": [], "organisation": [], "citation": []},
                          evidence_fields=[], studies_coded=0)
    env = template_environment([REPO / "templates"])
    sections = render_sections(env, inputs)
    page = render_html(env, demo_config, sections, {"../prisma/flow_diagram.svg": diagram_svg})
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "<em>&amp;</em>" not in page and "&lt;em&gt;&amp;amp;&lt;/em&gt;" in page
    assert "i" not in parser.tags and "u" not in parser.tags and "b" not in parser.tags
    text = " ".join("".join(parser.text).split())
    assert title in text
    assert 'Partnership <i>working</i> & "more"' in text and "A. <u>Author</u>" in text


def test_an_image_the_report_cannot_inline_is_an_error(demo_config: dict[str, Any]) -> None:
    env = template_environment([REPO / "templates"])
    sections = dict.fromkeys(("methods", "flow", "tables", "studies"), "text")
    sections["tables"] = "![logo](https://example.org/logo.png)"
    with pytest.raises(ReviewError, match="cannot embed"):
        render_html(env, demo_config, sections, {})
