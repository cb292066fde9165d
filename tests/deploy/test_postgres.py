"""The deployment a statistics office would run (deploy/postgres/dagster.yaml, docs/deployment.md): the instance in
a real PostgreSQL server (Debian's package, started by the test in a folder of its own), profiles built through the
instance's run queue by the daemon, two runs at a time, and what the instance recorded."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.domain.config import PROJECT_DIR
from tests.deploy import postgres

PROFILES = ["05913|2024", "14626|2024", "05913|2018"]  # Dortmund's two editions and Landkreis Görlitz
BIN = Path(sys.executable).parent


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"processes of the daemon's session {pgid} still run after SIGKILL")


def _wait(instance, done, seconds: float = 480) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        time.sleep(1)


def _asset_backfill(instance, keys: list[str]) -> str:
    """Submit a backfill of report/contents and report/profile for ``keys`` as the UI's launchPartitionBackfill does."""
    from dagster._core.execution.backfill import PartitionBackfill
    from dagster._core.utils import make_new_backfill_id

    from pipeline.definitions import defs
    from pipeline.defs.report.assets import CONTENTS_KEY, PROFILE_KEY

    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id=make_new_backfill_id(), asset_graph=defs().resolve_asset_graph(), partition_names=keys,
        asset_selection=[CONTENTS_KEY, PROFILE_KEY], backfill_timestamp=time.time(), tags={},
        dynamic_partitions_store=instance, all_partitions=False, title=None, description=None, run_config=None)
    instance.add_backfill(backfill)
    return backfill.backfill_id


@pytest.fixture
def deployment(warehouse, tmp_path):
    why = postgres.why_not()
    if why:
        pytest.skip(why)
    pytest.importorskip("dagster_postgres")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "deploy" / "postgres" / "dagster.yaml", home / "dagster.yaml")
    with postgres.Server() as server:
        env = {**os.environ, **server.env(), "DAGSTER_HOME": str(home), "CMP_WAREHOUSE": str(warehouse),
               "CMP_REPORT_DIR": str(tmp_path / "report")}
        yield env, tmp_path


def test_profiles_built_through_the_run_queue_on_postgresql(deployment, monkeypatch):
    env, tmp_path = deployment
    for name in ("DAGSTER_HOME", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_HOST", "DAGSTER_PG_PORT",
                 "DAGSTER_PG_DB", "CMP_WAREHOUSE", "CMP_REPORT_DIR"):
        monkeypatch.setenv(name, env[name])
    import dagster as dg
    from dagster._core.execution.backfill import BulkActionStatus
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage) and isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        instance.add_dynamic_partitions("city", ["05913", "14626"])
        instance.add_dynamic_partitions("edition", ["2018", "2024"])
        # a backfill of three profiles, as the UI's "Materialize" over partitions or the command line submits it
        cli = [str(BIN / "dagster"), "job", "backfill", "-m", "pipeline.definitions", "-j", "build_report", "--noprompt",
               "--partitions", ",".join(PROFILES)]
        launched = subprocess.run(cli, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
        assert launched.returncode == 0, launched.stderr[-3000:]
        queued = instance.get_run_records()
        assert sorted(r.dagster_run.tags["dagster/partition"] for r in queued) == sorted(PROFILES)
        assert {r.dagster_run.status for r in queued} == {dg.DagsterRunStatus.QUEUED}  # nothing runs without the daemon

        log = (tmp_path / "daemon.log").open("w")
        daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-m", "pipeline.definitions"], cwd=PROJECT_DIR, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait(instance, lambda: all(r.dagster_run.is_finished for r in instance.get_run_records()))
            jobs = {r.dagster_run.run_id for r in instance.get_run_records()}
            # then the same three as the UI's "Materialize" over a selection of partitions submits them: an asset
            # backfill, which the daemon cuts by the report assets' backfill policy into runs of ranges of one edition
            backfill = _asset_backfill(instance, PROFILES)
            _wait(instance, lambda: instance.get_backfill(backfill).status not in (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING)
                  and all(r.dagster_run.is_finished for r in instance.get_run_records()))
        finally:
            daemon.terminate()
            daemon.wait(60)
            log.close()
            # the code server the daemon started (dagster api grpc) outlives it and ignores SIGTERM: end its whole session
            _kill_group(daemon.pid)
        daemon_log = (tmp_path / "daemon.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        batches = [r for r in instance.get_run_records() if r.dagster_run.run_id not in jobs]
        assert instance.get_backfill(backfill).status == BulkActionStatus.COMPLETED_SUCCESS, daemon_log
        assert sorted((r.dagster_run.tags["dagster/asset_partition_range_start"], r.dagster_run.tags["dagster/asset_partition_range_end"])
                      for r in batches) == [("05913|2018", "05913|2024"), ("14626|2024", "14626|2024")]
        assert {r.dagster_run.status for r in batches} == {dg.DagsterRunStatus.SUCCESS}
        # (as many districts as editions: Dagster holds the district constant, so Dortmund's two editions are one run)
        ranged = next(r for r in batches if r.dagster_run.tags["dagster/asset_partition_range_start"] == "05913|2018")
        events = instance.all_logs(ranged.dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        assert sorted((e.dagster_event.asset_key.to_user_string(), e.dagster_event.partition) for e in events) == [
            ("report/contents", "05913|2018"), ("report/contents", "05913|2024"),
            ("report/profile", "05913|2018"), ("report/profile", "05913|2024")]

        records = [r for r in instance.get_run_records() if r.dagster_run.run_id in jobs]
        assert [r.dagster_run.status for r in records] == [dg.DagsterRunStatus.SUCCESS] * 3, daemon_log

        # the queue ran two at a time: two runs overlapped, never three
        spans = [(r.start_time, r.end_time) for r in records]
        at_once = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
        assert at_once == 2, spans

        # what the instance recorded: per profile, its contents and the rendered profile, one materialization each
        for record in records:
            key = record.dagster_run.tags["dagster/partition"]
            events = instance.all_logs(record.dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
            assert sorted(e.dagster_event.asset_key.to_user_string() for e in events) == ["report/contents", "report/profile"]
            assert {e.dagster_event.partition for e in events} == {key}
            profile = next(e for e in events if e.dagster_event.asset_key.path == ["report", "profile"])
            pdf = Path(profile.dagster_event.event_specific_data.materialization.metadata["pdf"].value)
            assert pdf.is_file() and pdf.parent == tmp_path / "report" / "_output"
        # the partitions the UI's grid shows as materialized
        assert set(instance.get_materialized_partitions(dg.AssetKey(["report", "profile"]))) == set(PROFILES)
