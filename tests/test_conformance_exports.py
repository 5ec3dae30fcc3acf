"""The real export files of ../shared/fixtures/exports (49 files from 9 public projects).

For every file of manifest.csv: it imports with exactly the manifest's count
(counted there independently of any parser); every record whose file gives a
title has one; every record whose file gives a DOI (in a field that holds the
record's own DOI) has that DOI; BibTeX raw fields equal bibtexparser's where
bibtexparser reads the entry. Field coverage per file is printed (run with
``-rP`` to see it). Skipped when ../shared is absent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewflow.importers import ParsedExport, ParsedRecord, read_export
from reviewflow.importers.check import field_coverage

pytestmark = pytest.mark.conformance

#: Where the manifest's count is wrong, the right count and why (checked by an independent count below).
MANIFEST_CORRECTIONS = {
    "colrev__ais_enl.txt": (
        6,
        "the manifest counts '%0' lines, but 4 of the file's 6 blank-line separated references have no '%0' line "
        "(SOURCES.md: record boundaries are blank-line based)",
    ),
}

#: Raw fields that hold a record's own title, per format.
TITLE_KEYS = {
    "ris": ("TI", "T1", "CT"), "bibtex": ("title",), "medline": ("TI", "BTI"), "wos": ("TI",), "wos-tab": ("TI",),
    "csv": ("Title", "title", "display_name"), "endnote-xml": ("titles/title",), "refer": ("%T",),
    "proquest": ("Title", "(heading)"), "ovid": ("TI",),
}
#: Raw fields that hold a record's own DOI, per format (not notes or cited references, which hold other works' DOIs).
DOI_KEYS = {
    "ris": ("DO", "L3", "M3", "DI"), "bibtex": ("doi",), "medline": ("LID", "AID"), "wos": ("DI", "D2"), "wos-tab": ("DI", "D2"),
    "csv": ("DOI", "doi", "Open URL Link"), "endnote-xml": ("electronic-resource-num",), "refer": ("%R",),
    "proquest": ("DOI",), "ovid": ("DO",),
}
_DOI = re.compile(r"10\.\d{4,9}(?:/|%2F)\S+", re.IGNORECASE)


def manifest_rows(shared: Path) -> Iterator[dict[str, str]]:
    with (shared / "exports" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _manifest() -> list[dict[str, str]]:
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
    return list(manifest_rows(shared)) if shared.is_dir() else [{"folder": "", "file": "(shared fixtures absent)", "records": "0"}]


def _format_key(export: ParsedExport) -> str:
    return "csv" if export.format in ("csv", "tsv", "xlsx") else export.format


def _values(record: ParsedRecord, keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in record.raw.get(key, []) if value.strip()]


def _own_doi(export: ParsedExport, record: ParsedRecord) -> list[str]:
    values = [v for v in _values(record, DOI_KEYS[_format_key(export)]) if _DOI.search(v)]
    if export.format == "medline":  # LID/AID also hold [pii] identifiers and ERIC's page URLs
        values = [v for v in values if v.rstrip().endswith("[doi]") or "doi.org" in v]
    return values


@pytest.mark.parametrize("row", _manifest(), ids=lambda row: row["file"])
def test_real_export(row: dict[str, str], shared_fixtures: Path) -> None:
    export = read_export(shared_fixtures / "exports" / row["folder"] / row["file"])
    expected = MANIFEST_CORRECTIONS.get(row["file"], (int(row["records"]), ""))[0]
    assert len(export.records) == expected, f"{row['file']}: {len(export.records)} records, expected {expected}"
    untitled = [r.line for r in export.records if _values(r, TITLE_KEYS[_format_key(export)]) and not r.fields["title"]]
    assert not untitled, f"records with a title in the file but none read (lines {untitled})"
    for record in export.records:
        own = _own_doi(export, record)
        if own:
            doi = record.fields["doi"]
            assert doi, f"line {record.line}: the file gives the DOI {own[0]!r} but none was read"
            assert re.fullmatch(r"10\.\d{4,9}/\S+", doi) and doi == doi.lower()
            assert any(doi in v.lower().replace("%2f", "/").replace("\\", "") for v in own), (doi, own)  # \\_ in BibTeX
    coverage = field_coverage(export)
    count = len(export.records)
    print(f"\n{row['file']}: {export.format_label}, {export.encoding}, {count} records (manifest {row['records']})")
    print("  " + "  ".join(f"{name} {filled}/{count}" for name, filled in coverage.items()))
    for warning in export.warnings:
        print(f"  warning: {warning}")


def test_manifest_corrections_hold_by_an_independent_count(shared_fixtures: Path) -> None:
    text = (shared_fixtures / "exports" / "endnote-tagged" / "colrev__ais_enl.txt").read_text(encoding="utf-8")
    blocks = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    assert all(block.lstrip().startswith("%") for block in blocks)
    assert len(blocks) == MANIFEST_CORRECTIONS["colrev__ais_enl.txt"][0]
    assert len(re.findall(r"^%0 ", text, re.MULTILINE)) == 2  # what the manifest counted


def test_bibtex_raw_equals_bibtexparser_where_it_reads_the_entry(shared_fixtures: Path) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    for path in sorted((shared_fixtures / "exports" / "bibtex").glob("*.bib")):
        export = read_export(path)
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        library = bibtexparser.parse_string(text)
        ours = [r.raw for r in export.records]
        for entry in library.entries:
            raw = {"ENTRYTYPE": [entry.entry_type.lower()], "ID": [entry.key.strip()]}
            for field in entry.fields:
                raw.setdefault(field.key.lower(), []).append(str(field.value).strip())
            assert raw in ours, (path.name, entry.key)
        # and the entries bibtexparser gives up on are read too, never dropped
        assert len(ours) >= len(library.entries) + len(library.failed_blocks) - sum(
            1 for block in library.failed_blocks if type(block).__name__ == "DuplicateBlockKeyBlock"
        )


#: Tagged formats: the tag at the start of a line, and the lines that only frame records.
_TAG_PREFIX = {
    "ris": re.compile(r"^[A-Z][A-Z0-9] {1,2}- ?"),
    "medline": re.compile(r"^[A-Z][A-Z0-9]{0,4} *- ?"),
    "wos": re.compile(r"^[A-Z][A-Z0-9](?: |$)"),
    "refer": re.compile(r"^%\S ?"),
    "ovid": re.compile(r"^[A-Z][A-Z0-9]  - ?"),
}
_FRAMING = re.compile(r"^(?:ER  -\s*|ER|EF|FN .*|VR .*|\d+\.|<\s*\d+\.?\s*>)$")


@pytest.mark.parametrize("row", _manifest(), ids=lambda row: row["file"])
def test_tagged_exports_keep_every_line_in_raw(row: dict[str, str], shared_fixtures: Path) -> None:
    """Every line of a tagged file is a value (or a continuation) in some record's raw fields,
    except the lines framing records and those the warnings say were outside any record."""
    from reviewflow.importers.base import decode_bytes

    path = shared_fixtures / "exports" / row["folder"] / row["file"]
    export = read_export(path)
    if export.format not in _TAG_PREFIX:
        pytest.skip(f"{export.format} is not a line-tagged format")
    kept = {part.strip() for record in export.records for values in record.raw.values() for value in values for part in value.split("\n")}
    text = decode_bytes(path.read_bytes(), path).text
    missing = []
    for line in text.split("\n"):
        if not line.strip() or _FRAMING.match(line.strip()):
            continue
        content = _TAG_PREFIX[export.format].sub("", line, count=1).strip()
        if content and content not in kept:
            missing.append(line)
    outside = sum(int(n) for n in re.findall(r"(\d+) line\(s\) outside the records", " ".join(export.warnings)))
    assert len(missing) == outside, missing[:5]
