"""School leavers of general schools by qualification and sex, districts (Regionaldatenbank 21111-02-06-4): its layout,
codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators,
where it has one, is the .sql file beside it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SCHOOL_LEAVING_QUALIFICATION, SEX
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import (
    AGS,
    DATE_YEAR,
    REGION,
    GenesisLayout,
    fixed,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
)

SCHOOL_PARTS = [c for c in SCHOOL_LEAVING_QUALIFICATION.parts() if c != "of_which_fhr_school_part"]  # add up to all leavers


SCHOOL_TOLERANCE = 2  # several Länder publish these counts rounded to multiples of 5


class SchoolLeavers(CountTable):
    """Regionaldatenbank 21111-02-06-4: leavers of general schools by qualification and sex, districts."""

    qualification: Series[str] = pa.Field(isin=SCHOOL_LEAVING_QUALIFICATION.codes())
    sex: Series[str] = pa.Field(isin=["total", "female"])

    class Config:
        unique = ["reference_date", "ags", "qualification", "sex"]

    @pa.dataframe_check(error="the qualifications add up to all leavers (±2 per value rounded to 5)")
    def qualifications_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "ags", "sex"]
        return R.total_equals_parts(df, by, "qualification", SCHOOL_PARTS, tolerance_per_value=SCHOOL_TOLERANCE)

    @pa.dataframe_check(error="women do not exceed all leavers")
    def women_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "qualification"], "sex", ["female"], at_most=True)


DATASET = Dataset(
    "school_leavers",
    "School leavers of general schools by qualification and sex, districts (Regionaldatenbank 21111-02-06-4)",
    "Leavers of general schools in the school year, in all and women, by the qualification they left with; the school "
    "part of the Fachhochschulreife is an 'of which' of the Mittlerer Abschluss leavers.",
    genesis_builder(
        GenesisLayout(
            labels=(DATE_YEAR, AGS, REGION),
            headers=(
                fixed("Absolvierende/Abgehende allgemeinbildender Schulen nach dem Abschluss"),
                label("qualification", SCHOOL_LEAVING_QUALIFICATION.mapper()),
                label("sex", SEX.mapper()),
            ),
        )
    ),
    SchoolLeavers,
    period="school_year",
)
