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

import duckdb

from pipeline.files import fsync


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
        duckdb.connect(str(live)).close()
    work = folder / f"run_{re.sub(r'[^a-z0-9]', '_', run_id.lower())}.duckdb"
    if live.exists():
        shutil.copyfile(live, work)
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
