"""What is drawn and what is cited: the data a chart is drawn from (Part.chart, the object the drawing and the
alternative text are both made from) against the raw files, and every table's source line against the sources of the
rows it shows."""

from __future__ import annotations

import pytest

from pipeline.report.parts import PARTS
from tests import raw_figures
from tests.report.conftest import newest_edition


@pytest.fixture(scope="module")
def dortmund_2024(warehouse, tmp_path_factory):
    with newest_edition(warehouse, "05913", tmp_path_factory.mktemp("dortmund")) as ctx:
        yield ctx


def _part(ctx, name):
    return next(spec for spec in PARTS if spec.name == name).run(ctx)


def _plain(part) -> str:
    """The part's Markdown without its escapes (the alternative text is escaped inside the figure's attribute)."""
    return part.markdown.replace("\\", "")


def test_the_migration_chart_draws_arrivals_as_arrivals(dortmund_2024, built):
    part = _part(dortmund_2024, "migration-germany")
    drawn = part.chart.data
    raw = built["migration_germany_since_1950"]
    raw = raw[(raw.nationality == "total") & (raw.status == "")]
    flow = {(d.year, f): float(v) for d, f, v in zip(raw.reference_date, raw.flow, raw.value, strict=True)}
    assert part.chart.kind == "migration_balance"
    assert drawn["years"] == list(range(1950, 2025)) and drawn["breaks"] == (1991,)
    for name in ("arrivals", "departures"):
        assert drawn[name] == [flow[(y, name)] for y in drawn["years"]], name
    assert drawn["net"] == [flow[(y, "net_migration")] for y in drawn["years"]]
    # 2022: 2,665,772 arrivals, the most of any year; the alt text says so from the same figures
    i = drawn["years"].index(2022)
    assert drawn["arrivals"][i] == max(drawn["arrivals"]) and drawn["arrivals"][i] > drawn["departures"][i]
    assert "Arrivals were highest in 2022 (2.67 million)" in _plain(part)
    assert "In 2024: 1,694,192 arrivals, 1,264,009 departures, net +430,183." in _plain(part)


