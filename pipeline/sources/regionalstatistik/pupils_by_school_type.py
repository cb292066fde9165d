"""Schools and pupils of general education by school type, districts (Regionaldatenbank 21111-01-03-4): its layout,
codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators is
the .sql file beside it.

The table counts at the start of a school year (its year 2023 is the school year 2023/24): the schools, and their
pupils in all, female, foreign (ausländisch), in the 7th grade and in the 11th grade or introductory phase. North
Rhine-Westphalia publishes the counts rounded to multiples of 5, the other Länder exact; 'x' marks a grade a school
type does not have (and the school count of the total row), '-' nothing."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import Code, CodeList
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import AGS, COUNT, DATE_YEAR, REGION, GenesisLayout, fixed, label
from pipeline.validation import rules as R
from pipeline.validation.tables import CountTable

SCHOOL_TYPES = CodeList("school_type", (
    Code("total", "All general schools", ("Insgesamt",)),
    Code("pre_school", "Pre-school classes", ("Vorschulbereich",)),
    Code("primary", "Primary schools (Grundschulen)", ("Grundschulen",)),
    Code("orientation_stage", "Orientation stage independent of school type", ("Schulartunabhängige Orientierungsstufe",)),
    Code("hauptschule", "Hauptschulen", ("Hauptschulen",)),
    Code("multi_track", "Schools with several courses of education", ("Schularten mit mehreren Bildungsgängen",)),
    Code("realschule", "Realschulen", ("Realschulen",)),
    Code("gymnasium", "Gymnasien", ("Gymnasien",)),
    Code("gesamtschule", "Comprehensive schools (Gesamtschulen)", ("Integrierte Gesamtschulen",)),
    Code("waldorf", "Waldorf schools", ("Freie Waldorfschulen",)),
    Code("special_needs", "Special-needs schools (Förderschulen)", ("Sonderschulen/Förderschulen",)),
    Code("evening", "Evening schools and colleges", ("Abendschulen und Kollegs",)),
))
MEASURES = {"Allgemeinbildende Schulen": "schools", "Schülerinnen und Schüler an allgemeinbildenden Schulen": "pupils"}
GROUPS = {"": "total", "Insgesamt": "total", "weiblich": "female", "ausländisch": "foreign", "7. Klassenstufe": "grade_7",
          "11. Jahrgangsstufe / Einführungsphase": "grade_11"}
ROUNDED_TO_5 = 2  # persons per value where the Land rounds to multiples of 5 (North Rhine-Westphalia)


class PupilsBySchoolType(CountTable):
    """Regionaldatenbank 21111-01-03-4: general-education schools and pupils by school type, districts."""

    school_type: Series[str] = pa.Field(isin=SCHOOL_TYPES.codes())
    measure: Series[str] = pa.Field(isin=list(dict.fromkeys(MEASURES.values())))
    pupil_group: Series[str] = pa.Field(isin=list(dict.fromkeys(GROUPS.values())))

    class Config:
        unique = ["reference_date", "ags", "school_type", "measure", "pupil_group"]

    @pa.dataframe_check(error="female, foreign and grade pupils do not exceed all pupils")
    def groups_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "ags", "school_type", "measure"]
        return pd.concat([R.total_equals_parts(df, by, "pupil_group", [g], at_most=True)
                          for g in ("female", "foreign", "grade_7", "grade_11")], axis=1).all(axis=1)

    @pa.dataframe_check(error="the school types do not exceed all general schools (±2 per value rounded to 5)")
    def school_types_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        # (the total may hold pupils of school types the table does not list: Germany's exceeds its listed types by
        # 25,090 in 2023/24; the profile names such a remainder)
        # (a type without a figure, 'x' or '.', counts nothing: the known ones may not exceed the total either)
        by = ["reference_date", "ags", "measure", "pupil_group"]
        known, ok = R.known(df), pd.Series(True, index=df.index)
        ok.loc[known] = R.total_equals_parts(df[known], by, "school_type", tolerance_per_value=ROUNDED_TO_5, at_most=True)
        return ok


DATASET = Dataset(
    "pupils_by_school_type",
    "Schools and pupils of general education by school type, districts (Regionaldatenbank 21111-01-03-4)",
    "General-education schools and their pupils at the start of the school year by school type: in all, female, foreign, "
    "in the 7th and the 11th grade, every district of Germany.",
    genesis_builder(
        GenesisLayout(
            labels=(DATE_YEAR, AGS, REGION, label("school_type", SCHOOL_TYPES.mapper())),
            headers=(
                label("measure", MEASURES),
                fixed("", "Geschlecht", "Nationalität", "Klassenstufe / Jahrgangsstufe / Schulbesuchsjahr"),
                label("pupil_group", GROUPS),
                COUNT,
            ),
        )
    ),
    PupilsBySchoolType,
    period="school_year_start",
)
