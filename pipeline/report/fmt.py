"""How the report writes numbers, dates, text and tables: for an English reader (603,462; 19.1 %; 31.12.2024).

Text from an input file (a city's register, a stakeholder's name, a manifest's title or credit, a district's name)
is data, never markup. Every such string reaches the Markdown the renderers read through ``text()``, which escapes
each character that could begin a Markdown, HTML, Typst, citation, math or shortcode construct, so pandoc (and
Quarto, which reads Markdown the same way) turns it into plain text and the writers print it literally. The helpers
below that build Markdown (``table``, ``captioned_table``, ``figure``, ``source_line``, ``gap_note``) take plain
text and escape it themselves; a part that writes prose escapes what it interpolates with ``text()``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from pipeline.domain.freetext import WEB_ADDRESS

# Every ASCII punctuation character that can start or end an inline construct of pandoc's Markdown (emphasis, code,
# raw inlines and attributes, links, images, autolinks and raw HTML, entities, citations and cross-references, TeX
# math, spans, superscripts, emoji) or a Quarto shortcode; a backslash makes each a literal character. Left alone:
# , ; ( ) / % ? . - ' ", which are inert inline; quotes, '--' and '...' get the same typography (’ “ ” – …) as the
# profile's own text (pandoc's smart punctuation, as Quarto's).
_MARKUP = re.compile(r"""[\\`*_{}\[\]<>#+!|@$^~&:=]""")
_ESCAPED = re.compile(r"""\\([!-/:-@\[-`{-~])""")


class MissingValue(ValueError):
    """A value the report was about to print is missing: a bug, never printed as 'nan' or 'None'."""


def _check(value: object) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise MissingValue("a missing value reached the report's formatting")
    return float(value)  # type: ignore[arg-type]


def number(value: object, decimals: int = 0) -> str:
    v = _check(value)
    return f"{v:,.{decimals}f}"


def count(value: object) -> str:
    return number(value, 0)


def percent(value: object, decimals: int = 1) -> str:
    return f"{number(value, decimals)} %"


def series(items: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def signed(value: object, decimals: int = 0) -> str:
    v = _check(value)
    text = number(abs(v), decimals)
    return f"+{text}" if v > 0 else (f"-{text}" if v < 0 else text)


def signed_points(value: object) -> str:
    return f"{signed(value, 1)} points"


def date(value: dt.date | str) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def text(value: object) -> str:
    """Text from an input as Markdown that prints it literally: whitespace runs (a line break among them) become one
    space, every character that could begin a construct is escaped. Refuses a missing value. A table cell is such a
    text (a '|' in it does not end the cell)."""
    s = str(value)
    if s in ("nan", "None", "NaN", "<NA>"):
        raise MissingValue(f"refusing to print {s!r}")
    return _MARKUP.sub(lambda m: "\\" + m.group(), " ".join(s.split()))


def attribute(value: object) -> str:
    """Text from an input as the value of a Markdown attribute (``fig-alt="..."``), read literally: pandoc reads
    backslash escapes there too, so ``text()`` with the quote escaped keeps it inside the value."""
    return text(value).replace('"', '\\"')


def plain(markdown: str) -> str:
    """The text ``text()`` escaped, as it was (for a file name, the index page, a chart label)."""
    return _ESCAPED.sub(r"\1", markdown)


def link(url: object) -> str:
    """A web address as a link, where it is one: http or https only, nothing a Markdown autolink would end early or
    a browser would run (``javascript:``, ``data:``); anything else is printed as text, not linked."""
    s = str(url).strip()
    return f"<{s}>" if WEB_ADDRESS.fullmatch(s) else text(s)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    align: str | None = None,
    widths: Sequence[int] | None = None,
) -> str:
    """A Markdown pipe table. ``align``: one letter per column (l, r, c). ``widths``: relative column widths; they
    are written as dash counts, which pandoc and Quarto read as the columns' shares of the text width."""
    n = len(headers)
    align = align or "l" * n
    widths = widths or [1] * n
    total = sum(widths)
    seps = []
    for a, w in zip(align, widths, strict=True):
        # 100 dashes in all: the line is longer than pandoc's 72 columns, so pandoc (and Quarto) read the dash
        # counts as the columns' relative widths and wrap long cells.
        dashes = "-" * max(3, round(100 * w / total))
        seps.append({"l": ":" + dashes[1:], "r": dashes[:-1] + ":", "c": ":" + dashes[2:] + ":"}[a])
    lines = ["| " + " | ".join(text(h) for h in headers) + " |", "|" + "|".join(seps) + "|"]
    for row in rows:
        if len(row) != n:
            raise ValueError("row width differs from the header")
        lines.append("| " + " | ".join(text(c) for c in row) + " |")
    return "\n".join(lines)


def captioned_table(table_md: str, caption: str, label: str, source: str) -> str:
    """A table (Markdown, from ``table``) with its caption and source line (plain text, escaped here)."""
    return f"{table_md}\n\n: {text(caption)} {{#tbl-{label}}}\n\n{source_line(source)}\n"


def figure(path: str, caption: str, label: str, source: str, alt: str) -> str:
    """A chart with its caption, its alternative text (``fig-alt``: what it shows, written from its data, for screen
    readers; Quarto and the built-in route put it in the PDF's Figure tag and the HTML's ``alt``) and its source line.
    Caption, alt text and source are plain text (escaped here: pandoc reads backslash escapes in an attribute's value
    too, so the alt text's quotes and backslashes stay inside it)."""
    return f"![{text(caption)}]({path}){{#fig-{label} fig-alt=\"{attribute(alt)}\"}}\n\n{source_line(source)}\n"


def source_line(source: str) -> str:
    """The line under a table or figure; ``source`` is plain text."""
    return f"*Source: {text(source)}*"


def gap_note(what: str) -> str:
    """A gap as the reader sees it: one plain sentence. The input that would fill it is the maintainer's business
    (the gap report beside the outputs, pipeline/report/gaps.py), never printed in the publication."""
    return f"*Not available in this edition: {text(what)}.*\n"
