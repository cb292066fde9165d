"""Reader for the Destatis Gemeindeverzeichnis (GV-ISys) district table "Kreisfreie Städte und Landkreise nach
Fläche, Bevölkerung und Bevölkerungsdichte", saved from its spreadsheet as CSV.

Layout: a title line; "Gebietsstand: 31.12.2023"; two header rows (the area header spans two lines inside quotes)
and a row numbering the columns 1..9; then per Land a heading row ("05;Nordrhein-Westfalen"), optional regional
headings ("053;Regierungsbezirk Köln"), one row per district (key; type; name; NUTS3; area; population total, male,
female; density) and a closing "Insgesamt" row for the Land; a final "Deutschland; Insgesamt" row; a footer that
starts with "Quelle:", then the numbered footnotes the header refers to ("2) Die Ergebnisse ab Berichtsjahr 2016 ...").
Numbers are right-aligned with spaces, thousands separated by a space, decimal comma.

The same table as published in XLSX (earlier years) is turned into this text by ``gvisys_xlsx`` and read here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.symbols import SYMBOLS, CellError, parse_cell
from pipeline.ingest.text import read_text

_STAND = re.compile(r"^Gebietsstand:\s*(\d{2})\.(\d{2})\.(\d{4})")
_NUMBER = re.compile(r"^-?\d{1,3}(?: \d{3})*(?:,\d+)?$")
MEASURES = ("area", "population", "male", "female", "density")  # columns 5..9
_KEY = re.compile(r"^\d{2,4}$")  # Land, Regierungsbezirk, Region headings
_DISTRICT = re.compile(r"^\d{5}$")


@dataclass
class GvIsysTable:
    file: str
    title: str
    reference_date: dt.date
    header: list[str]  # label per column 1..9, header rows joined
    frame: pd.DataFrame  # line, column, ags, region_name, region_type, nuts3, measure, value, status


def _number(cell: str) -> tuple[float, str]:
    text = cell.strip()
    if text in SYMBOLS:
        return parse_cell(text)
    if not _NUMBER.match(text):
        raise CellError("number format", f"'{text}' is not a number written as '1 234,56' (space thousands, decimal comma)")
    return float(text.replace(" ", "").replace(",", ".")), ""


_FOOTNOTE = re.compile(r"^(\d+)\)\s")
_MARK = re.compile(r"(\d)\)$")  # a footnote mark (one digit: "ZENSUS20112)" is 2011 and 2)) at the end of a header label


def read_gvisys_csv(path: Path, encoding: str, file: str) -> GvIsysTable:
    return parse_gvisys_text(read_text(path, encoding, file), file)


def parse_gvisys_text(text: str, file: str) -> GvIsysTable:
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        rows.append((start, cells))
        start = reader.line_num + 1
    if len(rows) < 2:
        raise RawInputError.single(file, "title lines", "too short for a GV-ISys table", line=1)
    title = rows[0][1][0].strip() if rows[0][1] else ""
    m = _STAND.match(rows[1][1][0].strip() if rows[1][1] else "")
    if not m:
        raise RawInputError.single(file, "reference date line", "line 2 should read 'Gebietsstand: dd.mm.yyyy'", line=rows[1][0])
    reference_date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    numbering = next(
        (i for i, (_, c) in enumerate(rows) if [x.strip() for x in c[:9]] == [str(k) for k in range(1, 10)]), None
    )
    head_start = next((i for i, (_, c) in enumerate(rows) if c and c[0].strip().startswith("Schlüssel")), None)
    if numbering is None or head_start is None or head_start >= numbering:
        raise RawInputError.single(
            file, "header rows present", "the header ('Schlüssel-nummer' ... and the row numbering columns 1-9) is missing", line=3
        )
    header = []
    for j in range(9):
        parts = [" ".join(c[j].split()) for _, c in rows[head_start:numbering] if len(c) > j and c[j].strip()]
        header.append(" / ".join(parts))
    footer = next((i for i, (_, c) in enumerate(rows) if i > numbering and c and c[0].strip().startswith("Quelle:")), None)
    if footer is None:
        raise RawInputError.single(
            file, "footer present", "no footer line starting with 'Quelle:': the file is truncated", line=rows[-1][0]
        )
    problems: list[InputProblem] = []
    notes = {m.group(1) for _, c in rows[footer + 1 :] if c and (m := _FOOTNOTE.match(c[0].strip()))}
    for j, label in enumerate(header):
        m = _MARK.search(label.split(" / ")[0])
        if m and m.group(1) not in notes:
            detail = f"header '{label}' refers to footnote {m.group(1)}), which is not below the table (cut off?)"
            problems.append(InputProblem(file, "footnotes present", detail, rows[footer][0], f"{j + 1} ({label})"))
    records = []
    land, land_name = None, None
    for line, cells in rows[numbering + 1 : footer]:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) < 9:
            problems.append(
                InputProblem(
                    file,
                    "row width matches header",
                    f"row has {len(cells)} fields, expected at least 9",
                    line,
                    f"{len(cells) + 1} (missing)",
                )
            )
            continue
        key, c2, c3, nuts = cells[0], cells[1], cells[2], cells[3]
        values = cells[4:9]
        if _KEY.match(key) and c2 and not any(values):
            if len(key) == 2:
                land, land_name = key, c2
            continue  # a heading row (Land, region): its total follows as "Insgesamt"
        if _DISTRICT.match(key):
            ags, name, rtype = key, c3, c2
        elif key == "" and c3 == "Insgesamt" and c2 == "Deutschland":
            ags, name, rtype, nuts = "DG", "Deutschland", "Staat", ""
        elif key == "" and c3 == "Insgesamt" and land is not None:
            ags, name, rtype, nuts = land, land_name, "Land", ""
        else:
            problems.append(
                InputProblem(file, "known row kinds", f"row is neither a heading, a district, nor a total: {';'.join(cells[:4])}", line)
            )
            continue
        if land is not None and ags not in ("DG", land) and not ags.startswith(land):
            problems.append(InputProblem(file, "district inside its Land", f"district {ags} listed under Land {land}", line))
        for k, (measure, cell) in enumerate(zip(MEASURES, values, strict=False)):
            try:
                value, status = _number(cell)
            except CellError as exc:
                problems.append(InputProblem(file, exc.rule, exc.detail, line, f"{k + 5} ({header[k + 4]})"))
                continue
            records.append((line, k + 5, ags, name, rtype, nuts, measure, value, status))
    if problems:
        raise RawInputError(problems)
    frame = pd.DataFrame.from_records(
        records, columns=["line", "column", "ags", "region_name", "region_type", "nuts3", "measure", "value", "status"]
    )
    return GvIsysTable(file=file, title=title, reference_date=reference_date, header=header, frame=frame)
