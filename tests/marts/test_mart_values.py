"""Marts against the raw files: each breakdown a mart makes (sex, nationality, age group, flow) recomputed in the test
from the datasets as read from raw/ (fixture ``built``), every row, not only the first ones."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def test_the_ten_largest_nationalities_are_the_raw_files_ten(sql, built):
    """Dortmund, 31.12.2024 (IT.NRW 12521-03i): the ten citizenships with the most persons in all (not men or women),
    in order, with their counts."""
    raw = built["foreigners_by_nationality"]
    totals = raw[(raw.ags == "05913") & (raw.sex == "total") & (raw.nationality_level == "country") & (raw.status == "")]
    expected = totals.sort_values(["value", "nationality_code"], ascending=[False, True]).head(10)
    mart = sql("SELECT rank, code, value FROM marts.top_nationalities WHERE region_code = '05913' AND year = 2024 ORDER BY rank")
    assert mart["rank"].tolist() == list(range(1, 11))
    assert mart["code"].tolist() == expected["nationality_code"].tolist()
    assert mart["value"].tolist() == expected["value"].tolist()
    assert mart["value"].iloc[:3].tolist() == [21515, 14600, 11165]  # Turkey, Syria, Poland


def test_germanys_migration_balance_by_nationality_is_the_raw_files(sql, built):
    """Every year, nationality and flow of the Statistischer Bericht's 12711-02, the table the mart takes for every
    year: Germans and non-Germans each where they belong."""
    raw = built["migration_germany_since_1950"]
    raw = raw[raw.status == ""]
    raw = raw.assign(year=[d.year for d in raw.reference_date])
    expected = {(int(r.year), r.nationality, r.flow): float(r.value) for r in raw.itertuples()}
    mart = sql("SELECT year, nationality, arrivals, departures, net_migration FROM marts.migration_germany")
    got = {}
    for r in mart.itertuples():
        for flow in ("arrivals", "departures", "net_migration"):
            if getattr(r, flow) == getattr(r, flow):  # (NaN: not printed)
                got[(int(r.year), r.nationality, flow)] = float(getattr(r, flow))
    assert got == {k: v for k, v in expected.items() if k in got} and len(got) >= 3 * 3 * 70
    # 2018: 1,585,112 arrivals in all, of whom 202,048 Germans and 1,383,064 non-Germans
    assert (got[(2018, "total", "arrivals")], got[(2018, "german", "arrivals")], got[(2018, "non_german", "arrivals")]) == (
        1585112, expected[(2018, "german", "arrivals")], expected[(2018, "non_german", "arrivals")])
    assert expected[(2018, "german", "arrivals")] + expected[(2018, "non_german", "arrivals")] == 1585112


def test_moves_by_age_are_the_raw_files_with_their_net(sql, built):
    """Dortmund 2021 (Regionaldatenbank 12711-04-02-4): arrivals and departures of every age group, men and women and
    in all, as the file gives them; the net is arrivals minus departures."""
    raw = built["migration_of_districts_by_age"]
    raw = raw[(raw.ags == "05913") & (raw.reference_date == dt.date(2021, 12, 31))]
    expected = {(r.sex, r.age_group, r.flow): float(r.value) for r in raw.itertuples()}
    mart = sql("SELECT sex, age_group, arrivals, departures, net_migration FROM marts.city_migration_by_age "
               "WHERE region_code = '05913' AND year = 2021")
    assert len(mart) == len({(s, a) for s, a, _ in expected}) == 21
    for r in mart.itertuples():
        assert (r.arrivals, r.departures) == (expected[(r.sex, r.age_group, "arrivals")], expected[(r.sex, r.age_group, "departures")])
        assert r.net_migration == r.arrivals - r.departures
    total = mart[(mart.sex == "total") & (mart.age_group == "total")].iloc[0]
    assert (total.arrivals, total.departures, total.net_migration) == (27380, 27103, 277)
    young = mart[(mart.sex == "total") & (mart.age_group == "18-25")].iloc[0]
    assert young.net_migration == 2106  # 6,789 - 4,683: the students who come to the city


def _bands(raw, nationality: str, lo: int, hi: int | None) -> float:
    """The sum of the raw bands of one nationality that lie within [lo, hi) (hi None: open)."""
    inside = (raw.nationality == nationality) & (raw.age_from >= lo) & (raw.age_group != "total")
    if hi is not None:
        inside &= raw.age_to.notna() & (raw.age_to <= hi)
    return float(raw.loc[inside, "value"].sum())


def test_germans_and_non_germans_by_age_group_are_the_raw_bands_added_up(sql, built):
    """Dortmund, 31.12.2024 (12411-03-03-4): each of the MC2CM profile's nine age groups, Germans and non-Germans, is the
    sum of the file's bands inside it; the share is non-Germans over both."""
    raw = built["population_by_nationality_and_age_group"]
    raw = raw[(raw.ags == "05913") & (raw.sex == "total") & (raw.reference_date == dt.date(2024, 12, 31))]
    mart = sql("SELECT age_group, age_from, age_to, germans, non_germans, share_non_german FROM marts.age_structure "
               "WHERE region_code = '05913' AND year = 2024 ORDER BY sort")
    assert len(mart) == 9
    for r in mart.itertuples():
        hi = None if pd.isna(r.age_to) else int(r.age_to)
        assert (r.germans, r.non_germans) == (_bands(raw, "german", int(r.age_from), hi), _bands(raw, "non_german", int(r.age_from), hi))
        assert r.share_non_german == 100 * r.non_germans / (r.germans + r.non_germans)
    assert mart.iloc[0][["germans", "non_germans"]].tolist() == [12556, 4045]  # under 3
    assert (mart.germans.sum(), mart.non_germans.sum()) == (478383, 125079)


