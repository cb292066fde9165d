"""Cell values as the German statistical offices publish them.

Numbers use a decimal comma and no thousands separator in GENESIS table exports. A cell that is not a number is one
of the official special symbols ("Zeichenerklärung"), each kept in a status column next to the value:

    -    exactly zero (nothing occurred)           -> value 0.0, status "-"
    .    unknown or kept secret                    -> value missing, status "."
    ...  not yet available                         -> value missing, status "..."
    x    not applicable (logically impossible)     -> value missing, status "x"
    /    too uncertain to publish                  -> value missing, status "/"

A plain number has status "" (empty). Anything else is refused with the reason: we never guess.

Some GENESIS tables (12411-0015, for one) follow every value with a quality flag in a column of its own
(``QUALITY_FLAGS``); the flag is kept beside the value, and an unknown flag is refused like an unknown symbol. A
special symbol in place of a value has no flag (the flag cell is empty).
"""

from __future__ import annotations

import math
import re

ZERO = "-"
MISSING_SYMBOLS = {
    ".": "unknown or kept secret",
    "...": "not yet available",
    "x": "not applicable",
    "/": "too uncertain to publish",
}
SYMBOLS = {ZERO: "exactly zero", **MISSING_SYMBOLS}
PLAIN = ""
STATUS_VALUES = [PLAIN, *SYMBOLS]

# GENESIS' quality flags ("Qualitätskennzeichen"), as its exports print them after a value
QUALITY_FLAGS = {
    "e": "final (endgültig)",
    "p": "provisional (vorläufig)",
    "r": "revised (berichtigt)",
    "s": "estimated (geschätzt)",
}

_DECIMAL_COMMA = re.compile(r"^-?\d+(,\d+)?$")
_DECIMAL_POINT = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}([ .\u00a0]\d{3})+(,\d+)?$")


class CellError(ValueError):
    """A cell that is neither a number in the publisher's format nor a known symbol."""

    def __init__(self, rule: str, detail: str):
        self.rule = rule
        self.detail = detail
        super().__init__(detail)


def parse_cell(text: str, decimal: str = ",") -> tuple[float, str]:
    """Return (value, status) for one published cell.

    ``decimal`` is the publisher's decimal mark: "," for GENESIS exports, "." for our tidy CSVs.
    """
    cell = text.strip()
    if cell == "":
        raise CellError("no empty cells", "empty cell where a number or a special symbol is expected")
    if cell == ZERO:
        return 0.0, ZERO
    if cell in MISSING_SYMBOLS:
        return math.nan, cell
    pattern = _DECIMAL_COMMA if decimal == "," else _DECIMAL_POINT
    if pattern.match(cell):
        return float(cell.replace(",", ".")), PLAIN
    other = _DECIMAL_POINT if decimal == "," else _DECIMAL_COMMA
    if other.match(cell) or _GROUPED.match(cell):
        mark = "decimal comma" if decimal == "," else "decimal point"
        raise CellError(
            "number format",
            f"'{cell}' is not written the way this publisher writes numbers ({mark}, no thousands separator)",
        )
    raise CellError(
        "known special symbols",
        f"'{cell}' is neither a number nor one of the special symbols {', '.join(repr(s) for s in SYMBOLS)}",
    )
