"""Runs whose process died are marked failed before a build does anything else (pipeline/cli/runs.py), so they never
hold a place in the run queue: on a real instance on disk, and after a `make report` killed while it renders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid

import dagster as dg
from dagster._core.events import EngineEventData

from pipeline.cli.runs import HOST, PID, PID_START, mark_dead_runs, process_tags
from pipeline.domain.config import PROJECT_DIR
from tests.reliability.test_faults import Build, change_the_input


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _run(instance, tags: dict[str, str], status=dg.DagsterRunStatus.STARTED) -> dg.DagsterRun:
    run = dg.DagsterRun(job_name="build_report", run_id=str(uuid.uuid4()), status=status, tags=tags)
    instance.add_run(run)
    return run


def test_runs_whose_process_is_gone_are_marked_failed_and_no_other(instance):
    mine = process_tags()
    here = socket.gethostname()
    dead = _run(instance, {HOST: here, PID: str(_dead_pid())})
    alive = _run(instance, mine)
    reused = _run(instance, {**mine, PID_START: "1"})  # this process's pid, but another process's start: the pid was reused
    elsewhere = _run(instance, {HOST: "another-machine", PID: str(_dead_pid())})
    finished = _run(instance, {HOST: here, PID: str(_dead_pid())}, status=dg.DagsterRunStatus.SUCCESS)
    launched = _run(instance, {})  # launched by the UI: its process is named in its event log
    instance.report_engine_event(f"Started process for run (pid: {_dead_pid()}).", launched, EngineEventData.in_process(_dead_pid()))
    waiting = _run(instance, {})  # started, but no process named yet

    said = mark_dead_runs(instance)

    runs = {"dead": dead, "alive": alive, "reused": reused, "elsewhere": elsewhere, "finished": finished, "launched": launched,
            "waiting": waiting}
    status = {name: instance.get_run_by_id(r.run_id).status.value for name, r in runs.items()}
    assert status == {"dead": "FAILURE", "alive": "STARTED", "reused": "FAILURE", "elsewhere": "STARTED", "finished": "SUCCESS",
                      "launched": "FAILURE", "waiting": "STARTED"}
    assert len(said) == 3 and all("was left unfinished by a process that died: marked failed" in line for line in said)
    logs = [e.message for e in instance.all_logs(dead.run_id)]
    assert any("has ended without finishing it (killed, or out of memory)" in m for m in logs)


def test_a_killed_build_leaves_no_run_in_progress_after_the_next(stage, tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    change_the_input(stage)
    expanded = stage.report_dir / "_build" / "05913-2024" / "_expanded.md"
    build = Build(stage, DAGSTER_HOME=str(home))
    build.kill_when(expanded.exists)

    ref_env = {**os.environ, "DAGSTER_HOME": str(home)}
    in_progress = _in_progress(ref_env)
    assert len(in_progress) == 1  # the killed profile's run, STARTED for ever without the next build

    again = Build(stage, DAGSTER_HOME=str(home))
    assert again.finish() == 0, again.text
    assert f"note    run {in_progress[0][:8]} (build_report) was left unfinished by a process that died: marked failed" in again.text
    assert _in_progress(ref_env) == []


def _in_progress(env: dict[str, str]) -> list[str]:
    """The run ids the instance under ``env['DAGSTER_HOME']`` holds as in progress (read in a process of its own)."""
    code = ("import dagster as dg; i = dg.DagsterInstance.get(); s = dg.DagsterRunStatus; "
            "print(' '.join(r.run_id for r in i.get_runs(filters=dg.RunsFilter(statuses=[s.STARTED, s.STARTING, s.QUEUED]))))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()
