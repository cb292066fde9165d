"""What each raw dataset means: how a publisher's label columns and stacked header rows map to our tidy columns.

The readers (genesis_csv, jsonstat, gvisys_csv, tidy_csv) know formats; this module knows tables. Each dataset is
built from every manifest entry that names it (one file per reference year), and every label is looked up in a
closed vocabulary: a renamed header, an unknown category or a date other than the manifest's stops the build with
the file, line, column and rule.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.domain import labels as L
from pipeline.domain.config import City, region_key
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import Manifest, SourceEntry, verify_file
from pipeline.domain.symbols import CellError, parse_cell
from pipeline.ingest import statistischer_bericht as bericht
from pipeline.ingest.building_land import read_building_land_sheet
from pipeline.ingest.genesis_csv import GenesisTable, read_genesis_csv
from pipeline.ingest.genesis_flat import FlatSpec, FlatTable, as_classic, read_flat
from pipeline.ingest.genesis_xlsx import place_problems, place_rows, read_genesis_sheet
from pipeline.ingest.gvisys_csv import read_gvisys_csv
from pipeline.ingest.gvisys_xlsx import SHEET as GVISYS_SHEET
from pipeline.ingest.gvisys_xlsx import read_gvisys_sheet
from pipeline.ingest.jsonstat import read_jsonstat, structure_labels
from pipeline.ingest.tidy_csv import read_tidy_csv
from pipeline.ingest.xlsx import column_letters
from pipeline.validation import models as M

SOURCE_COLUMNS = ["source_id", "source_line", "source_column"]

# --------------------------------------------------------------------------------------------------------------------
# Dates


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


# --------------------------------------------------------------------------------------------------------------------
# GENESIS layouts


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
AGE = Level(name="age_group", mapper=L.age_group, names=("age_group", "age_from", "age_to"))
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
    basis = L.census_years(entry.census_basis)
    for text, line in [
        *((c, ln) for row, ln in zip(t.header_rows, t.header_lines, strict=False) for c in dict.fromkeys(row)),
        *((x, None) for x in t.title),
    ]:
        years = L.census_years(text)
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
    _check_reference_dates(entry, out)
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
    if not steps or named != L.census_years(entry.census_basis):
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


def _check_reference_dates(entry: SourceEntry, frame: pd.DataFrame) -> None:
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


# --------------------------------------------------------------------------------------------------------------------
# Builders, one per dataset


@dataclass
class BuildContext:
    manifest: Manifest
    upstream: dict[str, pd.DataFrame] = field(default_factory=dict)
    # the cities a regional table must list; empty: not checked
    cities: tuple[City, ...] = ()


def check_city_specific(frame: pd.DataFrame, entry: SourceEntry) -> list[InputProblem]:
    """An input about one city names that city in its manifest entry (``city``), and every row with a region code is
    that city's: a profile shows only its own city's facts."""
    if not entry.city:
        return [InputProblem("raw/sources.yaml", "manifest city key", f"entry {entry.id}: {entry.dataset} is about one city; "
                             "its entry must name it in the field 'city' (the city's AGS)", None, "city")]
    if "ags" not in frame.columns:
        return []
    own = {entry.city, region_key(entry.city)}
    other = frame[~frame["ags"].isin(own)]
    if other.empty:
        return []
    row = other.iloc[0]
    line = int(row["source_line"]) if "source_line" in other.columns and pd.notna(row["source_line"]) else None
    return [InputProblem(entry.display_name, "rows of the entry's city only",
                         f"a row for AGS '{row['ags']}' in a file about {entry.city} (manifest field 'city'); "
                         f"{len(other)} such row(s)", line, "ags")]


def check_cities_listed(frame: pd.DataFrame, entry: SourceEntry, cities: tuple[City, ...]) -> list[InputProblem]:
    """A table of regions must list every configured city of a Land it covers under the city's code (a table of one
    Land's districts says nothing of another Land's city). For a city it does not list, say where the city's name
    appears under another code (a recoded or unknown AGS), or that the city is missing altogether."""
    listed = set(frame["ags"].unique())
    lands = {code[:2] for code in listed if isinstance(code, str) and len(code) >= 5 and code[:2].isdigit()}
    problems = []
    for city in cities:
        name, codes = city.name, city.region_codes
        if not listed.isdisjoint(codes) or city.ags[:2] not in lands:
            continue
        named = frame.loc[frame["region_name"].str.strip().str.startswith(name)]
        if len(named):
            row = named.iloc[0]
            problems.append(
                InputProblem(
                    entry.display_name,
                    "profile city listed under its AGS",
                    f"'{row['region_name'].strip()}' is listed under AGS '{row['ags']}', but {name} is {' / '.join(codes)}: "
                    "an unknown or recoded region code",
                    int(row["source_line"]),
                    "ags",
                )
            )
        else:
            problems.append(
                InputProblem(
                    entry.display_name,
                    "profile city listed under its AGS",
                    f"no row for {name} (AGS {' / '.join(codes)}): the table covers other regions, or the city was renamed",
                )
            )
    return problems


@dataclass(frozen=True)
class GenesisBuilder:
    """Reads a GENESIS table in its classic CSV layout, or (with ``flat``) a flat file of the web service of the
    same table, into the same frame: the flat file is pivoted into the classic table first (``as_classic``), so
    one layout, one pandera model and the same rules serve both."""

    layout: GenesisLayout
    post: Callable[[pd.DataFrame, SourceEntry], pd.DataFrame] | None = None
    flat: FlatSpec | None = None

    def __call__(self, ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
        if entry.format == "genesis_ffcsv":
            return self._from_flat(entry, path)
        if entry.format == "xlsx":
            return self._from_sheet(entry, path)
        table = read_genesis_csv(path, entry.encoding, entry.display_name)
        return self._finish(genesis_frame(entry, table, self.layout), entry)

    def _finish(self, frame: pd.DataFrame, entry: SourceEntry) -> pd.DataFrame:
        if entry.census_basis and not self.layout.census_from_notes:
            frame["census_basis"] = entry.census_basis
        return self.post(frame, entry) if self.post else frame

    def _from_flat(self, entry: SourceEntry, path: Path) -> pd.DataFrame:
        if self.flat is None:
            detail = f"dataset {entry.dataset} has no reader for flat files (ffcsv)"
            raise RawInputError.single(entry.display_name, "manifest format", detail)
        t = read_flat(path, entry.display_name, REGION_VARIABLES)
        published = dt.date.fromisoformat(entry.published) if len(entry.published) == 10 else dt.date(int(entry.published), 1, 1)
        table, where = as_classic(t, self.flat, entry.table_code, published)
        names = {table.column_name(j): j for j in range(table.label_count, table.width)}
        try:
            frame = genesis_frame(entry, table, self.layout)
        except RawInputError as exc:  # a place in the pivoted table is a line of the flat file
            raise RawInputError([_flat_place(p, where, names) for p in exc.problems]) from None
        cells = table.cells(flagged=False)
        frame["source_line"] = [where[(line, j)] for line, j in zip(cells["line"], cells["column"], strict=True)]
        frame["source_column"] = "value"
        return self._finish(frame, entry)


    def _from_sheet(self, entry: SourceEntry, path: Path) -> pd.DataFrame:
        table, sheet, offset = read_genesis_sheet(path, entry.display_name, entry.table_code)
        try:
            frame = genesis_frame(entry, table, self.layout)
        except RawInputError as exc:
            raise place_problems(exc, sheet, offset) from None
        columns = table.cells(flagged=self.layout.flags)["column"]
        place_rows(frame, sheet, offset, columns)
        return self._finish(frame, entry)


def _flat_place(p: InputProblem, where: dict[tuple[int, int], int], names: dict[str, int]) -> InputProblem:
    j = names.get(p.column or "")
    if p.line is None or j is None or (p.line, j) not in where:
        return p
    return InputProblem(p.file, p.rule, p.detail, where[(p.line, j)], "value")


def _genesis_builder(layout: GenesisLayout, post: Callable[[pd.DataFrame, SourceEntry], pd.DataFrame] | None = None,
                     flat: FlatSpec | None = None) -> GenesisBuilder:
    return GenesisBuilder(layout, post, flat)


MIGRATION_FLOWS = {"Zuzüge - Wanderungen über die Kreisgrenzen": "arrivals", "Fortzüge - Wanderungen über die Kreisgrenzen": "departures"}

UNITS = {"Anzahl": "persons", "qkm": "km2", "EW pro qkm": "persons per km2", "Prozent": "percent"}

UNEMPLOYMENT_MEASURES = {
    "Arbeitslose": "unemployed",
    "Arbeitslosenquote bez. auf alle zivile Erwerbsp.": "unemployment_rate",
    "Arbeitslosenquote bez. abh. zivile Erwerbspers.": "unemployment_rate_dependent",
}
UNEMPLOYMENT_GROUPS = {
    "": "total",
    "ausländisch": "foreigners",
    "schwerbehindert": "severely_disabled",
    "15 bis unter 20 Jahre": "aged_15_20",
    "15 bis unter 25 Jahre": "aged_15_25",
    "55 bis unter 65 Jahre": "aged_55_65",
    "langzeitarbeitslos": "long_term_unemployed",
    "Männer": "men",
    "Frauen": "women",
}
SCHOOL_QUALIFICATIONS = {
    "Insgesamt": "total",
    "ohne Hauptschulabschluss": "without_hauptschulabschluss",
    "mit Hauptschulabschluss": "hauptschulabschluss",
    "mit Mittlerem Abschluss": "mittlerer_abschluss",
    "dar. schulischer Teil der Fachhochschulreife": "of_which_fhr_school_part",
    "mit Fachhochschulreife": "fachhochschulreife",
    "mit allgemeiner Hochschulreife": "hochschulreife",
}


AREA_MEASURES = {
    "Bodenfläche (Katasterfläche) in qkm": "area",
    "Bevölkerungsdichte": "population_density",
}


def _area_measure(text: str) -> str:
    if text.startswith("Bevölkerungsstand"):
        return "population"
    return AREA_MEASURES[text]


AZR_LAYOUT = GenesisLayout(
    labels=(DATE, AGS, REGION, label("nationality_code"), label("nationality", str.strip)),
    headers=(fixed("Ausländische Bevölkerung"), label("sex", L.SEX), COUNT),
)


def _azr_post(frame: pd.DataFrame, entry: SourceEntry) -> pd.DataFrame:
    codes = frame["nationality_code"]
    bad = frame.loc[~codes.str.fullmatch(r"\d|\d{3}")]
    if len(bad):
        raise RawInputError.single(
            entry.display_name,
            "nationality codes",
            f"nationality code '{bad.iloc[0]['nationality_code']}' is neither a 1-digit continent nor a 3-digit country key",
            int(bad.iloc[0]["source_line"]),
        )
    frame.insert(frame.columns.get_loc("nationality") + 1, "nationality_level", codes.str.len().map({1: "continent", 3: "country"}))
    frame.insert(frame.columns.get_loc("nationality_level") + 1, "continent_code", codes.str[0])
    return frame


QUALIFICATION = {
    "Insgesamt": "total",
    "ohne Schulabschluss": "school_none",
    "mit Volks-/Haupschulabschluss": "school_lower_secondary",  # sic: the publisher's spelling
    "mit Volks-/Hauptschulabschluss": "school_lower_secondary",
    "mit mittlerer Reife/gleichwertigem Abschluss": "school_intermediate",
    "mit Abitur/Fachabitur": "school_upper_secondary",
    "Abschluss unbekannt": "school_unknown",
    "ohne beruflichen Ausbildungsabschluss": "vocational_none",
    "mit anerkanntem Berufsabschluss": "vocational_recognised",
    "mit akademischem Abschluss": "vocational_academic",
    "Ausbildung unbekannt": "vocational_unknown",
}
SECTION_CODES = ("A", "B-F", "B-E", "C", "F", "G-T", "G-I", "J", "K", "L", "M-N", "O-Q", "R-T")


def _section_code(text: str) -> str:
    if text == "":
        return "total"
    if text not in SECTION_CODES:
        raise KeyError(text)
    return text


EMPLOYEES_LAYOUT = GenesisLayout(
    labels=(DATE, REGION, label("section_code", _section_code), label("section", str.strip)),
    headers=(label("qualification", QUALIFICATION),),
)


def region_gazetteer(frames: list[pd.DataFrame], max_code_length: int = 5) -> dict[str, str]:
    """Region name (as IT.NRW prints it, stripped) -> AGS, from tables that carry both. Only districts and above:
    their names are unique. A name listed under two codes is dropped, so it can never resolve."""
    pairs: dict[str, set[str]] = {}
    for f in frames:
        sub = f.loc[f["ags"].str.len() <= max_code_length, ["region_name", "ags"]].drop_duplicates()
        for name, ags in sub.itertuples(index=False):
            pairs.setdefault(name.strip(), set()).add(ags)
    return {name: next(iter(codes)) for name, codes in pairs.items() if len(codes) == 1}


def _employees_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    table = read_genesis_csv(path, entry.encoding, entry.display_name)
    if not any("(Anzahl)" in line for line in table.title):
        raise RawInputError.single(entry.display_name, "header labels known", "no title line states the unit '(Anzahl)'", 2)
    frame = genesis_frame(entry, table, EMPLOYEES_LAYOUT)
    gazetteer = region_gazetteer([ctx.upstream["area_population_density"]])
    names = frame["region_name"].str.strip()
    codes = names.map(gazetteer)
    unknown = frame.loc[codes.isna()]
    if len(unknown):
        problems = [
            InputProblem(
                entry.display_name,
                "region names resolve to an AGS",
                f"region '{n}' is not a district name in IT.NRW table 12411-15i, so it has no AGS code (renamed region?)",
                int(g["source_line"].iloc[0]),
                "2",
            )
            for n, g in unknown.groupby(names[codes.isna()], sort=False)
        ]
        raise RawInputError(problems)
    frame.insert(frame.columns.get_loc("region_name"), "ags", codes.values)
    frame["region_name"] = names.values
    return frame


BENEFITS = {
    ("Gesamtregelleistung (ALG II/Sozialgeld) nach dem SGB II", ""): "sgb2",
    ("Insgesamt", ""): "total",
    ("Hilfe zum Lebensunterhalt außerhalb von Einrichtungen nach dem SGB XII", ""): "hlu",
    ("Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII", "Insgesamt"): "grundsicherung",
    ("Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII", "im Alter"): "grundsicherung_old_age",
    (
        "Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII",
        "bei Erwerbsminderung",
    ): "grundsicherung_reduced_earning_capacity",
    ("Regelleistungen nach dem Asylbewerberleistungsgesetz", ""): "asylblg",
}


def _benefits_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    table = read_genesis_csv(path, entry.encoding, entry.display_name)
    layout = GenesisLayout(
        labels=(DATE_YEAR, AGS, REGION),
        headers=(fixed("Empfänger/innen von soz. Mindestsicherungsleistung"), label("benefit_1"), label("benefit_2"), COUNT),
    )
    frame = genesis_frame(entry, table, layout)
    keys = list(zip(frame.pop("benefit_1"), frame.pop("benefit_2"), strict=True))
    problems = []
    for key in dict.fromkeys(keys):
        if key not in BENEFITS:
            problems.append(
                InputProblem(
                    entry.display_name,
                    "header labels known",
                    f"benefit header {' / '.join(k for k in key if k)!r} is not one this table is known to use",
                    table.header_lines[1],
                )
            )
    if problems:
        raise RawInputError(problems)
    frame.insert(frame.columns.get_loc("region_name") + 1, "benefit", [BENEFITS[k] for k in keys])
    # The publisher prints the SGB II column twice; both copies must agree, then one is kept.
    dup = frame.duplicated(["source_line", "benefit"], keep=False)
    if dup.any():
        pairs = frame.loc[dup].groupby(["source_line", "benefit"])
        for (line, benefit), g in pairs:
            if g["value"].nunique(dropna=False) > 1 or g["status"].nunique() > 1:
                problems.append(
                    InputProblem(
                        entry.display_name,
                        "repeated columns agree",
                        f"the repeated '{benefit}' columns differ: {', '.join(map(str, g['value']))}",
                        int(line),
                        ", ".join(g["source_column"]),
                    )
                )
        if problems:
            raise RawInputError(problems)
        frame = frame.loc[~frame.duplicated(["source_line", "benefit"], keep="first")].reset_index(drop=True)
    return frame


def _migration_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    structure_id = entry.extra.get("structure")
    if not structure_id:
        raise RawInputError.single(
            entry.display_name,
            "manifest structure file",
            "a JSON-stat data entry needs 'structure: <id of its structure file>' in the manifest",
        )
    structure_entry = ctx.manifest.by_id(str(structure_id))
    labels = structure_labels(verify_file(ctx.manifest, structure_entry), structure_entry.display_name)
    ds = read_jsonstat(path, entry.display_name)
    expected = {"statistic", "DINSG", "NAT", "content", "JAHR", "HZLDR1"}
    missing = expected - set(ds.dimensions)
    if missing:
        raise RawInputError.single(
            entry.display_name, "JSON-stat dimensions complete", f"dimension(s) {sorted(missing)} missing; expected {sorted(expected)}"
        )
    f = ds.frame
    flows = {"BEV029$QMU": "arrivals", "BEV011$QMU": "departures", "BEV012$QMU": "net_migration"}
    nat = {"%TOTAL%": "total", "NATD": "german", "NATA": "non_german"}
    problems = []
    for dim, vocab in (("content", flows), ("NAT", nat)):
        for code in ds.categories[dim]:
            if code not in vocab:
                problems.append(
                    InputProblem(
                        entry.display_name, "category codes known", f"category '{code}' is not one this table is known to use", column=dim
                    )
                )
    bad_years = [y for y in ds.categories["JAHR"] if not re.fullmatch(r"\d{4}", y)]
    if bad_years:
        problems.append(
            InputProblem(entry.display_name, "reference date format", f"years {bad_years} are not 4-digit years", column="JAHR")
        )
    if problems:
        raise RawInputError(problems)
    years = f["JAHR"].astype(int)
    out = pd.DataFrame(
        {
            "source_id": entry.id,
            "source_line": pd.array([pd.NA] * len(f), dtype="Int64"),
            "source_column": "value[" + f["value_index"].astype(str) + "]",
            "reference_date": [dt.date(y, 12, 31) for y in years],
            "period_start": [dt.date(y, 1, 1) for y in years],
            "ags": f["DINSG"].values,
            "region_name": f["DINSG"].map(lambda c: labels.get(c, c)).values,
            "flow": f["content"].map(flows).values,
            "nationality": f["NAT"].map(nat).values,
            "country_code": f["HZLDR1"].map(lambda c: "total" if c == "%TOTAL%" else c).values,
            "country": f["HZLDR1"].map(lambda c: labels.get(c, c)).values,
            "unit": "persons",
            "value": f["value"].values,
            "status": f["status"].values,
        }
    )
    newest, oldest = max(years), min(years)
    if newest != entry.reference_date.year or (entry.period_start and oldest != entry.period_start.year):
        raise RawInputError.single(
            entry.display_name,
            "reference date matches manifest",
            f"the file covers {oldest}-{newest}; the manifest says "
            f"{entry.period_start.year if entry.period_start else '?'}-{entry.reference_date.year}",
            column="JAHR",
        )
    return out


GVISYS_HEADER = [
    "Schlüssel-nummer",
    "Regionale Bezeichnung",
    "Kreisfreie Stadt / Kreis / Landkreis",
    "NUTS3",
    "Fläche in km2",
    None,
    "männlich",
    "weiblich",
    "je km2",
]
GVISYS_MEASURES = {
    "area": ("area", "total", "km2"),
    "population": ("population", "total", "persons"),
    "male": ("population", "male", "persons"),
    "female": ("population", "female", "persons"),
    "density": ("population_density", "total", "persons per km2"),
}


# The census basis of the population column: named in the header from 2022 on ('Bevölkerung auf Grundlage
# ZENSUS2011'), not in the XLSX of earlier years ('Bevölkerung2)'). A header without a census name is read with the
# manifest's basis only for a date before the first population update on the Zensus 2022 basis (31.12.2022).
GVISYS_UNNAMED_CENSUS_BEFORE = dt.date(2022, 12, 31)


def _gvisys_population_header(t, entry: SourceEntry, j: int, got: str) -> list[InputProblem]:
    def problem(rule: str, detail: str) -> list[InputProblem]:
        return [InputProblem(t.file, rule, detail, column=str(j))]

    label = got.split(" / ")[0]
    if not label.startswith("Bevölkerung") or not got.endswith("/ insgesamt"):
        return problem("header labels known", f"header '{got}' where 'Bevölkerung [auf Grundlage ZENSUS...] / insgesamt' is expected")
    named = L.census_years(label.replace("ZENSUS", "Zensus "))
    if named and named != L.census_years(entry.census_basis):
        return problem("census basis matches manifest", f"header '{got}' names another census than the manifest's '{entry.census_basis}'")
    if not named and (entry.census_basis != "Zensus 2011" or t.reference_date >= GVISYS_UNNAMED_CENSUS_BEFORE):
        detail = (
            f"header '{got}' names no census: read as Zensus 2011 only before {GVISYS_UNNAMED_CENSUS_BEFORE:%d.%m.%Y} "
            f"(the manifest says '{entry.census_basis}' for {t.reference_date:%d.%m.%Y})"
        )
        return problem("census basis matches manifest", detail)
    return []


def _gvisys_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    sheet = None
    if entry.format == "xlsx":
        t, sheet = read_gvisys_sheet(path, entry.display_name, entry.extra.get("sheet", GVISYS_SHEET))
    else:
        t = read_gvisys_csv(path, entry.encoding, entry.display_name)
    problems = []
    for j, (want, got) in enumerate(zip(GVISYS_HEADER, t.header, strict=False), start=1):
        if want is None:
            problems += _gvisys_population_header(t, entry, j, got)
        elif got != want:
            problems.append(
                InputProblem(
                    t.file, "header labels known", f"header '{got}' where '{want}' is expected (renamed by the publisher?)", column=str(j)
                )
            )
    if t.reference_date != entry.reference_date:
        problems.append(
            InputProblem(
                t.file,
                "reference date matches manifest",
                f"'Gebietsstand' {t.reference_date} differs from the manifest's {entry.reference_date}",
                2,
            )
        )
    if problems:
        # in the sheet, a header problem names the header's first row (row 4) in its column, a date problem row 2
        located = [p if p.line else InputProblem(p.file, p.rule, p.detail, 4, p.column) for p in problems]
        raise place_problems(RawInputError(located), sheet, 0) if sheet else RawInputError(problems)
    f = t.frame
    mapped = f["measure"].map(GVISYS_MEASURES)
    if sheet is not None:
        source_column = [f"{sheet.name}!{column_letters(j - 1)}{line}" for j, line in zip(f["column"], f["line"], strict=True)]
    else:
        source_column = f["column"].map(lambda j: f"{j} ({t.header[j - 1]})")
    return pd.DataFrame(
        {
            "source_id": entry.id,
            "source_line": f["line"].astype("int64"),
            "source_column": source_column,
            "reference_date": t.reference_date,
            "census_basis": entry.census_basis,
            "ags": f["ags"].values,
            "region_name": f["region_name"].values,
            "region_type": f["region_type"].values,
            "nuts3": f["nuts3"].values,
            "indicator": [m[0] for m in mapped],
            "sex": [m[1] for m in mapped],
            "unit": [m[2] for m in mapped],
            "value": f["value"].values,
            "status": f["status"].values,
        }
    )


TIDY_COLUMNS = [
    "table_id",
    "ags",
    "reference_date",
    "indicator",
    "nationality",
    "breakdown",
    "category",
    "value",
    "unit",
    "concept",
    "printed_as",
    "publisher",
    "citation",
    "note",
]
TEXT_TABLE_COLUMNS = ["legal_status", "legal_basis", "labour_market_access", "as_of", "publisher", "citation"]
STAKEHOLDER_COLUMNS = ["stakeholder_group", "organisation", "area_of_work", "as_of", "publisher", "citation"]
POLICY_COLUMNS = ["ags", "section", "subsection", "kind", "title", "title_en", "valid_from", "valid_to", "summary",
                  "publication", "publisher", "published", "locator", "note"]
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def period_bound(text: str, end: bool) -> dt.date:
    """A register date written YYYY, YYYY-MM or YYYY-MM-DD as a day: the first day of the period it names, or with
    ``end`` its last (valid to 2022 = up to 31.12.2022). Raises ValueError for anything else."""
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(text)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        return dt.date(year, int(month), int(day))
    if month:
        first = dt.date(year, int(month), 1)
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if end else first
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def _tidy_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    raw = read_tidy_csv(path, entry.display_name, TIDY_COLUMNS)
    problems: list[InputProblem] = []
    values, statuses, dates = [], [], []
    for row in raw.itertuples(index=False):
        try:
            v, s = parse_cell(row.value, decimal=".")
        except CellError as exc:
            problems.append(InputProblem(entry.display_name, exc.rule, exc.detail, row.line, "value"))
            v, s = math.nan, ""
        try:
            d = dt.date.fromisoformat(row.reference_date)
        except ValueError:
            problems.append(
                InputProblem(
                    entry.display_name,
                    "reference date format",
                    f"'{row.reference_date}' is not a date written YYYY-MM-DD",
                    row.line,
                    "reference_date",
                )
            )
            d = None
        if (mismatch := printed_mismatch(row.printed_as, v, row.unit)) is not None:
            problems.append(InputProblem(entry.display_name, "printed figure agrees with value", mismatch, row.line, "printed_as"))
        values.append(v)
        statuses.append(s)
        dates.append(d)
    if problems:
        raise RawInputError(problems)
    out = raw.rename(columns={"line": "source_line"})
    out.insert(0, "source_id", entry.id)
    out.insert(2, "source_column", "value")
    out["reference_date"] = dates
    out["value"] = pd.Series(values, dtype="float64")
    out.insert(out.columns.get_loc("value") + 1, "status", statuses)
    check_newest(entry, max(dates), "reference date in the file")
    if entry.level != "profile":  # (the profile's tables belong to its edition whatever their years)
        check_period_start(entry, min(dates))
    return out


COUNT_UNITS = ("persons", "households", "cases", "EUR")
_PRINTED_COUNT = re.compile(r"\d+(?:[.,]\d{3})*")


def printed_mismatch(printed: str, value: float, unit: str) -> str | None:
    """Whether a count's ``printed_as`` (the figure as the publication printed it) disagrees with its ``value``: the
    value must be one of the numbers printed (thousands written '603.600' or '603,600'; '~100.000 (welfare
    recipients)', 'more than 11,000'), or their sum where they are added ('18 + 9'). A text without digits (a number
    written as a word) is not judged."""
    if unit not in COUNT_UNITS or not printed or math.isnan(value):
        return None
    numbers = [int(re.sub(r"[.,]", "", n)) for n in _PRINTED_COUNT.findall(printed)]
    if not numbers or value in numbers or ("+" in printed and value == sum(numbers)):
        return None
    return f"value {value:,.0f} but printed_as {printed!r}: the figure printed is not the value (a typing error?)"


def check_newest(entry: SourceEntry, newest: dt.date, what: str) -> None:
    """The file's newest date is the manifest entry's reference date."""
    if newest != entry.reference_date:
        raise RawInputError.single(entry.display_name, "reference date matches manifest",
                                   f"the newest {what} is {newest}, the manifest says {entry.reference_date}")


def check_period_start(entry: SourceEntry, oldest: dt.date) -> None:
    """A file whose rows span several years says from when in its manifest entry (``period_start``), so a change to
    it redoes every edition whose window those years fall in (pipeline/domain/editions.py, ``touched_editions``)."""
    expected = oldest if oldest.year != entry.reference_date.year else None
    if entry.period_start != expected:
        detail = (f"the oldest date in the file is {oldest}: the manifest entry needs period_start: {oldest}" if expected else
                  f"every row is of {entry.reference_date.year}: the manifest entry's period_start {entry.period_start} is not needed")
        raise RawInputError.single(entry.display_name, "period start matches manifest", detail, None, "period_start")


def _text_builder(columns: list[str]):
    """A builder for our text tables (labour-market access, stakeholders): strings, plus an ``as_of`` year."""

    def build(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
        raw = read_tidy_csv(path, entry.display_name, columns)
        bad = raw.loc[~raw["as_of"].str.fullmatch(r"\d{4}")]
        if len(bad):
            raise RawInputError.single(
                entry.display_name,
                "reference date format",
                f"as_of '{bad.iloc[0]['as_of']}' is not a year",
                int(bad.iloc[0]["line"]),
                "as_of",
            )
        out = raw.rename(columns={"line": "source_line"})
        out.insert(0, "source_id", entry.id)
        out["as_of"] = out["as_of"].astype("int64")
        if out["as_of"].max() != entry.reference_date.year:
            raise RawInputError.single(
                entry.display_name,
                "reference date matches manifest",
                f"as_of {out['as_of'].max()} differs from the manifest's reference year {entry.reference_date.year}",
            )
        return out

    return build


def _policy_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    """A city's policy register (raw/README.md, "Policy register"): text, with its three dates read as days. The
    register is as of its newest publication, which the manifest's reference date names."""
    raw = read_tidy_csv(path, entry.display_name, POLICY_COLUMNS)
    problems: list[InputProblem] = []
    parsed: dict[str, list] = {"valid_from": [], "valid_to": [], "published": []}
    for row in raw.itertuples(index=False):
        for column, end in (("valid_from", False), ("valid_to", True), ("published", False)):
            text = getattr(row, column)
            if not text:
                parsed[column].append(None)
                if column != "valid_to":  # an open end is allowed; a start and a citation date are not optional
                    rule = "citation complete" if column == "published" else "valid from given"
                    problems.append(InputProblem(entry.display_name, rule, f"{column} is empty", row.line, column))
                continue
            try:
                parsed[column].append(period_bound(text, end))
            except ValueError:
                problems.append(InputProblem(entry.display_name, "date format",
                                             f"{column} '{text}' is not a year, YYYY-MM or YYYY-MM-DD", row.line, column))
                parsed[column].append(None)
    if problems:
        raise RawInputError(problems)
    out = raw.rename(columns={"line": "source_line"})
    out.insert(0, "source_id", entry.id)
    out.insert(out.columns.get_loc("published"), "published_as", out["published"])  # as written: the citation's precision
    for column, values in parsed.items():
        out[column] = values
    check_newest(entry, max(parsed["published"]), "publication cited")
    check_period_start(entry, min(parsed["valid_from"]))
    return out


