"""What every table's pandera model shares: provenance, dates and a value that agrees with its status symbol, and
the order of a validated frame's columns (also its staging table's). Each table's own model is in its module
under pipeline/sources/; ``Config.unique`` is its key and every check's ``error`` text the rule's name."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.codebook import CONCEPT, NATIONALITY, age_code_bounds
from pipeline.domain.symbols import STATUS_VALUES
from pipeline.validation import rules as R

# The order of a validated frame's columns, and of its staging table's: provenance, dates and region first; the figure
# and the citation last; the model's other columns between them, in the model's order.
LEADING = ("source_id", "source_line", "source_column", "reference_date", "period_start", "census_basis", "ags", "region_name")


TRAILING = ("unit", "value", "status", "as_of", "publisher", "citation", "note")


def column_order(model: type[pa.DataFrameModel]) -> list[str]:
    names = list(model.to_schema().columns)
    ends = set(LEADING) | set(TRAILING)
    return [c for c in LEADING if c in names] + [c for c in names if c not in ends] + [c for c in TRAILING if c in names]


# A text column that may not be empty (written once, used in every model).
NonEmpty = functools.partial(pa.Field, str_length={"min_value": 1})
AGS_PATTERN = r"^(DG|\d{2}|\d{3}|\d{5}|\d{8})$"


CENSUS_BASES = ["Zensus 2011", "Zensus 2022"]


# a population update before the Zensus 2011 (on the 1987 census in the West, the 1990 register in the East)
EARLIER_BASES = ["before Zensus 2011"]


UNIT_CODES = ["persons", "km2", "persons per km2", "percent", "EUR", "EUR per m2", "m2 per person", "households", "cases",
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

    source_id: Series[str] = NonEmpty()
    source_line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    source_column: Series[str]
    ags: Series[str] = pa.Field(str_matches=AGS_PATTERN)
    region_name: Series[str] = NonEmpty()
    unit: Series[str] = pa.Field(isin=UNIT_CODES)


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


def net_is_difference(df: pd.DataFrame, by: list[str]) -> Series[bool]:
    """net migration = arrivals - departures within each group ``by``."""
    frame = df.assign(_signed=df["value"].where(df["flow"] != "departures", -df["value"]))
    roles = {"net_migration": "total", "arrivals": "part", "departures": "part"}
    frame = frame.assign(value=frame["_signed"], _role=frame["flow"].map(roles))
    return R.total_equals_parts(frame, by, "_role")


class TidyFigures(DatedFigures):
    """The tidy layout of raw/README.md: one published figure per row with its publisher and citation."""

    source_id: Series[str] = NonEmpty()
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    source_column: Series[str]
    table_id: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    ags: Series[str] = pa.Field(str_matches=r"^\d{8}$")
    indicator: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    nationality: Series[str] = pa.Field(isin=NATIONALITY.codes())
    breakdown: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$")
    category: Series[str] = NonEmpty()
    concept: Series[str] = pa.Field(isin=CONCEPT.codes())
    printed_as: Series[str]
    publisher: Series[str] = NonEmpty()
    citation: Series[str] = NonEmpty()
    note: Series[str]
    unit: Series[str] = pa.Field(isin=UNIT_CODES)
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


class TranscribedTextTable(pa.DataFrameModel):
    """A text table transcribed from the MC2CM profile: where each row is in the file, the year the table describes,
    and the publisher and citation the profile gives."""

    source_id: Series[str] = NonEmpty()
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    as_of: Series[int] = pa.Field(ge=1990, le=dt.date.today().year)
    publisher: Series[str] = NonEmpty()
    citation: Series[str] = NonEmpty()

    class Config:
        strict = True
        coerce = True
