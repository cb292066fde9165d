"""MC2CM profile Table 1: labour-market access by legal status: its layout, codes and pandera model, and its dataset
(found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside
it."""

from __future__ import annotations

from pandera.typing import Series

from pipeline.ingest.dataset import Dataset
from pipeline.ingest.tidy import TEXT_TABLE_COLUMNS, text_builder
from pipeline.validation.tables import (
    NonEmpty,
    TranscribedTextTable,
)


class LabourMarketAccessByLegalStatus(TranscribedTextTable):
    """MC2CM Table 1: access to the labour market by legal status (text); each status once per file (a city's)."""

    legal_status: Series[str] = NonEmpty()
    legal_basis: Series[str] = NonEmpty()
    labour_market_access: Series[str] = NonEmpty()

    class Config:
        unique = ["source_id", "legal_status"]


DATASET = Dataset(
    "mc2cm_labour_market_access",
    "MC2CM profile Table 1: labour-market access by legal status",
    "The legal overview as printed in 2021 (BMAS 2020).",
    text_builder(TEXT_TABLE_COLUMNS),
    LabourMarketAccessByLegalStatus,
    city_specific=True,
)
