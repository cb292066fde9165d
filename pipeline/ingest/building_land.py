"""Regionaldatenbank 61511-01-03-4 exported as XLSX: building-land sales (Statistik der Kaufwerte für Bauland), one
sheet named after the table, several years one below the other.

    A1    the title (three lines in one cell); A2 the statistic
    A3    the row labels' names in one cell, one per line ('Jahr', 'Kreise und kreisfreie Städte', the four measures);
          D3 'Einheit', E3 'Baulandverkäufe' over E4 'Insgesamt' and F4 'baureifes Land'
    A5    a year alone in its row ('2021'); below it, per region four rows: code and name in the first, then
          measure, unit and the two values (the code and name left empty in the other three)
    ...   the next year's heading, its regions ...
    ______ the footer marker, the notes, the copyright, '... | Stand: 10.11.2023 / 12:12:10' in the last cell

This layout differs from the 12711-04-02-4 export (the year as a heading row, the measure and its unit as row
labels) too much to pass for the classic CSV, so it is read here, cell by cell, with the same checks: sheet, title,
header labels, a known measure with its unit in each row, a number or special symbol in each value cell, the footer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.ingest.xlsx import Sheet, check_title, open_sheet, value_of

HEADER_LINES = [
    "Jahr",
    "Kreise und kreisfreie Städte",
    "Veräußerungsfälle von Bauland",
    "Veräußerte Baulandfläche",
    "Kaufsumme",
    "Durchschnittlicher Kaufwert je qm",
]
MEASURES = {  # row label -> (measure, the unit the label must carry, our unit)
    "Veräußerungsfälle von Bauland": ("sales", "Anzahl", "cases"),
    "Veräußerte Baulandfläche": ("area_sold", "1000 qm", "1000 m2"),
    "Kaufsumme": ("purchase_sum", "Tsd. EUR", "1000 EUR"),
    "Durchschnittlicher Kaufwert je qm": ("average_price", "EUR", "EUR per m2"),
}
LAND_TYPES = {4: "total", 5: "ready_for_building"}  # columns E, F
_CODE = re.compile(r"^(DG|\d{2,3}|\d{5}|\d{8})$")  # Germany, Land, Regierungsbezirk, district, municipality
_YEAR = re.compile(r"^(\d{4})$")
_MARKER = re.compile(r"^_{5,}\s*$")
_STAND = re.compile(r"Stand:\s*(\d{2})\.(\d{2})\.(\d{4})")


@dataclass
class BuildingLandSheet:
    sheet: Sheet
    published: dt.date
    notes: str
    frame: pd.DataFrame  # row, col, year, ags, region_name, measure, land_type, unit, value, status


def _check_header(sheet: Sheet) -> list[InputProblem]:
    problems = []
    lines = [" ".join(x.split()) for x in str(sheet.rows[2][0] if len(sheet.rows) > 2 and sheet.rows[2] else "").split("\n")]
    if [x for x in lines if x] != HEADER_LINES:
        detail = f"the row labels' names read {' / '.join(x for x in lines if x)!r} where {' / '.join(HEADER_LINES)!r} is expected"
        problems.append(sheet.problem("header labels known", detail, 2, 0))
    for row, col, want in ((2, 3, "Einheit"), (2, 4, "Baulandverkäufe"), (3, 4, "Insgesamt"), (3, 5, "baureifes Land")):
        got = sheet.text(row, col)
        if got != want:
            problems.append(sheet.problem("header labels known", f"header '{got}' where '{want}' is expected", row, col))
    return problems


def read_building_land_sheet(path: Path, file: str, table_code: str) -> BuildingLandSheet:
    sheet = open_sheet(path, file, table_code)
    check_title(sheet, 0, r"^Veräußerungsfälle, veräußerte Fläche, Kaufsumme, durchschnittlicher Kaufwert nach Baulandarten",
                "the title of table 61511-01-03-4 (building-land sales by type of building land)")
    if sheet.text(1, 0) != "Statistik der Kaufwerte für Bauland":
        raise sheet.refuse("title names the table", f"'{sheet.text(1, 0)}' where 'Statistik der Kaufwerte für Bauland' is expected", 1, 0)
    problems = _check_header(sheet)
    marker = sheet.find_row(lambda i: bool(_MARKER.match(sheet.text(i, 0))), 4)
    if marker is None:
        raise sheet.refuse("footer present", "the sheet has no footer marker '______' (cut off?)")
    stand = next((m for i in range(len(sheet.rows) - 1, marker, -1) if (m := _STAND.search(sheet.text(i, 0)))), None)
    if stand is None:
        raise sheet.refuse("footer present", "the footer has no 'Stand: dd.mm.yyyy' line (cut off?)", len(sheet.rows) - 1, 0)
    published = dt.date(int(stand.group(3)), int(stand.group(2)), int(stand.group(1)))
    notes = "\n".join(sheet.text(i, 0) for i in range(marker + 1, len(sheet.rows)))
    records = []
    year = ags = name = None
    for i in range(4, marker):
        first, measure_label = sheet.text(i, 0), sheet.text(i, 2)
        if not any(sheet.text(i, j) for j in range(6)):
            continue
        if _YEAR.match(first) and not any(sheet.text(i, j) for j in range(1, 6)):
            year, ags, name = int(first), None, None
            continue
        if first:
            if not _CODE.match(first):
                problems.append(sheet.problem("known row kinds", f"'{first}' is neither a year heading nor a region code", i, 0))
                continue
            ags, name = first, sheet.text(i, 1)
        if year is None or ags is None:
            problems.append(sheet.problem("known row kinds", "a value row before its year heading or its region", i, 0))
            continue
        if measure_label not in MEASURES:
            problems.append(sheet.problem("row labels known", f"measure '{measure_label}' is not one this table is known to use", i, 2))
            continue
        measure, unit_label, unit = MEASURES[measure_label]
        if sheet.text(i, 3) != unit_label:
            detail = f"unit '{sheet.text(i, 3)}' where '{unit_label}' belongs to '{measure_label}'"
            problems.append(sheet.problem("units known", detail, i, 3))
            continue
        for col, land_type in LAND_TYPES.items():
            try:
                value, status = value_of(sheet, i, col)
            except RawInputError as exc:
                problems.extend(exc.problems)
                continue
            records.append((i + 1, col, year, ags, name, measure, land_type, unit, value, status))
    if problems:
        raise RawInputError(problems)
    if not records:
        raise sheet.refuse("data rows present", "no region rows before the footer")
    frame = pd.DataFrame.from_records(
        records, columns=["row", "col", "year", "ags", "region_name", "measure", "land_type", "unit", "value", "status"]
    )
    return BuildingLandSheet(sheet, published, notes, frame)
