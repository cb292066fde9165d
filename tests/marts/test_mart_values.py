"""Marts against the raw files: each breakdown a mart makes (sex, nationality, age group, flow) recomputed in the test
from the datasets as read from raw/ (fixture ``built``), every row, not only the first ones."""

from __future__ import annotations

import datetime as dt


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
