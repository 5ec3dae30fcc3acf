"""Each reader on a small fixture per quirk (tests/fixtures/exports/): counts, fields, raw kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reviewflow.importers as importers
from reviewflow.errors import ReviewError
from reviewflow.importers import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def read(name: str) -> importers.ParsedExport:
    return read_export(FIXTURES / name)


# ----------------------------------------------------------------------------------------------
# RIS


def test_ris_basic_fields_and_raw() -> None:
    export = read("ris_basic.ris")
    assert export.format == "ris" and len(export.records) == 3
    first, book, chapter = export.records
    assert first.line == 1 and book.line == 20 and chapter.line == 28
    assert first.fields["title"] == "Partnership working across UK public services"
    assert first.fields["authors"] == "Cook, Ailsa; Mulherin, T."
    assert first.fields["pages"] == "482-491"
    assert first.fields["doi"] == "10.1108/jica-05-2015-0021"
    assert first.fields["language"] == "English"
    assert first.fields["issn"] == "1476-9018" and first.fields["isbn"] == ""
    assert first.fields["keywords"] == "partnership; public services"
    assert first.raw["AU"] == ["Cook, Ailsa", "Mulherin, T."]
    assert first.raw["DO"] == ["https://doi.org/10.1108/JICA-05-2015-0021"]  # raw keeps what was written
    assert book.fields["type"] == "book" and book.fields["year"] == "2016"
    assert book.fields["authors"] == "World Health Organization"  # an organisation is not "Organization, World Health"
    assert book.fields["isbn"] == "9789289052076" and book.fields["issn"] == ""
    assert chapter.fields["type"] == "chapter" and chapter.fields["year"] == "2012"
    assert chapter.fields["authors"] == "Smith, J. A."
    assert chapter.fields["journal"] == "Handbook of partnership"
    assert chapter.fields["pages"] == "e12-e19"


def test_ris_untagged_continuation_lines_belong_to_the_value_above() -> None:
    record = read("ris_continuation.ris").records[0]
    assert record.raw["KW"] == ["Accreditation\nHealth Facility Administration\nPatient Safety"]
    assert record.fields["keywords"] == "Accreditation; Health Facility Administration; Patient Safety"
    assert record.raw["AD"] == ["Department of Social Work, University of Edinburgh\nSchool of Health, University of Stirling"]
    assert record.raw["N1"] == ["Cited By :9\nExport Date: 1 March 2015"]
    assert record.fields["year"] == "2011"  # DA holds only a month
    assert record.fields["journal"] == "Health & Social Care in the Community"


def test_ris_ovid_numbers_and_fields_after_er_are_kept() -> None:
    export = read("ris_ovid_numbered.ris")
    assert len(export.records) == 2
    first, second = export.records
    assert first.raw["NL"] == ["Clin Psychol Psychother"]  # written after ER, kept with its record
    assert second.raw["NL"] == ["J Health Psychol"]
    assert first.fields["doi"] == "10.1002/cpp.2398"  # DO as a dx.doi.org URL
    assert first.fields["abstract"].startswith("Considering")  # N2
    assert first.fields["publisher"] == "John Wiley & Sons"
    assert any("after a record's end line" in w for w in export.warnings)
    assert any("Link to the Ovid Full Text" in w for w in export.warnings)  # reported, not silently dropped


def test_ris_preamble_lines_are_reported() -> None:
    export = read("ris_preamble.ris")
    assert len(export.records) == 2
    assert export.records[0].fields["volume"] == "12"  # VO (IEEE, JSTOR)
    assert export.records[0].fields["journal"] == "Public Administration"
    assert any("6 line(s) outside the records" in w and "Provider: JSTOR" in w for w in export.warnings)


def test_ris_missing_er_keeps_records_apart() -> None:
    export = read("ris_missing_er.ris")
    assert [r.fields["title"] for r in export.records] == ["The first record has no end line", "The second record is complete"]
    assert any("no end line" in w for w in export.warnings)


def test_ris_truncated_last_record_is_an_error() -> None:
    with pytest.raises(ReviewError) as caught:
        read("ris_truncated.ris")
    assert caught.value.line == 6 and "truncated" in caught.value.message


def test_ris_field_outside_any_record_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "lost.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \n\nTI  - A record without its TY line\nER  - \n", encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        read_export(path)
    assert caught.value.line == 5 and "outside any record" in caught.value.message


def test_ris_repeated_tags_keep_every_value() -> None:
    record = read("ris_repeated_tags.ris").records[0]
    assert record.raw["AD"] == ["University of Glasgow", "University of Dundee"]
    assert record.raw["M1"] == ["reference one", "reference two"]
    assert record.raw["DO"] == ["10.1037/pspa0000001", "10.1037/PSPA0000001"]
    assert record.fields["issn"] == "0022-3514; 1939-1315"
    assert record.fields["doi"] == "10.1037/pspa0000001"


def test_ris_doi_found_in_every_place_a_database_puts_it() -> None:
    dois = [r.fields["doi"] for r in read("ris_doi_locations.ris").records]
    assert dois == [
        "10.1016/j.socscimed.2015.01.001",  # L3
        "10.1111/hsc.12000",  # M3 "doi:..."
        "10.1111/hsc.12001",  # a URL
        "10.1111/hsc.12002",  # labelled in N1, not the reference's DOI before it
        "",  # a DOI of a cited reference is not the record's
    ]


def test_ris_single_space_dialect(tmp_path: Path) -> None:
    path = tmp_path / "loose.ris"
    path.write_text("TY - JOUR\nTI - One space before the hyphen\nPY - 2010\nER - \n", encoding="utf-8")
    record = read_export(path).records[0]
    assert record.fields["title"] == "One space before the hyphen" and record.fields["year"] == "2010"


# ----------------------------------------------------------------------------------------------
# BibTeX


def test_bibtex_fields_latex_strings_and_concatenation() -> None:
    export = read("bibtex_basic.bib")
    assert export.format == "bibtex" and len(export.records) == 2  # @string and @comment are not records
    article, book = export.records
    assert article.line == 5
    assert article.raw["ENTRYTYPE"] == ["article"] and article.raw["ID"] == ["cook2015"]
    assert article.raw["journal"] == ["jsp"]  # raw: as written
    assert article.fields["journal"] == "Journal of Social Policy"  # fields: the @string resolved
    assert article.raw["title"] == ["Partnership working across {UK} public services: {\\\"O}sterreich \\& {S}cotland"]
    assert article.fields["title"] == "Partnership working across UK public services: Österreich & Scotland"
    assert article.fields["authors"] == "Cook, Ailsa; Múlherin, Tamara; World Health Organization"
    assert article.fields["year"] == "2015" and article.raw["year"] == ["2015"] and article.raw["month"] == ["mar"]
    assert article.fields["pages"] == "482-491"
    assert article.fields["doi"] == "10.1108/jica-05-2015-0021"
    assert article.fields["abstract"] == 'A review of "partnership" working.'
    assert book.raw["publisher"] == ["{WHO} # { Regional Office}"]
    assert book.fields["publisher"] == "WHO Regional Office"
    assert book.fields["type"] == "book" and book.fields["isbn"] == "9789289052076"


def test_bibtex_duplicate_field_keeps_the_entry_and_both_values() -> None:
    export = read("bibtex_duplicate_field.bib")
    assert len(export.records) == 2
    assert export.warnings == [
        "the entry 'Li2020' (line 1) has the field 'funding_details' 2 times: every value is kept in raw"
    ]
    entry = export.records[0]
    assert entry.raw["funding_details"] == ["University of Twente", "Special Fund for Forest Scientific Research"]
    assert entry.raw["funding_text 1"] == ["The Special Fund"]  # a field name with a space (Scopus)
    assert entry.fields["doi"] == "10.1080/20964129.2020.1722034"


def test_bibtex_unbalanced_braces_are_read_line_by_line_with_a_warning() -> None:
    export = read("bibtex_unbalanced.bib")
    assert [r.raw["ID"][0] for r in export.records] == ["11111111111111111", "13362467620181001", "after2019"]
    broken = export.records[1]
    assert broken.fields["title"] == "When sharing fixes prices."
    assert broken.raw["keywords"][0].startswith("Price fixing, googletag")
    assert broken.fields["year"] == "2018"
    assert len(export.warnings) == 1 and "13362467620181001" in export.warnings[0] and "line 7" in export.warnings[0]


def test_bibtex_entries_without_keys() -> None:
    export = read("bibtex_keyless.bib")
    assert len(export.records) == 2  # bibtexparser reports them as duplicate keys and keeps one
    assert [r.raw["ID"] for r in export.records] == [[""], [""]]
    assert export.records[0].fields["authors"] == "Dorst, Chris"
    assert export.records[1].fields["title"] == "The Potential Use of Skin-derived Precursors"


def test_bibtex_web_of_science_style() -> None:
    record = read("bibtex_wos_style.bib").records[0]
    assert record.raw["ID"] == ["WOS:000223334444221"]  # the key's leading space is not part of it
    assert "researcherid-numbers" in record.raw  # field names in lower case
    assert record.fields["title"] == "A dummy title's"  # &apos;
    assert record.fields["doi"] == "10.1007/999-9-999-99999-9_3"  # \_ in the DOI
    assert record.fields["type"] == "conference" and record.fields["journal"] == "A BOOKTITLE"


def test_bibtex_truncated_last_entry_is_an_error() -> None:
    with pytest.raises(ReviewError) as caught:
        read("bibtex_truncated.bib")
    assert caught.value.line == 6 and "truncated" in caught.value.message


def test_bibtex_raw_is_what_bibtexparser_gives_on_the_demo() -> None:
    """The scanner replaced bibtexparser: the demo's record ids (a hash of raw) must not move."""
    bibtexparser = pytest.importorskip("bibtexparser")
    demo_files = sorted((Path(__file__).parents[1] / "data" / "raw" / "searches").glob("*/*.bib"))
    assert demo_files
    for path in demo_files[:3]:
        text = path.read_text(encoding="utf-8")
        library = bibtexparser.parse_string(text)
        expected = []
        for entry in library.entries:
            raw = {"ENTRYTYPE": [entry.entry_type.lower()], "ID": [entry.key.strip()]}
            for field in entry.fields:
                raw.setdefault(field.key.lower(), []).append(str(field.value).strip())
            expected.append(raw)
        assert [r.raw for r in read_export(path).records] == expected


