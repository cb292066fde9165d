"""pandera models: one per raw dataset, named after the data it describes.

Column checks give dtypes, codes and ranges; ``@pa.dataframe_check`` methods state the cross-row rules each
publication implies (parts add up to their total, districts to their Land, density to population / area) using
``pipeline.validation.rules``. ``Config.unique`` is each table's key. Every check's ``error`` text is the rule's
name in failure reports.

A model is the one statement of its dataset's columns: the validated frame is put in ``column_order``, and the
staging table's DDL (pipeline/warehouse/staging.py) is generated from the model, types, NULLs and key included.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.labels import (
    CONCEPTS,
    NATIONALITY_CODES,
    POLICY_KINDS,
    POLICY_SECTIONS,
    POLICY_SUBSECTIONS,
    SEX_CODES,
    age_code_bounds,
)
from pipeline.domain.symbols import QUALITY_FLAGS, STATUS_VALUES
from pipeline.validation import rules as R

# The order of a validated frame's columns, and of its staging table's: provenance, dates and region first; the figure
# and the citation last; the model's other columns between them, in the model's order.
LEADING = ("source_id", "source_line", "source_column", "reference_date", "period_start", "census_basis", "ags", "region_name")
TRAILING = ("unit", "value", "status", "as_of", "publisher", "citation", "note")


def column_order(model: type[pa.DataFrameModel]) -> list[str]:
    names = list(model.to_schema().columns)
    ends = set(LEADING) | set(TRAILING)
    return [c for c in LEADING if c in names] + [c for c in names if c not in ends] + [c for c in TRAILING if c in names]


AGS_PATTERN = r"^(DG|\d{2}|\d{3}|\d{5}|\d{8})$"
CENSUS_BASES = ["Zensus 2011", "Zensus 2022"]
# a population update before the Zensus 2011 (on the 1987 census in the West, the 1990 register in the East)
EARLIER_BASES = ["before Zensus 2011"]
UNITS = ["persons", "km2", "persons per km2", "percent", "EUR", "EUR per m2", "m2 per person", "households", "cases",
         "1000 m2", "1000 EUR"]
EARLIEST = dt.date(1990, 1, 1)
# The column a rule across columns is reported at (pipeline/validation/explain.py), where it is one column's fault;
# any other such rule is reported at the row's source_column and value.
RULE_COLUMNS = {"subsection belongs to the section": "subsection", "valid to not before valid from": "valid_to"}


class DatedFigures(pa.DataFrameModel):
    """What every table of figures shares: a reference date, and a value that agrees with its status symbol."""

    reference_date: Series[pandas_engine.Date]
    value: Series[float] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=STATUS_VALUES)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="reference date between 1990 and today")
    def reference_date_plausible(cls, df: pd.DataFrame) -> Series[bool]:
        today = dt.date.today()
        return df["reference_date"].map(lambda d: EARLIEST <= d <= today)

    @pa.dataframe_check(error="symbol and value agree ('-' is 0, '.' '...' 'x' '/' have no value)")
    def status_consistent(cls, df: pd.DataFrame) -> Series[bool]:
        return R.status_matches_value(df)


class PublishedTable(DatedFigures):
    """Columns every published statistical table shares: provenance, reference date, region, unit, value, status."""

    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    source_line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    source_column: Series[str]
    ags: Series[str] = pa.Field(str_matches=AGS_PATTERN)
    region_name: Series[str] = pa.Field(str_length={"min_value": 1})
    unit: Series[str] = pa.Field(isin=UNITS)


class CountTable(PublishedTable):
    """Tables of counts: values are whole, non-negative numbers."""

    value: Series[float] = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check(error="counts are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["unit"] != "persons")


class AgeBanded(pa.DataFrameModel):
    age_group: Series[str] = pa.Field(str_matches=r"^(\d+-\d+|\d+\+|total)$")
    age_from: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, le=120)
    age_to: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=120)


class PopulationBySingleYearOfAge(CountTable, AgeBanded):
    """IT.NRW 12411-09i: population update by single year of age, districts of NRW."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)

    class Config:
        unique = ["reference_date", "ags", "age_group"]

    @pa.dataframe_check(error="single years of age add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags"])

    @pa.dataframe_check(error="districts add up to their Land and Regierungsbezirk")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group"]
        return R.hierarchy_adds_up(df, by, 2, 5) & R.hierarchy_adds_up(df, by, 3, 5)


