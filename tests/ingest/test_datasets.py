"""Every dataset built from the real files, checked against figures read off the publications."""

import datetime as dt
import math

import pytest

from tests.conftest import DORTMUND, value


def test_population_and_area_2024(built):
    f = built["area_population_density"]
    assert value(f, ags=DORTMUND, indicator="population") == 603462
    assert value(f, ags=DORTMUND, indicator="area") == pytest.approx(280.71)
    assert value(f, ags=DORTMUND, indicator="population_density") == pytest.approx(2149.8)
    assert set(f.census_basis) == {"Zensus 2022"}


def test_single_years_of_age_2024(built):
    f = built["population_by_single_year_of_age"]
    assert value(f, ags=DORTMUND, age_group="total") == 603462
    assert value(f, ags=DORTMUND, age_group="0-1") == 5385
    assert value(f, ags=DORTMUND, age_group="90+") == 5937  # the open top band, as in 12411-03-03-4
    assert f.query("ags == @DORTMUND and age_group != 'total'").value.sum() == 603462


def test_germans_and_foreigners_2024(built):
    f = built["population_by_nationality_and_age_group"]
    d = dict(ags=DORTMUND, age_group="total", sex="total")
    assert value(f, nationality="total", **d) == 603462
    assert value(f, nationality="german", **d) == 478383
    assert value(f, nationality="non_german", **d) == 125079
    assert value(f, ags=DORTMUND, age_group="0-3", sex="total", nationality="non_german") == 4045
    assert f.reference_date.iloc[0] == dt.date(2024, 12, 31)  # from the ISO style 2024-12-31


def test_foreigners_by_nationality_azr_2024(built):
    f = built["foreigners_by_nationality"]
    assert value(f, ags=DORTMUND, nationality="Türkei", sex="total") == 21515
    assert value(f, ags=DORTMUND, nationality="Syrien", sex="total") == 14600
    continents = f.query("ags == @DORTMUND and sex == 'total' and nationality_level == 'continent'")
    assert continents.value.sum() == 146995  # the AZR count; no total row is published


def test_employees_2024_with_names_resolved_to_codes(built):
    f = built["employees_by_economic_section"]
    assert value(f, ags=DORTMUND, section_code="total", qualification="total") == 267991
    assert value(f, ags=DORTMUND, section_code="G-T", qualification="total") == 224080
    assert value(f, ags="05", section_code="total", qualification="total") > 7_000_000
    assert f.ags.str.fullmatch(r"\d{2,5}").all()


def test_minimum_benefit_recipients_2024(built):
    f = built["minimum_benefit_recipients"]
    assert value(f, ags=DORTMUND, benefit="total") == 106414
    assert value(f, ags=DORTMUND, benefit="sgb2") == 88984
    assert not f.duplicated(["ags", "benefit"]).any()  # the SGB II column printed twice is kept once


def test_population_2023_and_2018(built):
    assert value(built["population_by_sex_and_age_group"], ags=DORTMUND, age_group="total", sex="total") == 601343
    f = built["population_by_sex"]
    assert value(f, ags=DORTMUND, sex="total") == 587010
    assert f.reference_date.iloc[0] == dt.date(2018, 12, 31)  # the date stood in the header
    gvisys = built["districts_area_population"]
    assert value(gvisys, ags=DORTMUND, indicator="population", sex="total", reference_date="2023-12-31") == 595471
    assert set(built["districts_area_population"].census_basis) == {"Zensus 2011"}


def test_migration_germany(built):
    f = built["migration_germany_abroad"]
    d = dict(reference_date="2018-12-31", nationality="total", country_code="total")
    assert value(f, flow="arrivals", **d) == 1585112
    assert value(f, flow="departures", **d) == 1185432
    assert value(f, flow="net_migration", **d) == 399680
    yemen_2020 = f.query("country_code == 'ST421' and reference_date == @dt.date(2020, 12, 31)")
    assert (yemen_2020.status == ".").all() and yemen_2020.value.isna().all()
    assert f.reference_date.min() == dt.date(2000, 12, 31) and f.reference_date.max() == dt.date(2023, 12, 31)


def test_city_register_and_profile_figures(built):
    assert value(built["city_register_figures"], reference_date="2023-12-31") == 612065
    assert value(built["mc2cm_top_nationalities"], category="Turkey") == 22845
    assert value(built["mc2cm_legal_status"], category="total") == 114062
    f = built["mc2cm_age_groups"]
    assert value(f, reference_date="2018-12-31", category="0-3", nationality="non_german", indicator="population") == 3309
    assert value(f, reference_date="2018-12-31", category="0-3", indicator="share_of_age_group") == 19.1
    assert math.isnan(
        value(built["mc2cm_social_indicators"], reference_date="2015-12-31", indicator="welfare_recipients", nationality="total")
    )
    assert len(built["mc2cm_labour_market_access"]) == 8


def test_every_row_names_its_source(built, manifest):
    ids = {e.id for e in manifest.entries}
    for name, frame in built.items():
        assert frame["source_id"].isin(ids).all(), name
