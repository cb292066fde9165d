"""Unemployed persons by group and unemployment rates, annual average, districts (Regionaldatenbank 13211-02-05-4): its
layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.ingest.checks import DIRECTORY, refusing_vanished_districts
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGS,
    DATE_YEAR,
    REGION,
    UNIT_LABELS,
    GenesisLayout,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    PublishedTable,
)

UNEMPLOYMENT_MEASURES = {
    "Arbeitslose": "unemployed",
    "Arbeitslosenquote bez. auf alle zivile Erwerbsp.": "unemployment_rate",
    "Arbeitslosenquote bez. abh. zivile Erwerbspers.": "unemployment_rate_dependent",
}


UNEMPLOYMENT_GROUPS = {
    "": "total",
    "ausländisch": "foreigners",
    "Ausländer": "foreigners",  # (the vintages before 2021)
    "schwerbehindert": "severely_disabled",
    "15 bis unter 20 Jahre": "aged_15_20",
    "15 bis unter 25 Jahre": "aged_15_25",
    "55 bis unter 65 Jahre": "aged_55_65",
    "langzeitarbeitslos": "long_term_unemployed",
    "Männer": "men",
    "Frauen": "women",
}


class UnemploymentByGroup(PublishedTable):
    """Regionaldatenbank 13211-02-05-4 (Bundesagentur für Arbeit): unemployed by group and unemployment rates, annual
    average, districts."""

    indicator: Series[str] = pa.Field(isin=["unemployed", "unemployment_rate", "unemployment_rate_dependent"])
    person_group: Series[str] = pa.Field(
        isin=["total", "foreigners", "severely_disabled", "aged_15_20", "aged_15_25", "aged_55_65", "long_term_unemployed", "men", "women"]
    )
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator", "person_group"]

    @pa.dataframe_check(error="counts are persons, rates per cent")
    def units(cls, df: pd.DataFrame) -> Series[bool]:
        return df["unit"] == df["indicator"].map(lambda i: "persons" if i == "unemployed" else "percent")

    @pa.dataframe_check(error="counts of unemployed are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["unit"] != "persons")

    @pa.dataframe_check(error="rates are at most 100 %")
    def rates_at_most_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "percent") | ~R.known(df) | (df["value"] <= 100)

    @pa.dataframe_check(error="no group of unemployed exceeds all unemployed")
    def groups_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        counts = df[df["indicator"] == "unemployed"]
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags"]
        ok.loc[counts.index] = R.total_equals_parts(counts, by, "person_group", ["foreigners"], at_most=True) & R.total_equals_parts(
            counts, by, "person_group", ["men", "women"], tolerance_per_value=1
        )
        return ok


DATASET = Dataset(
    "unemployment_by_group",
    "Unemployed persons by group and unemployment rates, annual average, districts (Regionaldatenbank 13211-02-05-4)",
    "Bundesagentur für Arbeit: unemployed in all and of them foreigners, severely disabled, young, older and long-term "
    "unemployed, men and women; the unemployment rates relative to the dependent and to all civilian labour force, "
    "in all and for foreigners. The groups are 'of which' figures and overlap.",
    refusing_vanished_districts(genesis_builder(
        GenesisLayout(
            labels=(DATE_YEAR, AGS, REGION),
            headers=(label("indicator", UNEMPLOYMENT_MEASURES), label("person_group", UNEMPLOYMENT_GROUPS), label("unit", UNIT_LABELS)),
            unit=None,
        )
    )),
    UnemploymentByGroup,
    needs=(DIRECTORY,),
    period="annual_average",
)
