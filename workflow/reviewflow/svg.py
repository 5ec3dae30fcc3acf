"""Small SVG primitives shared by the figures and the flow diagram: escaping, text measure, wrapping.

Everything that comes from data (titles, labels, database names, reasons) goes
through ``esc``/``attr``, so a ``<``, ``&`` or quote in it is text, never markup.
Text width is estimated from per-character advances of DejaVu Sans / Arial
(no font file is read): close enough to size boxes and wrap lines, with a margin.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"

_NARROW = set("iljtfI.,:;'!|()[] ")
_WIDE = set("mwMW@%")


def esc(text: object) -> str:
    """Text content, escaped for XML (and HTML)."""
    return escape(str(text))


def attr(value: object) -> str:
    """An attribute value, quoted and escaped (``"`` and ``'`` included)."""
    return quoteattr(str(value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of the rendered width of ``text`` at font ``size`` (px)."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.32
        elif char in _WIDE:
            units += 0.9
        elif char.isupper() or char.isdigit():
            units += 0.66
        else:
            units += 0.56
    return units * size * (1.07 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` (a longer word gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in (w for w in str(text).split(" ") if w):  # a no-break space (U+00A0) keeps words together
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def svg_open(width: float, height: float, *, title: str, desc: str, element_id: str, css_class: str) -> str:
    """The opening tag of a standalone, accessible SVG (valid inline in HTML too)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" id={attr(element_id)} class={attr(css_class)} '
        f'aria-labelledby={attr(element_id + "-title")} font-family={attr(FONT_FAMILY)}>\n'
        f"<title id={attr(element_id + '-title')}>{esc(title)}</title>\n<desc>{esc(desc)}</desc>\n"
    )
