"""Words of the inputs that are not a code list (those are in pipeline/domain/codebook.py): the census basis a header
names, and the policy register's vocabulary."""

from __future__ import annotations

import re

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
