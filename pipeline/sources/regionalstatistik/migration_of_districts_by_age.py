"""Arrivals and departures across the borders of every district by sex and age group (Regionaldatenbank 12711-04-02-4,
XLSX): its layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGE,
    AGS,
    COUNT,
    REGION,
    GenesisLayout,
    fixed,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    AgeBanded,
    CountTable,
)

MIGRATION_FLOWS = {"Zuzüge - Wanderungen über die Kreisgrenzen": "arrivals", "Fortzüge - Wanderungen über die Kreisgrenzen": "departures"}


class DistrictMigrationByAge(CountTable, AgeBanded):
    """Regionaldatenbank 12711-04-02-4: arrivals and departures across district borders by sex and age group."""

    flow: Series[str] = pa.Field(isin=["arrivals", "departures"])
    sex: Series[str] = pa.Field(isin=SEX.codes())

    class Config:
        unique = ["reference_date", "ags", "flow", "sex", "age_group"]

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "flow", "sex"])

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "flow", "age_group"], "sex", ["male", "female"])


DATASET = Dataset(
    "migration_of_districts_by_age",
    "Arrivals and departures across the borders of every district by sex and age group (Regionaldatenbank 12711-04-02-4, XLSX)",
    "Moves across district borders in the year (annual sum), in six age groups and in all, men and women; the "
    "Regionaldatenbank's XLSX export, read as its GENESIS table.",
    genesis_builder(
        GenesisLayout(
            labels=(AGS, REGION, AGE),
            headers=(label("flow", MIGRATION_FLOWS), fixed("Geschlecht"), label("sex", SEX.mapper()), COUNT),
            date_in_title=True,
        )
    ),
    DistrictMigrationByAge,
    period="annual_sum",
)
