"""Population of every district on 31 December, 2000 onwards (Destatis 12411-0015): its layout, codes and pandera
model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is
the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.symbols import QUALITY_FLAGS
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGS,
    DATE_COLUMNS,
    REGION,
    GenesisLayout,
    fixed,
)
from pipeline.validation.tables import (
    CENSUS_BASES,
    EARLIER_BASES,
    CountTable,
)


class PopulationOfDistricts(CountTable):
    """Destatis 12411-0015: the population of every district of Germany on each 31 December since 2000, each figure on
    the census basis of its year and with its quality flag."""

    census_basis: Series[str] = pa.Field(isin=EARLIER_BASES + CENSUS_BASES)
    quality: Series[str] = pa.Field(isin=["", *QUALITY_FLAGS])

    class Config:
        unique = ["reference_date", "ags"]

    @pa.dataframe_check(error="every number has its quality flag, a symbol none")
    def flag_with_every_number(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["quality"] == "") == (df["status"] != "")

    @pa.dataframe_check(error="reference dates are 31 December")
    def year_ends(cls, df: pd.DataFrame) -> Series[bool]:
        return df["reference_date"].map(lambda d: (d.month, d.day) == (12, 31))

    @pa.dataframe_check(error="a district's census basis never goes back to an earlier one")
    def bases_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        order = {b: i for i, b in enumerate(EARLIER_BASES + CENSUS_BASES)}
        ranked = df.assign(_rank=df["census_basis"].map(order)).sort_values(["ags", "reference_date"])
        return (ranked["_rank"] == ranked.groupby("ags")["_rank"].cummax()).reindex(df.index)


DATASET = Dataset(
    "population_of_districts",
    "Population of every district on 31 December, 2000 onwards (Destatis 12411-0015)",
    "Population update for every district of Germany, one column per year with its quality flag; the census basis "
    "changes in 2011 and 2022, as the table's notes say.",
    genesis_builder(
        GenesisLayout(labels=(AGS, REGION), headers=(fixed("Stichtag", ""), DATE_COLUMNS), flags=True, census_from_notes=True)
    ),
    PopulationOfDistricts,
)
