"""The run queue at work, for bench/profiles.py: `python -m bench.queue` starts the Dagster daemon on the instance
of DAGSTER_HOME (deploy/postgres/dagster.yaml: PostgreSQL, at most two runs at a time), waits until every queued run
has finished, stops the daemon and the code server it started, and prints one JSON line: each run's partitions,
status, start and end. Run under bench/procmon.py, so the wall time and peak memory cover the daemon, its code
server and every run it launched. The runs are queued before (`dagster job launch`, `dagster job backfill`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TIMEOUT = 3600


def _end(group: int) -> None:
    """The daemon's code server (dagster api grpc) outlives the daemon and ignores SIGTERM: end the whole session."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        time.sleep(2)


def main() -> int:
    import dagster as dg

    daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-m", "pipeline.definitions"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with dg.DagsterInstance.get() as instance:
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                records = instance.get_run_records()
                if records and all(r.dagster_run.is_finished for r in records):
                    break
                time.sleep(0.5)
            runs = [{"tags": {k: v for k, v in r.dagster_run.tags.items() if k.startswith(("dagster/", "cmp/"))},
                     "status": r.dagster_run.status.value, "start": r.start_time, "end": r.end_time}
                    for r in instance.get_run_records()]
    finally:
        daemon.terminate()
        try:
            daemon.wait(60)
        except subprocess.TimeoutExpired:
            pass
        _end(daemon.pid)
    print(json.dumps(runs))
    return 0 if all(r["status"] == "SUCCESS" for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
