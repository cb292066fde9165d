"""One run, one working copy: a run never writes the published warehouse file. It writes a copy of it, and the copy
replaces the published file in one step (a rename) only when every step of the run succeeded; a failed, cancelled
or killed run leaves the published warehouse exactly as it was. The Dagster resource Warehouse
(pipeline/defs/resources.py) drives these functions.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from pipeline.domain.files import NoSpace, fsync, is_disk_full, no_space, space_check

# what a run that builds the warehouse from nothing writes (every district, 2026-12-06: 248 MB), with room to spare
FIRST_BUILD = 400 * 2**20


def work_dir(live: Path) -> Path:
    """Where runs keep their working copies of ``live``: a hidden folder beside it, on the same file system, so the
    final rename is atomic."""
    return live.with_name(f".{live.name}.runs")


def lock_path(live: Path) -> Path:
    return live.with_name(f"{live.name}.lock")


def wal_of(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def start_working_copy(live: Path, run_id: str) -> Path:
    """A fresh working copy of ``live`` for ``run_id`` (empty if nothing was published yet). Call with the
    warehouse lock held: copies left by runs that were killed are removed first."""
    folder = work_dir(live)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if wal_of(live).exists():
        # only a warehouse written by an older version of this project can have a log beside it; fold it in first
        import duckdb

        duckdb.connect(str(live)).close()
    work = folder / f"run_{re.sub(r'[^a-z0-9]', '_', run_id.lower())}.duckdb"
    size = live.stat().st_size if live.exists() else 0
    try:
        space_check(folder, max(2 * size, FIRST_BUILD), "a run's working copy of the warehouse and the tables it rewrites")
        if live.exists():
            shutil.copyfile(live, work)
    except (OSError, NoSpace) as exc:
        shutil.rmtree(folder, ignore_errors=True)  # a partial copy must not keep the disk full
        if is_disk_full(exc):
            raise no_space(folder, max(2 * size, FIRST_BUILD), "a run's working copy of the warehouse") from None
        raise
    return work


def publish_working_copy(work: Path, live: Path) -> None:
    """Make the (closed, checkpointed) working copy the published warehouse, in one rename."""
    if wal_of(work).exists():
        raise RuntimeError(f"{work} still has a write-ahead log: a connection is open, refusing to publish")
    fsync(work)
    os.replace(work, live)
    fsync(live.parent)
    shutil.rmtree(work_dir(live), ignore_errors=True)


def discard_working_copy(live: Path) -> None:
    shutil.rmtree(work_dir(live), ignore_errors=True)
