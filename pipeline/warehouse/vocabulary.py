"""English labels for the codes used across the warehouse, written to core.vocabulary (kind, code, label, and the
code's place in its list) so SQL (reconciliation descriptions, marts) and the report print the same words. Every
list is a CodeList: the indicators below, the codebook's shared lists (pipeline/domain/codebook.py) and those the
tables' modules state."""

from __future__ import annotations

import pandas as pd

from pipeline.domain.codebook import SHARED, Code, CodeList
from pipeline.sources.registry import CODE_LISTS

# What a row of core.indicators counts (its indicator column); the tables' .sql branches name these codes.
INDICATOR = CodeList("indicator", (
    Code("population", "Population"),
    Code("area", "Area"),
    Code("population_density", "Population density"),
    Code("employees_at_workplace", "Employees liable to social security (place of work)"),
    Code("employees_social_security_at_residence", "Employees liable to social security (place of residence)"),
    Code("benefit_recipients", "Recipients of minimum social security benefits"),
    Code("welfare_recipients", "Recipients of social welfare"),
    Code("unemployed", "Unemployed"),
    Code("unemployment_rate", "Unemployment rate (of all civilian labour force)"),
    Code("unemployment_rate_dependent", "Unemployment rate (of the dependent civilian labour force)"),
    Code("school_leavers", "School leavers of general schools"),
    Code("students", "Students at higher-education institutions"),
    Code("building_land_sales", "Sales of building land"),
    Code("building_land_area_sold", "Building land sold (area)"),
    Code("building_land_purchase_sum", "Purchase sum of building land sold"),
    Code("building_land_price", "Average price of building land sold per m²"),
    Code("arrivals", "Arrivals"),
    Code("departures", "Departures"),
    Code("moves", "Moves between the municipalities of a Landkreis"),
    Code("net_migration", "Net migration"),
    Code("share_of_population", "Share of the population"),
    Code("share_of_age_group", "Share of the age group"),
    Code("employment_share", "Share of employment"),
    Code("protection_seekers", "Protection seekers"),
))


def vocabulary_frame() -> pd.DataFrame:
    lists: dict[str, CodeList] = {}
    for c in (INDICATOR, *SHARED, *CODE_LISTS):
        if lists.setdefault(c.kind, c) is not c:
            raise ValueError(f"two code lists of the kind {c.kind!r}")
    rows = [(c.kind, code, label, sort) for c in lists.values() for sort, (code, label) in enumerate(c.labels().items(), start=1)]
    return pd.DataFrame(rows, columns=["kind", "code", "label", "sort"])