def test_the_sectors_are_the_raw_files_sections(sql, built):
    """Dortmund, 2024 (IT.NRW 13111-54i): services are sections G-T, manufacturing and construction B-F, agriculture A;
    the shares are of the table's total, which holds one employee assigned to no section."""
    raw = built["employees_by_economic_section"]
    raw = raw[(raw.ags == "05913") & (raw.qualification == "total") & (raw.status == "")]
    section = raw.set_index("section_code")["value"]
    mart = sql("SELECT sector, employees, share, all_employees FROM marts.sectors WHERE region_code = '05913' AND year = 2024")
    got = mart.set_index("sector")
    assert got.employees.to_dict() == {"services": section["G-T"], "manufacturing_construction": section["B-F"],
                                       "agriculture_forestry": section["A"]} == {"services": 224080, "manufacturing_construction": 43768,
                                                                                 "agriculture_forestry": 142}
    assert set(got.all_employees) == {section["total"]} == {267991}
    assert got.share["services"] == 100 * 224080 / 267991


def test_protection_seekers_are_the_sums_over_the_raw_citizenships(sql, built):
    """Dortmund, 31.12.2024 (Destatis 12531-0043): each status is the sum of the file's cells over the citizenships
    (each cell rounded to 5), in all and for men and women."""
    raw = built["protection_seekers"]
    raw = raw[(raw.ags == "05913") & (raw.status == "")]
    expected = raw.groupby(["protection_status", "sex"])["value"].sum()
    rows = sql("SELECT category, sex, value FROM core.indicators WHERE region_code = '05913' AND indicator = 'protection_seekers' "
               "AND derivation = 'sum of the citizenships'")
    for r in rows.itertuples():
        by_sex = expected.xs(r.category, level="protection_status")
        want = float(by_sex.sum()) if r.sex == "total" else float(by_sex.get(r.sex, 0.0))
        assert r.value == want, (r.category, r.sex)
    mart = sql("SELECT status, value FROM marts.protection_status WHERE region_code = '05913'").set_index("status").value
    assert (mart["recognised_permanent"], mart["recognised_temporary"], mart["total"]) == (4205, 26050, 32360)


def test_legal_statuses_are_the_profiles_figures_and_add_up_to_its_total(sql, built):
    """Dortmund 31.12.2018 (MC2CM Fig. 8, from MKFFI NRW's AZR figures): every status as printed, its share of the
    printed total; the five statuses add up to that total (114,062)."""
    raw = built["mc2cm_legal_status"]
    printed = dict(zip(raw.category, raw.value, strict=True))
    total = printed.pop("total")
    mart = sql("SELECT legal_status, value, share, total, concept FROM marts.legal_status WHERE region_code = '05913' ORDER BY sort")
    assert mart["legal_status"].tolist() == list(printed) and mart["value"].tolist() == list(printed.values())
    assert set(mart["total"]) == {total} == {114062} and sum(printed.values()) == total
    assert mart["share"].tolist() == [100 * v / total for v in printed.values()]
    assert set(mart["concept"]) == {"foreigners_register"}  # the AZR, as the caption says


