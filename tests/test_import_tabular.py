"""Spreadsheet exports: every database's column names, rows that disagree with the header, repeated columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import ReviewError
from reviewflow.importers import read_export
from reviewflow.importers.tabular import split_run_together

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def fields(name: str) -> list[dict[str, str]]:
    return [record.fields for record in read_export(FIXTURES / name).records]


def test_springerlink_csv_every_record_in_its_fields() -> None:
    export = read_export(FIXTURES / "springerlink.csv")
    assert export.dialect == "SpringerLink" and len(export.records) == 3
    chapter, article, paper = (r.fields for r in export.records)
    assert chapter["title"] == "Integrated care partnerships in practice"
    assert chapter["journal"] == "Health and Social Care in Europe"  # the book's title, not its series
    assert chapter["doi"] == "10.1007/978-3-030-11111-1_4" and chapter["year"] == "2019"
    assert chapter["type"] == "chapter" and chapter["url"].startswith("http://link.springer.com/chapter/")
    assert chapter["authors"] == "Doe, Jane; McDonald, Ailsa; van Berg, Peter"  # names written with no separator
    assert article["title"] == "Joint commissioning, a realist review"
    assert (article["journal"], article["volume"], article["issue"]) == ("Journal of Integrated Care", "27", "3")
    assert article["authors"] == "Jones, Kate" and article["type"] == "article"
    assert paper["type"] == "conference" and paper["journal"].startswith("Proceedings of the European")
    assert paper["authors"] == "Li, Ma; Smith, John"


def test_run_together_names() -> None:
    assert split_run_together("Jane DoeJohn Smith") == ["Jane Doe", "John Smith"]
    assert split_run_together("Ailsa MacLeodDi DiMarco") == ["Ailsa MacLeod", "Di DiMarco"]
    assert split_run_together("Kate Jones") == ["Kate Jones"]


def test_scopus_row_with_two_funding_cells_under_one_funding_column() -> None:
    export = read_export(FIXTURES / "scopus_funding_text.csv")
    assert export.dialect == "Scopus" and len(export.records) == 2
    first, second = export.records
    assert first.raw["Funding Text 1"] == ["This work was funded by the ESRC.", "Funding continued: grant ES/1 (second text)."]
    assert first.raw["References"] == ["Smith J., Partnerships, (2010); Jones K., Outcomes, (2012)"]
    assert first.raw["EID"] == ["2-s2.0-85011111111"] and first.raw["Source"] == ["Scopus"]
    assert first.raw["Language of Original Document"] == ["English"] and first.raw["PubMed ID"] == ["31111111"]
    assert first.fields["title"] == "Partnership working and outcomes" and first.fields["year"] == "2020"
    assert first.fields["authors"] == "Li, Xiang; Zhang, Yan" and first.fields["doi"] == "10.1080/14719037.2019.1000000"
    assert first.fields["language"] == "en" or first.fields["language"].lower().startswith("en")
    assert first.fields["type"] == "article" and first.fields["issn"] == "1471-9037"
    assert second.fields["type"] == "conference" and second.fields["isbn"]
    assert second.fields["pages"] == "e1001"  # the article number where there are no pages
    assert second.raw["References"] == ["Taylor R., Boards, (2015)"]
    warning = next(w for w in export.warnings if "Funding Text 1" in w)
    assert "2 row(s)" in warning and "line 2, 3" in warning


def test_extra_cell_placed_by_content_when_the_columns_after_it_say_where(tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text(
        "Title,Year,Notes,DOI,Link\n"
        "A first record,2015,one note,10.5555/a.1,https://example.org/1\n"
        "A second record,2016,a note,continued in a cell,10.5555/a.2,https://example.org/2\n",
        encoding="utf-8",
    )
    first, second = read_export(path).records
    assert second.raw["Notes"] == ["a note", "continued in a cell"]
    assert (second.fields["title"], second.fields["year"], second.fields["doi"]) == ("A second record", "2016", "10.5555/a.2")


def test_extra_cell_the_content_cannot_place_is_an_error_naming_the_row() -> None:
    with pytest.raises(ReviewError) as caught:
        read_export(FIXTURES / "csv_extra_cells.csv")
    assert caught.value.line == 3 and "4 cells" in caught.value.message and "quote" in (caught.value.fix or "")


def test_short_row_padded_where_its_content_says(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "Title,Notes,Year,DOI\nA,x,2015,10.5555/a.1\nB,2016,10.5555/a.2\nC,y,2017,10.5555/a.3\n", encoding="utf-8"
    )
    records = read_export(path).records
    assert (records[1].fields["year"], records[1].fields["doi"]) == ("2016", "10.5555/a.2")
    assert records[1].raw["Notes"] == [""]


@pytest.mark.parametrize(
    ("name", "dialect", "expected"),
    [
        ("ieee_xplore.csv", "IEEE Xplore", {
            "title": "Data sharing between health and social care agencies", "authors": "Smith, J.; Jones, K.",
            "journal": "2021 IEEE International Conference on Healthcare Informatics (ICHI)", "year": "2021",
            "pages": "101-110", "doi": "10.1109/ichi52183.2021.00027", "type": "conference", "issn": "2575-2634",
            "isbn": "9781665401326", "url": "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=9565701"}),
        ("dimensions.csv", "Dimensions", {
            "title": "Partnership and the policy process", "journal": "Collaboration in Public Services", "year": "2018",
            "pages": "85-102", "type": "chapter", "authors": "Glasby, Jon; Dickinson, Helen", "isbn": "9781447300000"}),
        ("proquest_table.csv", "ProQuest", {
            "journal": "Public Money & Management", "year": "2017", "volume": "37", "issue": "4", "pages": "255-262",
            "doi": "10.1080/09540962.2017.1000000", "type": "article", "url": "https://www.proquest.com/docview/2000000001"}),
        ("bibtex_table.csv", "", {
            "journal": "Proceedings of the Annual Conference on Integrated Care", "type": "conference", "pages": "12-19",
            "doi": "10.5555/icic.2019.12", "authors": "Cook, A.; Smith, J.", "publisher": "ACM"}),
        ("semantic_scholar.csv", "Semantic Scholar", {
            "journal": "International Journal of Integrated Care", "volume": "19", "doi": "10.5334/ijic.4000",
            "type": "article", "authors": "Cook, Ailsa; Mulherin, Tamara", "year": "2019"}),
    ],
)
def test_database_columns_matching_needs_are_read(name: str, dialect: str, expected: dict[str, str]) -> None:
    export = read_export(FIXTURES / name)
    assert export.dialect == dialect
    record = export.records[0].fields
    assert {key: record[key] for key in expected} == expected


def test_bibtex_table_second_row_is_a_journal_article() -> None:
    article = fields("bibtex_table.csv")[1]
    assert (article["journal"], article["volume"], article["issue"], article["type"]) == (
        "International Journal of Integrated Care", "20", "2", "article")


def test_two_columns_of_one_name_holding_one_field_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "two_titles.csv"
    path.write_text("Title,Year,Title\nA record,2015,Another title\n", encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        read_export(path)
    assert caught.value.column == "Title" and caught.value.line == 1 and "2 columns named 'Title'" in caught.value.message
