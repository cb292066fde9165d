"""The annual schedule and the raw-file sensor, evaluated directly against temporary copies of raw/."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import dagster as dg
import pytest

from pipeline.defs.automation.schedules import annual_refresh
from pipeline.defs.automation.sensors import CHANGED_TAG, PROFILE_KEY, refresh_profiles
from pipeline.defs.partitions import CITIES, EDITIONS
from pipeline.domain.config import Config
from tests.conftest import RAW, RawCopy, evaluate


def test_annual_schedule_fetches_and_registers_the_editions(instance, tmp_path):
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=dt.datetime(2027, 7, 1, 6, tzinfo=dt.UTC),
                                   resources={"project": Config(raw_dir=RAW, warehouse_path=tmp_path / "none.duckdb")}) as ctx:
        request = annual_refresh(ctx)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key is None and request.run_key == "annual-2027" and request.tags["newest_edition"] == "2024"
    assert instance.get_dynamic_partitions(EDITIONS.name) == ["2018", "2024"]
    assert annual_refresh.cron_schedule == "0 6 1 7 *" and annual_refresh.execution_timezone == "Europe/Berlin"
    assert annual_refresh.default_status == dg.DefaultScheduleStatus.STOPPED
    assert annual_refresh.job_name == "fetch_tables"  # the raw-file sensor then sees what it fetched


def test_annual_schedule_skips_with_a_reason_when_raw_holds_no_edition(instance, tmp_path):
    (tmp_path / "raw").mkdir()
    with dg.build_schedule_context(instance=instance, resources={"project": Config(raw_dir=tmp_path / "raw")}) as ctx:
        skip = annual_refresh(ctx)
    assert isinstance(skip, dg.SkipReason) and "raw/ holds no edition" in skip.skip_message


def test_unchanged_raw_is_a_skip_and_registers_the_editions(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    result = evaluate(raw.root, instance, defs)
    assert not result.run_requests
    assert "No data file in raw/ was added, changed or removed" in result.skip_reason.skip_message
    assert [r.partition_keys for r in result.dynamic_partitions_requests] == [["2018", "2024"]]


def test_a_changed_file_starts_one_warehouse_run_and_never_twice(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    instance.add_dynamic_partitions(EDITIONS.name, ["2018", "2024"])
    # a corrected 12411-15i: a new publication with one figure revised, registered in the manifest
    raw.replace_line("itnrw/12411-15i_2024.csv", "31.12.2024;05913;", lambda line: line.replace(";603462;", ";603463;"))
    second = evaluate(raw.root, instance, defs, first.cursor)
    assert len(second.run_requests) == 1
    run = second.run_requests[0]
    assert run.job_name == "build_warehouse" and run.partition_key is None
    assert json.loads(run.tags[CHANGED_TAG]) == ["area_population_density"]  # what refresh_profiles reads
    keys = {k.to_user_string() for k in run.asset_selection}
    assert {"raw/area_population_density", "staging/area_population_density", "core/indicators", "marts/synopsis"} <= keys
    assert "raw/population_by_sex" not in keys and not any(k.startswith("report/") for k in keys)  # only what the file affects
    third = evaluate(raw.root, instance, defs, second.cursor)
    assert not third.run_requests and third.skip_reason is not None
    # the same contents again (e.g. the file copied in a second time) give the same run key: Dagster drops it
    again = evaluate(raw.root, instance, defs, first.cursor)
    assert again.run_requests[0].run_key == run.run_key


def _built(instance, *keys):
    for key in keys:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=PROFILE_KEY, partition=key))


def _refresh(instance, warehouse, changed, monkeypatch):
    """refresh_profiles evaluated for a build_warehouse run that succeeded with ``changed`` in its tag."""
    monkeypatch.setenv("CMP_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CMP_RAW_DIR", str(RAW))
    run = instance.create_run_for_job(job_def=dg.GraphDefinition(name="build_warehouse", node_defs=[]).to_job(),
                                      tags={CHANGED_TAG: json.dumps(changed)} if changed is not None else {})
    event = dg.DagsterEvent(event_type_value="PIPELINE_SUCCESS", job_name="build_warehouse")
    ctx = dg.build_run_status_sensor_context(sensor_name="refresh_profiles", dagster_event=event, dagster_instance=instance,
                                             dagster_run=run)
    return refresh_profiles(ctx), run


def test_after_the_warehouse_the_touched_profiles_are_rendered(instance, warehouse, monkeypatch):
    # Essen's and Kreis Unna's 2024 profiles were built before; Köln's never
    _built(instance, "05113|2024", "05978|2024")
    requests, run = _refresh(instance, warehouse, ["area_population_density"], monkeypatch)
    # IT.NRW 12411-15i (2024) touches the 2024 edition: the built profiles, and the default city Dortmund
    assert sorted(r.partition_key for r in requests) == ["05113|2024", "05913|2024", "05978|2024"]
    assert {r.run_key for r in requests} == {f"{run.run_id}-{r.partition_key}" for r in requests}
    assert len(instance.get_dynamic_partitions(CITIES.name)) == 400  # the directory registered


def test_a_file_of_one_city_refreshes_only_that_citys_editions(instance, warehouse, monkeypatch):
    _built(instance, "05113|2024")
    requests, _ = _refresh(instance, warehouse, ["mc2cm_top_nationalities"], monkeypatch)
    # Dortmund's MC2CM profile: its 2018 edition and the 2024 edition that compares with it; nothing of Essen's
    assert sorted(r.partition_key for r in requests) == ["05913|2018", "05913|2024"]


def test_a_warehouse_run_tagged_everything_renders_the_newest_edition_of_every_built_profile(instance, warehouse, monkeypatch):
    _built(instance, "05113|2024", "05913|2018")
    requests, _ = _refresh(instance, warehouse, ["*"], monkeypatch)
    assert sorted(r.partition_key for r in requests) == ["05113|2024", "05913|2024"]


def test_a_warehouse_run_without_the_tag_refreshes_nothing(instance, warehouse, monkeypatch):
    skip, _ = _refresh(instance, warehouse, None, monkeypatch)
    assert isinstance(skip, dg.SkipReason) and "carries no cmp/changed-datasets tag" in skip.skip_message


def test_a_new_unlisted_file_starts_the_manifest_check(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    shutil.copy(raw.root / "itnrw" / "12411-15i_2024.csv", raw.root / "itnrw" / "12411-15i_2025.csv")
    result = evaluate(raw.root, instance, defs, first.cursor)
    assert len(result.run_requests) == 1
    run = result.run_requests[0]
    assert run.job_name == "build_warehouse" and run.partition_key is None
    assert [k.to_user_string() for k in run.asset_selection] == ["raw/sources_manifest"]


def test_a_new_file_is_seen_at_the_sensors_first_look(defs, instance, tmp_path):
    """With no cursor yet, the comparison is with the hashes the manifest registered."""
    raw = RawCopy(tmp_path / "raw")
    (raw.root / "itnrw" / "12411-15i_2025.csv").write_text("Tabelle: 12411-15i\n", encoding="iso-8859-1")
    result = evaluate(raw.root, instance, defs)
    assert [r.job_name for r in result.run_requests] == ["build_warehouse"]


@pytest.mark.parametrize("name", [".~lock.12411-15i_2024.csv#", "itnrw/.12411-15i_2024.csv.swp", "itnrw/README.md"])
def test_an_unrelated_file_is_a_skip_that_names_it(defs, instance, tmp_path, name):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    (raw.root / name).write_text("scratch", encoding="utf-8")
    result = evaluate(raw.root, instance, defs, first.cursor)
    assert not result.run_requests
    message = result.skip_reason.skip_message
    assert "No data file in raw/ was added, changed or removed" in message and f"raw/{name}" in message and "hidden or README" in message
    assert "raw/README.md" not in message.replace(f"raw/{name}", "")  # only what came: raw/README.md was there before


def test_a_link_out_of_raw_is_never_read(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    secret = tmp_path / "secret.csv"
    secret.write_text("not for the pipeline", encoding="utf-8")
    os.symlink(secret, raw.root / "itnrw" / "..%2f..%2fsecret.csv")
    os.symlink(tmp_path, raw.root / "escape")
    result = evaluate(raw.root, instance, defs, first.cursor)
    assert not result.run_requests
    message = result.skip_reason.skip_message
    assert "link outside raw/" in message and "raw/itnrw/..%2f..%2fsecret.csv" in message and "raw/escape" in message


def test_the_sensor_watches_the_versions_make_report_records(defs, instance, tmp_path):
    """One model of what changed: the sensor's look holds pipeline/versions.py's dataset versions (the raw assets'
    data versions, what make report records), and a first look compares with the published warehouse's record."""
    from pipeline import versions

    raw = RawCopy(tmp_path / "raw")
    built = versions.dataset_versions(raw.manifest())
    assert json.loads(evaluate(raw.root, instance, defs).cursor)["versions"] == built
    warehouse = tmp_path / "profile.duckdb"
    warehouse.write_bytes(b"a published warehouse")
    config = Config(raw_dir=raw.root, warehouse_path=warehouse)
    versions.record_warehouse(config, "code", built)
    assert evaluate(raw.root, instance, defs, warehouse=warehouse).run_requests == []
    # the warehouse was built before IT.NRW's 12411-15i changed: the first look starts its run
    versions.record_warehouse(config, "code", {**built, "area_population_density": "an older version"})
    result = evaluate(raw.root, instance, defs, warehouse=warehouse)
    assert [json.loads(r.tags[CHANGED_TAG]) for r in result.run_requests] == [["area_population_density"]]
    # a record of another warehouse file (replaced since) is no baseline: the manifest's registration is
    warehouse.write_bytes(b"another warehouse, built by hand")
    first = evaluate(raw.root, instance, defs, warehouse=warehouse)
    assert first.run_requests == []
    # a file whose contents changed without its manifest entry is a change of its dataset (its run then says what is wrong)
    raw.replace_line("itnrw/12411-15i_2024.csv", "31.12.2024;05913;", lambda line: line.replace(";603462;", ";603463;"), rehash=False)
    result = evaluate(raw.root, instance, defs, first.cursor)
    assert [json.loads(r.tags[CHANGED_TAG]) for r in result.run_requests] == [["area_population_density"]]


def test_the_districts_are_registered_in_the_order_of_their_keys_the_default_city_among_them(instance, warehouse):
    """A range of keys (the UI's grid, a batch run: 05111 to 05978 for NRW) holds the districts between them."""
    from pipeline.defs.partitions import sync_partitions

    sync_partitions(instance, RAW, warehouse, defaults=("05913",))
    cities = instance.get_dynamic_partitions(CITIES.name)
    assert len(cities) == 400 and cities == sorted(cities)
    assert cities[cities.index("05913") - 1:cities.index("05913") + 2] == ["05911", "05913", "05914"]  # Bochum, Dortmund, Hagen