# --------------------------------------------------------------------------------------------------------------------
# -- the flat CSV of the GENESIS web service (ffcsv) ------------------------------------------------------------------

# the variables that hold the region, by territorial level (a flat file's region position may switch between them)
REGION_VARIABLES = frozenset({"DINSG", "GEODL1", "GEOBL1", "GEORB1", "GEOKR1", "GEOGM4", "KREISE", "DLAND"})
FLAT_UNITS = {"Anzahl": "persons", "number": "persons"}


def flat_region(code: str) -> str:
    """A flat file's region code as an AGS: the 12-digit regional key (ARS) of a municipality to its 8-digit AGS
    (Land, Regierungsbezirk, Kreis + the municipality's own 3 digits), everything else as it is."""
    return code[:5] + code[9:] if len(code) == 12 and code.isdigit() else code


def flat_frame(entry: SourceEntry, t: FlatTable) -> pd.DataFrame:
    """The columns every flat table's frame starts with; the caller adds what its variables mean."""
    if not entry.table_code.startswith(t.statistics_code):
        detail = f"the file holds statistic {t.statistics_code}, the manifest lists table {entry.table_code}"
        raise RawInputError.single(t.file, "table matches manifest", detail, 2, "statistics_code")
    f = t.frame
    units = f["unit"].map(FLAT_UNITS)
    if units.isna().any():
        row = f.loc[units.isna()].iloc[0]
        detail = f"unit '{row['unit']}' is not one this reader knows ({', '.join(FLAT_UNITS)})"
        raise RawInputError.single(t.file, "units known", detail, int(row["line"]), "value_unit")
    return pd.DataFrame({
        "source_id": entry.id,
        "source_line": f["line"].astype("Int64"),
        "source_column": "value",
        "ags": f["region"].map(flat_region) if "region" in f else "DG",
        "region_name": f["region_label"] if "region" in f else "Deutschland",
        "unit": units,
        "value": f["value"],
        "status": f["status"],
    })