class AreaPopulationDensity(PublishedTable):
    """IT.NRW 12411-15i: cadastral area, population and density, municipalities and districts of NRW."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    indicator: Series[str] = pa.Field(isin=["population", "area", "population_density"])
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator"]

    @pa.dataframe_check(error="population counts are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["indicator"] != "population")

    @pa.dataframe_check(error="density equals population / area (to the printed rounding)")
    def density(cls, df: pd.DataFrame) -> Series[bool]:
        return R.density_agrees(df, ["reference_date", "ags"], decimals=1)

    @pa.dataframe_check(error="municipalities add up to their district, districts to their Land")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df["indicator"] == "population"
        area = df["indicator"] == "area"
        by = ["reference_date", "indicator"]
        return (
            R.hierarchy_adds_up(df, by, 5, 8, where=pop)
            & R.hierarchy_adds_up(df, by, 2, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 3, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 5, 8, tolerance_per_value=0.005, where=area)
            & R.hierarchy_adds_up(df, by, 2, 5, tolerance_per_value=0.005, where=area)
        )


AZR_TOLERANCE = 2  # persons per published AZR value (rounded to multiples of 5)


class ForeignPopulationByNationality(CountTable):
    """IT.NRW 12521-03i: foreigners by nationality and sex (Central Register of Foreigners), districts of NRW."""

    nationality_code: Series[str] = pa.Field(str_matches=r"^(\d|\d{3})$")
    nationality: Series[str] = pa.Field(str_length={"min_value": 1})
    nationality_level: Series[str] = pa.Field(isin=["continent", "country"])
    continent_code: Series[str] = pa.Field(isin=["1", "2", "3", "4", "5", "9"])
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))

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


SCHOOL = ["school_none", "school_lower_secondary", "school_intermediate", "school_upper_secondary", "school_unknown"]
VOCATIONAL = ["vocational_none", "vocational_recognised", "vocational_academic", "vocational_unknown"]


class EmployeesByEconomicSection(CountTable):
    """IT.NRW 13111-54i: employees liable to social security at their place of work, by WZ 2008 section and by
    school and vocational qualification, districts of NRW."""

    qualification: Series[str] = pa.Field(isin=["total", *SCHOOL, *VOCATIONAL])
    section_code: Series[str] = pa.Field(isin=["total", "A", "B-F", "B-E", "C", "F", "G-T", "G-I", "J", "K", "L", "M-N", "O-Q", "R-T"])
    section: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        unique = ["reference_date", "ags", "section_code", "qualification"]

    @pa.dataframe_check(error="school qualifications add up to the total")
    def school_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code"], "qualification", SCHOOL)

    @pa.dataframe_check(error="vocational qualifications add up to the total")
    def vocational_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "section_code"], "qualification", VOCATIONAL)

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


SGB12_TOLERANCE = 2  # SGB XII and AsylbLG counts are rounded to multiples of 5 since 2020


class MinimumBenefitRecipients(CountTable):
    """IT.NRW 22811-05i: recipients of minimum social security benefits by type, municipalities of NRW."""

    benefit: Series[str] = pa.Field(
        isin=["total", "sgb2", "hlu", "grundsicherung", "grundsicherung_old_age", "grundsicherung_reduced_earning_capacity", "asylblg"]
    )

    class Config:
        unique = ["reference_date", "ags", "benefit"]

    @pa.dataframe_check(error="benefit types add up to the total (±2 per rounded value)")
    def types_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df, ["reference_date", "ags"], "benefit", ["sgb2", "hlu", "grundsicherung", "asylblg"], tolerance_per_value=SGB12_TOLERANCE
        )

    @pa.dataframe_check(error="old-age and reduced-earning-capacity basic income add up (±2 per rounded value)")
    def grundsicherung_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df,
            ["reference_date", "ags"],
            "benefit",
            ["grundsicherung_old_age", "grundsicherung_reduced_earning_capacity"],
            total="grundsicherung",
            tolerance_per_value=SGB12_TOLERANCE,
        )

    @pa.dataframe_check(error="municipalities add up to their district (SGB II exact, others ±2 per rounded value)")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        # Where a municipality's SGB II count is kept secret ('.'), its published total leaves it out, so that total
        # is incomplete and must not be summed: it is treated as unknown here.
        incomplete = df.loc[~R.known(df), ["reference_date", "ags"]].drop_duplicates()
        mark = (
            df[["reference_date", "ags"]]
            .merge(incomplete.assign(_incomplete=True), how="left")["_incomplete"]
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        frame = df.assign(status=df["status"].where(~(mark & (df["benefit"] == "total")), "."))
        by = ["reference_date", "benefit"]
        exact = frame["benefit"] == "sgb2"
        total = frame["benefit"] == "total"
        return (
            R.hierarchy_adds_up(frame, by, 5, 8, where=exact)
            & R.hierarchy_adds_up(frame, by, 5, 8, tolerance_per_value=SGB12_TOLERANCE, where=~exact & ~total)
            & R.hierarchy_adds_up(frame, by, 5, 8, tolerance_per_value=3 * SGB12_TOLERANCE, where=total)
        )


class PopulationByNationalityAndAgeGroup(CountTable, AgeBanded):
    """Regionaldatenbank 12411-03-03-4: population by nationality, sex and 21 age groups, districts of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    nationality: Series[str] = pa.Field(isin=list(NATIONALITY_CODES))
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))

    class Config:
        unique = ["reference_date", "ags", "age_group", "nationality", "sex"]

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group", "sex"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group", "nationality"], "sex", ["male", "female"])

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "nationality", "sex"])

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group", "nationality", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


