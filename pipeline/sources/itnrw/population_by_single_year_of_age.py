"""Population by single year of age, municipalities (IT.NRW 12411-09i): its layout, codes and pandera model, and its
dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file
beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGE,
    AGS,
    COUNT,
    DATE,
    REGION,
    GenesisLayout,
    census_header,
    fixed,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CENSUS_BASES,
    AgeBanded,
    CountTable,
)


class PopulationBySingleYearOfAge(CountTable, AgeBanded):
    """IT.NRW 12411-09i: population update by single year of age, districts of NRW."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)

    class Config:
        unique = ["reference_date", "ags", "age_group"]

    @pa.dataframe_check(error="single years of age add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags"])

    @pa.dataframe_check(error="districts add up to their Land and Regierungsbezirk")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group"]
        return R.hierarchy_adds_up(df, by, 2, 5) & R.hierarchy_adds_up(df, by, 3, 5)


DATASET = Dataset(
    "population_by_single_year_of_age",
    "Population by single year of age, municipalities (IT.NRW 12411-09i)",
    "Population update (Fortschreibung) by single year of age 0 to 90+, every district of NRW.",
    genesis_builder(
        GenesisLayout(
            labels=(DATE, AGS, REGION),
            headers=(census_header("Bevölkerungsstand"), fixed("Altersjahre (unter 1 bis 90 Jahre und mehr)"), AGE, COUNT),
        )
    ),
    PopulationBySingleYearOfAge,
)
