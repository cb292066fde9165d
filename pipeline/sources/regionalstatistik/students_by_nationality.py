"""Students by sex, nationality and subject group, districts (Regionaldatenbank 21311-01-01-4-B, flat file): its
layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.codebook import NATIONALITY, SEX
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.flat import REGION_VARIABLES, flat_codes, flat_frame
from pipeline.ingest.genesis_flat import read_flat
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
)

SUBJECT_GROUP_OF = {  # Studierendenstatistik 21311, variable HS-FG2 (Fächergruppe): code -> ours
    "INSGESAMT": "total",
    "HS-FG01": "humanities",
    "HS-FG02": "sport",
    "HS-FG03": "law_economics_social_sciences",
    "HS-FG04": "mathematics_natural_sciences",
    "HS-FG05": "medicine_health_sciences",
    "HS-FG07": "agriculture_forestry_nutrition_veterinary",
    "HS-FG08": "engineering",
    "HS-FG09": "art",
    "HS-FG10": "outside_the_subject_classification",
}






_SEMESTER = re.compile(r"^(\d{4})-(\d{2})P6M$")  # a semester: its first month and six months


def _students_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    if t.variables != ["KREISE", "GESINS", "NAT01", "HS-FG2"]:
        detail = f"variables {', '.join(t.variables)} where KREISE, GESINS, NAT01, HS-FG2 are expected"
        raise RawInputError.single(t.file, "flat file variables known", detail, 1)
    # the time is the semester ('2023-10P6M': the winter semester from October 2023); the manifest's period_start is
    # its first day, its reference_date the semester's last
    wanted = f"{entry.period_start:%Y-%m}P6M" if entry.period_start else "(no period_start in the manifest)"
    odd = t.frame.loc[t.frame["time"] != wanted]
    if len(odd):
        detail = f"semester '{odd['time'].iloc[0]}' but the manifest's period_start {entry.period_start} gives '{wanted}'"
        raise RawInputError.single(t.file, "reference date matches manifest", detail, int(odd["line"].iloc[0]), "time")
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", entry.reference_date)
    out.insert(4, "period_start", entry.period_start)
    out["sex"] = flat_codes(t, "GESINS", SEX.mapper()).values
    out["nationality"] = flat_codes(t, "NAT01", NATIONALITY.mapper()).values
    out["subject_group"] = flat_codes(t, "HS-FG2", SUBJECT_GROUP_OF).values
    return out


SUBJECT_GROUPS = tuple(code for code in SUBJECT_GROUP_OF.values() if code != "total")  # the nine parts of the total


# Statistikamt Nord (Hamburg 02, Schleswig-Holstein 01) publishes the student statistics rounded to multiples of 3,
# up or down, each value within ±2 of the count: totals may differ from the sum of their parts by that much per value.
NORD_LAENDER = ("01", "02")


def _students_add_up(df: pd.DataFrame, by: list[str], dim: str, parts: list[str]) -> Series[bool]:
    nord = df["ags"].str[:2].isin(NORD_LAENDER)
    ok = pd.Series(True, index=df.index)
    ok[~nord] = R.total_equals_parts(df[~nord], by, dim, parts)
    ok[nord] = R.total_equals_parts(df[nord], by, dim, parts, tolerance_per_value=2.0)
    return ok


class StudentsByNationality(CountTable):
    """Regionaldatenbank 21311-01-01-4-B: students at the higher-education institutions in each district by sex,
    nationality (Germans, foreigners) and subject group, in a winter semester."""

    period_start: Series[pandas_engine.Date]
    sex: Series[str] = pa.Field(isin=SEX.codes())
    nationality: Series[str] = pa.Field(isin=NATIONALITY.codes())
    subject_group: Series[str] = pa.Field(isin=["total", *SUBJECT_GROUPS])

    class Config:
        unique = ["reference_date", "ags", "sex", "nationality", "subject_group"]

    @pa.dataframe_check(error="Hamburg's and Schleswig-Holstein's values are multiples of 3")
    def nord_rounded_to_3(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["ags"].str[:2].isin(NORD_LAENDER) | ~R.known(df) | (df["value"] % 3 == 0)

    @pa.dataframe_check(error="men and women add up to the total (±2 per value rounded to 3)")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return _students_add_up(df, ["reference_date", "ags", "nationality", "subject_group"], "sex", ["male", "female"])

    @pa.dataframe_check(error="Germans and foreigners add up to the total (±2 per value rounded to 3)")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return _students_add_up(df, ["reference_date", "ags", "sex", "subject_group"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="subject groups add up to the total (±2 per value rounded to 3)")
    def subjects_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return _students_add_up(df, ["reference_date", "ags", "sex", "nationality"], "subject_group", list(SUBJECT_GROUPS))


DATASET = Dataset(
    "students_by_nationality",
    "Students by sex, nationality and subject group, districts (Regionaldatenbank 21311-01-01-4-B, flat file)",
    "Students enrolled at the higher-education institutions located in each district (not the students living "
    "there) in a winter semester: Germans and foreigners, men and women, nine subject groups.",
    _students_builder,
    StudentsByNationality,
    period="semester",
)