class PopulationBySexAndAgeGroup(CountTable, AgeBanded):
    """Regionaldatenbank 12411-02-03-4: population by sex and age group, districts."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))

    class Config:
        unique = ["reference_date", "ags", "age_group", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "age_group"], "sex", ["male", "female"])

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "sex"])


class PopulationBySexAndSingleYearOfAge(PopulationBySexAndAgeGroup):
    """Regionaldatenbank 12411-04-02-4: population by sex and single year of age (the oldest in five-year bands),
    every district of Germany: the checks of 12411-02-03-4, and the regions add up."""

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "age_group", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


class PopulationBySex(CountTable):
    """Regionaldatenbank 12411-01-01-4: population by sex, districts of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))

    class Config:
        unique = ["reference_date", "ags", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags"], "sex", ["male", "female"])

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        by = ["reference_date", "sex"]
        return R.hierarchy_adds_up(df, by, 0, 2) & R.hierarchy_adds_up(df, by, 2, 5)


class PopulationOfDistricts(CountTable):
    """Destatis 12411-0015: the population of every district of Germany on each 31 December since 2000, each figure on
    the census basis of its year and with its quality flag."""

    census_basis: Series[str] = pa.Field(isin=EARLIER_BASES + CENSUS_BASES)
    quality: Series[str] = pa.Field(isin=["", *QUALITY_FLAGS])

    class Config:
        unique = ["reference_date", "ags"]

    @pa.dataframe_check(error="every number has its quality flag, a symbol none")
    def flag_with_every_number(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["quality"] == "") == (df["status"] != "")

    @pa.dataframe_check(error="reference dates are 31 December")
    def year_ends(cls, df: pd.DataFrame) -> Series[bool]:
        return df["reference_date"].map(lambda d: (d.month, d.day) == (12, 31))

    @pa.dataframe_check(error="a district's census basis never goes back to an earlier one")
    def bases_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        order = {b: i for i, b in enumerate(EARLIER_BASES + CENSUS_BASES)}
        ranked = df.assign(_rank=df["census_basis"].map(order)).sort_values(["ags", "reference_date"])
        return (ranked["_rank"] == ranked.groupby("ags")["_rank"].cummax()).reindex(df.index)


class UnemploymentByGroup(PublishedTable):
    """Regionaldatenbank 13211-02-05-4 (Bundesagentur für Arbeit): unemployed by group and unemployment rates, annual
    average, districts."""

    indicator: Series[str] = pa.Field(isin=["unemployed", "unemployment_rate", "unemployment_rate_dependent"])
    person_group: Series[str] = pa.Field(
        isin=["total", "foreigners", "severely_disabled", "aged_15_20", "aged_15_25", "aged_55_65", "long_term_unemployed", "men", "women"]
    )
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator", "person_group"]

    @pa.dataframe_check(error="counts are persons, rates per cent")
    def units(cls, df: pd.DataFrame) -> Series[bool]:
        return df["unit"] == df["indicator"].map(lambda i: "persons" if i == "unemployed" else "percent")

    @pa.dataframe_check(error="counts of unemployed are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["unit"] != "persons")

    @pa.dataframe_check(error="rates are at most 100 %")
    def rates_at_most_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "percent") | ~R.known(df) | (df["value"] <= 100)

    @pa.dataframe_check(error="no group of unemployed exceeds all unemployed")
    def groups_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        counts = df[df["indicator"] == "unemployed"]
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags"]
        ok.loc[counts.index] = R.total_equals_parts(counts, by, "person_group", ["foreigners"], at_most=True) & R.total_equals_parts(
            counts, by, "person_group", ["men", "women"], tolerance_per_value=1
        )
        return ok


SCHOOL_PARTS = ["without_hauptschulabschluss", "hauptschulabschluss", "mittlerer_abschluss", "fachhochschulreife", "hochschulreife"]
SCHOOL_TOLERANCE = 2  # several Länder publish these counts rounded to multiples of 5


class SchoolLeavers(CountTable):
    """Regionaldatenbank 21111-02-06-4: leavers of general schools by qualification and sex, districts."""

    qualification: Series[str] = pa.Field(isin=["total", *SCHOOL_PARTS, "of_which_fhr_school_part"])
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


SUBJECT_GROUPS = ("humanities", "sport", "law_economics_social_sciences", "mathematics_natural_sciences",
                  "medicine_health_sciences", "agriculture_forestry_nutrition_veterinary", "engineering", "art",
                  "outside_the_subject_classification")


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
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))
    nationality: Series[str] = pa.Field(isin=list(NATIONALITY_CODES))
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