# ----------------------------------------------------------------------------------------------
# MEDLINE / nbib, PMC, ERIC


def test_medline_fields_continuations_and_no_trailing_blank_line() -> None:
    export = read("medline_basic.nbib")
    assert export.format == "medline" and len(export.records) == 2  # the last record has no blank line after it
    first, second = export.records
    assert first.raw["TI"] == ["A method package for electrophysiological evaluation of reconstructed or\nregenerated facial nerves in rodents."]
    assert first.fields["title"].endswith("reconstructed or regenerated facial nerves in rodents.")
    assert first.fields["authors"] == "Takeuchi, Yuichi; Osaki, Hironobu"  # FAU preferred to AU
    assert first.fields["pages"] == "283-298"
    assert first.fields["doi"] == "10.1016/j.mex.2018.03.007"  # LID ... [doi]
    assert first.fields["type"] == "article" and first.fields["language"] == "English"
    assert first.fields["issn"] == "2215-0161" and first.fields["journal"] == "MethodsX"
    assert second.fields["doi"] == "10.1016/j.mex.2018.07.001"  # the [doi] AID, not the [pii]
    assert second.line == 25


def test_medline_pubmed_central_records_start_with_pmc() -> None:
    export = read("medline_pmc.txt")
    assert len(export.records) == 2
    assert export.records[0].raw["PMC"] == ["PMC6055010"] and export.records[0].fields["abstract"] == ""
    assert export.records[0].fields["doi"] == "10.1016/j.mex.2018.03.007"