# a table or chart and the fact whose rows it shows: its source line cites exactly their sources
TABLES = {
    "sectors": lambda f: set(f.sectors.frame["source_id"]),
    "top-nationalities": lambda f: set(f.top_nationalities.frame["source_id"]),
    "age-groups": lambda f: set(f.age_structure.frame["source_id"]),
    "social-indicators": lambda f: set(f.social_indicators["source_id"]),
    "city-migration": lambda f: set(f.city_migration["source_id"]),
    "city-migration-by-age": lambda f: set(f.city_migration_by_age["source_id"]),
    "protection-status": lambda f: set(f.protection_status["source_id"]) | set(f.protection_status["foreigners_source_id"].dropna()),
    # the charts
    "migration-germany": lambda f: set(f.migration_germany["source_id"]),
    "population-trend": lambda f: set(f.population_trend.up_to_edition["source_id"]),
    "foreigner-share-cities": lambda f: set(f.foreigner_share_cities.frame["source_id"]),
    "top-nationalities-chart": lambda f: set(f.top_nationalities.frame["source_id"]),
    "age-structure-chart": lambda f: set(f.age_structure.frame["source_id"]),
    "peers-chart": lambda f: set(f.peers.frame["source_id"]),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_source_line_names_the_tables_of_its_rows(dortmund_2024, name):
    part = _part(dortmund_2024, name)
    expected = TABLES[name](dortmund_2024.facts)
    assert expected and part.sources == expected
    line = part.markdown[part.markdown.rindex("*Source:"):].replace("\\", "")
    # a source is named by its short name and period ('Regionaldatenbank 12711-04-02-4 (year 2021)': the files of
    # other years have the same short name)
    named = {sid for sid in dortmund_2024.sources.index
             if f"{dortmund_2024.sources.loc[sid, 'short_name']} ({dortmund_2024.period_of(sid)})" in line}
    assert named == expected


def test_the_age_chart_draws_each_groups_share(dortmund_2024, sql):
    drawn = _part(dortmund_2024, "age-structure-chart").chart.data
    groups, shares = drawn["groups"], drawn["shares_by_year"]
    mart = sql("SELECT age_group, year, share_non_german FROM marts.age_structure WHERE region_code = '05913' AND year = 2024 "
               "ORDER BY sort")
    assert groups == mart.age_group.tolist() and list(shares) == [2024]
    assert shares[2024] == mart.share_non_german.tolist()
    assert round(shares[2024][0], 1) == 24.4 and round(shares[2024][-1], 1) == 6.7  # under 3, 80 and over


def test_the_population_chart_draws_each_measurement_as_its_own_series(dortmund_2024, sql):
    series = _part(dortmund_2024, "population-trend").chart.data["series"]
    mart = sql("SELECT series, year, value, rounding FROM marts.population_trend WHERE region_code = '05913' AND year <= 2025 "
               "ORDER BY series, year")
    assert set(series) == set(mart.series) and list(series)[-1] == "Municipal register"
    for name, (years, values, rounded) in series.items():
        part = mart[mart.series == name]
        assert years == part.year.tolist() and values == part.value.tolist(), name
        assert rounded == [r > 0.5 for r in part.rounding], name
    register = dict(zip(series["Municipal register"][0], series["Municipal register"][2], strict=True))
    assert register[2018] is True and register[2019] is False  # 603,000 printed rounded; 603,609 to the person


def test_the_largest_cities_chart_draws_the_raw_files_fifteen(dortmund_2024):
    """Germany's 15 most populous cities on 31.12.2024 (the kreisfreie Städte and the cities 12411-03-03-4 lists in
    their own right, Hannover, Aachen and Saarbrücken among them), by share of foreigners, Dortmund highlighted."""
    part = _part(dortmund_2024, "foreigner-share-cities")
    drawn = part.chart.data
    shares, names, districts = raw_figures.shares(), raw_figures.names(), raw_figures.cities()
    keys = {raw_figures.CITY_STATE_KEYS.get(c, c): c for c in shares}
    cities = [k for k in keys if k in districts or len(k) == 8]
    largest = sorted(cities, key=lambda k: (-shares[keys[k]][0], k))[:15]
    largest.sort(key=lambda k: (-shares[keys[k]][1], k))
    assert drawn["labels"] == [names[keys[k]] for k in largest]
    assert drawn["values"] == pytest.approx([shares[keys[k]][1] for k in largest], rel=1e-12)
    assert drawn["highlight"] == [k == "05913" for k in largest] and "Hannover" in drawn["labels"]
    top, dortmund = drawn["values"][0], drawn["values"][drawn["highlight"].index(True)]
    assert (drawn["labels"][0], round(top, 1), round(dortmund, 1)) == ("Frankfurt am Main", 29.5, 20.7)
    assert f"highest in {drawn['labels'][0]} ({top:.1f} %)" in _plain(part)
    assert f"Dortmund {dortmund:.1f} %, highlighted" in _plain(part)


def test_the_peers_chart_draws_the_peer_group_of_the_raw_file(dortmund_2024):
    """The cities of 500,000 inhabitants and more on 31.12.2024, ranked by share of foreigners, with the lines of
    North Rhine-Westphalia and Germany."""
    part = _part(dortmund_2024, "peers-chart")
    drawn = part.chart.data
    shares, names, districts = raw_figures.shares(), raw_figures.names(), raw_figures.cities()
    peers = {raw_figures.CITY_STATE_KEYS.get(c, c): c for c, (population, _) in shares.items()
             if raw_figures.CITY_STATE_KEYS.get(c, c) in districts and population >= 500_000}
    ranked = sorted(peers, key=lambda k: (-shares[peers[k]][1], k))
    assert len(ranked) == 14 and drawn["values"] == pytest.approx([shares[peers[k]][1] for k in ranked], rel=1e-12)
    assert drawn["labels"] == [names[peers[k]] for k in ranked]
    assert drawn["highlight"] == [k == "05913" for k in ranked]
    assert list(drawn["references"]) == ["Nordrhein-Westfalen", "Germany"]
    assert list(drawn["references"].values()) == pytest.approx([shares["05"][1], shares["DG"][1]], rel=1e-12)
    assert f"reference lines: Nordrhein-Westfalen {shares['05'][1]:.1f} %; Germany {shares['DG'][1]:.1f} %." in _plain(part)


def test_the_nationalities_chart_draws_the_ten_largest_groups(dortmund_2024, built):
    part = _part(dortmund_2024, "top-nationalities-chart")
    drawn = part.chart.data
    raw = built["foreigners_by_nationality"]
    totals = raw[(raw.ags == "05913") & (raw.sex == "total") & (raw.nationality_level == "country") & (raw.status == "")]
    expected = totals.sort_values(["value", "nationality_code"], ascending=[False, True]).head(10)
    assert drawn["values"] == expected["value"].tolist() and drawn["labels"][:3] == ["Turkey", "Syria", "Poland"]
    assert drawn["highlight"] == [False] * 10
    assert f"the smallest of the ten, {drawn['labels'][-1]}, {int(drawn['values'][-1]):,}." in _plain(part)
