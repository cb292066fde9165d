"""Each mart against figures read off the MC2CM profile or the 2024 files."""

import pytest


def test_age_structure_shares_are_computed_and_match_the_profile(sql):
    row = sql("SELECT germans, non_germans, share_non_german FROM marts.age_structure "
              "WHERE region_code = '05913' AND year = 2018 AND age_group = '0-3'").iloc[0]
    assert (row.germans, row.non_germans) == (14012, 3309)
    assert round(row.share_non_german, 1) == 19.1  # as printed in Fig. 11
    printed = sql(
        "SELECT a.year, a.age_group, a.share_non_german, p.value AS printed, p.source_column FROM marts.age_structure a "
        "JOIN core.indicators p ON p.source_id = a.source_id AND p.indicator = 'share_of_age_group' AND p.age_group = a.age_group "
        "AND p.reference_date = a.reference_date AND p.region_code = a.region_code"
    )
    assert len(printed) == 18
    assert (printed.share_non_german - printed.printed).abs().max() < 0.5  # every printed share, to its rounding


def test_age_structure_2024_is_built_from_the_21_bands(sql):
    rows = sql("SELECT age_group, germans, non_germans FROM marts.age_structure WHERE region_code = '05913' AND year = 2024 ORDER BY sort")
    assert len(rows) == 9
    assert rows.iloc[0].tolist() == ["0-3", 12556, 4045]
    assert rows.germans.sum() == 478383 and rows.non_germans.sum() == 125079


def test_top_nationalities(sql):
    top = sql("SELECT year, rank, citizenship, value FROM marts.top_nationalities WHERE region_code = '05913' ORDER BY year, rank")
    assert top[top.year == 2018].iloc[0].tolist() == [2018, 1, "Turkey", 22845]
    y2024 = top[top.year == 2024]
    assert y2024.iloc[0].tolist() == [2024, 1, "Turkey", 21515]
    assert y2024.iloc[1].tolist() == [2024, 2, "Syria", 14600]  # Destatis labels the key 'Syrian'; corrected
    assert len(y2024) == 10 and y2024.value.is_monotonic_decreasing
    share = sql("SELECT share_of_foreigners FROM marts.top_nationalities "
                "WHERE region_code = '05913' AND year = 2024 AND rank = 1").share_of_foreigners[0]
    assert share == pytest.approx(100 * 21515 / 146995)


def test_legal_status(sql):
    rows = sql("SELECT legal_status, value, share, total FROM marts.legal_status WHERE region_code = '05913' ORDER BY sort")
    assert rows.total.unique().tolist() == [114062]
    assert rows.value.sum() == 114062
    assert rows.iloc[0].legal_status == "permanent_residence" and round(rows.iloc[0].share, 1) == 67.9


def test_sectors(sql):
    rows = sql("SELECT year, sector, employees, share, how FROM marts.sectors WHERE region_code = '05913' ORDER BY year, sort")
    y2024 = rows[rows.year == 2024].set_index("sector")
    assert y2024.loc["services", "employees"] == 224080
    assert round(y2024.loc["services", "share"], 1) == 83.6  # of 267,991 employees
    assert rows[rows.year == 2017].share.tolist() == [85.6, 14.3, 0.1]  # as printed


def test_population_trend_keeps_the_census_breaks(sql):
    rows = sql("SELECT year, series, value FROM marts.population_trend WHERE region_code = '05913' ORDER BY series, year")
    series = {s: dict(zip(g.year, g.value, strict=True)) for s, g in rows.groupby("series")}
    # every year 2000-2024 (12411-0015), each in the series of its census basis: no line runs across a break
    before = series["Population update (before Zensus 2011)"]
    assert list(before) == list(range(2000, 2011)) and before[2000] == 588994 and before[2010] == 580444
    z2011 = series["Population update (Zensus 2011 basis)"]
    assert list(z2011) == [*range(2011, 2022), 2023] and z2011[2011] == 571403 and z2011[2018] == 587010
    assert z2011[2023] == 595471  # GV-ISys still on the old basis
    assert series["Population update (Zensus 2022 basis)"] == {2022: 599370, 2023: 601343, 2024: 603462}
    assert series["Municipal register"][2023] == 612065 and series["Municipal register"][2019] == 603609


def test_population_trend_has_no_line_before_a_district_existed(sql):
    """Destatis 12411-0015 prints '-' for Dresden (14612) in 2000-2007: the district took that key in Saxony's 2008
    reform. Those years are no points of its line (charted as 0 inhabitants they were); no district anywhere has one."""
    dresden = sql("SELECT year, value FROM marts.population_trend WHERE region_code = '14612' AND series LIKE '%before%' ORDER BY year")
    assert dresden.year.tolist() == [2008, 2009, 2010] and dresden.value.tolist() == [512234, 517052, 523058]
    assert sql("SELECT count(*) AS n FROM marts.population_trend WHERE value <= 0").n.iloc[0] == 0