class BuildingLandSales(PublishedTable):
    """Regionaldatenbank 61511-01-03-4: building-land sales (cases, area sold, purchase sum, average price per m²),
    all building land and land ready for building, every district, one row per year."""

    period_start: Series[pandas_engine.Date]
    measure: Series[str] = pa.Field(isin=["sales", "area_sold", "purchase_sum", "average_price"])
    land_type: Series[str] = pa.Field(isin=["total", "ready_for_building"])
    value: Series[float] = pa.Field(nullable=True, ge=0)
    comparable_with_earlier_years: Series[bool]

    class Config:
        unique = ["reference_date", "ags", "measure", "land_type"]

    @pa.dataframe_check(error="land ready for building is part of all building land")
    def ready_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        counted = df["measure"] != "average_price"
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags", "measure"]
        ok[counted] = R.total_equals_parts(df[counted], by, "land_type", ["ready_for_building"], at_most=True)
        return ok

    @pa.dataframe_check(error="the average price is the purchase sum over the area sold (within their rounding)")
    def price_is_sum_over_area(cls, df: pd.DataFrame) -> Series[bool]:
        key = ["reference_date", "ags", "land_type"]
        wide = df.pivot_table(index=key, columns="measure", values="value", aggfunc="first")
        ok = pd.Series(True, index=df.index)
        if not {"purchase_sum", "area_sold", "average_price"} <= set(wide.columns):
            return ok
        # both are printed in thousands, rounded to whole thousands: the price lies between the bounds they allow,
        # give or take its own rounding (to the cent, in Brandenburg to ten cents)
        lo = (wide["purchase_sum"] - 0.5) / (wide["area_sold"] + 0.5)
        hi = (wide["purchase_sum"] + 0.5) / (wide["area_sold"] - 0.5).where(wide["area_sold"] > 0.5)
        price = wide["average_price"]
        bad = wide.index[(price < lo - 0.05) | (price > hi + 0.05)]
        rows = df.set_index(key).index.isin(bad) & (df["measure"] == "average_price").to_numpy()
        ok[rows] = False
        return ok

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany (sales)")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        sales = df["measure"] == "sales"
        by = ["reference_date", "land_type"]
        return R.hierarchy_adds_up(df, by, 0, 2, where=sales) & R.hierarchy_adds_up(df, by, 2, 5, where=sales)


