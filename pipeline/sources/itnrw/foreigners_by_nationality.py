"""Foreign population by sex and nationality, Central Register of Foreigners (IT.NRW 12521-03i): its layout, codes and
pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has
one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGS,
    COUNT,
    DATE,
    REGION,
    GenesisLayout,
    fixed,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
    NonEmpty,
)

AZR_LAYOUT = GenesisLayout(
    labels=(DATE, AGS, REGION, label("nationality_code"), label("nationality", str.strip)),
    headers=(fixed("Ausländische Bevölkerung"), label("sex", SEX.mapper()), COUNT),
)


def _azr_post(frame: pd.DataFrame, entry: SourceEntry) -> pd.DataFrame:
    codes = frame["nationality_code"]
    bad = frame.loc[~codes.str.fullmatch(r"\d|\d{3}")]
    if len(bad):
        raise RawInputError.single(
            entry.display_name,
            "nationality codes",
            f"nationality code '{bad.iloc[0]['nationality_code']}' is neither a 1-digit continent nor a 3-digit country key",
            int(bad.iloc[0]["source_line"]),
        )
    frame.insert(frame.columns.get_loc("nationality") + 1, "nationality_level", codes.str.len().map({1: "continent", 3: "country"}))
    frame.insert(frame.columns.get_loc("nationality_level") + 1, "continent_code", codes.str[0])
    return frame


AZR_TOLERANCE = 2  # persons per published AZR value (rounded to multiples of 5)


class ForeignPopulationByNationality(CountTable):
    """IT.NRW 12521-03i: foreigners by nationality and sex (Central Register of Foreigners), districts of NRW."""

    nationality_code: Series[str] = pa.Field(str_matches=r"^(\d|\d{3})$")
    nationality: Series[str] = NonEmpty()
    nationality_level: Series[str] = pa.Field(isin=["continent", "country"])
    continent_code: Series[str] = pa.Field(isin=["1", "2", "3", "4", "5", "9"])
    sex: Series[str] = pa.Field(isin=SEX.codes())

    class Config:
        unique = ["reference_date", "ags", "nationality_code", "sex"]

    @pa.dataframe_check(error="AZR values are multiples of 5")
    def rounded_to_five(cls, df: pd.DataFrame) -> Series[bool]:
        return R.multiple_of(df, 5)

    @pa.dataframe_check(error="men and women do not exceed the total (±2 per AZR value)")
    def sexes_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        # The total also counts people registered with another or no sex entry, so men + women may fall short.
        by = ["reference_date", "ags", "nationality_code"]
        return R.total_equals_parts(df, by, "sex", ["male", "female"], tolerance_per_value=AZR_TOLERANCE, at_most=True)

    @pa.dataframe_check(error="nationalities do not exceed their continent (±2 per AZR value)")
    def countries_within_continent(cls, df: pd.DataFrame) -> Series[bool]:
        # Not every nationality is listed (the "Sonstige" group holds more than its three rows), so the listed ones
        # may fall short of their continent.
        level = df["nationality_level"].where(df["nationality_level"] == "country", "total")
        frame = df.assign(_level=level)
        return R.total_equals_parts(
            frame, ["reference_date", "ags", "sex", "continent_code"], "_level", tolerance_per_value=AZR_TOLERANCE, at_most=True
        )

    @pa.dataframe_check(error="districts do not exceed their Regierungsbezirk and Land (±2 per AZR value)")
    def regions_within_parent(cls, df: pd.DataFrame) -> Series[bool]:
        # The Land counts some foreigners not assigned to any district, so districts may fall short of it.
        by = ["reference_date", "nationality_code", "sex"]
        tol = AZR_TOLERANCE
        return (
            R.hierarchy_adds_up(df, by, 2, 5, tolerance_per_value=tol, at_most=True)
            & R.hierarchy_adds_up(df, by, 2, 3, tolerance_per_value=tol, at_most=True)
            & R.hierarchy_adds_up(df, by, 3, 5, tolerance_per_value=tol, at_most=True)
        )


DATASET = Dataset(
    "foreigners_by_nationality",
    "Foreign population by sex and nationality, Central Register of Foreigners (IT.NRW 12521-03i)",
    "AZR counts of foreigners by 215 nationalities and 6 continents, districts of NRW; rounded to multiples of 5.",
    genesis_builder(AZR_LAYOUT, _azr_post),
    ForeignPopulationByNationality,
)
