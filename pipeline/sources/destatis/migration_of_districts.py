"""Migration across the borders of every district, by origin and destination (Destatis Statistischer Bericht, table
12711-13): its layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch
of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.codebook import MIGRATION_SCOPE
from pipeline.ingest import statistischer_bericht as bericht
from pipeline.ingest.dataset import Dataset
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    PublishedTable,
    net_is_difference,
)


class DistrictMigration(PublishedTable):
    """Destatis Statistischer Bericht Wanderungen, table 12711-13: moves across the borders of every district in a
    year, by where they came from or went to (the same Land, another Land, abroad)."""

    period_start: Series[pandas_engine.Date]
    scope: Series[str] = pa.Field(isin=MIGRATION_SCOPE.codes())
    flow: Series[str] = pa.Field(isin=["moves", "arrivals", "departures", "net_migration"])

    class Config:
        unique = ["reference_date", "ags", "scope", "flow"]

    @pa.dataframe_check(error="moves, arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return net_is_difference(df[df["flow"] != "moves"], ["reference_date", "ags", "scope"]).reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="moves across the district's borders = within the Land + other Länder + abroad")
    def scopes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        frame = df[df["flow"] != "moves"].assign(_scope=lambda f: f["scope"].replace({"across_district_borders": "total"}))
        return R.total_equals_parts(frame, ["reference_date", "ags", "flow"], "_scope").reindex(df.index, fill_value=True)


DATASET = Dataset(
    "migration_of_districts",
    "Migration across the borders of every district, by origin and destination (Destatis Statistischer Bericht, table 12711-13)",
    "Arrivals, departures and net migration across each district's borders in the year: from or to the same Land, "
    "another Land, abroad; and the moves between the municipalities of a Landkreis.",
    lambda ctx, entry, path: bericht.district_migration(entry, path),
    DistrictMigration,
    period="annual_sum",
)