def test_social_indicators_are_the_raw_files_by_nationality(sql, built):
    """Dortmund: the unemployed and the unemployment rate in all and of foreigners (Regionaldatenbank 13211-02-05-4,
    2015-2020 and 2023) and the employees at the place of work, all and foreign, on 30 June (13111-07-05-4) in
    marts.labour_market_by_nationality, a '.' kept as a gap; the MC2CM Fig. 12 figures for Germans, non-Germans and
    all in marts.social_indicators, adding up as printed."""
    mart = sql("SELECT year, measure, nationality, value, status, source_id FROM marts.labour_market_by_nationality "
               "WHERE region_code = '05913'")
    got = {(int(r.year), r.measure, r.nationality, r.source_id): (r.value, r.status) for r in mart.itertuples()}
    raw = built["unemployment_by_group"]
    raw = raw[(raw.ags == "05913") & (raw.person_group.isin(["total", "foreigners"]))]
    nationality = {"total": "total", "foreigners": "non_german"}
    expected = {(r.reference_date.year, r.indicator, nationality[r.person_group], r.source_id): (r.value, r.status)
                for r in raw.itertuples() if r.indicator in ("unemployed", "unemployment_rate")}
    assert len(expected) == 28 and {k: got.get(k) for k in expected}.keys() == expected.keys()
    for k, (v, status) in expected.items():
        assert got[k][1] == status and (got[k][0] == v or (v != v and got[k][0] != got[k][0])), k
    assert expected[(2023, "unemployed", "non_german", "regio-13211-02-05-4-2023")] == (16576, "")
    assert got[(2018, "unemployment_rate", "non_german", "regio-13211-02-05-4-2015-2020")][1] == "."
    employees = built["employees_by_sector_and_nationality"]
    employees = employees[(employees.ags == "05913") & (employees.section_code == "total") & (employees.sex == "total")]
    by = {(r.reference_date.year, r.nationality): r.value for r in employees.itertuples()}
    for year in (2018, 2019, 2020):
        sid = f"regio-13111-07-05-4-{year}"
        assert got[(year, "employees_at_workplace", "total", sid)][0] == by[(year, "total")]
        share = got[(year, "foreign_share_of_employees", "non_german", sid)][0]
        assert share == 100 * by[(year, "non_german")] / by[(year, "total")]
    assert (by[(2020, "total")], by[(2020, "non_german")]) == (246840, 31188)
    social = sql("SELECT year, indicator, nationality, value, source_id FROM marts.social_indicators WHERE region_code = '05913'")
    assert not social.source_id.str.startswith(("regio-13211", "regio-13111")).any()  # (shown in the series above)
    have = {(int(r.year), r.indicator, r.nationality, r.source_id): r.value for r in social.itertuples()}
    profile = built["mc2cm_social_indicators"]
    for r in profile.itertuples():
        value = have[(r.reference_date.year, r.indicator, r.nationality, r.source_id)]
        assert value == r.value or (value != value and r.value != r.value), r  # (an empty cell stays empty)
    fig12 = {(r.reference_date.year, r.indicator, r.nationality): r.value for r in profile.itertuples()}
    assert fig12[(2015, "employees_social_security_at_residence", "german")] == 171000
    assert fig12[(2015, "employees_social_security_at_residence", "non_german")] == 23000
    assert fig12[(2015, "employees_social_security_at_residence", "total")] == 194000 == 171000 + 23000


def test_city_migration_is_the_raw_files_by_scope_with_its_net(sql, built):
    """Dortmund 2024 (Statistischer Bericht 12711-13): arrivals and departures from and to the same Land, another
    Land and abroad, and across the city's borders in all; the net is arrivals minus departures, and the three
    scopes add up to the moves across the borders."""
    raw = built["migration_of_districts"]
    raw = raw[(raw.ags == "05913") & (raw.reference_date == dt.date(2024, 12, 31))]
    expected = {(r.scope, r.flow): r.value for r in raw.itertuples()}
    mart = sql("SELECT scope, arrivals, departures, net_migration FROM marts.city_migration WHERE region_code = '05913' "
               "AND year = 2024 ORDER BY sort")
    assert mart["scope"].tolist() == ["within_land", "other_laender", "abroad", "across_district_borders"]
    for r in mart.itertuples():
        flows = ("arrivals", "departures", "net_migration")
        assert (r.arrivals, r.departures, r.net_migration) == tuple(expected[(r.scope, f)] for f in flows)
        assert r.net_migration == r.arrivals - r.departures
    assert mart.set_index("scope").loc["abroad", "net_migration"] == 12140 - 7542 == 4598
    parts = mart[mart.scope != "across_district_borders"]
    whole = mart[mart.scope == "across_district_borders"].iloc[0]
    assert (parts.arrivals.sum(), parts.departures.sum()) == (whole.arrivals, whole.departures) == (29823, 25891)