def test_eric_nbib() -> None:
    record = read("eric.nbib").records[0]
    assert record.raw["ISSN"] == ["ISSN-1234-4567"]
    assert record.fields["issn"] == "1234-4567"
    assert record.fields["doi"] == "10.1000/123456789"  # AID as a dx.doi.org URL
    assert record.fields["url"] == "http://eric.ed.gov/?id=EJ1131633"  # LID: the record's page
    assert record.fields["volume"] == "10" and record.fields["issue"] == "1" and record.fields["pages"] == "1-10"  # from SO
    assert record.fields["type"] == "article" and record.fields["keywords"] == "Keyword 1; Keyword 2"


def test_medline_records_without_blank_line_are_kept_apart() -> None:
    export = read("medline_no_blank.nbib")
    assert [r.raw["PMID"] for r in export.records] == [["111"], ["222"]]
    assert any("without a blank line" in w for w in export.warnings)


# ----------------------------------------------------------------------------------------------
# Web of Science


def test_wos_plain_text() -> None:
    export = read("wos_plain.txt")
    assert export.format == "wos" and len(export.records) == 2 and not export.warnings
    first, zoological = export.records
    assert first.raw["AU"] == ["Alvarez-Manzaneda, I\ndel Arco, I"]
    assert first.fields["authors"] == "Alvarez-Manzaneda, Ines; del Arco, Ignacio"  # AF preferred
    assert first.fields["title"] == "Mapping the application of partnership working in public services: a bibliometric analysis"
    assert first.fields["keywords"] == "partnership; public services; GOVERNANCE; COLLABORATION"
    assert first.fields["pages"] == "482-491" and first.fields["doi"] == "10.1080/14719037.2018.1473475"
    assert first.fields["issn"] == "1471-9037; 1471-9045" and first.fields["type"] == "article"
    assert first.raw["WE"] == ["Social Science Citation Index (SSCI)"]  # newer tags kept
    assert zoological.fields["authors"] == "Stillman, Andrew N."  # e-mail dropped from the name
    assert zoological.fields["pages"] == "duz039"  # PS (Zoological Record)


