"""Employees liable to social security by economic section and qualification (IT.NRW 13111-54i): its layout, codes and
pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has
one, is the .sql file beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import ECONOMIC_SECTION, QUALIFICATION, QUALIFICATION_SCHOOL, QUALIFICATION_VOCATIONAL
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.checks import (
    region_gazetteer,
)
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.genesis_csv import read_genesis_csv
from pipeline.ingest.layout import (
    DATE,
    REGION,
    GenesisLayout,
    genesis_frame,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
    NonEmpty,
)

EMPLOYEES_LAYOUT = GenesisLayout(
    labels=(DATE, REGION, label("section_code", ECONOMIC_SECTION.mapper()), label("section", str.strip)),
    headers=(label("qualification", QUALIFICATION.mapper()),),
)


def _employees_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    table = read_genesis_csv(path, entry.encoding, entry.display_name)
    if not any("(Anzahl)" in line for line in table.title):
        raise RawInputError.single(entry.display_name, "header labels known", "no title line states the unit '(Anzahl)'", 2)
    frame = genesis_frame(entry, table, EMPLOYEES_LAYOUT)
    gazetteer = region_gazetteer([ctx.upstream["area_population_density"]])
    names = frame["region_name"].str.strip()
    codes = names.map(gazetteer)
    unknown = frame.loc[codes.isna()]
    if len(unknown):
        problems = [
            InputProblem(
                entry.display_name,
                "region names resolve to an AGS",
                f"region '{n}' is not a district name in IT.NRW table 12411-15i, so it has no AGS code (renamed region?)",
                int(g["source_line"].iloc[0]),
                "2",
            )
            for n, g in unknown.groupby(names[codes.isna()], sort=False)
        ]
        raise RawInputError(problems)
    frame.insert(frame.columns.get_loc("region_name"), "ags", codes.values)
    frame["region_name"] = names.values
    return frame


class EmployeesByEconomicSection(CountTable):
    """IT.NRW 13111-54i: employees liable to social security at their place of work, by WZ 2008 section and by
    school and vocational qualification, districts of NRW."""

    qualification: Series[str] = pa.Field(isin=QUALIFICATION.codes())
    section_code: Series[str] = pa.Field(isin=ECONOMIC_SECTION.codes())
    section: Series[str] = NonEmpty()

    class Config:
        unique = ["reference_date", "ags", "section_code", "qualification"]

    @pa.dataframe_check(error="school qualifications add up to the total")
    def school_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code"], "qualification", QUALIFICATION_SCHOOL)

    @pa.dataframe_check(error="vocational qualifications add up to the total")
    def vocational_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code"], "qualification", QUALIFICATION_VOCATIONAL)

    @pa.dataframe_check(error="sections A, B-F and G-T do not exceed the total")
    def sections_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "qualification"], "section_code", ["A", "B-F", "G-T"], at_most=True)

    @pa.dataframe_check(error="B-F = B-E + F and G-T = sum of its sections; C within B-E")
    def sections_nest(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "ags", "qualification"]
        return (
            R.total_equals_parts(df, by, "section_code", ["B-E", "F"], total="B-F")
            & R.total_equals_parts(df, by, "section_code", ["G-I", "J", "K", "L", "M-N", "O-Q", "R-T"], total="G-T")
            & R.total_equals_parts(df, by, "section_code", ["C"], total="B-E", at_most=True)
        )


DATASET = Dataset(
    "employees_by_economic_section",
    "Employees liable to social security by economic section and qualification (IT.NRW 13111-54i)",
    "Employees at their place of work by WZ 2008 section and by school and vocational qualification, districts of NRW. "
    "The table names regions but gives no codes: names are resolved to AGS codes through IT.NRW's own 12411-15i.",
    _employees_builder,
    EmployeesByEconomicSection,
    needs=("area_population_density",),
)
