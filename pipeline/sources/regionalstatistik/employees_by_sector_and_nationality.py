"""Employees liable to social insurance at their place of work by sex, nationality and economic sector, districts of
Germany, 30 June (Regionaldatenbank 13111-07-05-4; statistics of the Bundesagentur für Arbeit): its layout, codes
and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators is the .sql
file beside it.

The date is only in the title ('Stichtag: 30.06.2020'); each row is a region and a sector, the total a row
'Insgesamt'; the publisher truncates some sector names. The files of 2018 to 2020 are on the territory before the
Thuringian reform of 1 July 2021 (Eisenach, 16056, still a kreisfreie Stadt beside the Wartburgkreis, 16063):
staging keeps the rows as published, and the branch adds them up for today's districts (seeds.territorial_changes).
Place of work, 30 June: not the residence concept, and not IT.NRW 13111-54i's 31 December."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import ECONOMIC_SECTION, NATIONALITY, SEX
from pipeline.ingest.checks import DIRECTORY, refusing_vanished_districts
from pipeline.ingest.dataset import Dataset, genesis_builder
from pipeline.ingest.layout import AGS, REGION, GenesisLayout, fixed, label
from pipeline.validation import rules as R
from pipeline.validation.tables import CountTable

SECTORS = ["A", "B-F", "G-U"]  # the three broad sectors; the total may exceed their sum (sector not known)


READ = refusing_vanished_districts(genesis_builder(
    GenesisLayout(
        labels=(AGS, REGION, label("section_code", ECONOMIC_SECTION.mapper())),
        headers=(fixed("Nationalität"), label("nationality", NATIONALITY.mapper()), fixed("Geschlecht"), label("sex", SEX.mapper())),
        date_in_title=True,
    )
))


class EmployeesBySectorAndNationality(CountTable):
    """Regionaldatenbank 13111-07-05-4: employees liable to social insurance at their place of work, 30 June, by sex,
    nationality (all, foreigners) and economic sector, districts."""

    nationality: Series[str] = pa.Field(isin=["total", "non_german"])
    sex: Series[str] = pa.Field(isin=SEX.codes())
    section_code: Series[str] = pa.Field(isin=ECONOMIC_SECTION.codes())

    class Config:
        unique = ["reference_date", "ags", "section_code", "nationality", "sex"]

    @pa.dataframe_check(error="men and women add up to all employees")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code", "nationality"], "sex", ["male", "female"])

    @pa.dataframe_check(error="foreign employees do not exceed all employees")
    def foreigners_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code", "sex"], "nationality", ["non_german"], at_most=True)

    @pa.dataframe_check(error="the three broad sectors do not exceed all employees")
    def sectors_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        # (the total includes employees whose sector is not known: 21 in Schleswig-Holstein on 30.06.2018)
        return R.total_equals_parts(df, ["reference_date", "ags", "nationality", "sex"], "section_code", SECTORS, at_most=True)

    @pa.dataframe_check(error="the sections add up to the sector they split")
    def sections_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "ags", "nationality", "sex"]
        return (
            R.total_equals_parts(df, by, "section_code", ["B-E", "F"], total="B-F")
            & R.total_equals_parts(df, by, "section_code", ["G-I", "J", "K", "L", "M-N", "O-Q", "R-U"], total="G-U")
            & R.total_equals_parts(df, by, "section_code", ["C"], total="B-E", at_most=True)
        )

    @pa.dataframe_check(error="districts add up to their Land; the Länder do not exceed Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        # (Germany's count includes employees whose place of work is not known)
        by = ["reference_date", "section_code", "nationality", "sex"]
        return R.hierarchy_adds_up(df, by, 2, 5) & R.hierarchy_adds_up(df, by, 0, 2, at_most=True)


DATASET = Dataset(
    "employees_by_sector_and_nationality",
    "Employees at the place of work by sex, nationality and economic sector, districts, 30 June (Regionaldatenbank 13111-07-05-4)",
    "Bundesagentur für Arbeit: employees liable to social insurance counted where they work, on 30 June, in all and "
    "of them foreigners, by sex and by economic sector (WZ 2008), every district of Germany. The files before 2021 "
    "are on the territory before Eisenach joined the Wartburgkreis.",
    READ,
    EmployeesBySectorAndNationality,
    needs=(DIRECTORY,),
)