def test_wos_truncated_is_an_error() -> None:
    with pytest.raises(ReviewError) as caught:
        read("wos_truncated.txt")
    assert caught.value.line == 8


def test_wos_saved_as_ris_is_detected_from_content(tmp_path: Path) -> None:
    path = tmp_path / "savedrecs.ris"
    path.write_bytes((FIXTURES / "wos_plain.txt").read_bytes())
    assert read_export(path).format == "wos"


def test_wos_tab_delimited() -> None:
    export = read("wos_tab.txt")
    assert export.format == "wos-tab" and len(export.records) == 2
    first = export.records[0]
    assert first.fields["title"] == 'Genetic "algorithm" optimization'  # a quote in a cell is not CSV quoting
    assert first.fields["authors"] == "Piersanti, Stefano; Orlandi, Antonio"
    assert first.fields["pages"] == "1-12" and first.fields["doi"] == "10.1109/temc.2016.2601000"
    assert first.raw["UT"] == ["WOS:000393000000002"]


# ----------------------------------------------------------------------------------------------
# CSV / TSV / XLSX


def test_scopus_csv() -> None:
    export = read("scopus.csv")
    assert export.format_label == "csv (Scopus)" and len(export.records) == 2
    first, second = export.records
    assert first.fields["title"] == 'Partnership working, "joint" commissioning and outcomes'
    assert first.fields["authors"] == "Li, Xiang; Zhang, Yan"  # full names, Scopus ids dropped
    assert first.fields["journal"] == "Public Management Review"  # "Source title", not "Source" (= Scopus)
    assert first.fields["pages"] == "482-491" and first.fields["issn"] == "1471-9037"
    assert first.raw["Abstract"] == ["An abstract\non two lines."]
    assert first.fields["keywords"] == "partnership; outcomes; Governance"
    assert first.line == 2 and second.line == 4  # a cell over two lines
    assert second.fields["type"] == "conference" and second.fields["journal"].startswith("Proceedings")


def test_embase_csv_source_string_and_doi_in_a_link() -> None:
    record = read("embase.csv").records[0]
    assert record.fields["authors"] == "Liu, R.; Adler, D. G."
    assert (record.fields["journal"], record.fields["year"], record.fields["volume"], record.fields["issue"], record.fields["pages"]) == (
        "Endoscopic Ultrasound", "2014", "3", "3", "152-160")
    assert record.fields["doi"] == "10.4103/2303-9027.138783"


def test_pubmed_csv_with_bom_and_crlf() -> None:
    export = read("pubmed.csv")
    assert export.format_label == "csv (PubMed)" and export.encoding == "utf-8"
    record = export.records[0]
    assert "PMID" in record.raw  # the BOM is not part of the first column's name
    assert record.fields["authors"] == "Smith, A.; Walter, B."
    assert (record.fields["volume"], record.fields["issue"], record.fields["pages"]) == ("1", "2", "10-11")
    assert record.fields["doi"] == "10.1111/nature1111"


@pytest.mark.parametrize(
    ("name", "dialect", "authors", "doi"),
    [
        ("lens.csv", "Lens", "Radanliev, Petar; De Roure, David", "10.1007/s12559-020-09727-y"),
        ("openalex.csv", "OpenAlex", "Cook, Ailsa; Mulherin, Tamara", "10.5334/ijic.4000"),
        ("covidence.csv", "Covidence", "Smith, J.; Jones, K.", "10.1080/09638237.2016.1000000"),
    ],
)
def test_database_csv_dialects(name: str, dialect: str, authors: str, doi: str) -> None:
    export = read(name)
    assert export.dialect == dialect and len(export.records) == 1
    record = export.records[0]
    assert record.fields["title"] and record.fields["year"]
    assert record.fields["authors"] == authors and record.fields["doi"] == doi


