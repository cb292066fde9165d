"""Destatis 12411-0015: a GENESIS table with the reference dates across the columns, each value followed by its
quality flag, and the census basis changing over the years as its notes say."""

from __future__ import annotations

from tests.conftest import value
from tests.validation.test_bad_input import find, refused

FILE = "destatis/12411-0015_2000-2024.csv"
DORTMUND_ROW = "05913;Dortmund, kreisfreie Stadt;"


def test_every_year_of_the_city_with_its_census_basis_and_flag(built):
    f = built["population_of_districts"]
    dortmund = f[f["ags"] == "05913"]
    dortmund = dortmund.set_index(dortmund["reference_date"].map(lambda d: d.year))
    assert len(dortmund) == 25 and (dortmund.index == list(range(2000, 2025))).all()
    assert {y: dortmund.loc[y, "value"] for y in (2010, 2015, 2018, 2021, 2022, 2024)} == {
        2010: 580444, 2015: 586181, 2018: 587010, 2021: 586852, 2022: 599370, 2024: 603462}
    assert dortmund.loc[2010, "census_basis"] == "before Zensus 2011"
    assert dortmund.loc[2011, "census_basis"] == "Zensus 2011" and dortmund.loc[2021, "census_basis"] == "Zensus 2011"
    assert dortmund.loc[2022, "census_basis"] == "Zensus 2022"
    assert set(dortmund["quality"]) == {"e"}
    assert dortmund.loc[2024, "source_column"] == "51 (31.12.2024)" and dortmund.loc[2024, "source_line"] == 118
    # a district dissolved in 2016 prints '-' from then on, with no flag
    old = f[(f["ags"] == "03152") & (f["reference_date"].map(lambda d: d.year) == 2017)]
    assert (old["status"].iloc[0], old["quality"].iloc[0], old["value"].iloc[0]) == ("-", "", 0)
    assert value(f, ags="03159", reference_date="2024-12-31") == 328028


def test_an_unknown_quality_flag_is_refused(raw_copy):
    raw_copy.replace_line(FILE, DORTMUND_ROW, lambda line: line.replace(";580444;e;", ";580444;v;"))
    p = find(refused(raw_copy, "population_of_districts"), "known quality flags")
    assert (p.file, p.line, p.column) == (f"raw/{FILE}", 118, "24")
    assert "'v' after the value 580444 is not a quality flag" in p.detail


def test_a_number_without_its_flag_is_refused(raw_copy):
    raw_copy.replace_line(FILE, DORTMUND_ROW, lambda line: line.replace(";580444;e;", ";580444;;"))
    p = find(refused(raw_copy, "population_of_districts"), "known quality flags")
    assert (p.line, p.column) == (118, "24")


def test_a_date_header_above_a_flag_column_is_a_shifted_column(raw_copy):
    raw_copy.replace_line(FILE, ";;31.12.2000;;", lambda line: line.replace(";;31.12.2000;;31.12.2001;", ";;31.12.2000;31.12.2001;;"))
    p = find(refused(raw_copy, "population_of_districts"), "quality flag columns")
    assert p.line == 6 and p.column == "4 (31.12.2001)" and "header '31.12.2001' above a flag column" in p.detail


def test_notes_that_name_another_census_are_refused(raw_copy):
    raw_copy.edit_text(FILE, lambda text: text.replace("Ab 2022: Ergebnisse auf Grundlage des Zensus 2022.", "Ab 2022: Ergebnisse."))
    p = find(refused(raw_copy, "population_of_districts"), "census basis matches manifest")
    assert "the table's notes name census 2011" in p.detail and "Zensus 2011 from 2011, Zensus 2022 from 2022" in p.detail


def test_a_year_outside_the_manifest_period_is_refused(raw_copy):
    raw_copy.replace_line(FILE, ";;31.12.2000;;", lambda line: line.replace(";;31.12.2000;", ";;31.12.1999;"))
    p = find(refused(raw_copy, "population_of_districts"), "reference date matches manifest")
    assert "dated 1999-12-31 but the manifest gives the period 2000-12-31 to 2024-12-31" in p.detail


# -- Regionaldatenbank 12411-04-02-4: population by sex and single year of age, 31.12.2020 ---------------------------

BY_AGE = "regionalstatistik/12411-04-02-4_2020.csv"


def test_population_by_single_year_of_age_2020(built):
    f = built["population_by_sex_and_single_year_of_age"]
    d = f[f["ags"] == "05913"]
    assert set(d["reference_date"].map(str)) == {"2020-12-31"} and set(d["census_basis"]) == {"Zensus 2011"}
    assert value(d, age_group="total", sex="total") == 587696
    assert (value(d, age_group="total", sex="male"), value(d, age_group="total", sex="female")) == (289096, 298600)
    assert value(d, age_group="0-1", sex="total") == 5799 and value(d, age_group="90+", sex="female") == 4214
    assert value(d, age_group="75-80", sex="total") == 22729  # from 75 on, five-year bands
    assert len(d) == (79 + 1) * 3 and d.loc[d["age_group"] == "total", "source_line"].iloc[0] == 10007
    # a district dissolved before 2020 is listed with '-' throughout
    assert set(f.loc[f["ags"] == "03152", "status"]) == {"-"}


def test_a_table_whose_title_names_no_date_is_refused(raw_copy):
    raw_copy.replace_line(BY_AGE, "Stichtag: 31.12.2020", lambda line: line.replace("Stichtag: 31.12.2020", "Stichtag: 2020"))
    p = find(refused(raw_copy, "population_by_sex_and_single_year_of_age"), "reference date in title")
    assert p.file == f"raw/{BY_AGE}" and "'Stichtag: dd.mm.yyyy' names the table's date" in p.detail
