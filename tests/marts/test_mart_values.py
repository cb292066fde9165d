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
