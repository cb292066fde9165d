"""`make report` renders profiles in batches, one Dagster run over a range of partitions each, with one materialization
per profile and asset in the project's instance; a profile that fails in a batch does not stop the others, which are
recorded as materialized without being rendered twice (pipeline/defs/report/batches.py, pipeline/cli/build.py).

Duisburg, Essen and Krefeld (05112, 05113, 05114) follow each other in the instance's list of districts, so the three
are one range run."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef

from pipeline.defs.report.assets import CONTENTS_KEY, PROFILE_KEY

KEYS = ["05112|2024", "05113|2024", "05114|2024"]
ESSEN = "05113|2024"


def _build(argv, env, monkeypatch) -> tuple[int, str]:
    from pipeline.__main__ import main

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("CMP_BUILD_LOG", raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["build", *argv])
    return code, out.getvalue()


@pytest.fixture
def stage(built_report, tmp_path):
    """The session's warehouse (read only, up to date), a report folder and a Dagster home of this test's own."""
    report = tmp_path / "report"
    shutil.copytree(built_report.report_dir / "_output", report / "_output",
                    ignore=shutil.ignore_patterns("*duisburg*", "*essen*", "*krefeld*"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(report), "DAGSTER_HOME": str(tmp_path / "home")}


def _materialized(home: str) -> tuple[dict, list]:
    """{(asset, partition): metadata of its materializations} and the runs, as the instance recorded them."""
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(home)) as instance:
        found: dict = {}
        for key in (CONTENTS_KEY, PROFILE_KEY):
            records = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=key), limit=100).records
            for r in records:
                m = r.asset_materialization
                found.setdefault((key.to_user_string(), m.partition), []).append({k: v.value for k, v in m.metadata.items()})
        return found, list(instance.get_runs())


def test_one_run_renders_a_batch_and_records_a_materialization_per_profile(stage, monkeypatch):
    code, stdout = _build(["--cities", "Duisburg,Essen,Krefeld", "--jobs", "1"], stage, monkeypatch)
    assert code == 0, stdout
    assert "Rendering 3 profile(s) in 1 batch(es)" in stdout and "(1 run(s))" in stdout
    found, runs = _materialized(stage["DAGSTER_HOME"])
    report_runs = [r for r in runs if r.job_name == "build_report"]
    assert len(report_runs) == 1
    assert report_runs[0].tags["dagster/asset_partition_range_start"] == KEYS[0]
    assert report_runs[0].tags["dagster/asset_partition_range_end"] == KEYS[-1]
    for key in KEYS:
        assert len(found[("report/contents", key)]) == 1 and len(found[("report/profile", key)]) == 1
        profile = found[("report/profile", key)][0]
        # each partition with its own metadata: its own PDF and the profile's own time
        assert profile["pdf"].endswith(f"-{ {'05112': 'duisburg', '05113': 'essen', '05114': 'krefeld'}[key[:5]]}-2024.pdf")
        assert 0 < profile["seconds"] < 60 and profile["pages"] > 10


def test_a_profile_that_fails_in_a_batch_leaves_the_others_recorded_and_rendered_once(stage, monkeypatch):
    """Essen's rendering fails (planted): the batch's run fails naming it; Duisburg and Krefeld, which it published,
    are recorded by a second run for each of the two ranges left, without being rendered again."""
    from pipeline.defs.report import assets

    rendered = []
    real = assets.render

    def render(folder, published, *args, **kwargs):
        rendered.append(published.pdf.name)
        if "essen" in published.pdf.name:
            raise RuntimeError("planted: the renderer failed on Essen")
        return real(folder, published, *args, **kwargs)

    monkeypatch.setattr(assets, "render", render)
    code, stdout = _build(["--cities", "Duisburg,Essen,Krefeld", "--jobs", "1"], stage, monkeypatch)
    assert code == 1, stdout
    assert "1 of 3 profile(s) failed; the others were published." in stdout
    assert "FAILED  Essen 2024: RuntimeError: planted: the renderer failed on Essen" in stdout
    assert "- 05113|2024, report/profile:\n    RuntimeError: planted: the renderer failed on Essen" in stdout
    assert "Materialized 5 assets" in stdout and "(3 run(s))" in stdout  # three contents, then two profiles
    assert sorted(rendered) == [f"city-migration-profile-{n}-2024.pdf" for n in ("duisburg", "essen", "krefeld")]
    found, runs = _materialized(stage["DAGSTER_HOME"])
    assert ("report/profile", ESSEN) not in found
    first = next(r for r in runs if r.job_name == "build_report" and r.status == dg.DagsterRunStatus.FAILURE)
    for key in (KEYS[0], KEYS[2]):
        (profile,) = found[("report/profile", key)]
        assert profile["published_by_run"] == first.run_id and profile["pdf"].endswith("-2024.pdf")
    assert len([r for r in runs if r.job_name == "build_report"]) == 3  # the batch, then Duisburg and Krefeld apart
    output = stage["CMP_REPORT_DIR"] + "/_output/city-migration-profile-"
    for name, exists in (("duisburg", True), ("essen", False), ("krefeld", True)):
        assert Path(f"{output}{name}-2024.pdf").exists() is exists


def test_a_profile_whose_contents_fail_in_a_batch_leaves_the_others_rendered(stage, monkeypatch):
    """Essen's build folder is held by another process, so its contents fail: the batch's rendering never starts; the
    others are then built by runs of their own."""
    from pipeline.defs.locks import FileLock
    from pipeline.report.folders import EditionFolder

    folder = EditionFolder.of(Path(stage["CMP_REPORT_DIR"]) / "_build", "05113", "2024")
    folder.root.parent.mkdir(parents=True)
    lock = FileLock(folder.lock_file, "the report folder")
    lock.acquire("run abcdef12", timeout=0)
    try:
        code, stdout = _build(["--cities", "Duisburg,Essen,Krefeld", "--jobs", "1"], {**stage, "CMP_LOCK_TIMEOUT": "1"}, monkeypatch)
    finally:
        lock.release()
    assert code == 1, stdout
    assert "- 05113|2024, report/contents:" in stdout and "05113-2024 is in use by run abcdef12" in stdout
    found, _ = _materialized(stage["DAGSTER_HOME"])
    assert {p for (a, p) in found if a == "report/profile"} == {KEYS[0], KEYS[2]}
    assert all("published_by_run" not in m for (a, _), ms in found.items() for m in ms)


def test_a_backfill_from_the_ui_runs_the_profiles_in_batches_of_one_edition(defs, instance):
    """What the daemon starts for a backfill of every NRW district's 2024 profile (the UI's "Materialize" over a
    selection of partitions): runs of up to 25 profiles, each a range of districts of the one edition, the report's
    two assets together (Dagster's own planning of a backfill policy, as dagster 1.13 does it)."""
    from dagster._core.definitions.automation_tick_evaluation_context import build_run_requests_with_backfill_policies
    from dagster._core.definitions.events import AssetKeyPartitionKey
    from dagster._core.definitions.partitions.context import partition_loading_context

    from pipeline.defs.partitions import CITIES, EDITIONS, profile_key

    nrw = [f"05{n:03d}" for n in range(100, 153)]  # 53 keys in the instance's order, as NRW's 53 districts
    instance.add_dynamic_partitions(CITIES.name, ["01001", *nrw, "06411"])
    instance.add_dynamic_partitions(EDITIONS.name, ["2018", "2024"])
    wanted = [AssetKeyPartitionKey(asset, str(profile_key(city, "2024"))) for city in nrw for asset in (CONTENTS_KEY, PROFILE_KEY)]
    with partition_loading_context(dynamic_partitions_store=instance):  # as the backfill daemon calls it
        requests = build_run_requests_with_backfill_policies(wanted, defs.resolve_asset_graph(), instance)
    ranges = [(r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"]) for r in requests]
    assert ranges == [("05100|2024", "05124|2024"), ("05125|2024", "05149|2024"), ("05150|2024", "05152|2024")]
    assert all(set(r.asset_selection) == {CONTENTS_KEY, PROFILE_KEY} and r.partition_key is None for r in requests)
