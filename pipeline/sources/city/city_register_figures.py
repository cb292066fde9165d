"""A city's register figures as published: its layout, codes and pandera model, and its dataset (found by
pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

from pipeline.ingest.dataset import Dataset
from pipeline.ingest.tidy import tidy_builder
from pipeline.validation.tables import (
    TidyFigures,
)


class CityRegisterFigures(TidyFigures):
    """The City of Dortmund's register population figures, as published."""


DATASET = Dataset(
    "city_register_figures",
    "A city's register figures as published",
    "Population by the municipal register (main residence), as published by the city's statistics office or quoted by MC2CM.",
    tidy_builder,
    CityRegisterFigures,
    city_specific=True,
)
