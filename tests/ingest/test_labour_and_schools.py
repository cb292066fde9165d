"""Regionaldatenbank 13211-02-05-4 (unemployment, Bundesagentur für Arbeit) and 21111-02-06-4 (school leavers): two
GENESIS tables in the classic layout with three header rows, read with the same reader as the population tables."""

from __future__ import annotations

from tests.conftest import DORTMUND, value
from tests.validation.test_bad_input import find, refused

UNEMPLOYMENT = "regionalstatistik/13211-02-05-4_2023.csv"
SCHOOLS = "regionalstatistik/21111-02-06-4_2023.csv"
DORTMUND_ROW = "2023;05913;"


def test_unemployment_2023_counts_and_rates(built):
    f = built["unemployment_by_group"]
    f = f[f["reference_date"].astype(str) == "2023-12-31"]  # (the 2015-2020 vintage: tests/sources/test_labour_by_nationality.py)
    d = f[f["ags"] == DORTMUND]
    assert value(d, indicator="unemployed", person_group="total") == 37080
    assert value(d, indicator="unemployed", person_group="foreigners") == 16576
    assert value(d, indicator="unemployed", person_group="long_term_unemployed") == 16278
    assert value(d, indicator="unemployment_rate", person_group="total") == 11.5
    assert value(d, indicator="unemployment_rate", person_group="foreigners") == 27.4
    assert value(d, indicator="unemployment_rate_dependent", person_group="total") == 12.3
    assert set(d.loc[d["indicator"] == "unemployed", "unit"]) == {"persons"}
    assert set(d.loc[d["indicator"] != "unemployed", "unit"]) == {"percent"}
    assert value(f, ags="DG", indicator="unemployed", person_group="total") == 2608672
    assert str(d["reference_date"].iloc[0]) == "2023-12-31"


def test_school_leavers_2023(built):
    f = built["school_leavers"]
    d = f[f["ags"] == DORTMUND]
    assert value(d, qualification="total", sex="total") == 5855
    assert value(d, qualification="without_hauptschulabschluss", sex="total") == 560
    assert value(d, qualification="without_hauptschulabschluss", sex="female") == 225
    assert value(d, qualification="hochschulreife", sex="total") == 2000
    # '-' in the Fachhochschulreife cells is a published zero
    fhr = d[(d["qualification"] == "fachhochschulreife") & (d["sex"] == "total")]
    assert (fhr["status"].iloc[0], fhr["value"].iloc[0]) == ("-", 0)


def test_foreigners_above_all_unemployed_is_refused(raw_copy):
    raw_copy.replace_line(UNEMPLOYMENT, DORTMUND_ROW, lambda line: line.replace(";37080;16576;", ";37080;37081;"))
    p = find(refused(raw_copy, "unemployment_by_group"), "no group of unemployed exceeds all unemployed")
    assert p.file == f"raw/{UNEMPLOYMENT}" and p.line == 134


def test_a_rate_above_100_is_refused(raw_copy):
    raw_copy.replace_line(UNEMPLOYMENT, DORTMUND_ROW, lambda line: line.replace(";27,4;", ";127,4;"))
    p = find(refused(raw_copy, "unemployment_by_group"), "rates are at most 100 %")
    assert p.line == 134


def test_qualifications_that_do_not_add_up_are_refused(raw_copy):
    raw_copy.replace_line(SCHOOLS, DORTMUND_ROW, lambda line: line.replace(";5855;2840;560;", ";5855;2840;660;"))
    p = find(refused(raw_copy, "school_leavers"), "the qualifications add up to all leavers")
    assert p.file == f"raw/{SCHOOLS}" and p.line == 134


# -- Regionaldatenbank 21311-01-01-4-B (flat file of the web service): students, winter semester 2023/24 -------------


def test_students_by_nationality(built):
    f = built["students_by_nationality"]
    d = f[(f["ags"] == "05913") & (f["subject_group"] == "total") & (f["sex"] == "total")]
    assert d.set_index("nationality")["value"].to_dict() == {"total": 49733, "non_german": 7459, "german": 42274}
    assert set(d["period_start"].map(str)) == {"2023-10-01"} and set(d["reference_date"].map(str)) == {"2024-03-31"}
    # Statistikamt Nord rounds to multiples of 3: Lübeck's total is 6 below the sum of Germans and foreigners
    hl = f[(f["ags"] == "01003") & (f["subject_group"] == "total") & (f["sex"] == "total")].set_index("nationality")["value"]
    assert (hl["total"], hl["german"] + hl["non_german"]) == (13713, 13719)


def test_a_semester_other_than_the_manifests_is_refused(raw_copy):
    raw_copy.edit_zipped_csv("regionalstatistik/21311-01-01-4-B_2023.zip", lambda t: t.replace(";2023-10P6M;", ";2022-10P6M;", 1))
    p = find(refused(raw_copy, "students_by_nationality"), "reference date matches manifest")
    assert p.column == "time" and "semester '2022-10P6M' but the manifest's period_start 2023-10-01 gives '2023-10P6M'" in p.detail