def _flat_reference_date(entry: SourceEntry, t: FlatTable) -> dt.date:
    times = set(t.frame["time"])
    wanted = entry.reference_date.isoformat()
    if times != {wanted}:
        odd = sorted(times - {wanted})[0] if times - {wanted} else "(none)"
        line = int(t.frame.loc[t.frame["time"] != wanted, "line"].iloc[0]) if times - {wanted} else None
        raise RawInputError.single(t.file, "reference date matches manifest", f"dated {odd} but the manifest gives {wanted}", line, "time")
    return entry.reference_date


def _census_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    day = _flat_reference_date(entry, t)
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", day)
    out["census_basis"] = entry.census_basis
    out["region_level"] = t.frame["region_variable"].map({"GEODL1": "germany", "GEOBL1": "land", "GEOGM4": "municipality"}).fillna("other")
    return out


PROTECTION_STATUS = {  # Destatis 12531 (Statistik über Schutzsuchende), variable SCHST2
    "SCHUTZST-AK-1": "recognised",
    "SCHUTZST-AK-2": "recognised_temporary",
    "SCHUTZST-AK-3": "recognised_temporary_asylum",
    "SCHUTZST-AK-4": "recognised_temporary_other",
    "SCHUTZST-AK-5": "recognised_permanent",
    "SCHUTZST-OF": "open",
    "SCHUTZST-X": "without_status",
    "AUSRPFL-G": "tolerated",
    "AUSRPFL-L": "latent_obliged_to_leave",
    "AUSRPFL-V": "enforceable_obliged_to_leave",
}
FLAT_SEX = {"": "total", "GESM": "male", "GESW": "female"}


