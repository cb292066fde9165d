"""The Destatis Gemeindeverzeichnis (GV-ISys) district table as published in XLSX (the years before the CSV:
31.12.2018, 2019, 2021): a cover sheet 'Deckblatt' and the table in the sheet 'Kreisfreie Städte u. Landkreise',
laid out row for row as the CSV (``gvisys_csv``): title, 'Gebietsstand', two header rows, the column numbering,
the Länder with their districts and totals, 'Quelle:' and the footnotes.

What a spreadsheet does differently: numbers are numbers (the CSV writes '1 234,56'), the numbering row mixes
numbers and text, a header cell may hold a line break ('Fläche \\nin km2'), and the population header of these
years names no census ('Bevölkerung2)'; the CSV of 2023 says 'Bevölkerung auf Grundlage ZENSUS2011'). The sheet is
turned into the CSV's text, one line per row, and read by the CSV reader, so the layout's checks are the CSV's;
every problem and every row names the sheet and the cell.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from pipeline.domain.errors import RawInputError
from pipeline.domain.symbols import SYMBOLS
from pipeline.ingest.genesis_xlsx import place_problems
from pipeline.ingest.gvisys_csv import GvIsysTable, parse_gvisys_text
from pipeline.ingest.xlsx import Sheet, open_sheet, text_of

SHEET = "Kreisfreie Städte u. Landkreise"
VALUE_COLUMNS = range(4, 9)  # E..I: area, population total, male, female, density
_DISTRICT = re.compile(r"^\d{5}$")


def _number_text(value: float) -> str:
    """587010.0 -> '587 010', 280.71 -> '280,71': a number as the CSV writes it."""
    whole, _, fraction = repr(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = " ".join(digits[max(0, k - 3) : k] for k in range(len(digits), 0, -3)[::-1])
    return sign + grouped + ("," + fraction if fraction and fraction != "0" else "")


def _value_row(sheet: Sheet, i: int) -> bool:
    return bool(_DISTRICT.match(sheet.text(i, 0))) or sheet.text(i, 2) == "Insgesamt"


def sheet_as_text(sheet: Sheet) -> str:
    """The sheet as the CSV's text; a value cell that is neither a number nor a special symbol is refused here,
    with its cell, since the CSV reader would describe it in the CSV's number format."""
    problems = []
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for i, row in enumerate(sheet.rows):
        cells = []
        for j, value in enumerate(row):
            if isinstance(value, float) and math.isfinite(value) and (j in VALUE_COLUMNS and _value_row(sheet, i)):
                cells.append(_number_text(value))
                continue
            text = " ".join(text_of(value).split())
            if j in VALUE_COLUMNS and _value_row(sheet, i) and text not in SYMBOLS:
                what = "an empty cell" if text == "" else f"'{text}'"
                detail = f"{what} where a number or one of the special symbols {', '.join(repr(s) for s in SYMBOLS)} is expected"
                problems.append(sheet.problem("value or special symbol", detail, i, j))
            cells.append(text)
        writer.writerow(cells)
    if problems:
        raise RawInputError(problems)
    return out.getvalue()


def read_gvisys_sheet(path: Path, file: str, sheet_name: str = SHEET) -> tuple[GvIsysTable, Sheet]:
    """The table in the sheet, read as the CSV; problems name the sheet and the cell (row n of the sheet is line n
    of the text)."""
    sheet = open_sheet(path, file, sheet_name)
    text = sheet_as_text(sheet)
    try:
        return parse_gvisys_text(text, file), sheet
    except RawInputError as exc:
        raise place_problems(exc, sheet, 0) from None