def test_csv_semicolons_and_lines_before_the_header() -> None:
    export = read("generic_semicolon.csv")
    assert [r.fields["title"] for r in export.records] == ["Partnership working in Scotland", "Collaboration in Wales"]
    assert export.records[0].line == 5
    assert any("2 line(s) before the header row" in w for w in export.warnings)


def test_tsv() -> None:
    export = read("generic.tsv")
    assert export.format == "tsv" and export.records[0].fields["doi"] == "10.5555/wws.2015.002"


def test_csv_truncated_or_broken_rows_are_errors() -> None:
    with pytest.raises(ReviewError) as caught:
        read("csv_truncated.csv")
    assert "quote" in caught.value.message
    with pytest.raises(ReviewError) as caught:
        read("csv_extra_cells.csv")
    assert caught.value.line == 3 and "4 cells" in caught.value.message


def test_csv_duplicate_and_unnamed_columns_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Title,Keywords,Keywords,\nA record,one,two,a note in an unnamed column\n", encoding="utf-8")
    record = read_export(path).records[0]
    assert record.raw["Keywords"] == ["one", "two"]
    assert record.raw["(column 4)"] == ["a note in an unnamed column"]


def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Authors", "Year", "DOI", "Pages"])
    sheet.append(["A record in a workbook", "Cook, A.; Jones, K.", 2015, "https://doi.org/10.5555/X.1", "12-9"])
    sheet.append([None, None, None, None, None])
    sheet.append(["A second record", "Smith, J.", 2016.0, None, None])
    workbook.create_sheet("Search details").append(["query", "partnership"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    export = read_export(path)
    assert export.format == "xlsx" and len(export.records) == 2
    first, second = export.records
    assert first.raw["Year"] == ["2015"] and second.raw["Year"] == ["2016"]  # numbers as written, not 2016.0
    assert first.fields["doi"] == "10.5555/x.1" and first.fields["pages"] == "12-19"
    assert second.line == 4
    assert any("Search details" in w for w in export.warnings)


# ----------------------------------------------------------------------------------------------
# EndNote XML, refer, ProQuest, Ovid


def test_endnote_xml() -> None:
    export = read("endnote.xml")
    assert export.format == "endnote-xml" and len(export.records) == 2
    article, chapter = export.records
    assert article.raw["titles/title"] == ["Formulation of a herbal gel in vitro"]  # style segments joined
    assert article.raw["ref-type@name"] == ["Journal Article"]
    assert article.raw["auth-address"] == ["Isfahan University of Medical Sciences, Isfahan, Iran.\rStudents' Research Committee, Isfahan, Iran."]
    assert article.fields["authors"] == "Shahtalebi, M. A.; Asghari, G. R."
    assert article.fields["journal"] == "Advanced Biomedical Research" and article.fields["pages"] == "53-59"
    assert article.fields["doi"] == "10.4103/abr.abr_175_16" and article.fields["issn"] == "2277-9175"
    assert article.fields["keywords"] == "Acne; blue light" and article.fields["language"] == "English"
    assert chapter.fields["type"] == "chapter" and chapter.fields["authors"] == "Foo & Bar"


def test_endnote_xml_truncated_is_an_error() -> None:
    with pytest.raises(ReviewError) as caught:
        read("endnote_truncated.xml")
    assert "truncated" in caught.value.message and caught.value.line == 1


def test_refer_records_are_separated_by_blank_lines_not_by_percent_zero() -> None:
    export = read("refer.txt")
    assert export.format == "refer" and len(export.records) == 3
    first, table_of_contents, third = export.records
    assert first.raw["%0"] == ["Journal Article"] and first.raw["%T"][0].startswith("How Trust")
    assert first.fields["authors"] == "Guo, Wenbo; Straub, Detmar W."
    assert first.fields["journal"] == "Management Information Systems Quarterly"
    assert first.fields["abstract"] == "IS research has extensively examined the role of trust in client-vendor relationships."
    assert "%0" not in table_of_contents.raw and table_of_contents.fields["title"].startswith("MISQ Volume 45")
    assert third.fields["doi"] == "10.24251/hicss.2019.400" and third.fields["type"] == "conference"


def test_proquest_report() -> None:
    export = read("proquest.txt")
    assert export.format == "proquest" and len(export.records) == 2 and export.stated_total == 2
    first, second = export.records
    assert first.raw["(heading)"] == ["Entrenchment and the Kripke-Wittgenstein paradox"]
    assert first.raw["Links"] == ["http://sfx.example.org/one", "http://sfx.example.org/two"]
    assert first.raw["Abstract"] == [
        "Surprisingly little attention has been paid to Goodman's solution.\n"
        "Results: this line starts like a field but belongs to the abstract."
    ]
    assert first.fields["url"] == "http://search.proquest.com/docview/1548716365?accountid=14906"
    assert first.fields["type"] == "thesis" and first.fields["isbn"] == "9781303940095"
    assert second.fields["doi"] == "10.1000/stem.2015.001" and second.fields["journal"] == "Journal of Stem Cells"
    assert any("bibliography" in w for w in export.warnings)


def test_proquest_report_missing_documents_is_an_error() -> None:
    with pytest.raises(ReviewError) as caught:
        read("proquest_truncated.txt")
    assert "3 documents" in caught.value.message


def test_ovid_tagged() -> None:
    export = read("ovid.txt")
    assert export.format == "ovid" and len(export.records) == 2
    first, second = export.records
    assert first.raw["AB"] == ["Background: As in most rare diseases, little is known.\nMethod(s): We searched MEDLINE."]
    assert first.fields["authors"] == "Behan, L.; Lucas, J. S."
    assert first.fields["doi"] == "10.1186/s12919-018-0099-8" and first.fields["issn"] == "1753-6561"
    assert first.fields["journal"] == "BMC Proceedings" and first.fields["year"] == "2018"
    assert second.fields["pages"] == "100-109" and second.fields["journal"] == "Journal of Partnership"


# ----------------------------------------------------------------------------------------------
# the counting contract


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("ris_basic.ris", 3), ("ris_continuation.ris", 1), ("ris_ovid_numbered.ris", 2), ("ris_preamble.ris", 2),
        ("ris_missing_er.ris", 2), ("ris_repeated_tags.ris", 1), ("ris_doi_locations.ris", 5),
        ("bibtex_basic.bib", 2), ("bibtex_duplicate_field.bib", 2), ("bibtex_unbalanced.bib", 3), ("bibtex_keyless.bib", 2),
        ("bibtex_wos_style.bib", 1), ("medline_basic.nbib", 2), ("medline_pmc.txt", 2), ("eric.nbib", 1),
        ("medline_no_blank.nbib", 2), ("wos_plain.txt", 2), ("wos_tab.txt", 2), ("scopus.csv", 2), ("embase.csv", 1),
        ("pubmed.csv", 1), ("lens.csv", 1), ("openalex.csv", 1), ("covidence.csv", 1), ("generic_semicolon.csv", 2),
        ("generic.tsv", 1), ("endnote.xml", 2), ("refer.txt", 3), ("proquest.txt", 2), ("ovid.txt", 2),
    ],
)
def test_every_fixture_gives_its_count_and_json_safe_raw(name: str, count: int) -> None:
    export = read(name)
    assert len(export.records) == count
    for record in export.records:
        assert json.loads(json.dumps(record.raw)) == record.raw
        assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in record.raw.values())
        assert record.line >= 1


def test_a_reader_losing_a_record_is_caught_by_the_independent_count(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importers.parse_ris
    monkeypatch.setitem(importers._RECORD_PARSERS, "ris", lambda text, path, warnings: real(text, path, warnings)[:-1])
    with pytest.raises(ReviewError) as caught:
        read("ris_basic.ris")
    assert "3 'TY  - ' lines but 2 records were read" in caught.value.message


def test_ovid_tagged_without_record_numbers() -> None:
    export = read("ovid_unnumbered.txt")
    assert export.format == "ovid" and [r.raw["UI"] for r in export.records] == [["621381829"], ["30000000"]]
    assert export.records[1].line == 16


def test_web_of_science_table_with_full_column_names() -> None:
    export = read("wos_excel_columns.csv")
    assert export.dialect == "Web of Science"
    record = export.records[0]
    assert record.fields["authors"] == "Cook, Ailsa; Jones, Kate" and record.fields["title"] == "Partnership in practice"
    assert record.fields["journal"] == "PUBLIC MONEY & MANAGEMENT" and record.fields["pages"] == "281-290"
    assert record.fields["keywords"] == "partnership; evaluation; GOVERNANCE" and record.fields["type"] == "article"