def _flat_codes(t: FlatTable, variable: str, vocabulary: dict[str, str]) -> pd.Series:
    """A variable's attribute codes mapped to ours; a code the vocabulary lacks is refused at its first line."""
    codes = t.frame[variable]
    mapped = codes.map(vocabulary)
    if mapped.isna().any():
        row = t.frame.loc[mapped.isna()].iloc[0]
        detail = f"{variable} '{row[variable]}' ({row[variable + '_label']}) is not one this table is known to use"
        raise RawInputError.single(t.file, "category codes known", detail, int(row["line"]), f"{variable} attribute")
    return mapped


def _protection_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    if t.variables != ["KREISE", "SCHST2", "GES", "STAAG5"]:
        detail = f"variables {', '.join(t.variables)} where KREISE, SCHST2, GES, STAAG5 are expected"
        raise RawInputError.single(t.file, "flat file variables known", detail, 1)
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", _flat_reference_date(entry, t))
    out["protection_status"] = _flat_codes(t, "SCHST2", PROTECTION_STATUS).values
    out["sex"] = _flat_codes(t, "GES", FLAT_SEX).values
    out["citizenship_code"] = t.frame["STAAG5"].replace("", "total").values
    out["citizenship"] = t.frame["STAAG5_label"].values
    return out


