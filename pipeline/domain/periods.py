"""What period a publisher's figure refers to, and how the profile names it.

A figure is a stock on a reference date (population on 31.12.), an annual average (unemployment), an annual sum
(moves across a border in the year, building-land sales), or counts a school year (school leavers) or a semester
(students), or is a stock at the start of a school year (pupils). Each dataset has its kind (pipeline/sources/,
``Dataset.period``); a manifest entry may say so itself (field ``period``). The report labels every figure by it,
never "31.12." for an average or a sum.
"""

from __future__ import annotations

import datetime as dt

PERIOD_KINDS = {
    "reference_date": "a stock on its reference date",
    "annual_average": "the average of the year",
    "annual_sum": "the sum over the year (or the years of the period)",
    "school_year": "a school year (ending in the summer of the reference year)",
    "school_year_start": "a stock at the start of a school year (the one beginning in the reference year)",
    "semester": "a winter semester (ending in the spring of the reference year)",
}


def _academic(end: dt.date) -> str:
    """The school year or winter semester that ends in ``end``'s year: '2022/23'."""
    return f"{end.year - 1}/{str(end.year)[-2:]}"


def _starting(day: dt.date) -> str:
    """The school year that begins in ``day``'s year: '2023/24'."""
    return f"{day.year}/{str(day.year + 1)[-2:]}"


def period_label(kind: str, reference_date: dt.date, period_start: dt.date | None = None) -> str:
    """The period as a table's source line or the sources list names it: '31.12.2024', 'annual average 2023',
    'year 2024', 'annual sums 2019-2021', 'school year 2022/23', 'winter semester 2023/24'; a time series of stocks
    'every 31.12., 2000-2024'."""
    end = reference_date
    spans = period_start is not None and period_start.year != end.year
    if kind == "annual_average":
        return f"annual averages {period_start.year}-{end.year}" if spans else f"annual average {end.year}"
    if kind == "annual_sum":
        return f"annual sums {period_start.year}-{end.year}" if spans else f"year {end.year}"
    if kind == "school_year":
        return f"school years {_academic(period_start)}-{_academic(end)}" if spans else f"school year {_academic(end)}"
    if kind == "semester":
        return f"winter semester {_academic(end)}"
    if kind == "school_year_start":
        return f"start of the school year {_starting(end)}"
    if spans:
        return f"every {end:%d.%m.}, {period_start.year}-{end.year}"
    return f"{end:%d.%m.%Y}"


def year_label(kind: str, reference_date: dt.date) -> str:
    """One figure's period in a table's 'Year' column or head: '2024', '2023, annual average', '2021, annual sum',
    'school year 2022/23', 'WS 2023/24'."""
    if kind == "annual_average":
        return f"{reference_date.year}, annual average"
    if kind == "annual_sum":
        return f"{reference_date.year}, annual sum"
    if kind == "school_year":
        return f"school year {_academic(reference_date)}"
    if kind == "semester":
        return f"WS {_academic(reference_date)}"
    if kind == "school_year_start":
        return f"school year {_starting(reference_date)}"
    return str(reference_date.year)


def column_words(kind: str, reference_date: dt.date) -> str:
    """What a table column headed by a year holds: 'annual average', 'annual sum', or 'on 31.12.' for a stock (a school
    year, its start and a semester are named by ``year_label`` instead)."""
    if kind == "annual_average":
        return "annual average"
    if kind == "annual_sum":
        return "annual sum"
    return f"on {reference_date:%d.%m.}"
