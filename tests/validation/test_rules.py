"""Every cross-row rule of the pandera models can fail: a single changed figure in real data trips exactly it."""

import datetime as dt

import pandas as pd
import pytest

from pipeline.domain.errors import RawInputError
from pipeline.sources.registry import DATASETS_BY_NAME
from pipeline.validation.explain import validate_frame
from tests.conftest import DORTMUND


def rules_broken(built, name, change) -> set[str]:
    frame = built[name].copy()
    change(frame)
    model = DATASETS_BY_NAME[name].model
    try:
        validate_frame(model, frame, {sid: sid for sid in frame.source_id.unique()})
    except RawInputError as exc:
        return {p.rule for p in exc.problems}
    return set()


def at(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for k, v in where.items():
        mask &= frame[k].astype(str) == str(v)
    assert mask.sum() == 1, where
    return mask


def bump(name, by=1.0, **where):
    def change(frame):
        frame.loc[at(frame, **where), "value"] += by
    return change


CASES = [
    ("population_by_single_year_of_age", bump("", ags=DORTMUND, age_group="0-1"), "single years of age add up to the total"),
    ("population_by_single_year_of_age", bump("", 10, ags="05", age_group="total"), "districts add up to their Land and Regierungsbezirk"),
    (
        "area_population_density",
        bump("", 100, ags=DORTMUND, indicator="population_density"),
        "density equals population / area (to the printed rounding)",
    ),
    (
        "area_population_density",
        bump("", 5, ags="05978", indicator="population"),
        "municipalities add up to their district, districts to their Land",
    ),
    ("foreigners_by_nationality", bump("", 1, ags=DORTMUND, nationality_code="163", sex="total"), "AZR values are multiples of 5"),
    (
        "foreigners_by_nationality",
        bump("", 1000, ags=DORTMUND, nationality_code="163", sex="male"),
        "men and women do not exceed the total (±2 per AZR value)",
    ),
    (
        "foreigners_by_nationality",
        bump("", -10000, ags=DORTMUND, nationality_code="1", sex="total"),
        "nationalities do not exceed their continent (±2 per AZR value)",
    ),
    (
        "foreigners_by_nationality",
        bump("", -5000, ags="05", nationality_code="163", sex="total"),
        "districts do not exceed their Regierungsbezirk and Land (±2 per AZR value)",
    ),
    (
        "employees_by_economic_section",
        bump("", 1, ags=DORTMUND, section_code="A", qualification="school_none"),
        "school qualifications add up to the total",
    ),
    (
        "employees_by_economic_section",
        bump("", 1, ags=DORTMUND, section_code="A", qualification="vocational_none"),
        "vocational qualifications add up to the total",
    ),
    (
        "employees_by_economic_section",
        bump("", 5000, ags=DORTMUND, section_code="A", qualification="total"),
        "sections A, B-F and G-T do not exceed the total",
    ),
    (
        "employees_by_economic_section",
        bump("", 1, ags=DORTMUND, section_code="J", qualification="total"),
        "B-F = B-E + F and G-T = sum of its sections; C within B-E",
    ),
    ("minimum_benefit_recipients", bump("", 100, ags=DORTMUND, benefit="hlu"), "benefit types add up to the total (±2 per rounded value)"),
    (
        "minimum_benefit_recipients",
        bump("", 100, ags=DORTMUND, benefit="grundsicherung_old_age"),
        "old-age and reduced-earning-capacity basic income add up (±2 per rounded value)",
    ),
    (
        "minimum_benefit_recipients",
        bump("", 1, ags="05978", benefit="sgb2"),
        "municipalities add up to their district (SGB II exact, others ±2 per rounded value)",
    ),
    (
        "population_by_nationality_and_age_group",
        bump("", 1, ags=DORTMUND, age_group="0-3", nationality="german", sex="male"),
        "Germans and foreigners add up to the total",
    ),
    (
        "population_by_nationality_and_age_group",
        bump("", 1, ags=DORTMUND, age_group="0-3", nationality="total", sex="male"),
        "men and women add up to the total",
    ),
    (
        "population_by_nationality_and_age_group",
        bump("", 1, ags=DORTMUND, age_group="total", nationality="total", sex="total"),
        "age groups add up to the total",
    ),
    (
        "population_by_nationality_and_age_group",
        bump("", 1, ags="DG", age_group="0-3", nationality="total", sex="total"),
        "districts add up to their Land, Länder to Germany",
    ),
    ("population_by_sex_and_age_group", bump("", 1, ags=DORTMUND, age_group="total", sex="female"), "men and women add up to the total"),
    ("population_by_sex", bump("", 1, ags=DORTMUND, sex="total"), "districts add up to their Land, Länder to Germany"),
    (
        "migration_germany_abroad",
        bump("", 1, reference_date="2018-12-31", flow="arrivals", nationality="non_german", country_code="ST163"),
        "net migration = arrivals - departures",
    ),
    (
        "migration_germany_abroad",
        bump("", 1, reference_date="2018-12-31", flow="net_migration", nationality="german", country_code="ST163"),
        "Germans and foreigners add up to the total",
    ),
    (
        "migration_germany_abroad",
        bump("", 1, reference_date="2018-12-31", flow="arrivals", nationality="total", country_code="total"),
        "countries add up to the total",
    ),
    (
        "migration_germany_abroad",
        bump("", -2e6, reference_date="2018-12-31", flow="arrivals", nationality="total", country_code="total"),
        "arrivals and departures are whole, non-negative numbers",
    ),
    (
        "districts_area_population",
        bump("", 1, reference_date="2019-12-31", ags=DORTMUND, indicator="population", sex="male"),
        "men and women add up to the total",
    ),
    (
        "districts_area_population",
        bump("", 100, reference_date="2023-12-31", ags=DORTMUND, indicator="population_density"),
        "density equals population / area (rounded to whole persons per km²)",
    ),
    (
        "districts_area_population",
        bump("", 1, reference_date="2021-12-31", ags="05", indicator="population", sex="female"),
        "districts add up to their Land, Länder to Germany",
    ),
    ("mc2cm_synopsis", bump("", 10000, category="0-6"), "age groups add up to the population (to the printed hundreds)"),
    ("mc2cm_synopsis", bump("", 1, category="services"), "sector shares add up to 100 % (to the printed rounding)"),
    (
        "mc2cm_synopsis",
        bump("", 3, table_id="general_overview", indicator="share_of_population", nationality="non_german"),
        "printed shares agree with the counts they come from",
    ),
    (
        "mc2cm_age_groups",
        bump("", 0.1, reference_date="2018-12-31", category="0-3", indicator="share_of_age_group"),
        "printed shares agree with the counts they come from",
    ),
    ("mc2cm_top_nationalities", bump("", 20000, category="Morocco"), "listed from the largest down, as printed"),
    (
        "mc2cm_social_indicators",
        bump("", 2000, reference_date="2019-12-31", indicator="unemployed", nationality="german"),
        "Germans and non-Germans add up to the total (to the printed thousands)",
    ),
]


@pytest.mark.parametrize("name,change,rule", CASES, ids=[f"{c[0]}:{c[2][:40]}" for c in CASES])
def test_rule_trips(built, name, change, rule):
    assert rule in rules_broken(built, name, change)


def test_real_data_passes_every_rule(built):
    for name in built:
        assert rules_broken(built, name, lambda f: None) == set() or name in ("migration_germany_abroad", "migration_germany_since_1950")


def test_symbol_and_value_must_agree(built):
    def change(f):
        f.loc[at(f, ags=DORTMUND, indicator="area"), "status"] = "-"

    assert "symbol and value agree ('-' is 0, '.' '...' 'x' '/' have no value)" in rules_broken(built, "area_population_density", change)


def test_reference_date_in_the_future(built):
    def change(f):
        f["reference_date"] = dt.date.today() + dt.timedelta(days=400)

    assert "reference date between 1990 and today" in rules_broken(built, "city_register_figures", change)


def test_shares_above_100_percent(built):
    def change(f):
        f.loc[at(f, table_id="general_overview", indicator="share_of_population", nationality="non_german"), "value"] = 119.0

    assert "shares are at most 100 %" in rules_broken(built, "mc2cm_synopsis", change)


def test_migration_inconsistency_is_excused_only_where_the_manifest_says(built, manifest):
    from pipeline.validation.explain import validate_dataset

    d = DATASETS_BY_NAME["migration_germany_abroad"]
    entries = [e for e in manifest.for_dataset(d.name) if e.extra.get("role") != "structure"]
    result = validate_dataset(d, built[d.name], entries)
    assert len(result.accepted) == 6
    assert {p.column for p, _ in result.accepted} == {
        "value[20256]",
        "value[26064]",
        "value[23160]",
        "value[2903]",
        "value[8711]",
        "value[5807]",
    }
    assert all("Congo" in a.reason for _, a in result.accepted)
    assert rules_broken(built, d.name, lambda f: None) == {"Germans and foreigners add up to the total", "countries add up to the total"}


def test_men_and_women_may_exceed_the_total_by_the_azr_rounding_and_no_more(built):
    """Men plus women may exceed the AZR's total by the rounding of three values (±2 each: 6), not by 7 (Dortmund,
    Turkey, 31.12.2024; the change of a real cell, so the multiples-of-5 rule trips too and is left aside)."""
    rule = "men and women do not exceed the total (±2 per AZR value)"
    frame = built["foreigners_by_nationality"]
    cell = dict(ags=DORTMUND, nationality_code="163")
    value = {sex: float(frame.loc[at(frame, **cell, sex=sex), "value"].iloc[0]) for sex in ("total", "male", "female")}
    slack = value["total"] - value["male"] - value["female"]  # what the published parts fall short of the total
    assert rule not in rules_broken(built, "foreigners_by_nationality", bump("", slack + 6, **cell, sex="male"))
    assert rule in rules_broken(built, "foreigners_by_nationality", bump("", slack + 7, **cell, sex="male"))