SUBJECT_GROUPS = {  # Studierendenstatistik 21311, variable HS-FG2 (Fächergruppe)
    "INSGESAMT": "total",
    "HS-FG01": "humanities",
    "HS-FG02": "sport",
    "HS-FG03": "law_economics_social_sciences",
    "HS-FG04": "mathematics_natural_sciences",
    "HS-FG05": "medicine_health_sciences",
    "HS-FG07": "agriculture_forestry_nutrition_veterinary",
    "HS-FG08": "engineering",
    "HS-FG09": "art",
    "HS-FG10": "outside_the_subject_classification",
}
STUDENT_SEX = {"INSGESAMT": "total", "GESM": "male", "GESW": "female"}
STUDENT_NATIONALITY = {"INSGESAMT": "total", "NATD": "german", "NATA": "non_german"}
_SEMESTER = re.compile(r"^(\d{4})-(\d{2})P6M$")  # a semester: its first month and six months


def _students_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    if t.variables != ["KREISE", "GESINS", "NAT01", "HS-FG2"]:
        detail = f"variables {', '.join(t.variables)} where KREISE, GESINS, NAT01, HS-FG2 are expected"
        raise RawInputError.single(t.file, "flat file variables known", detail, 1)
    # the time is the semester ('2023-10P6M': the winter semester from October 2023); the manifest's period_start is
    # its first day, its reference_date the semester's last
    wanted = f"{entry.period_start:%Y-%m}P6M" if entry.period_start else "(no period_start in the manifest)"
    odd = t.frame.loc[t.frame["time"] != wanted]
    if len(odd):
        detail = f"semester '{odd['time'].iloc[0]}' but the manifest's period_start {entry.period_start} gives '{wanted}'"
        raise RawInputError.single(t.file, "reference date matches manifest", detail, int(odd["line"].iloc[0]), "time")
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", entry.reference_date)
    out.insert(4, "period_start", entry.period_start)
    out["sex"] = _flat_codes(t, "GESINS", STUDENT_SEX).values
    out["nationality"] = _flat_codes(t, "NAT01", STUDENT_NATIONALITY).values
    out["subject_group"] = _flat_codes(t, "HS-FG2", SUBJECT_GROUPS).values
    return out


