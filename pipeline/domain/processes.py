"""Whether a process still runs: for the files a process names itself in (a partial file, a publish journal) and the
Dagster runs it tags (pipeline/cli/runs.py)."""

from __future__ import annotations

import os
from pathlib import Path


def start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot, from /proc), or None where /proc does not say."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22 of stat: starttime (fields after the command's name)


def alive(pid: int, start: str | None = None) -> bool:
    """Whether the process ``pid`` still runs, and is the one that started at ``start`` (where that is given and
    known: a process id the system has given to another process since is not mistaken for it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    if start is None:
        return True
    now = start_time(pid)
    return now is None or now == start
