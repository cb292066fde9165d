"""Population by sex, nationality and 21 age groups, districts of Germany (Regionaldatenbank 12411-03-03-4): its
layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import NATIONALITY, SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.genesis_flat import FlatSpec
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


class PopulationByNationalityAndAgeGroup(CountTable, AgeBanded):
    """Regionaldatenbank 12411-03-03-4: population by nationality, sex and 21 age groups, districts of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    nationality: Series[str] = pa.Field(isin=NATIONALITY.codes())
    sex: Series[str] = pa.Field(isin=SEX.codes())

    class Config:
        unique = ["reference_date", "ags", "age_group", "nationality", "sex"]

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group", "sex"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group", "nationality"], "sex", ["male", "female"])

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "nationality", "sex"])

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group", "nationality", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


DATASET = Dataset(
    "population_by_nationality_and_age_group",
    "Population by sex, nationality and 21 age groups, districts of Germany (Regionaldatenbank 12411-03-03-4)",
    "Population update by Germans/foreigners, sex and 21 age groups for every district of Germany.",
    genesis_builder(
        GenesisLayout(labels=(DATE, AGS, REGION, AGE), headers=(label("nationality", NATIONALITY.mapper()), label("sex", SEX.mapper()))),
        # the Regionaldatenbank's variables of this table: NAT (nationality), GES (sex), ALTX20 (the 21 age groups)
        flat=FlatSpec(labels=("time", "region", "region_label", "ALTX20"), headers=("NAT", "GES")),
    ),
    PopulationByNationalityAndAgeGroup,
)
