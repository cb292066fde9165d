"""The Destatis Statistischer Bericht "Wanderungen" (EVAS 12711) as published, an XLSX workbook.

Each table comes twice: a layout sheet ('12711-02') with title, footnote markers and footnotes, and a long-form sheet
('csv-12711-02') with one header row and one row per combination, without footnotes. The values are read from the
long-form sheet; the layout sheet is read for what only it says: the title (which table, which years) and each year's
footnotes, which are kept beside the values. Both sheets are checked: present under their names, header labels in
their columns, the layout table closed by its footer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.domain.codebook import NATIONALITY
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.xlsx import Sheet, check_header, check_title, footnote_markers, footnotes, open_sheet, text_of, value_of

NATIONALITIES = NATIONALITY.mapper()
TERRITORIES = {"Früheres Bundesgebiet": "former_territory", "Deutschland insgesamt": "germany"}
UNIFIED_FROM = 1991  # the table's Germany in its borders since 3 October 1990, from the year 1991

GERMANY_HEADER = ["Statistik_Code", "Statistik_Label", "Gebiet", "Nationalitaet", "Jahr",
                  "Zuzuege_aus_dem_Ausland", "Fortzuege_in_das_Ausland", "Wanderungssaldo_Ausland"]
GERMANY_LAYOUT_HEADER = ["Jahr", "Zuzüge Insgesamt", "Zuzüge von Deutschen", "Zuzüge von Nichtdeutschen", "Fortzüge Insgesamt",
                         "Fortzüge von Deutschen", "Fortzüge von Nichtdeutschen", "Salso Insgesamt", "Saldo von Deutschen",
                         "Saldo von Nichtdeutschen"]  # 'Salso' as the publisher prints it
GERMANY_FLOWS = {5: "arrivals", 6: "departures", 7: "net_migration"}

DISTRICT_HEADER = ["Statistik_Code", "Statistik_Label", "Gebiet_Code", "Gebiet_Text", "Jahr", "innerhalb_Landkreis",
                   "Zuzug_ueber_Kreisgrenze", "Fortzug_ueber_Kreisgrenze", "Saldo_ueber_Kreisgrenze", "Zuzug_innerhalb_Land",
                   "Fortzug_innerhalb_Land", "Saldo_innerhalb_Land", "Zuzuege_aus_einem_anderen_Bundesland",
                   "Fortzuege_in_ein_anderes_Bundesland", "Wanderungssaldo_Bundeslaender", "Zuzuege_aus_dem_Ausland",
                   "Fortzuege_in_das_Ausland", "Wanderungssaldo_Ausland"]
# column -> (scope, flow); 'within_district' counts moves between the municipalities of a Landkreis (no direction)
DISTRICT_COLUMNS = {
    5: ("within_district", "moves"),
    6: ("across_district_borders", "arrivals"),
    7: ("across_district_borders", "departures"),
    8: ("across_district_borders", "net_migration"),
    9: ("within_land", "arrivals"), 10: ("within_land", "departures"), 11: ("within_land", "net_migration"),
    12: ("other_laender", "arrivals"), 13: ("other_laender", "departures"), 14: ("other_laender", "net_migration"),
    15: ("abroad", "arrivals"), 16: ("abroad", "departures"), 17: ("abroad", "net_migration"),
}


def _sheets(entry: SourceEntry, path: Path) -> tuple[Sheet, Sheet]:
    name = str(entry.extra.get("sheet") or "")
    if not name.startswith("csv-"):
        detail = "a Statistischer Bericht entry needs 'sheet: csv-<table>' in the manifest"
        raise RawInputError.single(entry.display_name, "manifest sheet", detail)
    return open_sheet(path, entry.display_name, name.removeprefix("csv-")), open_sheet(path, entry.display_name, name)


def _year(sheet: Sheet, row: int, col: int) -> int:
    text = text_of(sheet.rows[row][col]).strip() if col < len(sheet.rows[row]) else ""
    if not text.isdigit() or len(text) != 4:
        raise sheet.refuse("year format", f"'{text}' is not a 4-digit year", row, col)
    return int(text)


def _check_period(entry: SourceEntry, first: int, last: int, sheet: Sheet, row: int, col: int) -> None:
    want_first = entry.period_start.year if entry.period_start else entry.reference_date.year
    if (first, last) != (want_first, entry.reference_date.year):
        detail = f"the table covers {first}-{last} but the manifest gives {want_first}-{entry.reference_date.year}"
        raise sheet.refuse("reference date matches manifest", detail, row, col)


def germany_since_1950(entry: SourceEntry, path: Path) -> pd.DataFrame:
    """12711-02: arrivals from abroad, departures abroad and net migration of Germany (before 1991 of the former
    territory), in all and for Germans and non-Germans, every year; each year's footnotes kept."""
    layout, long = _sheets(entry, path)
    title = check_title(layout, 1, r"^12711-02: Wanderungen über die Grenzen Deutschlands nach Nationalität (\d{4}) bis (\d{4})",
                        "'12711-02: Wanderungen über die Grenzen Deutschlands nach Nationalität <from> bis <to>'")
    _check_period(entry, int(title.group(1)), int(title.group(2)), layout, 1, 0)
    problems = check_header(layout, 2, GERMANY_LAYOUT_HEADER) + check_header(long, 0, GERMANY_HEADER)
    if problems:
        raise RawInputError(problems)
    notes = footnotes(layout, 3)
    year_notes: dict[int, str] = {}
    for i in range(3, len(layout.rows)):
        label, marks = footnote_markers(layout.text(i, 0))
        if label.isdigit() and len(label) == 4:
            unknown = [m for m in marks if m not in notes]
            if unknown:
                detail = f"the year {label} points to footnote {unknown[0]}, which the table does not have"
                raise layout.refuse("footnotes present", detail, i, 0)
            year_notes[int(label)] = " ".join(f"({m}) {notes[m]}" for m in marks)
    records = []
    for i in range(1, len(long.rows)):
        if not any(text_of(c).strip() for c in long.rows[i]):
            continue
        if text_of(long.rows[i][0]) != "12711":
            raise long.refuse("statistics code", f"'{text_of(long.rows[i][0])}' where the statistics code 12711 is expected", i, 0)
        territory, nationality = long.text(i, 2), long.text(i, 3)
        if territory not in TERRITORIES:
            raise long.refuse("category codes known", f"territory '{territory}' is not one this table is known to use", i, 2)
        if nationality not in NATIONALITIES:
            raise long.refuse("category codes known", f"nationality '{nationality}' is not one this table is known to use", i, 3)
        year = _year(long, i, 4)
        for col, flow in GERMANY_FLOWS.items():
            value, status = value_of(long, i, col)
            records.append({
                "source_id": entry.id, "source_line": i + 1, "source_column": long.ref(i, col),
                "reference_date": dt.date(year, 12, 31), "period_start": dt.date(year, 1, 1),
                "ags": "DG", "region_name": territory, "territory": TERRITORIES[territory],
                "flow": flow, "nationality": NATIONALITIES[nationality], "unit": "persons",
                "value": value, "status": status, "footnotes": year_notes.get(year, ""),
            })
    if not records:
        raise long.refuse("rows present", "the sheet has a header but no rows")
    frame = pd.DataFrame.from_records(records)
    frame["source_line"] = frame["source_line"].astype("Int64")
    years = frame["reference_date"].map(lambda d: d.year)
    _check_period(entry, int(years.min()), int(years.max()), long, 1, 4)
    return frame


