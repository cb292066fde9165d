"""English labels for the codes used across the warehouse, written to core.vocabulary (kind, code, label, and the
code's place in its list) so SQL (reconciliation descriptions, marts) and the report print the same words. The code
lists stated in the tables' modules (pipeline/domain/codebook.py) come in with theirs."""

from __future__ import annotations

import pandas as pd

from pipeline.domain.labels import CONCEPTS
from pipeline.sources.registry import CODE_LISTS

CONCEPT_LABELS = {
    "population_update": "population update",
    "census_count": "census count",
    "municipal_register": "municipal register",
    "foreigners_register": "foreigners' register (AZR)",
    "employment_statistics": "employment statistics",
    "unemployment_statistics": "unemployment statistics",
    "social_benefit_statistics": "benefit statistics",
    "migration_statistics": "migration statistics",
    "area_survey": "land survey",
    "school_statistics": "school statistics",
    "student_statistics": "student statistics",
    "land_price_statistics": "building-land price statistics",
    "municipal_report": "city report",
    "not_stated": "measurement not stated",
}

VOCABULARY: dict[str, dict[str, str]] = {
    "concept": CONCEPT_LABELS,
    "indicator": {
        "population": "Population",
        "area": "Area",
        "population_density": "Population density",
        "employees_at_workplace": "Employees liable to social security (place of work)",
        "employees_social_security_at_residence": "Employees liable to social security (place of residence)",
        "benefit_recipients": "Recipients of minimum social security benefits",
        "welfare_recipients": "Recipients of social welfare",
        "unemployed": "Unemployed",
        "unemployment_rate": "Unemployment rate (of all civilian labour force)",
        "unemployment_rate_dependent": "Unemployment rate (of the dependent civilian labour force)",
        "school_leavers": "School leavers of general schools",
        "students": "Students at higher-education institutions",
        "building_land_sales": "Sales of building land",
        "building_land_area_sold": "Building land sold (area)",
        "building_land_purchase_sum": "Purchase sum of building land sold",
        "building_land_price": "Average price of building land sold per m²",
        "arrivals": "Arrivals",
        "departures": "Departures",
        "moves": "Moves between the municipalities of a Landkreis",
        "net_migration": "Net migration",
        "share_of_population": "Share of the population",
        "share_of_age_group": "Share of the age group",
        "employment_share": "Share of employment",
        "protection_seekers": "Protection seekers",
    },
    "nationality": {"total": "", "german": "Germans", "non_german": "non-Germans"},
    "migration_scope": {
        "across_district_borders": "across the district's borders",
        "within_land": "from or to the same Land",
        "other_laender": "from or to another Land",
        "abroad": "from or to abroad",
        "within_district": "within the district",
    },
    "sex": {"total": "", "male": "men", "female": "women"},
    "protection_status": {
        "recognised": "recognised protection status",
        "recognised_temporary": "recognised, temporary",
        "recognised_temporary_asylum": "recognised, temporary, from an asylum procedure",
        "recognised_temporary_other": "recognised, temporary, not from an asylum procedure (e.g. temporary protection, § 24 AufenthG)",
        "recognised_permanent": "recognised, permanent",
        "open": "protection status still open (asylum procedure running)",
        "without_status": "without protection status (rejected)",
        "tolerated": "without status: tolerated (Duldung)",
        "latent_obliged_to_leave": "without status: obliged to leave, not yet enforceable",
        "enforceable_obliged_to_leave": "without status: obliged to leave, enforceable",
    },
    "benefit": {
        "sgb2": "basic income support for jobseekers (SGB II)",
        "hlu": "assistance with living costs (SGB XII)",
        "grundsicherung": "basic income in old age and reduced earning capacity (SGB XII)",
        "grundsicherung_old_age": "basic income in old age (SGB XII)",
        "grundsicherung_reduced_earning_capacity": "basic income for reduced earning capacity (SGB XII)",
        "asylblg": "benefits for asylum seekers (AsylbLG)",
    },
}


def vocabulary_frame() -> pd.DataFrame:
    missing = set(CONCEPTS) - set(CONCEPT_LABELS)
    if missing:
        raise ValueError(f"concepts without an English label: {sorted(missing)}")
    lists = {**VOCABULARY, **{c.kind: c.labels() for c in CODE_LISTS}}  # (the code lists of the tables' modules)
    rows = [(kind, code, label, sort) for kind, labels in lists.items() for sort, (code, label) in enumerate(labels.items(), start=1)]
    return pd.DataFrame(rows, columns=["kind", "code", "label", "sort"])
