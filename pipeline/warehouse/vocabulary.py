"""English labels for the codes used across the warehouse, written to core.vocabulary so SQL (reconciliation
descriptions, marts) and the report print the same words."""

from __future__ import annotations

import pandas as pd

from pipeline.ingest.labels import CONCEPTS

CONCEPT_LABELS = {
    "population_update": "population update",
    "municipal_register": "municipal register",
    "foreigners_register": "foreigners' register (AZR)",
    "employment_statistics": "employment statistics",
    "unemployment_statistics": "unemployment statistics",
    "social_benefit_statistics": "benefit statistics",
    "migration_statistics": "migration statistics",
    "area_survey": "land survey",
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
        "unemployment_rate": "Unemployment rate",
        "arrivals": "Arrivals from abroad",
        "departures": "Departures abroad",
        "net_migration": "Net migration",
        "share_of_population": "Share of the population",
        "share_of_age_group": "Share of the age group",
        "employment_share": "Share of employment",
    },
    "nationality": {"total": "", "german": "Germans", "non_german": "non-Germans"},
    "sex": {"total": "", "male": "men", "female": "women"},
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
    rows = [(kind, code, label) for kind, labels in VOCABULARY.items() for code, label in labels.items()]
    return pd.DataFrame(rows, columns=["kind", "code", "label"])
