"""MC2CM profile Fig. 8: legal status of non-Germans, 2018: its layout, codes and pandera model, and its dataset (found
by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.ingest.dataset import Dataset
from pipeline.ingest.tidy import tidy_builder
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    TidyFigures,
)


class ProfileLegalStatus(TidyFigures):
    """MC2CM Fig. 8: legal status of non-Germans."""

    @pa.dataframe_check(error="legal statuses add up to the total")
    def parts_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["table_id", "ags", "reference_date", "indicator"], "category")


DATASET = Dataset(
    "mc2cm_legal_status",
    "MC2CM profile Fig. 8: legal status of non-Germans, 2018",
    "As printed; the profile cites MKFFI NRW.",
    tidy_builder,
    ProfileLegalStatus,
    city_specific=True,
)