def test_immigration_history_is_the_census_figures_of_land_and_germany(sql, built):
    """Zensus 2022 (1000A-2022), all ages, for North Rhine-Westphalia and Germany: the population, those with an
    immigration history, of whom immigrated themselves and descendants; the share recomputed."""
    raw = built["immigration_history_by_land"]
    raw = raw[(raw.age_group == "total")]
    counts = {(r.ags, r.immigration_history): r.value for r in raw.itertuples()}
    mart = sql("SELECT area_code, area_level, population, with_history, immigrated, descendants, share "
               "FROM marts.immigration_history WHERE region_code = '05913' ORDER BY area_code")
    assert mart["area_code"].tolist() == ["05", "DG"] and mart["area_level"].tolist() == ["land", "germany"]
    for r in mart.itertuples():
        assert (r.population, r.with_history, r.immigrated, r.descendants) == tuple(
            counts[(r.area_code, k)] for k in ("total", "with_immigration_history", "immigrated", "descendants"))
        assert r.share == 100 * r.with_history / r.population
    nrw = mart.iloc[0]
    assert (nrw.population, nrw.with_history, round(nrw.share, 1)) == (17890489, 4420111, 24.7)


# The MC2CM profile's section 2 table (seed 002) row by row: the synopsis row and the line of the transcription in
# raw/mc2cm/ it takes its figure from (and the line of its share where the profile printed one).
SYNOPSIS_LINES = {
    "area": (8, None), "population": (13, None), "age_0_6": (14, None), "age_65plus": (18, None),
    "foreigners": (19, 20), "migration_background": (21, 22), "foreign_or_migration_background": (23, 24),
    "unemployment_rate": (25, None), "sector_services": (27, None), "welfare": (34, None), "school_dropouts": (36, None),
}


def test_the_synopsis_takes_each_profile_row_from_its_line(sql, built):
    raw = built["mc2cm_synopsis"].set_index("source_line")
    mart = sql("SELECT row_id, year, value, share FROM marts.synopsis WHERE region_code = '05913' AND source_id = 'mc2cm-synopsis'")
    mart = mart.set_index("row_id")
    for row_id, (line, share_line) in SYNOPSIS_LINES.items():
        assert mart.loc[row_id, "value"] == raw.loc[line, "value"], row_id
        assert mart.loc[row_id, "year"] == raw.loc[line, "reference_date"].year, row_id
        if share_line:
            assert mart.loc[row_id, "share"] == raw.loc[share_line, "value"], row_id
    assert (mart.loc["population", "value"], mart.loc["foreigners", "share"]) == (603600, 19)
    # a figure the profile printed as '---' is a row without a value, never a zero
    assert mart.loc["students", "value"] != mart.loc["students", "value"]


def test_the_synopsis_takes_the_nationwide_tables_for_every_district(sql, built):
    """Dortmund's 2024 and 2023 rows from the Regionaldatenbank: foreigners and their share, the under-6s (two age
    bands added), the leavers without a Hauptschulabschluss and the foreign students, each share recomputed."""
    from tests import raw_figures

    population, foreigners = raw_figures.counts()["05913"]
    under_6 = sum(raw_figures.age_bands("05913")[band] for band in ("unter 3 Jahre", "3 bis unter 6 Jahre"))
    leavers = built["school_leavers"]
    leavers = leavers[(leavers.ags == "05913") & (leavers.sex == "total")].set_index("qualification")["value"]
    students = built["students_by_nationality"]
    students = students[(students.ags == "05913") & (students.sex == "total") & (students.subject_group == "total")]
    students = students.set_index("nationality")["value"]

    def row(row_id, source_id):
        frame = sql(f"SELECT value, share FROM marts.synopsis WHERE region_code = '05913' AND row_id = '{row_id}' "
                    f"AND source_id = '{source_id}'")
        assert len(frame) == 1, (row_id, source_id)
        return frame.iloc[0]

    assert tuple(row("foreigners", "regio-12411-03-03-4-2024")) == (foreigners, 100 * foreigners / population)
    assert row("population", "regio-12411-03-03-4-2024").value == population == 603462
    assert row("age_0_6", "regio-12411-03-03-4-2024").value == under_6
    assert tuple(row("leavers_without_qualification", "regio-21111-02-06-4-2023")) == (
        leavers["without_hauptschulabschluss"], 100 * leavers["without_hauptschulabschluss"] / leavers["total"])
    assert tuple(row("foreign_students", "regio-21311-01-01-4-b-2023")) == (
        students["non_german"], 100 * students["non_german"] / students["total"])
    assert (leavers["without_hauptschulabschluss"], students["non_german"]) == (560, 7459)
