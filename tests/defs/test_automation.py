"""The annual schedule and the raw-file sensor, evaluated directly against temporary copies of raw/."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import dagster as dg
import pytest

from pipeline.config import Config
from pipeline.defs.automation.schedules import annual_refresh
from pipeline.defs.partitions import EDITIONS
from tests.conftest import RAW, RawCopy, evaluate


def test_annual_schedule_runs_the_newest_edition_and_registers_the_editions(instance):
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=dt.datetime(2027, 7, 1, 6, tzinfo=dt.UTC),
                                    resources={"project": Config(raw_dir=RAW)})
    request = annual_refresh(ctx)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2024" and request.run_key == "annual-2027-edition-2024"
    assert instance.get_dynamic_partitions(EDITIONS.name) == ["2018", "2024"]
    assert annual_refresh.cron_schedule == "0 6 1 7 *" and annual_refresh.execution_timezone == "Europe/Berlin"
    assert annual_refresh.default_status == dg.DefaultScheduleStatus.STOPPED


def test_annual_schedule_skips_with_a_reason_when_raw_holds_no_edition(instance, tmp_path):
    (tmp_path / "raw").mkdir()
    ctx = dg.build_schedule_context(instance=instance, resources={"project": Config(raw_dir=tmp_path / "raw")})
    skip = annual_refresh(ctx)
    assert isinstance(skip, dg.SkipReason) and "raw/ holds no edition" in skip.skip_message


def test_unchanged_raw_is_a_skip_and_registers_the_editions(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    result = evaluate(raw.root, instance, defs)
    assert not result.run_requests
    assert "No data file in raw/ was added, changed or removed" in result.skip_reason.skip_message
    assert [r.partition_keys for r in result.dynamic_partitions_requests] == [["2018", "2024"]]


def test_a_changed_file_starts_one_run_for_its_edition_and_never_twice(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    instance.add_dynamic_partitions(EDITIONS.name, ["2018", "2024"])
    # a corrected 12411-15i: a new publication with one figure revised, registered in the manifest
    raw.replace_line("itnrw/12411-15i_2024.csv", "31.12.2024;05913;", lambda line: line.replace(";603462;", ";603463;"))
    second = evaluate(raw.root, instance, defs, first.cursor)
    assert len(second.run_requests) == 1
    run = second.run_requests[0]
    assert run.job_name == "refresh_edition" and run.partition_key == "2024"
    keys = {k.to_user_string() for k in run.asset_selection}
    assert {"raw/area_population_density", "staging/area_population_density", "core/indicators", "report/profile"} <= keys
    assert "raw/population_by_sex" not in keys  # only what the file affects
    third = evaluate(raw.root, instance, defs, second.cursor)
    assert not third.run_requests and third.skip_reason is not None
    # the same contents again (e.g. the file copied in a second time) give the same run key: Dagster drops it
    again = evaluate(raw.root, instance, defs, first.cursor)
    assert again.run_requests[0].run_key == run.run_key


def test_a_file_of_the_first_edition_refreshes_it_and_the_edition_that_compares_with_it(defs, instance, tmp_path):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    raw.edit_text("mc2cm/fig09_top_nationalities.csv", lambda t: t.replace("22845", "22846"))
    runs = evaluate(raw.root, instance, defs, first.cursor).run_requests
    assert [(r.job_name, r.partition_key) for r in runs] == [("refresh_edition", "2018"), ("refresh_edition", "2024")]
    assert {k.to_user_string() for k in runs[1].asset_selection} == {
        k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys() if k.path[0] == "report"
    }


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
