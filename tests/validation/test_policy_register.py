"""The policy register (raw/city/dortmund_policy_register.csv): read as the city keeps it, and every kind of bad row
refused with its file, line, column and rule."""

import datetime as dt

import pytest

from tests.validation.test_bad_input import find, refused

REGISTER = "city/dortmund_policy_register.csv"
CHARTER = "05913000,governance,international_cooperation,agreement,Integrating Cities Charter,"  # line 32
KOMM_AN = "05913000,governance,integration_initiatives,programme,KOMM-AN NRW,"  # line 17
POLITIK = "05913000,access_to_services,political_participation,programme,Politik Mit-Wirkung,"  # line 50


def test_the_register_reads_as_the_city_keeps_it(built):
    frame = built["city_policy_register"]
    assert len(frame) == 58 and set(frame["ags"]) == {"05913000"}
    charter = frame[frame["title"] == "Integrating Cities Charter"].iloc[0]
    assert (charter["section"], charter["subsection"], charter["kind"]) == ("governance", "international_cooperation", "agreement")
    assert charter["valid_from"] == dt.date(2024, 1, 1) and charter["valid_to"] != charter["valid_to"]  # open end (NaT)
    assert (charter["publisher"], charter["published"], charter["published_as"]) == ("Eurocities", dt.date(2024, 4, 16), "2024-04-16")
    komm = frame[frame["title"] == "KOMM-AN NRW"].iloc[0]
    assert (komm["valid_from"], komm["valid_to"]) == (dt.date(2016, 1, 1), dt.date(2022, 12, 31))  # 'valid to 2022': all of 2022
    politik = frame[frame["title"] == "Politik Mit-Wirkung"].iloc[0]
    assert politik["valid_from"] == dt.date(2011, 9, 1) and politik["publisher"] == "Cities of Migration"
    # every publication of the five seed documents is cited
    assert set(frame["publisher"]) == {"ICMPD, UCLG and UN-Habitat (MC2CM project)", "Eurocities", "Cities of Migration",
                                       "Integrationsrat der Stadt Dortmund"}
    assert frame["summary"].str.len().max() <= 300
    # the stated figures: the integration council's composition (flyer, 2014)
    figures = built["city_policy_figures"]
    council = figures[figures["indicator"] == "integration_council_members"].set_index("category")["value"]
    assert council.to_dict() == {"total": 27, "directly_elected": 18, "appointed_by_city_council": 9}


FUTURE = str(dt.date.today().year + 2)

# (what is wrong, the line changed, the text replaced, by what, the rule named, the line and column named)
REFUSALS = [
    ("a row without a citation", CHARTER, ",Eurocities,2024-04-16,", ",,2024-04-16,", "str_length", 32, "publisher"),
    ("a row without a citation date", CHARTER, ",Eurocities,2024-04-16,", ",Eurocities,,", "citation complete", 32, "published"),
    ("an unknown section key", CHARTER, ",international_cooperation,", ",foreign_policy,", "isin", 32, "subsection"),
    ("a subsection of another section", CHARTER, "governance,international_cooperation", "governance,health",
     "subsection belongs to the section", 32, "subsection"),
    ("valid-from after valid-to", KOMM_AN, ",2016,2022,", ",2022,2016,", "valid to not before valid from", 17, "valid_to"),
    ("a summary over the limit", POLITIK, "with three parties.", "with three parties." + " More." * 40, "text length limit", 50,
     "summary"),
    ("a date in the future", POLITIK, ",2011-09,,", f",{FUTURE}-09,,", "less_than_or_equal_to", 50, "valid_from"),
    ("a date written otherwise", POLITIK, ",2011-09,,", ",Sept. 2011,,", "date format", 50, "valid_from"),
    ("a city key not the file's", POLITIK, "05913000,", "05113000,", "rows of the entry's city only", 50, "ags"),
    ("an unknown kind", POLITIK, ",programme,Politik", ",campaign,Politik", "isin", 50, "kind"),
]


@pytest.mark.parametrize("what, row, old, new, rule, line, column", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_bad_row_is_refused_with_file_line_column_and_rule(raw_copy, what, row, old, new, rule, line, column):
    raw_copy.replace_line(REGISTER, row, lambda text: text.replace(old, new, 1))
    p = find(refused(raw_copy, "city_policy_register"), rule)
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", line, column), what
    if rule == "subsection belongs to the section":
        assert p.detail == "subsection = 'health' breaks the rule"
