"""MC2CM profile Fig. 9: top 10 nationalities of non-Germans, 2018: its layout, codes and pandera model, and its
dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file
beside it."""

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


class ProfileTopNationalities(TidyFigures):
    """MC2CM Fig. 9: the ten largest nationalities among non-Germans."""

    @pa.dataframe_check(error="listed from the largest down, as printed")
    def descending(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        for _, g in df.groupby(["table_id", "ags", "reference_date"]):
            ordered = g.sort_values("source_line")
            ok.loc[ordered.index] = ordered["value"].diff().fillna(0) <= 0
        return ok

    @pa.dataframe_check(error="AZR values are multiples of 5")
    def rounded_to_five(cls, df: pd.DataFrame) -> Series[bool]:
        return R.multiple_of(df, 5)


DATASET = Dataset(
    "mc2cm_top_nationalities",
    "MC2CM profile Fig. 9: top 10 nationalities of non-Germans, 2018",
    "As printed; the profile cites MKFFI NRW.",
    tidy_builder,
    ProfileTopNationalities,
    city_specific=True,
)
