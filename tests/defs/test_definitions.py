"""The Dagster code location loads, and a full materialisation fills a temporary warehouse."""

import dagster as dg
import duckdb
import pytest

from pipeline.domain.config import PROJECT_DIR
from pipeline.domain.manifest import load_manifest
from pipeline.sources.registry import DATASETS
from tests.conftest import RAW, RawCopy


@pytest.fixture
def definitions(monkeypatch, tmp_path):
    def load(raw_dir=None, warehouse=None):
        from pipeline.domain.config import PROJECT_DIR

        monkeypatch.setenv("CMP_RAW_DIR", str(raw_dir or PROJECT_DIR / "raw"))
        monkeypatch.setenv("CMP_WAREHOUSE", str(warehouse or tmp_path / "w.duckdb"))
        from pipeline.definitions import defs

        return defs()

    return load


def test_definitions_load(definitions):
    defs = definitions()
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    names = {d.name for d in DATASETS}
    by_group: dict[str, set[str]] = {}
    for k in graph.get_all_asset_keys():
        by_group.setdefault(graph.get(k).group_name, set()).add(k.to_user_string())
    assert by_group == {
        "raw": {f"raw/{n}" for n in names} | {"raw/sources_manifest"},
        "staging": {f"staging/{n}" for n in names} | {"staging/sources"},
        "core": {"core/indicators", "core/profile_cities", "core/sources", "core/vocabulary"}
        | {f"seeds/{p.stem}" for p in (PROJECT_DIR / "warehouse" / "seeds").glob("*.csv")},
        "marts": {
            f"marts/{m}"
            for m in (
                "age_structure",
                "cities",
                "city_migration",
                "city_migration_by_age",
                "editions",
                "gender_distribution",
                "key_figures",
                "labour_market_by_nationality",
                "peer_labour",
                "peer_population",
                "peers",
                "plausibility",
                "policy_figures",
                "policy_register",
                "foreigner_share_cities",
                "immigration_history",
                "labour_market_access",
                "legal_status",
                "migration_germany",
                "population_trend",
                "protection_status",
                "pupils",
                "reconciliation",
                "reference_dates",
                "sectors",
                "social_indicators",
                "sources",
                "stakeholders",
                "synopsis",
                "top_nationalities",
            )
        },
        "reconciliation": {"reconciliation/rules", "reconciliation/comparisons", "reconciliation/plausibility"},
        "fetch": {"fetch/regionalstatistik", "fetch/genesis", "fetch/zensus2022", "fetch/landesdatenbank_nrw"},
        "report": {"report/contents", "report/profile"},
    }
    profiles = graph.get(dg.AssetKey(["report", "profile"])).partitions_def
    assert isinstance(profiles, dg.MultiPartitionsDefinition)
    assert [(d.name, d.partitions_def.name) for d in profiles.partitions_defs] == [("city", "city"), ("edition", "edition")]
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    for n in names:
        assert {(f"raw/{n}", "manifest"), (f"raw/{n}", "schema")} <= checks
    assert ("raw/sources_manifest", "files_listed_and_unchanged") in checks
    assert ("reconciliation/comparisons", "no_unexplained_differences") in checks
    assert ("reconciliation/plausibility", "register_figures_plausible") in checks
    assert defs.resolve_job_def("build_warehouse") is not None
    assert defs.resolve_job_def("build_report") is not None


def run(defs):
    return defs.resolve_job_def("build_warehouse").execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def test_full_materialisation_then_a_bad_file_keeps_the_last_good_table(definitions, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = run(definitions(warehouse=warehouse))
    assert first.success
    con = duckdb.connect(str(warehouse))
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'staging'").fetchall()}
    assert tables == {d.name for d in DATASETS} | {"sources"}
    assert con.execute("SELECT value FROM staging.area_population_density WHERE ags = '05913' AND indicator = 'population'").fetchone() == (
        603462,
    )
    assert con.execute("SELECT count(*) FROM staging.sources").fetchone() == (len(load_manifest(RAW).entries),)
    con.close()

    raw = RawCopy(tmp_path / "raw")
    raw.replace_line("itnrw/12411-15i_2024.csv", "31.12.2024;05913;", lambda line: line.replace(";603462;", ";-603462;"))
    second = run(definitions(raw_dir=raw.root, warehouse=warehouse))
    assert not second.success
    failed = {e.step_key for e in second.all_events if e.event_type_value == "STEP_FAILURE"}
    assert failed == {"raw__area_population_density"}
    evaluations = {
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name): e.event_specific_data
        for e in second.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    schema = evaluations[("raw/area_population_density", "schema")]
    assert not schema.passed and "line 361" in schema.description and "greater_than_or_equal_to(0)" in schema.description
    assert evaluations[("raw/area_population_density", "manifest")].passed
    failure = next(e for e in second.all_events if e.event_type_value == "STEP_FAILURE")
    assert "raw/itnrw/12411-15i_2024.csv, line 361, column 4" in str(failure.event_specific_data.error)
    con = duckdb.connect(str(warehouse))
    assert con.execute("SELECT value FROM staging.area_population_density WHERE ags = '05913' AND indicator = 'population'").fetchone() == (
        603462,
    )
    con.close()
    materialized = {e.asset_key.to_user_string() for e in second.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert "staging/population_by_nationality_and_age_group" in materialized  # unaffected sources still load
    assert "staging/employees_by_economic_section" not in materialized  # needs 12411-15i to resolve region names


def test_unlisted_raw_file_fails_the_manifest_check(definitions, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    (raw.root / "itnrw" / "12411-15i_2025.csv").write_text("Tabelle: 12411-15i\n", encoding="iso-8859-1")
    defs = definitions(raw_dir=raw.root)
    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=[dg.AssetKey(["raw", "sources_manifest"])]
    )
    assert not result.success
    check = next(e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION")
    assert not check.passed and "raw/itnrw/12411-15i_2025.csv" in check.description and "not listed" in check.description


def test_the_code_location_has_one_name_whatever_the_folder_is_called():
    """dg derives a project's code location name from its folder unless [tool.dg.project] names it; a clone in a
    folder not called city-migration-profile then warned on every Dagster command that the names differ."""
    import tomllib

    from pipeline.domain.config import PROJECT_DIR

    tool = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert tool["dg"]["project"]["code_location_name"] == tool["dagster"]["code_location_name"] == "city_migration_profile"
