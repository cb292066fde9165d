"""The GENESIS layout language: how a table's label columns and stacked header rows map to named columns
(``GenesisLayout`` of ``Level`` s, each label looked up in a closed vocabulary), and the dates a table states."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.domain.codebook import age_group
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.labels import census_years
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.genesis_csv import GenesisTable

SOURCE_COLUMNS = ["source_id", "source_line", "source_column"]


_DMY = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


_YEAR = re.compile(r"^(\d{4})$")


def parse_reference_date(text: str, allow_year: bool = False) -> dt.date:
    """'31.12.2024' and '2024-12-31' (both GENESIS styles); '2024' for annual tables, read as 31 December."""
    t = text.strip()
    try:
        if m := _DMY.match(t):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO.match(t):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if allow_year and (m := _YEAR.match(t)):
            return dt.date(int(m.group(1)), 12, 31)
    except ValueError:
        pass
    raise ValueError(t)


Mapper = dict[str, Any] | Callable[[str], Any] | None


@dataclass(frozen=True)
class Level:
    """One label column or one header row of a GENESIS table.

    ``name``: the output column (or, for a mapper returning a tuple, the columns in ``names``); None = not kept.
    ``mapper``: dict (closed vocabulary), callable (raises KeyError for unknown labels) or None (keep, stripped).
    ``expect``: for header rows that carry no dimension, the labels allowed there (e.g. the unit 'Anzahl').
    """

    name: str | None = None
    mapper: Mapper = None
    names: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()
    role: str = ""  # 'date', 'date_year', 'census', 'date_header' (one date above all columns), 'date_column' (one each)


def label(name: str, mapper: Mapper = None, names: tuple[str, ...] = ()) -> Level:
    return Level(name=name, mapper=mapper, names=names)


DATE = Level(name="reference_date", role="date")


DATE_COLUMNS = Level(name="reference_date", role="date_column")  # each value column's header is its reference date


DATE_YEAR = Level(name="reference_date", role="date_year")


AGS = Level(name="ags")


REGION = Level(name="region_name")


AGE = Level(name="age_group", mapper=age_group, names=("age_group", "age_from", "age_to"))


COUNT = Level(expect=("Anzahl",))


def fixed(*allowed: str) -> Level:
    return Level(expect=allowed)


def census_header(prefix: str) -> Level:
    """A header row naming the measure and its census basis, e.g. 'Bevölkerungsstand (Basis Zensus 2022 und früher)'."""
    return Level(role="census", expect=(prefix,))


@dataclass(frozen=True)
class GenesisLayout:
    labels: tuple[Level, ...]
    headers: tuple[Level, ...]
    unit: str | None = "persons"  # None: a header row named 'unit' gives each column's unit
    flags: bool = False  # every value is followed by its quality flag (kept in the column 'quality')
    census_from_notes: bool = False  # the census basis changes over the years, as the table's notes say ("Ab 2011: ...")
    # the date is a title line: 'Jahr: 2021' (an annual sum; the reference date is its 31.12.) or 'Stichtag: 31.12.2020'
    date_in_title: bool = False


def _map_one(level: Level, text: str) -> Any:
    if level.mapper is None:
        return text
    if isinstance(level.mapper, dict):
        return level.mapper[text]
    return level.mapper(text)


def genesis_frame(entry: SourceEntry, t: GenesisTable, layout: GenesisLayout) -> pd.DataFrame:
    """Map a parsed GENESIS table to named columns, checking every label against the layout."""
    problems: list[InputProblem] = []
    if t.table_code != entry.table_code:
        problems.append(
            t.problem("table code matches manifest", f"the file is table {t.table_code}, the manifest lists it as {entry.table_code}", 1)
        )
    if t.published.isoformat() != entry.published:
        problems.append(
            t.problem(
                "publication date matches manifest", f"the footer says Stand {t.published:%d.%m.%Y}, the manifest records {entry.published}"
            )
        )
    if t.label_count != len(layout.labels):
        problems.append(
            t.problem(
                "label columns as expected",
                f"{t.label_count} label column(s) before the values, expected {len(layout.labels)}: a column was added, removed or shifted",
                t.header_lines[-1],
            )
        )
    if len(t.header_rows) != len(layout.headers):
        problems.append(
            t.problem("header rows as expected", f"{len(t.header_rows)} header row(s), expected {len(layout.headers)}", t.header_lines[0])
        )
    if problems:
        raise RawInputError(problems)

    # Any header or title that names a census basis must name the manifest's.
    basis = census_years(entry.census_basis)
    for text, line in [
        *((c, ln) for row, ln in zip(t.header_rows, t.header_lines, strict=False) for c in dict.fromkeys(row)),
        *((x, None) for x in t.title),
    ]:
        years = census_years(text)
        if years and years != basis:
            problems.append(
                t.problem(
                    "census basis matches manifest",
                    f"'{text.strip()}' names census {', '.join(sorted(years))}; the manifest says '{entry.census_basis or 'none'}'",
                    line,
                )
            )
            break
    if problems:
        raise RawInputError(problems)

    cells = t.cells(flagged=layout.flags)
    out = pd.DataFrame({"source_id": entry.id, "source_line": cells["line"].astype("int64")})
    col_names = {j: t.column_name(j) for j in cells["column"].unique()}
    out["source_column"] = cells["column"].map(col_names)
    header_date: dt.date | None = None

    # Header rows: each value column's label at each level.
    for k, level in enumerate(layout.headers):
        col = cells[f"header_{k}"]
        uniques = {}
        for j in t.value_columns(layout.flags):
            uniques.setdefault(t.header_path(j)[k], j)
        mapped: dict[str, Any] = {}
        for text, j in uniques.items():
            where = dict(line=t.header_lines[k], column=j)
            if level.role == "census":
                if not text.startswith(level.expect[0]):
                    problems.append(t.problem("header labels known", f"header '{text}' where '{level.expect[0]} ...' is expected", **where))
                continue
            if level.role in ("date_header", "date_column"):
                try:
                    day = parse_reference_date(text)
                except ValueError:
                    problems.append(t.problem("reference date format", f"'{text}' is not a date (dd.mm.yyyy or yyyy-mm-dd)", **where))
                    continue
                if level.role == "date_header":
                    header_date = day
                else:
                    mapped[text] = day
                continue
            if level.expect:
                if text not in level.expect:
                    problems.append(
                        t.problem(
                            "header labels known",
                            f"header '{text}' where {' or '.join(repr(e) for e in level.expect)} is expected",
                            **where,
                        )
                    )
                continue
            try:
                mapped[text] = _map_one(level, text)
            except KeyError:
                problems.append(
                    t.problem(
                        "header labels known",
                        f"header label '{text}' is not one this table is known to use (renamed by the publisher?)",
                        **where,
                    )
                )
        if level.name and not problems:
            _assign(out, level, col.map(mapped))

    # Label columns: dates, codes, names and row dimensions.
    for i, level in enumerate(layout.labels):
        col = cells[f"label_{i}"]
        if level.role in ("date", "date_year"):
            dates: dict[str, dt.date] = {}
            for text in col.unique():
                first_line = int(cells.loc[col == text, "line"].iloc[0])
                try:
                    dates[text] = parse_reference_date(text, allow_year=level.role == "date_year")
                except ValueError:
                    problems.append(t.problem("reference date format", f"'{text}' is not a date (dd.mm.yyyy or yyyy-mm-dd)", first_line, i))
            if not problems:
                out["reference_date"] = col.map(dates)
            continue
        if level.name is None:
            continue
        if level.mapper is None:
            out[level.name] = col.values
            continue
        mapped = {}
        for text in col.unique():
            try:
                mapped[text] = _map_one(level, text)
            except KeyError:
                first_line = int(cells.loc[col == text, "line"].iloc[0])
                problems.append(t.problem("row labels known", f"label '{text}' is not one this table is known to use", first_line, i))
        if not problems:
            _assign(out, level, col.map(mapped))
    if header_date is not None:
        out["reference_date"] = header_date
    if layout.date_in_title:
        date = next((d for x in t.title if (d := _title_date(x.strip()))), None)
        if date is None:
            detail = "no title line 'Jahr: <year>' or 'Stichtag: dd.mm.yyyy' names the table's date"
            problems.append(t.problem("reference date in title", detail, 2))
        else:
            out["reference_date"] = date
    if problems:
        raise RawInputError(problems)
    check_reference_dates(entry, out)
    if layout.census_from_notes:
        out["census_basis"] = census_by_year(entry, t, out["reference_date"])
    if layout.unit:
        out["unit"] = layout.unit
    out["value"] = cells["value"].astype("float64")
    out["status"] = cells["status"].values
    if layout.flags:
        out["quality"] = cells["quality"].values
    return out


def _title_date(line: str) -> dt.date | None:
    if m := re.match(r"^Jahr:\s*(\d{4})$", line):
        return dt.date(int(m.group(1)), 12, 31)
    if m := re.match(r"^Stichtag:\s*(\d{2})\.(\d{2})\.(\d{4})$", line):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


_FROM_CENSUS = re.compile(r"Ab (\d{4}): [^\n]*?Zensus (\d{4})")


def census_by_year(entry: SourceEntry, t: GenesisTable, dates: pd.Series) -> list[str]:
    """The census basis of each row, from the table's notes ('Ab 2011: Ergebnisse auf Grundlage des Zensus 2011.');
    rows before the first census named are on an earlier basis. The censuses named must be the manifest's."""
    steps = sorted((int(y), f"Zensus {c}") for y, c in _FROM_CENSUS.findall(t.notes))
    named = {c.split()[-1] for _, c in steps}
    if not steps or named != census_years(entry.census_basis):
        raise RawInputError.single(
            entry.display_name, "census basis matches manifest",
            f"the table's notes name census {', '.join(sorted(named)) or 'none'} ('Ab <year>: ... Zensus <year>'); "
            f"the manifest says '{entry.census_basis or 'none'}'",
        )
    earlier = f"before {steps[0][1]}"
    return [next((basis for year, basis in reversed(steps) if d.year >= year), earlier) for d in dates]