def _net_is_difference(df: pd.DataFrame, by: list[str]) -> Series[bool]:
    """net migration = arrivals - departures within each group ``by``."""
    frame = df.assign(_signed=df["value"].where(df["flow"] != "departures", -df["value"]))
    roles = {"net_migration": "total", "arrivals": "part", "departures": "part"}
    frame = frame.assign(value=frame["_signed"], _role=frame["flow"].map(roles))
    return R.total_equals_parts(frame, by, "_role")


class MigrationGermanyAbroad(PublishedTable):
    """Destatis 12711-0008: arrivals, departures and net migration between Germany and abroad."""

    period_start: Series[pandas_engine.Date]
    flow: Series[str] = pa.Field(isin=["arrivals", "departures", "net_migration"])
    nationality: Series[str] = pa.Field(isin=list(NATIONALITY_CODES))
    country_code: Series[str] = pa.Field(str_matches=r"^(total|[A-Z0-9]+)$")
    country: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        unique = ["reference_date", "ags", "flow", "nationality", "country_code"]

    @pa.dataframe_check(error="arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return _net_is_difference(df, ["reference_date", "nationality", "country_code"])

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow", "country_code"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="countries add up to the total")
    def countries_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow", "nationality"], "country_code")


class MigrationGermanySince1950(PublishedTable):
    """Destatis Statistischer Bericht Wanderungen, table 12711-02: migration across the borders of Germany (of the
    former territory before 1991) by nationality, every year from 1950."""

    period_start: Series[pandas_engine.Date]
    territory: Series[str] = pa.Field(isin=["former_territory", "germany"])
    flow: Series[str] = pa.Field(isin=["arrivals", "departures", "net_migration"])
    nationality: Series[str] = pa.Field(isin=["total", "german", "non_german"])
    footnotes: Series[str]

    class Config:
        unique = ["reference_date", "flow", "nationality"]

    @pa.dataframe_check(error="reference date between 1950 and today")  # the one table that reaches back before 1990
    def reference_date_plausible(cls, df: pd.DataFrame) -> Series[bool]:
        today = dt.date.today()
        return df["reference_date"].map(lambda d: dt.date(1950, 1, 1) <= d <= today)

    @pa.dataframe_check(error="arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return _net_is_difference(df, ["reference_date", "nationality"])

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="the former territory before 1991, Germany from 1991")
    def territory_by_year(cls, df: pd.DataFrame) -> Series[bool]:
        unified = df["reference_date"].map(lambda d: d.year >= 1991)
        return (df["territory"] == "germany") == unified


class DistrictMigration(PublishedTable):
    """Destatis Statistischer Bericht Wanderungen, table 12711-13: moves across the borders of every district in a
    year, by where they came from or went to (the same Land, another Land, abroad)."""

    period_start: Series[pandas_engine.Date]
    scope: Series[str] = pa.Field(isin=["within_district", "across_district_borders", "within_land", "other_laender", "abroad"])
    flow: Series[str] = pa.Field(isin=["moves", "arrivals", "departures", "net_migration"])

    class Config:
        unique = ["reference_date", "ags", "scope", "flow"]

    @pa.dataframe_check(error="moves, arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return _net_is_difference(df[df["flow"] != "moves"], ["reference_date", "ags", "scope"]).reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="moves across the district's borders = within the Land + other Länder + abroad")
    def scopes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        frame = df[df["flow"] != "moves"].assign(_scope=lambda f: f["scope"].replace({"across_district_borders": "total"}))
        return R.total_equals_parts(frame, ["reference_date", "ags", "flow"], "_scope").reindex(df.index, fill_value=True)


class CensusPopulation(CountTable):
    """Zensus 2022 database 1000A-0000: the population counted on 15 May 2022, Germany and every municipality."""

    census_basis: Series[str] = pa.Field(isin=["Zensus 2022"])
    region_level: Series[str] = pa.Field(isin=["germany", "land", "municipality"])

    class Config:
        unique = ["reference_date", "ags"]

    @pa.dataframe_check(error="the municipalities do not exceed Germany")
    def municipalities_within_germany(cls, df: pd.DataFrame) -> Series[bool]:
        # (they fall short by 8,258: the web service's file lists 10,786 of the 10,787 municipalities its metadata
        # announces; see the manifest's note)
        frame = df.assign(_level=df["region_level"].map({"germany": "total", "municipality": "part"}))
        frame = frame[frame["_level"].notna()]
        return R.total_equals_parts(frame, ["reference_date"], "_level", at_most=True).reindex(df.index, fill_value=True)


class ProtectionSeekers(CountTable):
    """Destatis 12531-0043: protection seekers by protection status, sex and citizenship, districts. Each cell is
    rounded to a multiple of 5 (AZR secrecy); a status that is the sum of others agrees with them within 2 per cell."""

    protection_status: Series[str] = pa.Field(isin=[
        "recognised", "recognised_temporary", "recognised_temporary_asylum", "recognised_temporary_other", "recognised_permanent",
        "open", "without_status", "tolerated", "latent_obliged_to_leave", "enforceable_obliged_to_leave"])
    sex: Series[str] = pa.Field(isin=["total", "male", "female"])
    citizenship_code: Series[str] = pa.Field(str_length={"min_value": 1})
    citizenship: Series[str]

    class Config:
        unique = ["reference_date", "ags", "protection_status", "sex", "citizenship_code"]

    @pa.dataframe_check(error="counts are multiples of 5 (AZR rounding)")
    def rounded_to_five(cls, df: pd.DataFrame) -> Series[bool]:
        return ~R.known(df) | (df["value"] % 5 == 0)

    @pa.dataframe_check(error="the statuses add up to the statuses they split (±2 per rounded cell)")
    def statuses_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags", "sex", "citizenship_code"]
        for total, parts in (("recognised", ["recognised_temporary", "recognised_permanent"]),
                             ("recognised_temporary", ["recognised_temporary_asylum", "recognised_temporary_other"]),
                             ("without_status", ["tolerated", "latent_obliged_to_leave", "enforceable_obliged_to_leave"])):
            part = df[df["protection_status"].isin([total, *parts])]
            part = part.assign(_role=part["protection_status"].where(part["protection_status"] != total, "total"))
            ok &= R.total_equals_parts(part, by, "_role", parts, tolerance_per_value=2).reindex(df.index, fill_value=True)
        return ok


class DistrictMigrationByAge(CountTable, AgeBanded):
    """Regionaldatenbank 12711-04-02-4: arrivals and departures across district borders by sex and age group."""

    flow: Series[str] = pa.Field(isin=["arrivals", "departures"])
    sex: Series[str] = pa.Field(isin=["total", "male", "female"])

    class Config:
        unique = ["reference_date", "ags", "flow", "sex", "age_group"]

    @pa.dataframe_check(error="age groups add up to the total")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.age_bands_add_up(df, ["reference_date", "ags", "flow", "sex"])

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "ags", "flow", "age_group"], "sex", ["male", "female"])


