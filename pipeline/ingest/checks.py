"""Checks across a dataset's files and against the project: an input about one city holds only that city's rows,
every configured city is listed, a printed figure matches its value, the newest figure and the first period agree
with the manifest."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from pipeline.domain.config import City, region_key
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.domain.territory import territorial_changes


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


def region_gazetteer(frames: list[pd.DataFrame], max_code_length: int = 5) -> dict[str, str]:
    """Region name (as IT.NRW prints it, stripped) -> AGS, from tables that carry both. Only districts and above:
    their names are unique. A name listed under two codes is dropped, so it can never resolve."""
    pairs: dict[str, set[str]] = {}
    for f in frames:
        sub = f.loc[f["ags"].str.len() <= max_code_length, ["region_name", "ags"]].drop_duplicates()
        for name, ags in sub.itertuples(index=False):
            pairs.setdefault(name.strip(), set()).add(ags)
    return {name: next(iter(codes)) for name, codes in pairs.items() if len(codes) == 1}


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


def todays_districts(directory: pd.DataFrame) -> set[str]:
    """The district codes that carry a figure on the newest date of a nationwide table (Regionaldatenbank
    12411-03-03-4: today's 400)."""
    newest = directory[directory["reference_date"] == directory["reference_date"].max()]
    codes = newest["ags"]
    return set(codes[(codes.str.len() == 5) & codes.str.isdigit() & (newest["status"] == "")])


def check_vanished_districts(frame: pd.DataFrame, entry: SourceEntry, districts: set[str], merged: set[str]) -> None:
    """A district of an older file that is not one of today's ``districts`` may only print '-' (nothing), unless a
    territorial change (``merged``: pipeline/domain/territory.py) says which district its territory belongs to today:
    a value there would otherwise be lost, or counted twice."""
    codes = frame["ags"]
    bad = frame[(codes.str.len() == 5) & ~codes.isin(districts) & ~codes.isin(merged) & (frame["status"] == "")]
    if bad.empty:
        return
    problems = [
        InputProblem(entry.display_name, "a vanished district carries no value",
                     f"district {ags} ({g['region_name'].iloc[0].strip()}) is not one of today's districts and no "
                     f"territorial change (warehouse/seeds/territorial_changes.csv) says where its territory went, yet it "
                     f"carries {g['value'].iloc[0]:,.0f}: the figure would be lost",
                     int(g["source_line"].iloc[0]) if pd.notna(g["source_line"].iloc[0]) else None, str(g["source_column"].iloc[0]))
        for ags, g in bad.groupby("ags", sort=True)
    ]
    raise RawInputError(problems)


DIRECTORY = "population_by_nationality_and_age_group"  # the dataset that lists today's districts (a dataset needs it)


def refusing_vanished_districts(read):
    """``read`` (a dataset's builder) followed by ``check_vanished_districts`` against today's districts (the dataset
    ``DIRECTORY``, which the dataset must name in ``needs``) and the territorial changes."""
    def build(ctx, entry: SourceEntry, path):
        frame = read(ctx, entry, path)
        check_vanished_districts(frame, entry, todays_districts(ctx.upstream[DIRECTORY]), set(territorial_changes()))
        return frame

    return build