def _assign(out: pd.DataFrame, level: Level, series: pd.Series) -> None:
    if level.names:
        parts = list(zip(*series.tolist(), strict=True)) if len(series) else [[] for _ in level.names]
        for name, values in zip(level.names, parts, strict=True):
            out[name] = list(values)
    else:
        out[level.name] = series.values


def check_reference_dates(entry: SourceEntry, frame: pd.DataFrame) -> None:
    """Every row is dated the manifest's reference date, or, for a file covering a period (``period_start``), within
    the period, its newest rows on the reference date."""
    dates = frame["reference_date"]
    if entry.period_start is not None:
        wrong = frame.loc[(dates < entry.period_start) | (dates > entry.reference_date)]
        expected = f"the manifest gives the period {entry.period_start} to {entry.reference_date}"
        if wrong.empty and dates.max() != entry.reference_date:
            raise RawInputError.single(entry.display_name, "reference date matches manifest",
                                       f"the newest row is dated {dates.max()}; {expected}", column="reference_date")
    else:
        wrong = frame.loc[dates != entry.reference_date]
        expected = f"the manifest gives the reference date {entry.reference_date}"
    if len(wrong):
        first = wrong.iloc[0]
        raise RawInputError.single(
            entry.display_name,
            "reference date matches manifest",
            f"{len(wrong)} row(s) dated {first['reference_date']} but {expected} (wrong year, or a file of another edition?)",
            line=int(first["source_line"]) if pd.notna(first["source_line"]) else None,
            column="reference_date",
        )


UNIT_LABELS = {"Anzahl": "persons", "qkm": "km2", "EW pro qkm": "persons per km2", "Prozent": "percent"}