ZENSUS_NOISE = 3  # per value: the Zensus 2022 database alters each value by a few persons for secrecy


class ImmigrationHistoryByLand(CountTable, AgeBanded):
    """Zensus 2022 database 1000A-2022: the census count by immigration history and age group, Germany and Länder.
    Two hierarchies of the characteristic share the table: WDGAT2 (total = with + one parent + without) and WDGAT1
    (with = immigrated + descendants; the other two repeated). The database alters each value slightly for secrecy,
    so parts and their total agree within a few persons (``ZENSUS_NOISE`` per value); the Länder fall short of
    Germany by 8,258 persons in all, as the municipalities of 1000A-0000 do."""

    census_basis: Series[str] = pa.Field(isin=["Zensus 2022"])
    immigration_history: Series[str] = pa.Field(isin=["total", "with_immigration_history", "immigrated", "descendants",
                                                      "one_parent_immigrated", "without_immigration_history"])
    hierarchy: Series[str] = pa.Field(isin=["WDGAT1", "WDGAT2"])
    quality: Series[str] = pa.Field(isin=["", "e", "p", "r", "s"])

    class Config:
        unique = ["reference_date", "ags", "age_group", "hierarchy", "immigration_history"]

    @pa.dataframe_check(error="with, one parent and without immigration history add up to the total (± a few persons)")
    def summary_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        part = df[df["hierarchy"] == "WDGAT2"]
        parts = ["with_immigration_history", "one_parent_immigrated", "without_immigration_history"]
        by = ["reference_date", "ags", "age_group"]
        ok = R.total_equals_parts(part, by, "immigration_history", parts, tolerance_per_value=ZENSUS_NOISE)
        return ok.reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="immigrated and descendants add up to those with an immigration history (± a few persons)")
    def detail_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        part = df[(df["hierarchy"] == "WDGAT1") | (df["immigration_history"] == "with_immigration_history")]
        part = part.assign(_role=part["immigration_history"].replace({"with_immigration_history": "total"}))
        ok = R.total_equals_parts(part, ["reference_date", "ags", "age_group"], "_role", ["immigrated", "descendants"],
                                  tolerance_per_value=ZENSUS_NOISE)
        return ok.reindex(df.index, fill_value=True)

    @pa.dataframe_check(error="age groups add up to the total (± a few persons)")
    def ages_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        bands = df.assign(age_group=df["age_group"].where(df["age_group"] != "total", "_total"))
        bands = bands.assign(_role=bands["age_group"].map(lambda a: "total" if a == "_total" else "part"))
        by = ["reference_date", "ags", "hierarchy", "immigration_history"]
        return R.total_equals_parts(bands, by, "_role", tolerance_per_value=ZENSUS_NOISE / 3)

    @pa.dataframe_check(error="the Länder do not exceed Germany (± a few persons)")
    def laender_within_germany(cls, df: pd.DataFrame) -> Series[bool]:
        frame = df.assign(_level=df["ags"].map(lambda a: "total" if a == "DG" else "part"))
        by = ["reference_date", "age_group", "hierarchy", "immigration_history"]
        return R.total_equals_parts(frame, by, "_level", at_most=True, tolerance_per_value=ZENSUS_NOISE)


