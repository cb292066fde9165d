"""Runs whose process died: found and marked failed, so they never hold a place in the run queue.

A run that is killed (``kill -9``, the out-of-memory killer, a closed terminal) cannot report its own end: Dagster
keeps it STARTED for ever, and with ``max_concurrent_runs`` such runs the queue never starts a UI launch, a sensor's
run or the annual schedule again. Dagster's run monitoring cannot tell, because the default run launcher has no
health check for its run workers.

So every run this project starts from the command line names the process that runs it in its tags (``cmp/host``,
``cmp/pid`` and ``cmp/pid_start``, the process's start time, so that a process id the system has given to another
process since is not mistaken for it); a run the UI or the daemon launched names its process in its event log
("Started process for run (pid: N)"), without the machine, so those are judged only where the instance's storage is
this machine's own (SQLite). ``mark_dead_runs`` (called when a build starts, and by `make ui`) marks
failed every unfinished run on this machine whose process is gone, saying so in the run's log.
"""

from __future__ import annotations

import os
import socket

from pipeline.domain.processes import alive, start_time

HOST, PID, PID_START = "cmp/host", "cmp/pid", "cmp/pid_start"


def process_tags() -> dict[str, str]:
    """The tags that name the process running a run (this one)."""
    pid = os.getpid()
    tags = {HOST: socket.gethostname(), PID: str(pid)}
    start = start_time(pid)
    if start is not None:
        tags[PID_START] = start
    return tags


def _worker_pid(instance, run) -> int | None:
    """The process Dagster started for a run it launched, from the run's event log."""
    from dagster import DagsterEventType

    for record in instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT):
        event = record.dagster_event
        data = event.event_specific_data if event is not None else None
        pid = getattr(data, "metadata", {}).get("pid") if data is not None else None
        if pid is not None:
            return int(pid.value if hasattr(pid, "value") else pid)
    return None


def mark_dead_runs(instance) -> list[str]:
    """Mark failed every unfinished run of this machine whose process is gone; one line per run so marked."""
    import dagster as dg

    unfinished = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]
    # a run the UI or the daemon launched names no machine: judged only where the instance is this machine's own
    local = type(instance.run_storage).__name__.startswith("Sqlite")
    said = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=unfinished)):
        tags = run.tags
        if PID in tags:
            if tags.get(HOST) != socket.gethostname():
                continue  # another machine's: only it can tell
            pid, start = int(tags[PID]), tags.get(PID_START)
        else:
            if not local:
                continue  # a shared instance: the process may be another machine's
            pid, start = _worker_pid(instance, run), None
            if pid is None:
                continue  # not started by a process we can name (yet)
        if alive(pid, start):
            continue
        message = (f"The process that ran this run (pid {pid} on {socket.gethostname()}) has ended without finishing it (killed, "
                   "or out of memory): marked failed, so that it no longer holds a place in the run queue.")
        instance.report_run_failed(run, message)
        said.append(f"note    run {run.run_id[:8]} ({run.job_name}) was left unfinished by a process that died: marked failed")
    return said
