"""MC2CM profile: general overview and synopsis indicator table: its layout, codes and pandera model, and its dataset
(found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside
it."""

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


class ProfileSynopsis(TidyFigures):
    """MC2CM section 2: general overview and indicator table."""

    @pa.dataframe_check(error="age groups add up to the population (to the printed hundreds)")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df[(df["indicator"] == "population") & (df["nationality"] == "total") & df["breakdown"].isin(["total", "age_group"])]
        frame = pop.assign(_role=pop["breakdown"].where(pop["breakdown"] == "total", "part"))
        ok = pd.Series(True, index=df.index)
        ok.loc[frame.index] = R.total_equals_parts(
            frame, ["table_id", "ags", "reference_date"], "_role", total="total", tolerance_per_value=50
        )
        return ok

    @pa.dataframe_check(error="sector shares add up to 100 % (to the printed rounding)")
    def sectors_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        sec = df[df["indicator"] == "employment_share"]
        ok = pd.Series(True, index=df.index)
        if len(sec):
            sums = sec.groupby(["table_id", "ags", "reference_date"])["value"].transform("sum")
            ok.loc[sec.index] = (sums - 100).abs() <= 0.05 * sec.groupby(["table_id", "ags", "reference_date"])["value"].transform(
                "size"
            ) + R.EPS
        return ok

    @pa.dataframe_check(error="printed shares agree with the counts they come from")
    def shares_agree(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        key = ["table_id", "ags", "reference_date", "nationality", "breakdown", "category"]
        shares = df[df["indicator"] == "share_of_population"].reset_index()
        counts = df[df["indicator"] == "population"][key + ["value"]].rename(columns={"value": "count"})
        totals = df[(df["indicator"] == "population") & (df["nationality"] == "total") & (df["breakdown"] == "total")][
            ["table_id", "ags", "reference_date", "value"]
        ].rename(columns={"value": "all"})
        merged = shares.merge(counts, on=key).merge(totals, on=["table_id", "ags", "reference_date"])
        if len(merged):
            good = R.share_agrees(merged["value"], merged["count"] / merged["all"] * 100, merged["printed_as"])
            ok.loc[merged.loc[~good, "index"].to_numpy()] = False
        return ok


DATASET = Dataset(
    "mc2cm_synopsis",
    "MC2CM profile: general overview and synopsis indicator table",
    "Section 2 of the MC2CM profile.",
    tidy_builder,
    ProfileSynopsis,
    city_specific=True,
)