class DistrictAreaPopulation(PublishedTable):
    """Destatis GV-ISys: area, population by sex and density of every district of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    region_type: Series[str]
    nuts3: Series[str] = pa.Field(str_matches=r"^(DE[0-9A-Z]{3})?$")
    indicator: Series[str] = pa.Field(isin=["area", "population", "population_density"])
    sex: Series[str] = pa.Field(isin=list(SEX_CODES))
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df[df["indicator"] == "population"]
        ok = pd.Series(True, index=df.index)
        ok.loc[pop.index] = R.total_equals_parts(pop, ["reference_date", "ags"], "sex", ["male", "female"])
        return ok

    @pa.dataframe_check(error="density equals population / area (rounded to whole persons per km²)")
    def density(cls, df: pd.DataFrame) -> Series[bool]:
        return R.density_agrees(df, ["reference_date", "ags"], decimals=0, where=df["sex"] == "total")

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df["indicator"] == "population"
        area = df["indicator"] == "area"
        by = ["reference_date", "indicator", "sex"]
        # Berlin and Hamburg have no Land total row (one district each): Germany is the sum of all districts.
        return (
            R.hierarchy_adds_up(df, by, 2, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 0, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 2, 5, tolerance_per_value=0.005, where=area)
        )


# --------------------------------------------------------------------------------------------------------------------
# Our tidy transcriptions (city register figures, MC2CM profile tables)


class TidyFigures(DatedFigures):
    """The tidy layout of raw/README.md: one published figure per row with its publisher and citation."""

    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    source_column: Series[str]
    table_id: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    ags: Series[str] = pa.Field(str_matches=r"^\d{8}$")
    indicator: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    nationality: Series[str] = pa.Field(isin=list(NATIONALITY_CODES))
    breakdown: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    category: Series[str] = pa.Field(str_length={"min_value": 1})
    concept: Series[str] = pa.Field(isin=list(CONCEPTS))
    printed_as: Series[str]
    publisher: Series[str] = pa.Field(str_length={"min_value": 1})
    citation: Series[str] = pa.Field(str_length={"min_value": 1})
    note: Series[str]
    unit: Series[str] = pa.Field(isin=UNITS)
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["table_id", "ags", "reference_date", "indicator", "nationality", "breakdown", "category"]

    @pa.dataframe_check(error="counts of persons are whole numbers")
    def whole_numbers(cls, df: pd.DataFrame) -> Series[bool]:
        return R.is_integral(df) | (df["unit"] != "persons")

    @pa.dataframe_check(error="shares are at most 100 %")
    def shares_at_most_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "percent") | ~R.known(df) | (df["value"] <= 100)

    @pa.dataframe_check(error="age groups are written 'lo-hi' or 'lo+'")
    def age_codes(cls, df: pd.DataFrame) -> Series[bool]:
        def valid(code: str) -> bool:
            try:
                return age_code_bounds(code) != (None, None)
            except KeyError:
                return False

        return (df["breakdown"] != "age_group") | df["category"].map(valid)


class CityRegisterFigures(TidyFigures):
    """The City of Dortmund's register population figures, as published."""


