"""What is drawn and what is cited: the data a chart is drawn from (captured at the drawing call) against the raw
file, and every table's source line against the sources of the rows it shows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.ingest.manifest import load_manifest
from pipeline.report import charts
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from pipeline.report.parts import PARTS
from tests.conftest import RAW


@pytest.fixture(scope="module")
def dortmund_2024(warehouse, tmp_path_factory):
    con = duckdb.connect(str(warehouse), read_only=True)
    marts = MartReader(con)
    eds = district_editions(marts, load_manifest(RAW), "05913")
    ctx = ReportContext(marts, eds[-1], eds, EditionFolder(tmp_path_factory.mktemp("dortmund")), "05913")
    yield ctx
    con.close()


def _part(ctx, name):
    return next(spec for spec in PARTS if spec.name == name).run(ctx)


def test_the_migration_chart_draws_arrivals_as_arrivals(dortmund_2024, built, monkeypatch):
    drawn = {}

    def capture(years, arrivals, departures, net, path: Path, breaks=(), cache=None):
        drawn.update(years=years, arrivals=arrivals, departures=departures, net=net, breaks=breaks)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<svg/>")
        return path

    monkeypatch.setattr(charts, "migration_balance", capture)
    part = _part(dortmund_2024, "migration-germany")
    raw = built["migration_germany_since_1950"]
    raw = raw[(raw.nationality == "total") & (raw.status == "")]
    flow = {(d.year, f): float(v) for d, f, v in zip(raw.reference_date, raw.flow, raw.value, strict=True)}
    assert drawn["years"] == list(range(1950, 2025)) and drawn["breaks"] == (1991,)
    for name in ("arrivals", "departures"):
        assert drawn[name] == [flow[(y, name)] for y in drawn["years"]], name
    assert drawn["net"] == [flow[(y, "net_migration")] for y in drawn["years"]]
    # 2022: 2,665,772 arrivals, the most of any year; the alt text says so from the same figures
    i = drawn["years"].index(2022)
    assert drawn["arrivals"][i] == max(drawn["arrivals"]) and drawn["arrivals"][i] > drawn["departures"][i]
    assert "Arrivals were highest in 2022 (2.67 million)" in part.markdown


# a table part and the fact whose rows it shows: its source line cites exactly their sources
TABLES = {
    "sectors": lambda f: set(f.sectors.frame["source_id"]),
    "top-nationalities": lambda f: set(f.top_nationalities.frame["source_id"]),
    "age-groups": lambda f: set(f.age_structure.frame["source_id"]),
    "social-indicators": lambda f: set(f.social_indicators["source_id"]),
    "city-migration": lambda f: set(f.city_migration["source_id"]),
    "city-migration-by-age": lambda f: set(f.city_migration_by_age["source_id"]),
    "protection-status": lambda f: set(f.protection_status["source_id"]) | set(f.protection_status["foreigners_source_id"].dropna()),
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


def _capture(monkeypatch, name: str) -> dict:
    """Replace the chart function ``name`` by one that records its arguments and writes an empty SVG."""
    drawn: dict = {}

    def capture(*args, cache=None, **kwargs):
        drawn["args"], drawn["kwargs"] = args, kwargs
        path = next(a for a in [*args, *kwargs.values()] if isinstance(a, Path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<svg/>")
        return path

    monkeypatch.setattr(charts, name, capture)
    return drawn


def test_the_age_chart_draws_each_groups_share(dortmund_2024, sql, monkeypatch):
    drawn = _capture(monkeypatch, "age_shares")
    _part(dortmund_2024, "age-structure-chart")
    groups, shares = drawn["args"][0], drawn["args"][1]
    mart = sql("SELECT age_group, year, share_non_german FROM marts.age_structure WHERE region_code = '05913' AND year = 2024 "
               "ORDER BY sort")
    assert groups == mart.age_group.tolist() and list(shares) == [2024]
    assert shares[2024] == mart.share_non_german.tolist()
    assert round(shares[2024][0], 1) == 24.4 and round(shares[2024][-1], 1) == 6.7  # under 3, 80 and over


def test_the_population_chart_draws_each_measurement_as_its_own_series(dortmund_2024, sql, monkeypatch):
    drawn = _capture(monkeypatch, "population_trend")
    _part(dortmund_2024, "population-trend")
    series = drawn["args"][0]
    mart = sql("SELECT series, year, value, rounding FROM marts.population_trend WHERE region_code = '05913' AND year <= 2025 "
               "ORDER BY series, year")
    assert set(series) == set(mart.series) and list(series)[-1] == "Municipal register"
    for name, (years, values, rounded) in series.items():
        part = mart[mart.series == name]
        assert years == part.year.tolist() and values == part.value.tolist(), name
        assert rounded == [r > 0.5 for r in part.rounding], name
    register = dict(zip(series["Municipal register"][0], series["Municipal register"][2], strict=True))
    assert register[2018] is True and register[2019] is False  # 603,000 printed rounded; 603,609 to the person
