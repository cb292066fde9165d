"""Area, population and density, municipalities (IT.NRW 12411-15i): its layout, codes and pandera model, and its
dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file
beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGS,
    DATE,
    REGION,
    UNIT_LABELS,
    GenesisLayout,
    fixed,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CENSUS_BASES,
    PublishedTable,
)

AREA_MEASURES = {
    "Bodenfläche (Katasterfläche) in qkm": "area",
    "Bevölkerungsdichte": "population_density",
}


def _area_measure(text: str) -> str:
    if text.startswith("Bevölkerungsstand"):
        return "population"
    return AREA_MEASURES[text]


class AreaPopulationDensity(PublishedTable):
    """IT.NRW 12411-15i: cadastral area, population and density, municipalities and districts of NRW."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    indicator: Series[str] = pa.Field(isin=["population", "area", "population_density"])
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator"]

    @pa.dataframe_check(error="population counts are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["indicator"] != "population")

    @pa.dataframe_check(error="density equals population / area (to the printed rounding)")
    def density(cls, df: pd.DataFrame) -> Series[bool]:
        return R.density_agrees(df, ["reference_date", "ags"], decimals=1)

    @pa.dataframe_check(error="municipalities add up to their district, districts to their Land")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df["indicator"] == "population"
        area = df["indicator"] == "area"
        by = ["reference_date", "indicator"]
        return (
            R.hierarchy_adds_up(df, by, 5, 8, where=pop)
            & R.hierarchy_adds_up(df, by, 2, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 3, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 5, 8, tolerance_per_value=0.005, where=area)
            & R.hierarchy_adds_up(df, by, 2, 5, tolerance_per_value=0.005, where=area)
        )


DATASET = Dataset(
    "area_population_density",
    "Area, population and density, municipalities (IT.NRW 12411-15i)",
    "Cadastral area in km², population update and inhabitants per km², every municipality and district of NRW.",
    genesis_builder(
        GenesisLayout(
            labels=(DATE, AGS, REGION),
            headers=(
                fixed("Fortschreibung des Bevölkerungsstandes", "Flächenerhebung nach Art der tatsächlichen Nutzung"),
                label("indicator", _area_measure),
                label("unit", UNIT_LABELS),
            ),
            unit=None,
        ),
    ),
    AreaPopulationDensity,
)
