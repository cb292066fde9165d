"""MC2CM profile Fig. 11: age groups, Germans and non-Germans, 2013 and 2018: its layout, codes and pandera model, and
its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql
file beside it."""

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


class ProfileAgeGroups(TidyFigures):
    """MC2CM Fig. 11: age groups of Germans and non-Germans with the non-Germans' printed share."""

    @pa.dataframe_check(error="printed shares agree with the counts they come from")
    def shares_agree(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        key = ["table_id", "ags", "reference_date", "category"]
        counts = df[df["indicator"] == "population"].pivot_table(index=key, columns="nationality", values="value", aggfunc="first")
        shares = df[df["indicator"] == "share_of_age_group"].reset_index()
        if {"german", "non_german"} <= set(counts.columns) and len(shares):
            merged = shares.merge(counts.reset_index(), on=key)
            computed = merged["non_german"] / (merged["german"] + merged["non_german"]) * 100
            good = R.share_agrees(merged["value"], computed, merged["printed_as"])
            ok.loc[merged.loc[~good, "index"].to_numpy()] = False
        return ok


DATASET = Dataset(
    "mc2cm_age_groups",
    "MC2CM profile Fig. 11: age groups, Germans and non-Germans, 2013 and 2018",
    "As printed, with the printed shares.",
    tidy_builder,
    ProfileAgeGroups,
    city_specific=True,
)