def test_migration_germany(sql):
    row = sql("SELECT arrivals, departures, net_migration FROM marts.migration_germany WHERE year = 2018 AND nationality = 'total'").iloc[0]
    assert row.tolist() == [1585112, 1185432, 399680]
    years = sql("SELECT DISTINCT year FROM marts.migration_germany ORDER BY year").year.tolist()
    assert years == list(range(1950, 2025))  # the Statistischer Bericht's years; no year is invented
    rows = sql("SELECT * FROM marts.migration_germany WHERE nationality = 'total' ORDER BY year").set_index("year")
    assert rows.loc[1991, ["arrivals", "departures", "net_migration"]].tolist() == [1198978, 596455, 602523]
    assert (rows.loc[1990, "territory"], rows.loc[1991, "territory"]) == ("former_territory", "germany")
    # where both tables have the year the newer publication (the Bericht, November 2025) is used
    assert set(rows["source_id"]) == {"destatis-bericht-12711-2024-germany"}
    # 1950-1953 have no split by nationality: no rows for Germans and non-Germans rather than zeros
    split = sql("SELECT min(year) AS y FROM marts.migration_germany WHERE nationality = 'german'").y[0]
    assert split == 1954


def test_city_migration(sql):
    rows = sql("SELECT * FROM marts.city_migration WHERE region_code = '05913'").set_index("scope")
    assert rows.loc["across_district_borders", ["arrivals", "departures", "net_migration"]].tolist() == [29823, 25891, 3932]
    assert rows.loc["abroad", "net_migration"] == 4598 and set(rows["year"]) == {2024}


def test_foreigner_share_in_the_largest_cities(sql):
    rows = sql("SELECT region_code, city, is_city, size_rank, population, share_foreigners FROM marts.foreigner_share_cities "
               "ORDER BY size_rank")
    assert rows.city.tolist()[:4] == ["Berlin", "Hamburg", "München", "Köln"]
    dortmund = rows[rows.region_code == "05913"].iloc[0]
    assert (dortmund.city, dortmund.size_rank, dortmund.population) == ("Dortmund", 9, 603462)
    assert round(dortmund.share_foreigners, 1) == 20.7  # 125,079 / 603,462
    assert {"Stuttgart", "Hannover"} <= set(rows.city)  # a Stadtkreis, and a city listed inside its Region
    # every district of the directory is listed, a Kreis without a size rank (it is not a city)
    unna = rows[rows.region_code == "05978"].iloc[0]
    assert (bool(unna.is_city), unna.population) == (False, 393784) and rows[rows.region_code == "05978"].size_rank.isna().all()
    assert len(rows) == 401  # the 400 districts of the directory and Hannover, a city inside its Region


def test_social_indicators(sql):
    rows = sql("SELECT year, indicator, nationality, value, status FROM marts.social_indicators WHERE region_code = '05913'")
    fig12 = rows[(rows.year == 2019) & (rows.indicator == "unemployed")].set_index("nationality").value
    assert fig12.to_dict() == {"german": 20000, "non_german": 12000, "total": 32000}
    assert rows[(rows.year == 2024) & (rows.indicator == "benefit_recipients")].value.tolist() == [106414]
    # the Bundesagentur's table for 2023: the counts by nationality and the rates in all and for foreigners, in the
    # labour market's series
    series = sql("SELECT year, measure, nationality, value FROM marts.labour_market_by_nationality WHERE region_code = '05913'")
    y23 = series[series.year == 2023]
    assert y23[y23.measure == "unemployed"].set_index("nationality").value.to_dict() == {"non_german": 16576, "total": 37080}
    assert y23[y23.measure == "unemployment_rate"].set_index("nationality").value.to_dict() == {"non_german": 27.4, "total": 11.5}


def test_synopsis_has_the_2023_unemployment_and_school_leavers(sql):
    rows = sql("SELECT row_id, year, value, share, source FROM marts.synopsis WHERE region_code = '05913' AND year = 2023")
    rows = rows.set_index("row_id")
    assert rows.loc["unemployment_rate", "value"] == 11.5
    assert "13211-02-05-4" in rows.loc["unemployment_rate", "source"]
    assert rows.loc["leavers_without_qualification", "value"] == 560
    assert round(rows.loc["leavers_without_qualification", "share"], 1) == 9.6  # 560 of 5,855
    assert "21111-02-06-4" in rows.loc["leavers_without_qualification", "source"]


def test_protection_status_beside_the_azr_total(sql):
    rows = sql("SELECT * FROM marts.protection_status WHERE region_code = '05913'").set_index("status")
    assert rows.loc["total", "value"] == 32360  # recognised 30,300 + open 1,060 + without status 1,000
    assert rows.loc["recognised", "rounding"] > 0 and rows.loc["open", "mc2cm_category"] == "asylum seekers (Aufenthaltsgestattung)"
    assert rows.loc["total", "foreigners"] == 146995 and round(rows.loc["total", "share_of_foreigners"], 1) == 22.0
    assert list(rows.sort_values("sort").index[:3]) == ["recognised", "recognised_permanent", "recognised_temporary"]


def test_immigration_history_of_the_citys_land(sql):
    rows = sql("SELECT * FROM marts.immigration_history WHERE region_code = '05913'").set_index("area_code")
    assert rows.loc["05", "area"] == "Nordrhein-Westfalen" and round(rows.loc["05", "share"], 1) == 24.7  # 4,420,111 of 17,890,489
    assert round(rows.loc["DG", "share"], 1) == 21.9 and set(rows.index) == {"05", "DG"}
