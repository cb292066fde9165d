"""The publishers' category labels, mapped to our codes. A label not listed here is refused, never guessed: when a
publisher renames a header, the run stops and names the header line and column."""

from __future__ import annotations

import re

SEX = {
    "Insgesamt": "total",
    "Total": "total",
    "männlich": "male",
    "weiblich": "female",
    "male": "male",
    "female": "female",
}

NATIONALITY = {
    "Insgesamt": "total",
    "Total": "total",
    "Deutsche": "german",
    "Ausländer/-innen": "non_german",
    "Ausländer": "non_german",
    "Foreigners": "non_german",
    "Germans": "german",
}

# What a figure measures. Two figures for "the same" thing under different concepts are different measurements;
# the reconciliation never treats them as one.
CONCEPTS = {
    "population_update": "population update (Bevölkerungsfortschreibung) of the statistical offices, on a census basis",
    "census_count": "the census count itself (Zensus 2022, on the census day 15 May 2022)",
    "municipal_register": "the city's population register (Einwohnermelderegister), main residence",
    "foreigners_register": "Central Register of Foreigners (Ausländerzentralregister, AZR)",
    "employment_statistics": "employment statistics of the Bundesagentur für Arbeit",
    "unemployment_statistics": "unemployment statistics of the Bundesagentur für Arbeit",
    "social_benefit_statistics": "statistics of minimum social security benefits",
    "migration_statistics": "migration statistics (registrations of moves across the border)",
    "area_survey": "land survey (cadastral area)",
    "school_statistics": "school statistics of the Länder (pupils and school leavers)",
    "student_statistics": "statistics of students at higher-education institutions (Studierendenstatistik)",
    "land_price_statistics": "statistics of purchase prices of building land (Kaufwerte für Bauland)",
    "municipal_report": "a report of the city (housing market, social situation)",
    "not_stated": "the publication does not say which measurement the figure comes from",
}

# Codes used in our tidy CSVs (and in the staging tables for every source).
NATIONALITY_CODES = ("total", "german", "non_german")
SEX_CODES = ("total", "male", "female")

_AGE_UNDER = re.compile(r"^unter (\d+) Jahre?n?$")
_AGE_RANGE = re.compile(r"^(\d+) bis unter (\d+) Jahre?n?$")
_AGE_OPEN = re.compile(r"^(\d+) Jahre? und (?:mehr|älter)$")
_AGE_CODE = re.compile(r"^(?:(\d+)-(\d+)|(\d+)\+|total)$")


def age_group(label: str) -> tuple[str, int | None, int | None]:
    """('25-30', 25, 30) for '25 bis unter 30 Jahre'; ('90+', 90, None) for '90 Jahre und mehr'; ('total', None,
    None) for 'Insgesamt'. Raises KeyError for anything else."""
    text = label.strip()
    if text in ("Insgesamt", "Total", "total"):
        return "total", None, None
    if m := _AGE_UNDER.match(text):
        return f"0-{m.group(1)}", 0, int(m.group(1))
    if m := _AGE_RANGE.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi <= lo:
            raise KeyError(label)
        return f"{lo}-{hi}", lo, hi
    if m := _AGE_OPEN.match(text):
        return f"{m.group(1)}+", int(m.group(1)), None
    raise KeyError(label)


def age_code_bounds(code: str) -> tuple[int | None, int | None]:
    """Bounds of one of our age codes ('0-3', '80+', 'total'). Raises KeyError for anything else."""
    m = _AGE_CODE.match(code.strip())
    if not m:
        raise KeyError(code)
    if m.group(1) is not None:
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi <= lo:
            raise KeyError(code)
        return lo, hi
    if m.group(3) is not None:
        return int(m.group(3)), None
    return None, None


_CENSUS = re.compile(r"Zensus\s*(\d{4})", re.IGNORECASE)


def census_years(text: str) -> set[str]:
    """Census bases named in a header text, e.g. {'2022'} for 'Bevölkerungsstand (Basis Zensus 2022 und früher)'."""
    return set(_CENSUS.findall(text))


# The policy register's vocabulary (raw/README.md, "Policy register"): the MC2CM profile's policy sections (4 city
# governance, 6 human rights and access to services, 7 conclusions) and their subsections, in the profile's order,
# each with the heading the report gives it. A register row names one section and one of its subsections.
POLICY_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "governance": (
        ("decentralisation", "Decentralisation"),
        ("local_migration_policy", "Local migration policy"),
        ("integration_initiatives", "Integration and inclusion initiatives"),
        ("mainstreaming", "Mainstreaming migration across sectors"),
        ("cross_cutting_issues", "Cross-cutting issues: gender, age, migration status"),
        ("institutional_framework", "Institutional framework"),
        ("stakeholders", "Stakeholders"),
        ("international_cooperation", "International cooperation"),
    ),
    "access_to_services": (
        ("language_cultural_knowledge", "Language and cultural knowledge"),
        ("safety_security", "Safety and security"),
        ("housing_basic_services", "Housing and basic services"),
        ("education_vocational_training", "Education and vocational training"),
        ("employment_entrepreneurship", "Employment and entrepreneurship"),
        ("health", "Health and well-being"),
        ("political_participation", "Political participation"),
        ("social_inclusion_cohesion", "Social inclusion and cohesion"),
        ("protection_against_discrimination", "Protection against discrimination"),
        ("narratives_public_attitudes", "Migration narratives and public attitudes"),
    ),
    "conclusions": (("city_priorities", "City priorities"),),
}
POLICY_SUBSECTIONS: dict[str, str] = {key: section for section, subs in POLICY_SECTIONS.items() for key, _ in subs}
POLICY_HEADINGS: dict[str, str] = {key: heading for subs in POLICY_SECTIONS.values() for key, heading in subs}
# What a register row is. The eight kinds, plus 'law' (an act of a parliament) and 'priority' (section 7).
POLICY_KINDS = ("strategy", "body", "programme", "agreement", "event", "service", "network", "figure", "law", "priority")
POLICY_SUMMARY_LIMIT = 300  # characters: a summary is a short statement in our words, never the source's text
