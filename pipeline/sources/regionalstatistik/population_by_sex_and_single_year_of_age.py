"""Population by sex and single year of age, districts of Germany (Regionaldatenbank 12411-04-02-4): its layout, codes
and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it
has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGE,
    AGS,
    REGION,
    GenesisLayout,
    label,
)
from pipeline.sources.regionalstatistik.population_by_sex_and_age_group import PopulationBySexAndAgeGroup
from pipeline.validation import rules as R


class PopulationBySexAndSingleYearOfAge(PopulationBySexAndAgeGroup):
    """Regionaldatenbank 12411-04-02-4: population by sex and single year of age (the oldest in five-year bands),
    every district of Germany: the checks of 12411-02-03-4, and the regions add up."""

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


DATASET = Dataset(
    "population_by_sex_and_single_year_of_age",
    "Population by sex and single year of age, districts of Germany (Regionaldatenbank 12411-04-02-4)",
    "Population update by sex and single year of age (0 to 74, then five-year bands to 90 and over) for every "
    "district of Germany; the reference date stands in the title. Districts dissolved before the date print '-'.",
    genesis_builder(GenesisLayout(labels=(AGS, REGION, AGE), headers=(label("sex", SEX.mapper()),), date_in_title=True)),
    PopulationBySexAndSingleYearOfAge,
)
