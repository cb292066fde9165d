"""The policy register (raw/city/dortmund_policy_register.csv): read as the city keeps it, and every kind of bad row
refused with its file, line, column and rule."""

import datetime as dt

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


def test_a_row_without_a_citation_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, CHARTER, lambda line: line.replace(",Eurocities,2024-04-16,", ",,2024-04-16,"))
    p = find(refused(raw_copy, "city_policy_register"), "str_length")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 32, "publisher")


def test_a_row_without_a_citation_date_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, CHARTER, lambda line: line.replace(",Eurocities,2024-04-16,", ",Eurocities,,"))
    p = find(refused(raw_copy, "city_policy_register"), "citation complete")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 32, "published")


def test_an_unknown_section_key_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, CHARTER, lambda line: line.replace(",international_cooperation,", ",foreign_policy,"))
    p = find(refused(raw_copy, "city_policy_register"), "isin")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 32, "subsection")
    assert "foreign_policy" in p.detail


def test_a_subsection_of_another_section_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, CHARTER, lambda line: line.replace("governance,international_cooperation", "governance,health"))
    p = find(refused(raw_copy, "city_policy_register"), "subsection belongs to the section")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 32, "subsection") and p.detail == "subsection = 'health' breaks the rule"


def test_valid_from_after_valid_to_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, KOMM_AN, lambda line: line.replace(",2016,2022,", ",2022,2016,"))
    p = find(refused(raw_copy, "city_policy_register"), "valid to not before valid from")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 17, "valid_to")


def test_a_summary_longer_than_the_limit_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, POLITIK, lambda line: line.replace("with three parties.", "with three parties." + " More." * 40))
    p = find(refused(raw_copy, "city_policy_register"), "str_length")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 50, "summary")


def test_a_date_in_the_future_is_refused(raw_copy):
    future = dt.date.today().year + 2
    raw_copy.replace_line(REGISTER, POLITIK, lambda line: line.replace(",2011-09,,", f",{future}-09,,"))
    p = find(refused(raw_copy, "city_policy_register"), "less_than_or_equal_to")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 50, "valid_from")


def test_a_date_written_otherwise_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, POLITIK, lambda line: line.replace(",2011-09,,", ",Sept. 2011,,"))
    p = find(refused(raw_copy, "city_policy_register"), "date format")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 50, "valid_from")


def test_a_city_key_not_listed_for_the_file_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, POLITIK, lambda line: line.replace("05913000,", "05113000,", 1))
    p = find(refused(raw_copy, "city_policy_register"), "rows of the entry's city only")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 50, "ags")


def test_an_unknown_kind_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, POLITIK, lambda line: line.replace(",programme,Politik", ",campaign,Politik"))
    p = find(refused(raw_copy, "city_policy_register"), "isin")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 50, "kind")

