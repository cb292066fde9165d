"""A GENESIS table exported as XLSX (the Regionaldatenbank's "Excel" download): the classic table's layout in one
sheet named after the table, with what a spreadsheet does differently.

    A1     the title (several lines in one cell)                 the CSV's title lines, without 'Tabelle: <code>'
    A2..   the statistic, 'Jahr: 2021'
    A4     the label columns' heading, beside the first header row   (the CSV leaves those cells empty)
    ...    header rows (label cells empty), the last the unit; a header over several columns is one merged cell
           (the CSV repeats it in every column)
    A8..   data rows; a label repeated from the row above is left empty  (the CSV repeats it)
    ______ the footer marker, the notes, the copyright, and '... | Stand: 10.11.2023 / 14:22:24' in one cell

The sheet is turned into the CSV's text (the repeated labels and merged headers filled in, the heading moved out of
the header row, the
'Stand' put on its own line, numbers written with a decimal comma) and read by the CSV reader, so the table's
layout, pandera model and rules are the CSV's. Every problem and every row names the sheet and the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.ingest.genesis_csv import GenesisTable, parse_genesis_text
from pipeline.ingest.xlsx import Sheet, cell_name, column_letters, open_sheet

_CODE = re.compile(r"^(DG|\d{2,8})$")
_MARKER = re.compile(r"^_{5,}\s*$")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def sheet_as_csv(sheet: Sheet, table_code: str) -> tuple[str, int]:
    """The sheet as the CSV export's text, and how many lines the text starts before the sheet's row 1 (1: the
    'Tabelle:' line)."""
    rows = [[_text(c) for c in r] for r in sheet.rows]
    marker = next((i for i, r in enumerate(rows) if r and _MARKER.match(r[0])), None)
    first_data = next((i for i, r in enumerate(rows) if r and _CODE.match(r[0]) and any(c for c in r[1:])), None)
    if marker is None or first_data is None or first_data > marker:
        if marker is None:
            raise sheet.refuse("footer present", "the sheet has no footer marker '______' (cut off?)")
        raise sheet.refuse("data rows present", "no data row (a region code in column A) before the footer")
    # the last header row's leading empty cells are the label columns
    header_end = first_data - 1
    n_labels = next((j for j, c in enumerate(rows[header_end]) if c), 0)
    out: list[list[str]] = []
    heading_moved = False
    for i, r in enumerate(rows):
        if i < first_data and not heading_moved and any(r[n_labels:]) and r[0]:
            # the label columns' heading sits beside the first header row: the CSV has it nowhere
            r = [""] * n_labels + r[n_labels:]
            heading_moved = True
        if i < first_data and not r[0] and any(r[n_labels:]):
            # a header spanning several columns is one merged cell, its text in the first: the CSV repeats it
            for j in range(n_labels + 1, len(r)):
                r[j] = r[j] or r[j - 1]
        if first_data <= i < marker and r and not r[0] and any(r[n_labels:]):
            # a label the row shares with the one above is left empty in the sheet: filled in, as the CSV repeats it
            k = next((j for j, c in enumerate(r[:n_labels]) if c), n_labels)
            r = out[-1][:k] + r[k:]
        out.append(r)
    # the footer (from the marker on) is text in column A: one cell per line, as the CSV writes it
    lines = [";".join(r) if i < marker else ";".join(r).rstrip(";") for i, r in enumerate(out)]
    # '... | Stand: dd.mm.yyyy / hh:mm:ss' -> its own line, as the CSV ends
    for i in range(len(lines) - 1, marker, -1):
        if "Stand:" in lines[i] and "|" in lines[i]:
            head, stand = lines[i].rsplit("|", 1)
            lines[i] = head.rstrip()
            lines.append(stand.strip())
            break
    return "\n".join([f"Tabelle: {table_code}", *lines]) + "\n", 1


def _place(p: InputProblem, sheet: Sheet, offset: int) -> InputProblem:
    """A problem the CSV reader found, at the sheet's cell instead of the text's line and column."""
    if p.line is None:
        return InputProblem(p.file, p.rule, p.detail, None, f"{sheet.name}!")
    row = p.line - offset - 1
    m = re.match(r"^(\d+)", p.column or "")
    col = int(m.group(1)) - 1 if m else 0
    return InputProblem(p.file, p.rule, p.detail, None, f"{sheet.name}!{cell_name(row, col)}")


def read_genesis_sheet(path: Path, file: str, table_code: str) -> tuple[GenesisTable, Sheet, int]:
    """The sheet named ``table_code`` read as the classic table; problems name sheet and cell."""
    sheet = open_sheet(path, file, table_code)
    text, offset = sheet_as_csv(sheet, table_code)
    try:
        return parse_genesis_text(text, file), sheet, offset
    except RawInputError as exc:
        raise place_problems(exc, sheet, offset) from None


def place_rows(frame, sheet: Sheet, offset: int, columns) -> None:
    """Rewrite a built frame's source_line/source_column (the text's) as the sheet's row and '<sheet>!<cell>'."""
    frame["source_line"] = frame["source_line"] - offset
    frame["source_column"] = [f"{sheet.name}!{column_letters(j)}{line}" for j, line in zip(columns, frame["source_line"], strict=True)]


def place_problems(exc: RawInputError, sheet: Sheet, offset: int) -> RawInputError:
    return RawInputError([_place(p, sheet, offset) for p in exc.problems])