def _building_land_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_building_land_sheet(path, entry.display_name, entry.table_code)
    if t.published.isoformat() != entry.published:
        detail = f"the footer's 'Stand' is {t.published}, the manifest's published {entry.published}"
        raise t.sheet.refuse("publication date matches manifest", detail, len(t.sheet.rows) - 1, 0)
    f = t.frame
    out = pd.DataFrame({
        "source_id": entry.id,
        "source_line": f["row"].astype("Int64"),
        "source_column": [f"{t.sheet.name}!{column_letters(c)}{r}" for r, c in zip(f["row"], f["col"], strict=True)],
        "reference_date": [dt.date(y, 12, 31) for y in f["year"]],
        "period_start": [dt.date(y, 1, 1) for y in f["year"]],
        "ags": f["ags"].values,
        "region_name": f["region_name"].str.strip().values,
        "measure": f["measure"].values,
        "land_type": f["land_type"].values,
        "unit": f["unit"].values,
        "value": f["value"].values,
        "status": f["status"].values,
    })
    _check_reference_dates(entry, out)
    # the table's own note: the statistics were redesigned for 2021, earlier years are hardly comparable (NRW)
    out["comparable_with_earlier_years"] = out["reference_date"].map(lambda d: d.year != BUILDING_LAND_REDESIGN)
    if f"zum Berichtsjahr {BUILDING_LAND_REDESIGN} neu konzipiert" not in t.notes:
        detail = f"the notes no longer say the statistics were redesigned for {BUILDING_LAND_REDESIGN} ('... neu konzipiert')"
        raise t.sheet.refuse("footnotes present", detail)
    return out


BUILDING_LAND_REDESIGN = 2021


IMMIGRATION_HISTORY = {  # Zensus 2022, Einwanderungsgeschichte (WDGAT2: the summary; WDGAT1: its detail)
    "": "total",
    "WANDERUNG-BEID": "with_immigration_history",
    "EINGEWANDERTE": "immigrated",
    "NACHKOMMEN": "descendants",
    "WANDERUNG-EINS": "one_parent_immigrated",
    "WANDERUNG-X": "without_immigration_history",
}
_TEN_YEARS = re.compile(r"^ALT(\d{3})B(\d{3}|XXX)$")


def _ten_year_band(code: str) -> tuple[str, int | None, int | None]:
    """'ALT010B019' (10 to 19 years) -> ('10-20', 10, 20); 'ALT080BXXX' -> ('80+', 80, None); '' -> total."""
    if code == "":
        return "total", None, None
    m = _TEN_YEARS.match(code)
    if not m:
        raise KeyError(code)
    lo = int(m.group(1))
    return (f"{lo}+", lo, None) if m.group(2) == "XXX" else (f"{lo}-{int(m.group(2)) + 1}", lo, int(m.group(2)) + 1)


def _immigration_history_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES, {"history": frozenset({"WDGAT1", "WDGAT2"})})
    if t.variables[1:] != ["ALTGR2", "WDGAT2"] and t.variables[1:] != ["ALTGR2", "WDGAT1"]:
        detail = f"variables {', '.join(t.variables)} where a region, ALTGR2 and WDGAT1/WDGAT2 are expected"
        raise RawInputError.single(t.file, "flat file variables known", detail, 1)
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", _flat_reference_date(entry, t))
    bands = {}
    for code in t.frame["ALTGR2"].unique():
        try:
            bands[code] = _ten_year_band(code)
        except KeyError:
            row = t.frame.loc[t.frame["ALTGR2"] == code].iloc[0]
            raise RawInputError.single(t.file, "category codes known", f"age group '{code}' is not one this table is known to use",
                                       int(row["line"]), "ALTGR2 attribute") from None
    out["age_group"] = t.frame["ALTGR2"].map(lambda c: bands[c][0])
    out["age_from"] = t.frame["ALTGR2"].map(lambda c: bands[c][1]).astype("Int64")
    out["age_to"] = t.frame["ALTGR2"].map(lambda c: bands[c][2]).astype("Int64")
    out["immigration_history"] = _flat_codes(t, "history", IMMIGRATION_HISTORY).values
    out["hierarchy"] = t.frame["history_variable"].values
    out["census_basis"] = entry.census_basis
    out["quality"] = t.frame["quality"].values
    return out


