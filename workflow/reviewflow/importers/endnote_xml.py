"""EndNote XML (``<xml><records><record>...``), read with the standard library's expat.

Every element under ``<record>`` that holds text becomes a raw field named by
its path (``titles/title``, ``contributors/authors/author``,
``ref-type``); attributes become ``path@name`` (``ref-type@name``). The
``<style>`` wrappers EndNote puts around every value (several per value when
the formatting changes) are joined into one text; their font attributes are
left out. A broken or truncated file is an error naming the line.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path

from ..errors import ReviewError
from .base import ParsedRecord, Raw, all_values, first_value
from .normalise import (
    clean_text,
    first_doi,
    join_authors,
    join_list,
    normalise_language,
    normalise_pages,
    normalise_type,
    normalise_year,
    split_issn_isbn,
    split_values,
)


_DECLARED_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']")


def looks_like_endnote_xml(text: str) -> bool:
    head = text.lstrip()[:5000]
    return head.startswith("<") and "<record" in head and ("<xml" in head or "<records" in head) and (
        "<ref-type" in text[:200000] or "<titles" in text[:200000]
    )


def count_xml_records(text: str) -> int:
    return len(re.findall(r"<record[\s>]", text))


def parse_endnote_xml(text: str, path: Path, warnings: list[str] | None = None) -> list[ParsedRecord]:
    parser = xml.parsers.expat.ParserCreate()
    records: list[ParsedRecord] = []
    stack: list[str] = []  # element names below <record>
    texts: list[list[str]] = []  # text collected by each open element
    children: list[bool] = []  # whether each open element has child elements (other than <style>)
    state: dict[str, object] = {"raw": None, "line": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        raw = state["raw"]
        if name == "record" and raw is None:
            state["raw"] = {}
            state["line"] = parser.CurrentLineNumber
            stack.clear()
            texts.clear()
            children.clear()
            return
        if raw is None:
            return
        if name == "style":
            return  # formatting: its text belongs to the enclosing field
        if children:
            children[-1] = True
        stack.append(name)
        texts.append([])
        children.append(False)
        path_name = "/".join(stack)
        for attribute, value in attributes.items():
            raw.setdefault(f"{path_name}@{attribute}", []).append(value)  # type: ignore[union-attr]

    def end(name: str) -> None:
        raw = state["raw"]
        if raw is None or name == "style":
            return
        if name == "record" and not stack:
            records.append(ParsedRecord(endnote_fields(raw), raw, int(state["line"])))  # type: ignore[arg-type]
            state["raw"] = None
            return
        path_name = "/".join(stack)
        value = "".join(texts.pop())
        had_children = children.pop()
        stack.pop()
        if not had_children:
            raw.setdefault(path_name, []).append(value.strip())  # type: ignore[union-attr]

    def characters(data: str) -> None:
        if texts:
            texts[-1].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.buffer_text = True
    # the text is already decoded: an encoding named in the declaration must not decode it again
    text = _DECLARED_ENCODING.sub(r"\1", text, count=1)
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as error:
        raise ReviewError(
            f"the XML is broken ({xml.parsers.expat.ErrorString(error.code)}), after {len(records)} complete records: "
            "the file looks truncated or damaged",
            file=path,
            line=error.lineno,
            fix="export the records from EndNote again (File > Export, XML)",
        ) from None
    return records




def endnote_fields(raw: Raw) -> dict[str, str]:
    issn, isbn = split_issn_isbn(*all_values(raw, "isbn"))
    urls = all_values(raw, "urls/related-urls/url", "urls/web-urls/url", "urls/pdf-urls/url", "urls/text-urls/url")
    return {
        "title": clean_text(first_value(raw, "titles/title")),
        "authors": join_authors(split_values(all_values(raw, "contributors/authors/author"), "\n\r"))
        or join_authors(split_values(all_values(raw, "contributors/secondary-authors/author"), "\n\r")),
        "year": normalise_year(first_value(raw, "dates/year"), first_value(raw, "dates/pub-dates/date")),
        "journal": clean_text(
            first_value(raw, "periodical/full-title", "titles/secondary-title", "alt-periodical/full-title", "periodical/abbr-1")
        ),
        "volume": clean_text(first_value(raw, "volume")),
        "issue": clean_text(first_value(raw, "number", "issue")),
        "pages": normalise_pages(first_value(raw, "pages")),
        "doi": first_doi(all_values(raw, "electronic-resource-num"), urls, all_values(raw, "notes", "custom1", "custom2", "label")),
        "abstract": clean_text(first_value(raw, "abstract")),
        "keywords": join_list(split_values(all_values(raw, "keywords/keyword"), "\n\r")),
        "language": normalise_language(*all_values(raw, "language")),
        "type": normalise_type(first_value(raw, "ref-type@name")),
        "url": clean_text(urls[0].split()[0]) if urls and urls[0].split() else "",
        "issn": issn,
        "isbn": isbn,
        "publisher": clean_text(first_value(raw, "publisher")),
    }
