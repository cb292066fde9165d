"""Reader for spreadsheets as the publishers publish them (XLSX): the Destatis Statistischer Bericht, the GV-ISys
directory, Regionaldatenbank exports.

The workbook is read with python-calamine (a Rust reader: it reads values only, which is all a statistical table
holds, and is several times faster than openpyxl on these files; see the README). A sheet is a grid of cells; every
problem names the sheet and the cell the way a spreadsheet program shows them ("sheet 'csv-12711-02', cell F12"), so
a reader's place is ``<sheet>!<cell>`` in the ``source_column`` of the rows it builds.

What is checked before a value is read, like a CSV's title lines and footer: the sheet is there under its name,
the title names the table, the header row holds the expected labels in the expected columns, and the table closes
with the publisher's footer. A value cell holds a number or one of the special symbols; anything else is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.symbols import SYMBOLS, parse_cell


def column_letters(col: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """The A1 name of the cell at 0-based ``row``, ``col``."""
    return f"{column_letters(col)}{row + 1}"


def text_of(value: Any) -> str:
    """A cell as text: numbers without a trailing '.0', dates ISO, empty cells ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Sheet:
    file: str
    name: str
    rows: list[list[Any]]

    def ref(self, row: int, col: int) -> str:
        """The place of a cell as rows built from it carry it: '<sheet>!<A1>'."""
        return f"{self.name}!{cell_name(row, col)}"

    def text(self, row: int, col: int) -> str:
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        return " ".join(text_of(self.rows[row][col]).split())

    def problem(self, rule: str, detail: str, row: int | None = None, col: int = 0) -> InputProblem:
        return InputProblem(self.file, rule, detail, None, f"{self.name}!" if row is None else self.ref(row, col))

    def refuse(self, rule: str, detail: str, row: int | None = None, col: int = 0) -> RawInputError:
        return RawInputError([self.problem(rule, detail, row, col)])

    def find_row(self, predicate, start: int = 0) -> int | None:
        return next((i for i in range(start, len(self.rows)) if predicate(i)), None)


def worksheet_part(archive, name: str) -> str:
    """The ZIP member of an XLSX workbook (an open ``zipfile.ZipFile``) that holds the worksheet named ``name``: the
    workbook part maps sheet names to relationship ids, its relationships map those to files."""
    tag = next((t for t in re.findall(r"<sheet [^>]*>", archive.read("xl/workbook.xml").decode()) if f'name="{name}"' in t), None)
    if tag is None:
        raise KeyError(f"no sheet {name!r} in the workbook")
    rid = re.search(r'r:id="(rId\d+)"', tag).group(1)
    rel = next(r for r in re.findall(r"<Relationship [^>]*>", archive.read("xl/_rels/workbook.xml.rels").decode()) if f'Id="{rid}"' in r)
    return "xl/" + re.search(r'Target="([^"]+)"', rel).group(1).removeprefix("/xl/")


def open_sheet(path: Path, file: str, name: str) -> Sheet:
    """The sheet ``name`` of the workbook at ``path``; a missing or renamed sheet is refused with the sheets there are."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for a damaged or non-XLSX file
        raise RawInputError.single(file, "readable spreadsheet", f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    if name not in workbook.sheet_names:
        shown = ", ".join(f"'{s}'" for s in workbook.sheet_names[:40])
        raise RawInputError.single(file, "sheet present", f"no sheet '{name}'; the workbook's sheets are {shown}")
    rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return Sheet(file, name, [list(r) for r in rows])


def check_header(sheet: Sheet, row: int, expected: Sequence[str], first_col: int = 0) -> list[InputProblem]:
    """The header row ``row`` holds ``expected`` from ``first_col`` on, label for label (whitespace normalised)."""
    problems = []
    for j, want in enumerate(expected, start=first_col):
        got = sheet.text(row, j)
        if got != " ".join(want.split()):
            problems.append(sheet.problem("header labels known", f"header '{got}' where '{want}' is expected", row, j))
    extra = [j for j in range(first_col + len(expected), len(sheet.rows[row]) if row < len(sheet.rows) else 0) if sheet.text(row, j)]
    if extra:
        j = extra[0]
        problems.append(sheet.problem("header labels known", f"an unexpected column '{sheet.text(row, j)}' after the known ones", row, j))
    return problems


def check_title(sheet: Sheet, row: int, pattern: str, what: str) -> re.Match:
    """The title cell at ``row`` (column A) matches ``pattern``; returns the match."""
    m = re.match(pattern, sheet.text(row, 0))
    if not m:
        raise sheet.refuse("title names the table", f"the title '{sheet.text(row, 0)}' is not {what}", row, 0)
    return m


def value_of(sheet: Sheet, row: int, col: int) -> tuple[float, str]:
    """(value, status) of a value cell: a number, or a special symbol kept as its status."""
    raw = sheet.rows[row][col] if row < len(sheet.rows) and col < len(sheet.rows[row]) else None
    if isinstance(raw, bool):
        raise sheet.refuse("value or special symbol", f"a truth value ({raw}) where a number is expected", row, col)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise sheet.refuse("value or special symbol", f"'{raw}' is not a finite number", row, col)
        return float(raw), ""
    text = text_of(raw).strip()
    if text in SYMBOLS:
        return parse_cell(text)
    if text == "":
        raise sheet.refuse("no empty cells", "empty cell where a number or a special symbol is expected", row, col)
    raise sheet.refuse(
        "value or special symbol",
        f"'{text}' is neither a number nor one of the special symbols {', '.join(repr(s) for s in SYMBOLS)}",
        row,
        col,
    )


def footnote_markers(text: str) -> tuple[str, list[str]]:
    """'1950 ² ' -> ('1950', ['2']): a label with the publisher's superscript footnote numbers split off."""
    supers = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    m = re.fullmatch(r"\s*(.*?)\s*((?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s*)*)", text)
    label, marks = (m.group(1), m.group(2)) if m else (text.strip(), "")
    return label, [x.translate(supers) for x in marks.split()]


def footnotes(sheet: Sheet, start: int, end_marker: str = "Ende der Tabelle.") -> dict[str, str]:
    """The numbered footnotes below a layout table ('1 Bis 1990 ...'), up to the footer line; the footer must be
    there, as a CSV table's closing line must."""
    end = sheet.find_row(lambda i: sheet.text(i, 0) == end_marker, start)
    if end is None:
        raise sheet.refuse("footer present", f"the table does not close with '{end_marker}' (cut off?)")
    notes = {}
    for i in range(start, end):
        m = re.match(r"^(\d+)\)?\s+(.*)$", sheet.text(i, 0))
        if m:
            notes[m.group(1)] = m.group(2)
    return notes