# The registry


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    build: Callable[[BuildContext, SourceEntry, Path], pd.DataFrame]
    model: type[pa.DataFrameModel]  # validates the built frame; its staging table's DDL is generated from it
    needs: tuple[str, ...] = ()  # raw datasets this one reads (e.g. a region gazetteer)
    # an input about one city (its register, its MC2CM profile): the manifest entry names the city (field ``city``),
    # every row is that city's, and only that city's profile shows it
    city_specific: bool = False
    # what period its figures refer to (pipeline/domain/periods.py); a manifest entry may say otherwise (``period``)
    period: str = "reference_date"

    @property
    def reads_flat_files(self) -> bool:
        """Whether it reads the web service's flat CSV (ffcsv) of its table, what `pipeline fetch` downloads."""
        return isinstance(self.build, GenesisBuilder) and self.build.flat is not None


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "population_by_single_year_of_age",
        "Population by single year of age, municipalities (IT.NRW 12411-09i)",
        "Population update (Fortschreibung) by single year of age 0 to 90+, every district of NRW.",
        _genesis_builder(
            GenesisLayout(
                labels=(DATE, AGS, REGION),
                headers=(census_header("Bevölkerungsstand"), fixed("Altersjahre (unter 1 bis 90 Jahre und mehr)"), AGE, COUNT),
            )
        ),
        M.PopulationBySingleYearOfAge,
    ),
    Dataset(
        "area_population_density",
        "Area, population and density, municipalities (IT.NRW 12411-15i)",
        "Cadastral area in km², population update and inhabitants per km², every municipality and district of NRW.",
        _genesis_builder(
            GenesisLayout(
                labels=(DATE, AGS, REGION),
                headers=(
                    fixed("Fortschreibung des Bevölkerungsstandes", "Flächenerhebung nach Art der tatsächlichen Nutzung"),
                    label("indicator", _area_measure),
                    label("unit", UNITS),
                ),
                unit=None,
            ),
        ),
        M.AreaPopulationDensity,
    ),
    Dataset(
        "foreigners_by_nationality",
        "Foreign population by sex and nationality, Central Register of Foreigners (IT.NRW 12521-03i)",
        "AZR counts of foreigners by 215 nationalities and 6 continents, districts of NRW; rounded to multiples of 5.",
        _genesis_builder(AZR_LAYOUT, _azr_post),
        M.ForeignPopulationByNationality,
    ),
    Dataset(
        "employees_by_economic_section",
        "Employees liable to social security by economic section and qualification (IT.NRW 13111-54i)",
        "Employees at their place of work by WZ 2008 section and by school and vocational qualification, districts of NRW. "
        "The table names regions but gives no codes: names are resolved to AGS codes through IT.NRW's own 12411-15i.",
        _employees_builder,
        M.EmployeesByEconomicSection,
        needs=("area_population_density",),
    ),
    Dataset(
        "minimum_benefit_recipients",
        "Recipients of minimum social security benefits by type (IT.NRW 22811-05i)",
        "SGB II, SGB XII assistance and old-age/disability basic income, and asylum seekers' benefits, municipalities of NRW.",
        _benefits_builder,
        M.MinimumBenefitRecipients,
    ),
    Dataset(
        "population_by_nationality_and_age_group",
        "Population by sex, nationality and 21 age groups, districts of Germany (Regionaldatenbank 12411-03-03-4)",
        "Population update by Germans/foreigners, sex and 21 age groups for every district of Germany.",
        _genesis_builder(
            GenesisLayout(labels=(DATE, AGS, REGION, AGE), headers=(label("nationality", L.NATIONALITY), label("sex", L.SEX))),
            # the Regionaldatenbank's variables of this table: NAT (nationality), GES (sex), ALTX20 (the 21 age groups)
            flat=FlatSpec(labels=("time", "region", "region_label", "ALTX20"), headers=("NAT", "GES")),
        ),
        M.PopulationByNationalityAndAgeGroup,
    ),
    Dataset(
        "population_by_sex_and_age_group",
        "Population by sex and age groups, districts (Regionaldatenbank 12411-02-03-4)",
        "Population update by sex and age group (an extract of the 17 groups), districts of NRW.",
        _genesis_builder(GenesisLayout(labels=(DATE, AGS, REGION, AGE), headers=(label("sex", L.SEX),))),
        M.PopulationBySexAndAgeGroup,
    ),
    Dataset(
        "population_by_sex_and_single_year_of_age",
        "Population by sex and single year of age, districts of Germany (Regionaldatenbank 12411-04-02-4)",
        "Population update by sex and single year of age (0 to 74, then five-year bands to 90 and over) for every "
        "district of Germany; the reference date stands in the title. Districts dissolved before the date print '-'.",
        _genesis_builder(GenesisLayout(labels=(AGS, REGION, AGE), headers=(label("sex", L.SEX),), date_in_title=True)),
        M.PopulationBySexAndSingleYearOfAge,
    ),
    Dataset(
        "population_by_sex",
        "Population by sex, districts of Germany (Regionaldatenbank 12411-01-01-4)",
        "Population update by sex for every district of Germany; the reference date stands in the header.",
        _genesis_builder(
            GenesisLayout(labels=(AGS, REGION), headers=(fixed("Stichtag"), Level(role="date_header"), label("sex", L.SEX))),
            flat=FlatSpec(labels=("region", "region_label"), headers=("time_label", "time", "GES")),
        ),
        M.PopulationBySex,
    ),
    Dataset(
        "unemployment_by_group",
        "Unemployed persons by group and unemployment rates, annual average, districts (Regionaldatenbank 13211-02-05-4)",
        "Bundesagentur für Arbeit: unemployed in all and of them foreigners, severely disabled, young, older and long-term "
        "unemployed, men and women; the unemployment rates relative to the dependent and to all civilian labour force, "
        "in all and for foreigners. The groups are 'of which' figures and overlap.",
        _genesis_builder(
            GenesisLayout(
                labels=(DATE_YEAR, AGS, REGION),
                headers=(label("indicator", UNEMPLOYMENT_MEASURES), label("person_group", UNEMPLOYMENT_GROUPS), label("unit", UNITS)),
                unit=None,
            )
        ),
        M.UnemploymentByGroup,
        period="annual_average",
    ),
    Dataset(
        "school_leavers",
        "School leavers of general schools by qualification and sex, districts (Regionaldatenbank 21111-02-06-4)",
        "Leavers of general schools in the school year, in all and women, by the qualification they left with; the school "
        "part of the Fachhochschulreife is an 'of which' of the Mittlerer Abschluss leavers.",
        _genesis_builder(
            GenesisLayout(
                labels=(DATE_YEAR, AGS, REGION),
                headers=(
                    fixed("Absolvierende/Abgehende allgemeinbildender Schulen nach dem Abschluss"),
                    label("qualification", SCHOOL_QUALIFICATIONS),
                    label("sex", L.SEX),
                ),
            )
        ),
        M.SchoolLeavers,
        period="school_year",
    ),
    Dataset(
        "students_by_nationality",
        "Students by sex, nationality and subject group, districts (Regionaldatenbank 21311-01-01-4-B, flat file)",
        "Students enrolled at the higher-education institutions located in each district (not the students living "
        "there) in a winter semester: Germans and foreigners, men and women, nine subject groups.",
        _students_builder,
        M.StudentsByNationality,
        period="semester",
    ),
    Dataset(
        "building_land_sales",
        "Building-land sales and average purchase prices, districts (Regionaldatenbank 61511-01-03-4, XLSX)",
        "Sales of building land in the year: cases, area sold, purchase sum and the average price per m², for all "
        "building land and for land ready for building. A price of land, not a rent or a housing cost. The statistics "
        "were redesigned for 2021; the table warns that 2021 compares with earlier years only to a very limited extent.",
        _building_land_builder,
        M.BuildingLandSales,
        period="annual_average",  # the price printed is the average of the year's sales (the counts are sums)
    ),
    Dataset(
        "migration_of_districts_by_age",
        "Arrivals and departures across the borders of every district by sex and age group (Regionaldatenbank 12711-04-02-4, XLSX)",
        "Moves across district borders in the year (annual sum), in six age groups and in all, men and women; the "
        "Regionaldatenbank's XLSX export, read as its GENESIS table.",
        _genesis_builder(
            GenesisLayout(
                labels=(AGS, REGION, AGE),
                headers=(label("flow", MIGRATION_FLOWS), fixed("Geschlecht"), label("sex", L.SEX), COUNT),
                date_in_title=True,
            )
        ),
        M.DistrictMigrationByAge,
        period="annual_sum",
    ),
    Dataset(
        "population_of_districts",
        "Population of every district on 31 December, 2000 onwards (Destatis 12411-0015)",
        "Population update for every district of Germany, one column per year with its quality flag; the census basis "
        "changes in 2011 and 2022, as the table's notes say.",
        _genesis_builder(
            GenesisLayout(labels=(AGS, REGION), headers=(fixed("Stichtag", ""), DATE_COLUMNS), flags=True, census_from_notes=True)
        ),
        M.PopulationOfDistricts,
    ),
    Dataset(
        "migration_germany_abroad",
        "Migration between Germany and foreign countries by nationality (Destatis 12711-0008, JSON-stat)",
        "Arrivals from abroad, departures abroad and net migration for Germany by year, nationality and country of "
        "origin/destination, 2000 onwards.",
        _migration_builder,
        M.MigrationGermanyAbroad,
        period="annual_sum",
    ),
    Dataset(
        "migration_germany_since_1950",
        "Migration across the borders of Germany by nationality, 1950 onwards (Destatis Statistischer Bericht, table 12711-02)",
        "Arrivals from abroad, departures abroad and net migration every year, in all and for Germans and non-Germans; "
        "until 1990 of the former territory of the Federal Republic, from 1991 of Germany. Each year's footnotes (breaks, "
        "register clean-ups) are kept beside its figures.",
        lambda ctx, entry, path: bericht.germany_since_1950(entry, path),
        M.MigrationGermanySince1950,
        period="annual_sum",
    ),
    Dataset(
        "migration_of_districts",
        "Migration across the borders of every district, by origin and destination (Destatis Statistischer Bericht, table 12711-13)",
        "Arrivals, departures and net migration across each district's borders in the year: from or to the same Land, "
        "another Land, abroad; and the moves between the municipalities of a Landkreis.",
        lambda ctx, entry, path: bericht.district_migration(entry, path),
        M.DistrictMigration,
        period="annual_sum",
    ),
    Dataset(
        "districts_area_population",
        "Districts by area, population and density (Destatis Gemeindeverzeichnis GV-ISys)",
        "Area, population by sex and density for every district of Germany, from the municipal directory.",
        _gvisys_builder,
        M.DistrictAreaPopulation,
    ),
    Dataset(
        "census_population",
        "Population counted by the Zensus 2022 on 15 May 2022, Germany and every municipality (Zensus 2022 database 1000A-0000)",
        "The census count itself (not the population update that starts from it), from the flat CSV of the Zensus "
        "2022 database's web service.",
        _census_builder,
        M.CensusPopulation,
    ),
    Dataset(
        "immigration_history_by_land",
        "Population by immigration history and age group, Germany and the Länder (Zensus 2022 database 1000A-2022)",
        "The census count of 15 May 2022 by immigration history (Einwanderungsgeschichte): with one (immigrated "
        "themselves, or both parents immigrated; in detail immigrated and descendants), one parent immigrated, none; "
        "in ten-year age groups. The table has no figure below the Länder. With its quality flags.",
        _immigration_history_builder,
        M.ImmigrationHistoryByLand,
    ),
    Dataset(
        "protection_seekers",
        "Protection seekers by protection status, sex and citizenship, districts (Destatis 12531-0043, 31 December)",
        "Foreigners who sought protection in Germany (a subset of all foreigners, from the Central Register of "
        "Foreigners): recognised (temporary, of which from an asylum procedure or not; permanent), status still open, "
        "and without status (of whom tolerated, or obliged to leave). Cells are rounded to multiples of 5; the web "
        "service's file leaves out empty cells.",
        _protection_builder,
        M.ProtectionSeekers,
    ),
    Dataset(
        "city_register_figures",
        "A city's register figures as published",
        "Population by the municipal register (main residence), as published by the city's statistics office or quoted by MC2CM.",
        _tidy_builder,
        M.CityRegisterFigures,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_synopsis",
        "MC2CM profile: general overview and synopsis indicator table",
        "Section 2 of the MC2CM profile.",
        _tidy_builder,
        M.ProfileSynopsis,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_legal_status",
        "MC2CM profile Fig. 8: legal status of non-Germans, 2018",
        "As printed; the profile cites MKFFI NRW.",
        _tidy_builder,
        M.ProfileLegalStatus,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_top_nationalities",
        "MC2CM profile Fig. 9: top 10 nationalities of non-Germans, 2018",
        "As printed; the profile cites MKFFI NRW.",
        _tidy_builder,
        M.ProfileTopNationalities,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_age_groups",
        "MC2CM profile Fig. 11: age groups, Germans and non-Germans, 2013 and 2018",
        "As printed, with the printed shares.",
        _tidy_builder,
        M.ProfileAgeGroups,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_social_indicators",
        "MC2CM profile Fig. 12: social indicators, 2015 and 2019",
        "As printed (rounded); the profile cites the Bundesagentur für Arbeit.",
        _tidy_builder,
        M.ProfileSocialIndicators,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_labour_market_access",
        "MC2CM profile Table 1: labour-market access by legal status",
        "The legal overview as printed in 2021 (BMAS 2020).",
        _text_builder(TEXT_TABLE_COLUMNS),
        M.LabourMarketAccessByLegalStatus,
        city_specific=True,
    ),
    Dataset(
        "mc2cm_stakeholders",
        "MC2CM profile Table 2: stakeholders in the city",
        "The organisations the profile lists, with their area of work in our words.",
        _text_builder(STAKEHOLDER_COLUMNS),
        M.StakeholdersInTheCity,
        city_specific=True,
    ),
    Dataset(
        "city_policy_register",
        "Policy register: a city's strategies, bodies, programmes and priorities, each cited",
        "The facts of the MC2CM profile's sections 4, 6 and 7 as the city keeps them: one row per fact with its "
        "subsection, kind, validity and citation; summaries in our words.",
        _policy_builder,
        M.PolicyRegister,
        city_specific=True,
    ),
    Dataset(
        "city_policy_figures",
        "Figures stated in the policy register's publications",
        "As printed, each with the publication it was read in; they meet the reconciliation where official statistics "
        "count the same thing for the same year.",
        _tidy_builder,
        M.PolicyFigures,
        city_specific=True,
    ),
)

DATASETS_BY_NAME = {d.name: d for d in DATASETS}


def build_dataset(dataset: Dataset, ctx: BuildContext) -> tuple[pd.DataFrame, list[SourceEntry]]:
    """Read, verify and map every manifest entry of ``dataset``; return the combined frame and the entries used."""
    entries = [e for e in ctx.manifest.for_dataset(dataset.name) if e.extra.get("role") != "structure"]
    if not entries:
        raise RawInputError.single("raw/sources.yaml", "every dataset has a source", f"no manifest entry names dataset '{dataset.name}'")
    frames = []
    problems: list[InputProblem] = []
    for entry in entries:
        try:
            path = verify_file(ctx.manifest, entry)
            frame = dataset.build(ctx, entry, path)
        except RawInputError as exc:
            problems.extend(exc.problems)
            continue
        if dataset.city_specific:
            problems.extend(check_city_specific(frame, entry))
        regional = {"ags", "region_name"} <= set(frame.columns) and frame["ags"].str.len().max() >= 5
        if regional:
            problems.extend(check_cities_listed(frame, entry, ctx.cities))
        frames.append(frame)
    if problems:
        raise RawInputError(problems)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return frame, entries
