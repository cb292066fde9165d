"""Migration across the borders of Germany by nationality, 1950 onwards (Destatis Statistischer Bericht, table
12711-02): its layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch
of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.codebook import NATIONALITY
from pipeline.ingest import statistischer_bericht as bericht
from pipeline.ingest.dataset import Dataset
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    PublishedTable,
    net_is_difference,
)


class MigrationGermanySince1950(PublishedTable):
    """Destatis Statistischer Bericht Wanderungen, table 12711-02: migration across the borders of Germany (of the
    former territory before 1991) by nationality, every year from 1950."""

    period_start: Series[pandas_engine.Date]
    territory: Series[str] = pa.Field(isin=["former_territory", "germany"])
    flow: Series[str] = pa.Field(isin=["arrivals", "departures", "net_migration"])
    nationality: Series[str] = pa.Field(isin=NATIONALITY.codes())
    footnotes: Series[str]

    class Config:
        unique = ["reference_date", "flow", "nationality"]

    @pa.dataframe_check(error="reference date between 1950 and today")  # the one table that reaches back before 1990
    def reference_date_plausible(cls, df: pd.DataFrame) -> Series[bool]:
        today = dt.date.today()
        return df["reference_date"].map(lambda d: dt.date(1950, 1, 1) <= d <= today)

    @pa.dataframe_check(error="arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return net_is_difference(df, ["reference_date", "nationality"])

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="the former territory before 1991, Germany from 1991")
    def territory_by_year(cls, df: pd.DataFrame) -> Series[bool]:
        unified = df["reference_date"].map(lambda d: d.year >= 1991)
        return (df["territory"] == "germany") == unified


DATASET = Dataset(
    "migration_germany_since_1950",
    "Migration across the borders of Germany by nationality, 1950 onwards (Destatis Statistischer Bericht, table 12711-02)",
    "Arrivals from abroad, departures abroad and net migration every year, in all and for Germans and non-Germans; "
    "until 1990 of the former territory of the Federal Republic, from 1991 of Germany. Each year's footnotes (breaks, "
    "register clean-ups) are kept beside its figures.",
    lambda ctx, entry, path: bericht.germany_since_1950(entry, path),
    MigrationGermanySince1950,
    period="annual_sum",
)