class PolicyFigures(TidyFigures):
    """Figures stated in the publications of a city's policy register (shares, counts of refugees, council seats)."""


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


class ProfileLegalStatus(TidyFigures):
    """MC2CM Fig. 8: legal status of non-Germans."""

    @pa.dataframe_check(error="legal statuses add up to the total")
    def parts_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["table_id", "ags", "reference_date", "indicator"], "category")


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


class ProfileSocialIndicators(TidyFigures):
    """MC2CM Fig. 12: employment, unemployment and welfare, Germans and non-Germans, rounded to thousands."""

    @pa.dataframe_check(error="Germans and non-Germans add up to the total (to the printed thousands)")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df, ["table_id", "ags", "reference_date", "indicator"], "nationality", ["german", "non_german"], tolerance_per_value=500
        )


class TranscribedTextTable(pa.DataFrameModel):
    """A text table transcribed from the MC2CM profile: where each row is in the file, the year the table describes,
    and the publisher and citation the profile gives."""

    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    as_of: Series[int] = pa.Field(ge=1990, le=dt.date.today().year)
    publisher: Series[str] = pa.Field(str_length={"min_value": 1})
    citation: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class LabourMarketAccessByLegalStatus(TranscribedTextTable):
    """MC2CM Table 1: access to the labour market by legal status (text); each status once per file (a city's)."""

    legal_status: Series[str] = pa.Field(str_length={"min_value": 1})
    legal_basis: Series[str] = pa.Field(str_length={"min_value": 1})
    labour_market_access: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        unique = ["source_id", "legal_status"]


class StakeholdersInTheCity(TranscribedTextTable):
    """MC2CM Table 2: organisations working on migration and integration in a city (text)."""

    stakeholder_group: Series[str] = pa.Field(isin=["City administration", "Other government bodies", "NGOs and other stakeholders"])
    organisation: Series[str] = pa.Field(str_length={"min_value": 1})
    area_of_work: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        unique = ["source_id", "organisation"]  # each organisation once per list (a list is one city's)


class PolicyRegister(pa.DataFrameModel):
    """A city's policy register: one fact per row (a strategy, body, programme, agreement, ...) with the MC2CM
    subsection it belongs to, when it was valid, a summary in our words and the publication it was read in."""

    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    ags: Series[str] = pa.Field(str_matches=r"^\d{8}$")
    section: Series[str] = pa.Field(isin=list(POLICY_SECTIONS))
    subsection: Series[str] = pa.Field(isin=list(POLICY_SUBSECTIONS))
    kind: Series[str] = pa.Field(isin=list(POLICY_KINDS))
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    title_en: Series[str] = pa.Field(str_length={"min_value": 1})
    valid_from: Series[pandas_engine.Date] = pa.Field(le=dt.date.today())
    valid_to: Series[pandas_engine.Date] = pa.Field(nullable=True)
    summary: Series[str] = pa.Field(str_length={"min_value": 1})  # (its length limit: pipeline/domain/freetext.py)
    publication: Series[str] = pa.Field(str_length={"min_value": 1})
    publisher: Series[str] = pa.Field(str_length={"min_value": 1})
    published_as: Series[str] = pa.Field(str_length={"min_value": 1})
    published: Series[pandas_engine.Date] = pa.Field(le=dt.date.today())
    locator: Series[str] = pa.Field(str_length={"min_value": 1})
    note: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["source_id", "subsection", "title", "valid_from"]

    @pa.dataframe_check(error="subsection belongs to the section")
    def subsection_in_section(cls, df: pd.DataFrame) -> Series[bool]:
        return df["subsection"].map(POLICY_SUBSECTIONS) == df["section"]

    @pa.dataframe_check(error="valid to not before valid from")
    def period_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["valid_to"].isna() | (df["valid_to"] >= df["valid_from"])
