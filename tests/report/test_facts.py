"""The facts the report's parts are made of, from the session's warehouse."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.domain.editions import editions
from pipeline.domain.manifest import load_manifest
from pipeline.report.context import ReportContext
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from tests.conftest import DORTMUND, RAW

EDITIONS = {e.key: e for e in editions(load_manifest(RAW))}


@pytest.fixture(scope="module")
def facts_of(warehouse, tmp_path_factory):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield lambda key: ReportContext(MartReader(con), EDITIONS[key], list(EDITIONS.values()),
                                    EditionFolder(tmp_path_factory.mktemp(key)), DORTMUND).facts
    con.close()


def test_the_population_chart_marks_each_change_of_census_basis_it_shows(facts_of):
    assert facts_of("2018").population_trend.breaks == [2011]  # 2000-2019
    assert facts_of("2024").population_trend.breaks == [2011, 2022]  # 2000-2024
    trend = facts_of("2024").population_trend.up_to_edition
    assert trend["year"].min() == 2000 and trend["year"].max() == 2024


def test_a_batch_reader_forgets_a_district_once_its_profile_is_done(warehouse):
    """A batch's reader keeps what it read whole for the next profile, and drops the district's own rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = MartReader(con)
        own = marts.read("synopsis", DORTMUND)
        assert set(own["region_code"]) == {DORTMUND}
        cities = marts.read("cities")
        marts.forget(DORTMUND)
        assert list(marts._frames) == [("cities", None)]
        assert marts.read("cities").equals(cities) and marts.read("synopsis", DORTMUND).equals(own)
