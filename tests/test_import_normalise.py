"""The normalisers: one form for DOIs, years, pages, authors, ISSN/ISBN, languages and types."""

from __future__ import annotations

import pytest

from reviewflow.importers.bibtex import strip_latex
from reviewflow.importers.normalise import (
    clean_text,
    doi_in_text,
    doi_in_url,
    first_doi,
    join_pages,
    normalise_author,
    normalise_doi,
    normalise_isbn,
    normalise_issn,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    parse_citation,
    split_author_list,
    split_issn_isbn,
)


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("10.1108/JICA-05-2015-0021", "10.1108/jica-05-2015-0021"),
        ("https://doi.org/10.1108/JICA-05-2015-0021", "10.1108/jica-05-2015-0021"),
        ("http://dx.doi.org/10.1002/cpp.2398", "10.1002/cpp.2398"),
        ("doi:10.1111/hsc.12000", "10.1111/hsc.12000"),
        ("DOI 10.1111/hsc.12000.", "10.1111/hsc.12000"),
        ("https://doi.org/10.1016%2Fj.x.2020.1", "10.1016/j.x.2020.1"),
        ("10.1016/j.mex.2018.03.007 [doi]", "10.1016/j.mex.2018.03.007"),
        ("10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),  # a bracket that belongs to the DOI
        ("(10.1111/hsc.12000)", "10.1111/hsc.12000"),
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O", "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o"),
        ("https://doi-org.ezproxy.ed.ac.uk/10.1177/0952076715000000", "10.1177/0952076715000000"),
        ("S2215-0161(18)30045-1 [pii]", ""),
        ("", ""),
    ],
)
def test_normalise_doi(value: str, doi: str) -> None:
    assert normalise_doi(value) == doi


def test_doi_in_urls_and_free_text() -> None:
    assert doi_in_url("https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&doi=10.1016%2fj.x.2020.1&partnerID=40") == "10.1016/j.x.2020.1"
    assert doi_in_url("https://onlinelibrary.wiley.com/doi/full/10.1111/hsc.12001?af=R") == "10.1111/hsc.12001"
    assert doi_in_url("http://sfx.example.org/?id=doi:10.4103%2F2303-9027.138783&atitle=x") == "10.4103/2303-9027.138783"
    assert doi_in_url("https://www.sciencedirect.com/science/article/pii/S0277953615000001") == ""
    assert doi_in_text("MethodsX. 2018 Mar 30;5:283-98. doi: 10.1016/j.mex.2018.03.007.") == "10.1016/j.mex.2018.03.007"
    assert doi_in_text("References: Smith 2001 10.9999/not.this.one") == ""
    assert first_doi(["not a doi"], ["https://doi.org/10.1/abc"], []) == ""  # registrant codes have 4 to 9 digits
    assert first_doi([""], ["https://doi.org/10.1234/abc"], ["doi: 10.9999/later"]) == "10.1234/abc"


@pytest.mark.parametrize(
    ("values", "year"),
    [(("2016",), "2016"), (("2016///",), "2016"), (("", "2016/09//"), "2016"), (("Jun", "2011/05/11"), "2011"),
     (("MAR 1 2019",), "2019"), (("20180327",), ""), (("no year",), "")],
)
def test_normalise_year(values: tuple[str, ...], year: str) -> None:
    assert normalise_year(*values) == year


@pytest.mark.parametrize(
    ("value", "pages"),
    [("482-91", "482-491"), ("1099-101", "1099-1101"), ("283-98", "283-298"), ("46--65", "46-65"), ("1 - 10", "1-10"),
     ("pp. 12-15", "12-15"), ("e123-e130", "e123-e130"), ("S12-5", "S12-S15"), ("98-3", "98-103"), ("i-ii", "i-ii"),
     ("53", "53"), ("482\u201391", "482-491"), ("", "")],
)
def test_normalise_pages(value: str, pages: str) -> None:
    assert normalise_pages(value) == pages


def test_join_pages() -> None:
    assert join_pages("482", "91") == "482-491"
    assert join_pages("482", "491") == "482-491"
    assert join_pages("482-91", "") == "482-491"
    assert join_pages("7", "7") == "7"
    assert join_pages("No", "Specified") == "No-Specified"  # Ovid's placeholder kept as written


