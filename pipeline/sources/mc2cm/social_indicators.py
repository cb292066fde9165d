"""MC2CM profile Fig. 12: social indicators, 2015 and 2019: its layout, codes and pandera model, and its dataset (found
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


class ProfileSocialIndicators(TidyFigures):
    """MC2CM Fig. 12: employment, unemployment and welfare, Germans and non-Germans, rounded to thousands."""

    @pa.dataframe_check(error="Germans and non-Germans add up to the total (to the printed thousands)")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df, ["table_id", "ags", "reference_date", "indicator"], "nationality", ["german", "non_german"], tolerance_per_value=500
        )


DATASET = Dataset(
    "mc2cm_social_indicators",
    "MC2CM profile Fig. 12: social indicators, 2015 and 2019",
    "As printed (rounded); the profile cites the Bundesagentur für Arbeit.",
    tidy_builder,
    ProfileSocialIndicators,
    city_specific=True,
)
