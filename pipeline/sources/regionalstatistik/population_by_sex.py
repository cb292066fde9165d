"""Population by sex, districts of Germany (Regionaldatenbank 12411-01-01-4): its layout, codes and pandera model, and
its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql
file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.genesis_flat import FlatSpec
from pipeline.ingest.layout import (
    AGS,
    REGION,
    GenesisLayout,
    Level,
    fixed,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CENSUS_BASES,
    CountTable,
)


class PopulationBySex(CountTable):
    """Regionaldatenbank 12411-01-01-4: population by sex, districts of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    sex: Series[str] = pa.Field(isin=SEX.codes())

    class Config:
        unique = ["reference_date", "ags", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags"], "sex", ["male", "female"])

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


DATASET = Dataset(
    "population_by_sex",
    "Population by sex, districts of Germany (Regionaldatenbank 12411-01-01-4)",
    "Population update by sex for every district of Germany; the reference date stands in the header.",
    genesis_builder(
        GenesisLayout(labels=(AGS, REGION), headers=(fixed("Stichtag"), Level(role="date_header"), label("sex", SEX.mapper()))),
        flat=FlatSpec(labels=("region", "region_label"), headers=("time_label", "time", "GES")),
    ),
    PopulationBySex,
)
