"""Population by sex and age groups, districts (Regionaldatenbank 12411-02-03-4): its layout, codes and pandera model,
and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the
.sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGE,
    AGS,
    DATE,
    REGION,
    GenesisLayout,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CENSUS_BASES,
    AgeBanded,
    CountTable,
)


class PopulationBySexAndAgeGroup(CountTable, AgeBanded):
    """Regionaldatenbank 12411-02-03-4: population by sex and age group, districts."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    sex: Series[str] = pa.Field(isin=SEX.codes())

    class Config:
        unique = ["reference_date", "ags", "age_group", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group"], "sex", ["male", "female"])

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "sex"])


DATASET = Dataset(
    "population_by_sex_and_age_group",
    "Population by sex and age groups, districts (Regionaldatenbank 12411-02-03-4)",
    "Population update by sex and age group (an extract of the 17 groups), districts of NRW.",
    genesis_builder(GenesisLayout(labels=(DATE, AGS, REGION, AGE), headers=(label("sex", SEX.mapper()),))),
    PopulationBySexAndAgeGroup,
)