def district_migration(entry: SourceEntry, path: Path) -> pd.DataFrame:
    """12711-13: moves across the borders of every district in the year, by where they came from or went to."""
    layout, long = _sheets(entry, path)
    title = check_title(layout, 1, r"^12711-13: Wanderungen nach kreisfreien Städten und Landkreisen und Reichweite der Wanderung (\d{4})$",
                        "'12711-13: Wanderungen nach kreisfreien Städten und Landkreisen und Reichweite der Wanderung <year>'")
    _check_period(entry, int(title.group(1)), int(title.group(1)), layout, 1, 0)
    problems = check_header(long, 0, DISTRICT_HEADER)
    if problems:
        raise RawInputError(problems)
    footnotes(layout, 3)
    # a code the publisher misprints is corrected only where the manifest says so, with its reason
    corrections = {str(k): str(v) for k, v in (entry.extra.get("region_code_corrections") or {}).items()}
    records = []
    for i in range(1, len(long.rows)):
        if not any(text_of(c).strip() for c in long.rows[i]):
            continue
        code = text_of(long.rows[i][2]).strip()
        code = corrections.get(code, code)
        if code.endswith(("KS", "LK")):
            continue  # the sums over a Land's (or Germany's) kreisfreie Städte and Landkreise: groups, not regions
        ags = "DG" if code == "99" else code
        if not (ags == "DG" or (code.isdigit() and len(code) in (2, 3, 5))):
            detail = f"'{code}' is neither a district (5 digits), a Regierungsbezirk (3), a Land (2) nor Germany (99)"
            raise long.refuse("region codes known", detail, i, 2)
        year = _year(long, i, 4)
        if year != entry.reference_date.year:
            detail = f"the year {year} where the manifest gives {entry.reference_date.year}"
            raise long.refuse("reference date matches manifest", detail, i, 4)
        for col, (scope, flow) in DISTRICT_COLUMNS.items():
            value, status = value_of(long, i, col)
            records.append({
                "source_id": entry.id, "source_line": i + 1, "source_column": long.ref(i, col),
                "reference_date": dt.date(year, 12, 31), "period_start": dt.date(year, 1, 1),
                "ags": ags, "region_name": long.text(i, 3), "scope": scope, "flow": flow, "unit": "persons",
                "value": value, "status": status,
            })
    if not records:
        raise long.refuse("rows present", "the sheet has a header but no rows")
    frame = pd.DataFrame.from_records(records)
    frame["source_line"] = frame["source_line"].astype("Int64")
    return frame
