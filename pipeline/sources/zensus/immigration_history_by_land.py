"""Population by immigration history and age group, Germany and the Länder (Zensus 2022 database 1000A-2022): its
layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.flat import REGION_VARIABLES, flat_codes, flat_frame, flat_reference_date
from pipeline.ingest.genesis_flat import read_flat
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    AgeBanded,
    CountTable,
)

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
    out.insert(3, "reference_date", flat_reference_date(entry, t))
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
    out["immigration_history"] = flat_codes(t, "history", IMMIGRATION_HISTORY).values
    out["hierarchy"] = t.frame["history_variable"].values
    out["census_basis"] = entry.census_basis
    out["quality"] = t.frame["quality"].values
    return out


ZENSUS_NOISE = 3  # per value: the Zensus 2022 database alters each value by a few persons for secrecy


class ImmigrationHistoryByLand(CountTable, AgeBanded):
    """Zensus 2022 database 1000A-2022: the census count by immigration history and age group, Germany and Länder.
    Two hierarchies of the characteristic share the table: WDGAT2 (total = with + one parent + without) and WDGAT1
    (with = immigrated + descendants; the other two repeated). The database alters each value slightly for secrecy,
    so parts and their total agree within a few persons (``ZENSUS_NOISE`` per value); the Länder fall short of
    Germany by 8,258 persons in all, as the municipalities of 1000A-0000 do."""

    census_basis: Series[str] = pa.Field(isin=["Zensus 2022"])
    immigration_history: Series[str] = pa.Field(isin=["total", "with_immigration_history", "immigrated", "descendants",
                                                      "one_parent_immigrated", "without_immigration_history"])
    hierarchy: Series[str] = pa.Field(isin=["WDGAT1", "WDGAT2"])
    quality: Series[str] = pa.Field(isin=["", "e", "p", "r", "s"])

    class Config:
        unique = ["reference_date", "ags", "age_group", "hierarchy", "immigration_history"]

    @pa.dataframe_check(error="with, one parent and without immigration history add up to the total (± a few persons)")
    def summary_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        part = df[df["hierarchy"] == "WDGAT2"]
        parts = ["with_immigration_history", "one_parent_immigrated", "without_immigration_history"]
        by = ["reference_date", "ags", "age_group"]
        ok = R.total_equals_parts(part, by, "immigration_history", parts, tolerance_per_value=ZENSUS_NOISE)
        return ok.reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="immigrated and descendants add up to those with an immigration history (± a few persons)")
    def detail_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        part = df[(df["hierarchy"] == "WDGAT1") | (df["immigration_history"] == "with_immigration_history")]
        part = part.assign(_role=part["immigration_history"].replace({"with_immigration_history": "total"}))
        ok = R.total_equals_parts(part, ["reference_date", "ags", "age_group"], "_role", ["immigrated", "descendants"],
                                  tolerance_per_value=ZENSUS_NOISE)
        return ok.reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="age groups add up to the total (± a few persons)")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        bands = df.assign(age_group=df["age_group"].where(df["age_group"] != "total", "_total"))
        bands = bands.assign(_role=bands["age_group"].map(lambda a: "total" if a == "_total" else "part"))
        by = ["reference_date", "ags", "hierarchy", "immigration_history"]
        return R.total_equals_parts(bands, by, "_role", tolerance_per_value=ZENSUS_NOISE / 3)

    @pa.dataframe_check(error="the Länder do not exceed Germany (± a few persons)")
    def laender_within_germany(cls, df: pd.DataFrame) -> Series[bool]:
        frame = df.assign(_level=df["ags"].map(lambda a: "total" if a == "DG" else "part"))
        by = ["reference_date", "age_group", "hierarchy", "immigration_history"]
        return R.total_equals_parts(frame, by, "_level", at_most=True, tolerance_per_value=ZENSUS_NOISE)


DATASET = Dataset(
    "immigration_history_by_land",
    "Population by immigration history and age group, Germany and the Länder (Zensus 2022 database 1000A-2022)",
    "The census count of 15 May 2022 by immigration history (Einwanderungsgeschichte): with one (immigrated "
    "themselves, or both parents immigrated; in detail immigrated and descendants), one parent immigrated, none; "
    "in ten-year age groups. The table has no figure below the Länder. With its quality flags.",
    _immigration_history_builder,
    ImmigrationHistoryByLand,
)
