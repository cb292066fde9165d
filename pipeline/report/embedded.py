"""The HTML profile's charts as text: pandoc (and Quarto through it) embeds each SVG chart as a base64 data URI,
a third larger than the SVG itself. Here each becomes a UTF-8 data URI that percent-encodes only what a URI in a
double-quoted attribute must not hold raw (the technique of mini-svg-data-uri): the same image, about a quarter
smaller. Applied to the rendered HTML of either route before it is published."""

from __future__ import annotations

import base64
import re
from pathlib import Path

_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
# what would end the attribute, start a character reference or tag, or be read as a URI's own syntax
_ESCAPE = {"%": "%25", "#": "%23", "<": "%3C", ">": "%3E", "&": "%26", "{": "%7B", "}": "%7D", "\n": "%0A", "\r": "", "\t": " "}


def svg_uri(svg: str) -> str:
    """An SVG as a UTF-8 data URI for a double-quoted attribute: its double quotes become single quotes (an SVG
    chart of ours holds none inside an attribute's value: its text is drawn as paths), the rest as ``_ESCAPE``."""
    svg = svg.replace('"', "'")
    return "data:image/svg+xml;charset=utf-8," + "".join(_ESCAPE.get(ch, ch) for ch in svg)


def svg_as_text(html: Path) -> int:
    """Rewrite every base64 SVG data URI of ``html`` as text; the bytes saved."""
    before = html.read_text(encoding="utf-8")
    after = _SVG_URI.sub(lambda m: svg_uri(base64.b64decode(m.group(1)).decode("utf-8")), before)
    if after != before:
        html.write_text(after, encoding="utf-8")
    return len(before.encode()) - len(after.encode())
