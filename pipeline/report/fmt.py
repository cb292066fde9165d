"""How the report writes numbers, dates and tables: for an English reader (603,462; 19.1 %; 31.12.2024)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence


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


def period(start, end) -> str:
    """A reference period by its years: '1950-2024', or '2024' for a period within one year."""
    return str(end.year) if start.year == end.year else f"{start.year}-{end.year}"


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


def cell(text: object) -> str:
    s = str(text)
    if s in ("nan", "None", "NaN", "<NA>"):
        raise MissingValue(f"refusing to print {s!r} in a table")
    return s.replace("|", "\\|").replace("\n", " ")


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
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join(seps) + "|"]
    for row in rows:
        if len(row) != n:
            raise ValueError("row width differs from the header")
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines)


def captioned_table(table_md: str, caption: str, label: str, source: str) -> str:
    return f"{table_md}\n\n: {caption} {{#tbl-{label}}}\n\n{source_line(source)}\n"


def figure(path: str, caption: str, label: str, source: str, alt: str) -> str:
    """A chart with its caption, its alternative text (``fig-alt``: what it shows, written from its data, for screen
    readers; Quarto and the built-in route put it in the PDF's Figure tag and the HTML's ``alt``) and its source line."""
    alt = " ".join(alt.replace('"', "'").split())
    return f"![{caption}]({path}){{#fig-{label} fig-alt=\"{alt}\"}}\n\n{source_line(source)}\n"


def source_line(source: str) -> str:
    return f"*Source: {source}*"


def gap_note(what: str, needed: str) -> str:
    return f"*Not available in this edition: {what}. Input that would provide it: {needed}.*\n"