@pytest.mark.parametrize(
    ("name", "author"),
    [
        ("Cook, Ailsa", "Cook, Ailsa"),
        ("Cook,Ailsa", "Cook, Ailsa"),
        ("Smith JA", "Smith, J. A."),
        ("Smith, J.A.", "Smith, J. A."),
        ("Liu R.", "Liu, R."),
        ("Adler D.G.", "Adler, D. G."),
        ("Takeuchi Y", "Takeuchi, Y."),
        ("BREVIK, I", "BREVIK, I."),
        ("John Smith", "Smith, John"),
        ("Mary Li", "Li, Mary"),
        ("J. Smith", "Smith, J."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("van der Berg J", "van der Berg, J."),
        ("Stillman, Andrew N. (andrew.stillman@uconn.edu) ", "Stillman, Andrew N."),
        ("Li, Xiang (57193111111)", "Li, Xiang"),
        ("World Health Organization", "World Health Organization"),
        ("Foo & Bar", "Foo & Bar"),
        ("  ", ""),
    ],
)
def test_normalise_author(name: str, author: str) -> None:
    assert normalise_author(name) == author


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Martin, W.; Zhang, K.", ["Martin, W.", "Zhang, K."]),
        ("Sullivan, R. T.", ["Sullivan, R. T."]),
        ("Liu R., Adler D.G.", ["Liu R.", "Adler D.G."]),
        ("Smith A, Walter B", ["Smith A", "Walter B"]),
        ("Smith, J, Jones, K", ["Smith, J", "Jones, K"]),
        ("Smith, Tom and Steward, Hugo", ["Smith, Tom", "Steward, Hugo"]),
        ("A. Smith, B. Jones and C. Lee", ["A. Smith", "B. Jones", "C. Lee"]),
        ("Ailsa Cook|Tamara Mulherin", ["Ailsa Cook", "Tamara Mulherin"]),
        ("Centre for Excellence and Outcomes in Children and Young People's Services (C4EO)",
         ["Centre for Excellence and Outcomes in Children and Young People's Services (C4EO)"]),
        ("", []),
    ],
)
def test_split_author_list(cell: str, names: list[str]) -> None:
    assert split_author_list(cell) == names


def test_issn_and_isbn() -> None:
    assert normalise_issn("20964129 (ISSN) ") == "2096-4129"
    assert normalise_issn("ISSN-1234-4567") == "1234-4567"
    assert normalise_issn("2215-0161 (Electronic)", "2215-0161 (Linking)") == "2215-0161"
    assert normalise_issn("0022-351x") == "0022-351X"
    assert normalise_isbn("978-92-890-5207-6") == "9789289052076"
    assert normalise_isbn("0-19-852663-6") == "0198526636"
    assert split_issn_isbn("01678809") == ("0167-8809", "")
    assert split_issn_isbn("2277-9175 (Print)\r2277-9175") == ("2277-9175", "")
    assert split_issn_isbn("999-9-999-99999-9; 0-19-852663-6") == ("", "9999999999999; 0198526636")


def test_language_and_type() -> None:
    assert normalise_language("eng") == "English"
    assert normalise_language("en") == "English"
    assert normalise_language("ENGLISH") == "English"
    assert normalise_language("English; French") == "English; French"
    assert normalise_language("ger", "eng") == "German; English"
    assert normalise_language("") == ""
    for value, kind in [("JOUR", "article"), ("Journal Article", "article"), ("Article; Early Access", "article"),
                        ("CHAP", "chapter"), ("Book Section", "chapter"), ("BOOK", "book"), ("inproceedings", "conference"),
                        ("Proceedings Paper", "conference"), ("Conference Abstract", "conference"), ("THES", "thesis"),
                        ("Dissertation/Thesis", "thesis"), ("RPRT", "report"), ("Preprint", "preprint"), ("ELEC", "web"),
                        ("Data Paper", "article"), ("GEN", "other"), ("misc", "other"), ("Something else", "other"), ("", "")]:
        assert normalise_type(value) == kind, value


def test_clean_text_and_latex() -> None:
    assert clean_text("  A  title\nover two lines &amp; more ") == "A title over two lines & more"
    assert clean_text("Cafe\u0301") == "Café"  # composed
    assert strip_latex(r"{\"O}sterreich, {\'e}t{\'e}, \c{c}a, Stra{\ss}e, {\o}l, \v{S}koda") == "Österreich, été, ça, Straße, øl, Škoda"
    assert strip_latex(r"Partnership in {UK} \& {NHS} 50\% \emph{really}") == "Partnership in UK & NHS 50% really"


def test_parse_citation() -> None:
    assert parse_citation("Nature. 2021 Dec 21;1(2):10-11. doi: 10.1111/nature1111.") == {
        "journal": "Nature", "year": "2021", "volume": "1", "issue": "2", "pages": "10-11"}
    assert parse_citation("Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014") == {
        "journal": "Endoscopic Ultrasound", "year": "2014", "volume": "3", "issue": "3", "pages": "152-160"}
    assert parse_citation("v10 n1 p1-10 2000") == {"volume": "10", "issue": "1", "pages": "1-10", "year": "2000"}
    assert parse_citation("Scopus") == {}
