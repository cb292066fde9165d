"""core.indicators: one vocabulary for every source, concepts never mixed, provenance on every row."""

import duckdb
import pytest

from pipeline.domain.config import region_key
from pipeline.warehouse.tables import run_script


def test_every_source_reaches_the_fact_table(sql):
    sources = set(sql("SELECT DISTINCT source_id FROM core.indicators").source_id)
    listed = set(
        sql(
            "SELECT id FROM staging.sources "
            "WHERE id NOT LIKE '%structure' AND dataset NOT IN ('mc2cm_labour_market_access', 'mc2cm_stakeholders', 'city_policy_register')"
        ).id
    )  # text tables stay in staging
    assert sources == listed


def test_concepts_are_kept_apart_for_the_same_thing(sql):
    rows = sql(
        "SELECT concept, census_basis, value, derivation FROM core.indicators WHERE region_code = '05913' "
        "AND reference_date = DATE '2024-12-31' AND indicator = 'population' AND nationality = 'non_german' "
        "AND sex = 'total' AND age_group = 'total' AND breakdown = 'total' ORDER BY concept"
    )
    assert rows.to_dict("records") == [
        {"concept": "foreigners_register", "census_basis": "", "value": 146995.0, "derivation": "sum of the six continents"},
        {"concept": "population_update", "census_basis": "Zensus 2022", "value": 125079.0, "derivation": ""},
    ]


def test_same_day_on_two_census_bases_and_the_register(sql):
    rows = sql(
        "SELECT concept, census_basis, value, publisher_level FROM core.indicators WHERE region_code = '05913' "
        "AND reference_date = DATE '2023-12-31' AND indicator = 'population' AND nationality = 'total' "
        "AND sex = 'total' AND age_group = 'total' AND breakdown = 'total' ORDER BY value"
    )
    assert list(rows.itertuples(index=False, name=None)) == [
        ("population_update", "Zensus 2011", 595471.0, "state"),
        ("population_update", "Zensus 2022", 601343.0, "state"),
        ("population_update", "Zensus 2022", 601343.0, "state"),  # 12411-02-03-4 and 12411-0015
        ("municipal_register", "register", 612065.0, "municipal"),
    ]


def test_city_key_and_profile_rows(sql):
    # the transcriptions key the city by 05913000; the fact table by the district key all tables use
    assert sql("SELECT count(*) AS n FROM core.indicators WHERE region_code = '05913000'").n[0] == 0
    fig8 = sql(
        "SELECT breakdown, value, concept, publisher_level FROM core.indicators "
        "WHERE source_id = 'mc2cm-fig08-legal-status' AND category = 'total'"
    )
    assert fig8.to_dict("records") == [
        {"breakdown": "total", "value": 114062.0, "concept": "foreigners_register", "publisher_level": "profile"}
    ]


def test_missing_values_stay_missing_with_their_symbol(sql):
    rows = sql(
        "SELECT value, status FROM core.indicators "
        "WHERE source_id = 'mc2cm-fig12-social-indicators' AND indicator = 'welfare_recipients' AND year(reference_date) = 2015"
    )
    assert len(rows) == 3 and rows.value.isna().all() and set(rows.status) == {"."}
    yemen = sql("SELECT value, status FROM core.indicators WHERE category = 'ST421' AND year(reference_date) = 2020")
    assert yemen.value.isna().all() and set(yemen.status) == {"."}


@pytest.mark.parametrize(
    "printed,unit,half_unit",
    [
        ("603.600", "persons", 50),
        ("113.000 (19%)", "persons", 500),
        ("194,000", "persons", 500),
        ("77.469", "persons", 0.5),
        ("~100.000 (welfare recipients)", "persons", 50000),
        ("19,1 %", "percent", 0.05),
        ("9 %", "percent", 0.5),
        ("281 km2", "km2", 0.5),
        ("280,71 km2", "km2", 0.005),
        ("19% (2019)", "percent", 0.5),
        ("", "persons", 0),
        ("7,25 € (excl. newly built)", "EUR per m2", 0),
    ],
)
def test_rounding_is_read_off_the_printed_figure(printed, unit, half_unit):
    con = duckdb.connect()
    run_script(con, "core", "macros.sql")
    assert con.execute("SELECT core.printed_half_unit(?, ?)", [printed, unit]).fetchone()[0] == pytest.approx(half_unit)


def test_region_key():
    con = duckdb.connect()
    run_script(con, "core", "macros.sql")
    keys = ("05913000", "05913", "03241001", "DG")
    assert con.execute("SELECT core.region_key(?), core.region_key(?), core.region_key(?), core.region_key(?)",
                       list(keys)).fetchone() == ("05913", "05913", "03241001", "DG")
    assert tuple(region_key(k) for k in keys) == ("05913", "05913", "03241001", "DG")  # its Python twin


def test_azr_figures_carry_their_rounding(sql):
    """Each AZR cell is within ±2 of the count (rounded to 5); the derived total of the six continents within ±12."""
    cells = sql("SELECT DISTINCT rounding FROM core.indicators WHERE source_id = 'itnrw-12521-03i-2024' AND derivation = ''")
    assert cells.rounding.tolist() == [2.0]
    total = sql("SELECT value, rounding FROM core.indicators WHERE source_id = 'itnrw-12521-03i-2024' AND region_code = '05913' "
                "AND derivation = 'sum of the six continents' AND sex = 'total'").iloc[0]
    assert (total.value, total.rounding) == (146995, 12.0)
