"""Distribution tables: counting studies, totals, the section 5.3 rule, formats and escaping."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any

import pandas as pd
import pytest

from reviewflow.errors import ReviewErrors
from reviewflow.tables import build_tables, crosstab, markdown_escape, search_summary, to_html, to_latex, to_markdown

CONFIG: dict[str, Any] = {
    "evidence_log": {
        "fields": [
            {"name": "literature", "values": ["Peer reviewed", "Grey"]},
            {"name": "sector", "values": ["Health", "Local area", "Tourism"]},
            {"name": "questions", "multiple": True, "values": ["Q1", "Q2", "Q3"]},
            {"name": "features", "multiple": True, "values": [
                {"value": "Shared vision", "group": "Input"},
                {"value": "Pooled budgets", "group": "Activity"},
                {"value": "Trust", "group": "Output"},
                {"value": "Resources", "group": "Input"},
            ]},
        ]
    }
}


def study(literature: str, sector: str, questions: str, features: str) -> dict[str, str]:
    return {"cluster_id": f"R01-{hash((literature, sector, questions, features)) & 0xFFFF:04x}",
            "literature": literature, "sector": sector, "questions": questions, "features": features}


EVIDENCE = pd.DataFrame([
    study("Peer reviewed", "Health", "Q1; Q3", "Shared vision; Trust"),
    study("Peer reviewed", "Health", "Q3", "Trust; Pooled budgets"),
    study("Grey", "Local area", "Q2; Q3", "Trust; Resources"),
    study("Peer reviewed", "Local area", "Q3", "Shared vision"),
])


def table(spec: dict[str, Any], evidence: pd.DataFrame = EVIDENCE) -> Any:
    config = copy.deepcopy(CONFIG)
    config["tables"] = [{"name": "t", "zero": "0", "total_row": "Total", **spec}]
    return build_tables(config, evidence)[0]


def test_crosstab_counts_in_vocabulary_order_with_zero_shown_as_configured() -> None:
    t = table({"rows": {"field": "sector"}, "columns": {"field": "literature"}, "zero": ""})
    assert t.frame.to_dict("list") == {
        "Sector": ["Health", "Local area", "Tourism", "Total"],
        "Peer reviewed": ["2", "1", "", "3"],
        "Grey": ["", "1", "", "1"],
    }


def test_multi_valued_field_counts_each_value_but_totals_count_studies() -> None:
    t = table({"rows": {"field": "questions"}, "cell": "{n} of {total}", "total_row": "All studies reviewed"})
    assert t.frame["Studies"].tolist() == ["1 of 4", "1 of 4", "4 of 4", "4"]
    assert t.frame.iloc[-1, 0] == "All studies reviewed"


def test_min_count_keeps_features_reported_in_at_least_two_studies_grouped_by_level() -> None:
    t = table({"rows": {"field": "features", "group_by": "level", "group_label": "Level"},
               "columns": {"field": "literature"}, "total_column": "Studies", "min_count": 2, "total_row": None})
    assert t.frame.to_dict("list") == {
        "Level": ["Input", "Output"],
        "Features": ["Shared vision", "Trust"],
        "Peer reviewed": ["2", "2"],
        "Grey": ["0", "1"],
        "Studies": ["2", "3"],
    }
    # Pooled budgets (1 study) and Resources (1 study) are below the rule
    assert list(t.counts.index) == ["Shared vision", "Trust"]


def test_min_count_counts_studies_not_mentions_across_columns() -> None:
    # one study coded with two sectors' worth of columns must still count once
    evidence = pd.DataFrame([study("Peer reviewed", "Health", "Q1; Q2", "Trust")])
    t = table({"rows": {"field": "features"}, "columns": {"field": "questions"}, "min_count": 2, "total_row": None}, evidence)
    assert t.frame.empty


def test_where_filters_studies_and_labels_rename_categories() -> None:
    t = table({"rows": {"field": "sector", "labels": {"Local area": "Local area (includes community planning)"}},
               "columns": {"field": "questions"}, "where": {"literature": "Peer reviewed"}})
    assert t.frame["Sector"].tolist() == ["Health", "Local area (includes community planning)", "Tourism", "Total"]
    assert t.frame["Q3"].tolist() == ["2", "1", "0", "3"]
    assert t.frame["Q2"].tolist() == ["0", "0", "0", "0"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"rows": {"field": "sector", "order": ["Helth"]}}, "'Helth' is not a code of 'sector'"),
        ({"rows": {"field": "sector", "labels": {"Turism": "x"}}}, "'Turism' is not a code of 'sector'"),
        ({"rows": {"field": "sector"}, "where": {"literature": "peer-reviewed"}}, "'peer-reviewed' is not a code of 'literature'"),
        ({"rows": {"field": "sector", "group_by": "level"}}, "the values of 'sector' have no groups"),
        ({"rows": {"field": "sector"}, "cell": "{count} of {total}"}, "is not a cell format"),
        ({"name": "search_summary", "rows": {"field": "sector"}}, "built-in search summary"),
    ],
)
def test_table_definitions_naming_unknown_codes_are_errors(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ReviewErrors) as caught:
        table(spec)
    assert message in caught.value.describe()
    assert "tables[0]" in caught.value.describe()


HOSTILE = 'Health <b>& "care"</b> | *all*'


def hostile_table() -> Any:
    config = copy.deepcopy(CONFIG)
    config["evidence_log"]["fields"][1]["values"] = [HOSTILE, "Tourism"]
    config["tables"] = [{"name": "t", "title": "A <title> & more", "rows": {"field": "sector"},
                         "columns": {"field": "literature"}, "total_row": "Total", "zero": "0"}]
    evidence = pd.DataFrame([study("Grey", HOSTILE, "Q1", "Trust")])
    return crosstab(config, config["tables"][0], evidence)


def test_markdown_escapes_data() -> None:
    text = to_markdown(hostile_table())
    assert r'Health \<b\>& "care"\</b\> \| \*all\*' in text
    assert "| **Total** | **0** | **1** |" in text
    assert markdown_escape("1998. A year") == r"1998\. A year"
    assert markdown_escape("- not a list") == r"\- not a list"
    assert markdown_escape("AT&amp;T and R&D") == r"AT\&amp;T and R&D"


def test_html_fragment_escapes_data_and_parses() -> None:
    fragment = to_html(hostile_table())
    root = ET.fromstring(fragment)  # well-formed: nothing from the data became markup
    assert root.find("caption").text == "A <title> & more"  # type: ignore[union-attr]
    cells = ["".join(c.itertext()) for c in root.iter() if c.tag in ("th", "td")]
    assert HOSTILE in cells
    assert root.find("tfoot") is not None


def test_latex_escapes_specials() -> None:
    config = copy.deepcopy(CONFIG)
    config["evidence_log"]["fields"][1]["values"] = ["R&D 100% #1 $x_1$ {a} ~b^c \\d", "Tourism"]
    spec = {"name": "t", "title": "50% & more", "rows": {"field": "sector"}, "total_row": "Total", "zero": "0"}
    tex = to_latex(crosstab(config, spec, pd.DataFrame([study("Grey", "Tourism", "Q1", "Trust")])))
    assert r"R\&D 100\% \#1 \$x\_1\$ \{a\} \textasciitilde{}b\textasciicircum{}c \textbackslash{}d" in tex
    assert r"\caption{50\% \& more}" in tex


def test_grouped_table_renders_groups_as_rows_in_html_and_latex() -> None:
    t = table({"rows": {"field": "features", "group_by": "level"}, "total_row": None})
    fragment = to_html(t)
    assert fragment.count('class="rf-group"') == 3 and "<th colspan" in fragment
    assert r"\multicolumn{2}{l}{\textit{Input}}" in to_latex(t)
    lines = to_markdown(t).splitlines()
    assert lines[2].startswith("| Input | Shared vision") and lines[3].startswith("|  | Resources")


def test_search_summary_per_round_and_source() -> None:
    ledger = pd.DataFrame([
        # record, cluster, role, round, type, database, file
        ("a1", "a1", "primary", "1", "database", "DB", "r1.ris"),
        ("a2", "a2", "primary", "1", "database", "DB", "r1.ris"),
        ("b1", "a1", "duplicate", "2", "database", "DB", "r2.ris"),
        ("b2", "b2", "primary", "2", "database", "DB", "r2.ris"),
        ("b3", "b3", "primary", "2", "database", "Other DB", "r2b.ris"),
        ("g1", "b2", "duplicate", "3", "organisation", "Org <1>", "g.csv"),
        ("g2", "g2", "primary", "3", "organisation", "Org <1>", "g.csv"),
    ], columns=["record_id", "cluster_id", "role", "round", "source_type", "database", "source_file"])
    report = pd.DataFrame({"file": ["r1.ris", "r2.ris", "r2b.ris", "g.csv"], "reported_hits": ["3", "2", "", "2"]})
    t = search_summary(ledger, report)
    rows = t.frame.to_dict("records")
    assert [(r["Round"], r["Source"], r["Hits reported"], r["Records imported"], r["Duplicates"], r["New works"], r["Unique works"])
            for r in rows] == [
        ("1", "DB", "3", "2", "0", "2", "1"),  # a2 only here; a1 also found in round 2
        ("2", "DB", "2", "2", "1", "1", "0"),  # b2 also found by Org <1>
        ("2", "Other DB", "", "1", "0", "1", "1"),
        ("3", "Org <1>", "2", "2", "1", "1", "1"),
        ("All databases and registers", "", "", "5", "1", "4", "2"),
        ("All other methods", "", "2", "2", "1", "1", "1"),
        ("All searches", "", "", "7", "2", "5", "3"),
    ]
    assert t.total_rows == 3
    for r in rows:
        assert int(r["Records imported"]) == int(r["New works"]) + int(r["Duplicates"])


def test_source_contribution_shows_each_source_and_adds_up() -> None:
    from reviewflow.tables import source_contribution

    sources = pd.DataFrame([
        {"source_type": "database", "database": "DB", "rounds": "1-2", "records": "10", "works": "8",
         "unique_works": "6", "overlapping_works": "2", "duplicates_within": "2"},
        {"source_type": "website", "database": "Google", "rounds": "3", "records": "3", "works": "3",
         "unique_works": "1", "overlapping_works": "2", "duplicates_within": "0"},
    ])
    table = source_contribution(sources)
    rows = table.frame.values.tolist()
    assert rows[0] == ["DB", "Database", "1-2", "10", "8", "6", "2", "2"]
    assert rows[1][:2] == ["Google", "Website"]
    assert rows[-1][0] == "All sources" and rows[-1][3] == "13" and rows[-1][5] == "7"
    assert table.total_rows == 1
