"""The scale benchmark's synthetic cities (bench/synthetic.py) and the warehouse holding several cities at once."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from bench.synthetic import city_ags, generate
from pipeline.domain.config import City, parse_cities
from pipeline.domain.editions import editions
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import load_manifest, sha256_of
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import build_dataset
from pipeline.report.context import ReportContext
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from pipeline.sources.registry import DATASETS
from pipeline.validation.explain import validate_dataset
from tests.conftest import RAW, build_warehouse, value


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic") / "raw"
    return root, generate(RAW, root, 3)


def _build_all(raw, cities):
    ctx = BuildContext(load_manifest(raw), {}, tuple(City(ags, name) for ags, name in cities))
    for d in DATASETS:
        frame, entries = build_dataset(d, ctx)
        ctx.upstream[d.name] = validate_dataset(d, frame, entries).frame
    return ctx.upstream


def test_files_keep_the_publishers_layout_and_only_synthetic_regions(synthetic):
    raw, cities = synthetic
    assert cities == [("99001000", "Synthstadt 001"), ("99002000", "Synthstadt 002"), ("99003000", "Synthstadt 003")]
    original = (RAW / "itnrw" / "12411-15i_2024.csv").read_text(encoding="iso-8859-1").splitlines()
    made = (raw / "itnrw" / "12411-15i_2024.csv").read_text(encoding="iso-8859-1").splitlines()
    # title and header lines as published, then one row per synthetic city, then the publisher's footer unchanged
    assert made[:5] == original[:5]
    assert made[5:8] == [f"31.12.2024;9900{k};    Synthstadt 00{k}, krfr. Stadt;603462;280,71;2149,8" for k in (1, 2, 3)]
    footer = next(i for i, line in enumerate(original) if line.startswith("____"))
    assert made[8:] == original[footer:] and len(original[footer:]) > 10
    assert "Dortmund" not in "\n".join(made) and ";05" not in "\n".join(made[5:8])
    # the manifest lists the new files with their sha256 and says they are synthetic
    for entry in load_manifest(raw).entries:
        assert entry.sha256 == sha256_of(raw / entry.file)
    entry = next(e for e in load_manifest(raw).entries if e.file == "itnrw/12411-15i_2024.csv")
    assert entry.notes.startswith("SYNTHETIC, for the scale benchmark only")


def test_every_dataset_reads_and_validates_for_every_city(synthetic):
    raw, cities = synthetic
    frames = _build_all(raw, cities)
    area = frames["area_population_density"]
    assert sorted(area["ags"].unique()) == ["99001", "99002", "99003"]
    for ags in ("99001", "99003"):  # every synthetic city carries the template city's figures
        assert value(area, ags=ags, indicator="population") == 603462
    employees = frames["employees_by_economic_section"]  # regions named without codes resolve to synthetic codes
    assert sorted(employees["ags"].unique()) == ["99001", "99002", "99003"]
    # the workbooks too: GV-ISys's district sheet of each year, and each year stacked in the building-land export
    for name, years in (("districts_area_population", [2018, 2019, 2021, 2023]), ("building_land_sales", [2019, 2020, 2021])):
        frame = frames[name]
        for ags, _ in cities:
            assert sorted(pd.to_datetime(frame[frame["ags"] == ags[:5]]["reference_date"]).dt.year.unique()) == years, (name, ags)
    register = frames["city_register_figures"]  # the tidy transcriptions: one set of rows per city
    assert register.groupby("ags").size().to_dict() == {a: 6 for a, _ in cities}


def test_a_city_missing_from_the_tables_is_named(synthetic):
    raw, cities = synthetic
    with pytest.raises(RawInputError) as exc:
        _build_all(raw, [*cities, (city_ags(4), "Synthstadt 004")])
    assert "no row for Synthstadt 004 (AGS 99004000 / 99004)" in str(exc.value)
    assert {p.rule for p in exc.value.problems} == {"profile city listed under its AGS"}


def test_cities_setting():
    assert parse_cities(" 05111000=Düsseldorf; 05913000=Dortmund, Stadt ;") == (
        City("05111000", "Düsseldorf"),
        City("05913000", "Dortmund, Stadt"),
    )
    assert parse_cities(" 05111000=Düsseldorf; 05913000=Dortmund, Stadt ;")[1].region_codes == ("05913000", "05913")
    assert City("05978024", "Unna").region_codes == ("05978024",)
    with pytest.raises(ValueError, match="is not AGS=Name"):
        parse_cities("05111000")
    with pytest.raises(ValueError, match="8 digits"):
        parse_cities("0511=Düsseldorf")


def test_one_warehouse_holds_several_cities_and_a_report_context_picks_one(synthetic, tmp_path, monkeypatch):
    raw, cities = synthetic
    monkeypatch.setenv("CMP_CITY_AGS", cities[0][0])
    monkeypatch.setenv("CMP_CITY_NAME", cities[0][1])
    monkeypatch.setenv("CMP_CITIES", ";".join(f"{a}={n}" for a, n in cities[1:]))
    path = tmp_path / "w.duckdb"
    assert build_warehouse(raw, path).success
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT region_code, city_name FROM core.profile_cities ORDER BY 1").fetchall() == [
            ("99001", "Synthstadt 001"),
            ("99002", "Synthstadt 002"),
            ("99003", "Synthstadt 003"),
        ]
        assert con.execute("SELECT region_code, count(*) FROM marts.population_trend GROUP BY 1 ORDER BY 1").fetchall()[1][0] == "99002"
        edition = editions(load_manifest(raw))[-1]
        ctx = ReportContext(MartReader(con), edition, [edition], EditionFolder(tmp_path), "99002000")
        assert (ctx.region_code, ctx.city) == ("99002", "Synthstadt 002")
        assert set(ctx.facts.population_trend.up_to_edition["region_code"]) == {"99002"}
        # every mart grows by the same rows per city (a join that forgot the city would multiply them)
        # (106, as for Dortmund: the 27 indicator rows with every candidate figure, the yearly population 2000-2024,
        # the building-land price of each year 2019-2021, the unemployment rate of each year 2015-2020 and 2023 and the
        # three sectors of each 30 June 2018-2020 among them)
        assert con.execute("SELECT DISTINCT count(*) FROM marts.synopsis GROUP BY region_code").fetchall() == [(106,)]
        # the comparison of cities speaks of the report's own city, not of the warehouse's first one
        own_rank = con.execute("SELECT size_rank FROM marts.foreigner_share_cities WHERE region_code = '99002'").fetchone()[0]
        assert ctx.facts.foreigner_share_cities.size_rank == own_rank
        with pytest.raises(ValueError, match="directory of districts \\(marts.cities, 3 districts\\) has no district 05913000"):
            ReportContext(MartReader(con), edition, [edition], EditionFolder(tmp_path), "05913000")
