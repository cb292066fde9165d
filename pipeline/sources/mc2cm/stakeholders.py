"""MC2CM profile Table 2: stakeholders in the city: its layout, codes and pandera model, and its dataset (found by
pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from pipeline.ingest.dataset import Dataset
from pipeline.ingest.tidy import STAKEHOLDER_COLUMNS, text_builder
from pipeline.validation.tables import (
    NonEmpty,
    TranscribedTextTable,
)


class StakeholdersInTheCity(TranscribedTextTable):
    """MC2CM Table 2: organisations working on migration and integration in a city (text)."""

    stakeholder_group: Series[str] = pa.Field(isin=["City administration", "Other government bodies", "NGOs and other stakeholders"])
    organisation: Series[str] = NonEmpty()
    area_of_work: Series[str] = NonEmpty()

    class Config:
        unique = ["source_id", "organisation"]  # each organisation once per list (a list is one city's)


DATASET = Dataset(
    "mc2cm_stakeholders",
    "MC2CM profile Table 2: stakeholders in the city",
    "The organisations the profile lists, with their area of work in our words.",
    text_builder(STAKEHOLDER_COLUMNS),
    StakeholdersInTheCity,
    city_specific=True,
)
