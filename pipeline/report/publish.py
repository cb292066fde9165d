"""Publishing a profile's files as one: its PDF and HTML become visible in report/_output/ together, or not at all.

A file system renames one file at a time, so a profile is published in three steps, each of which a crash may end:

1. every rendered file is copied beside its published name, as ``.<name>.<pid>.partial``, and flushed to disk. A
   failure here (the disk full, a kill) leaves the published files untouched; the partial files are removed (by
   this process, or, after a kill, by the next build: ``recover``).
2. a journal, ``.<document>.publish.json``, is written in one rename: which partial file becomes which published one.
3. the partial files are renamed onto the published names, then the journal is removed.

A crash between 2 and 3, or within 3, leaves the journal: the next build (``recover``, before it does anything
else) completes the renames, so the published PDF and HTML are again the same build's. Until then the profile's
record (pipeline/cli/incremental.py) does not match its files, and the index does not list it as published.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipeline.domain.files import (
    PARTIAL,
    NoSpace,
    fsync,
    is_disk_full,
    no_space,
    partial_owner,
    partial_path,
    replace_atomically,
    space_check,
)
from pipeline.domain.processes import alive

JOURNAL = ".publish.json"
WHAT = "the profile's files"


class PublishError(RuntimeError):
    """The files could not be staged: nothing was published."""


def publish(files: list[tuple[Path, Path]], journal: Path, archive: Path | None = None) -> None:
    """Publish each rendered file (``files``: (rendered, published path)) as one, by way of ``journal``; with
    ``archive``, the files they replace are kept there first (linked, or copied where a link cannot be made)."""
    staged: list[tuple[Path, Path]] = []
    needed = 0
    if archive is not None:
        _keep([dst for _, dst in files], archive)
    try:
        journal.parent.mkdir(parents=True, exist_ok=True)
        needed = sum(src.stat().st_size for src, _ in files)
        space_check(journal.parent, needed, WHAT)
        for src, dst in files:
            tmp = partial_path(dst)
            staged.append((tmp, dst))
            shutil.copyfile(src, tmp)
            fsync(tmp)
        replace_atomically(journal, json.dumps({"pid": os.getpid(), "files": [[t.name, d.name] for t, d in staged]}))
    except (OSError, NoSpace) as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, NoSpace):
            raise PublishError(f"nothing was published: {exc}") from None
        if is_disk_full(exc):
            raise PublishError(f"nothing was published: {no_space(journal.parent, needed, WHAT)}") from None
        raise PublishError(f"nothing was published: the files could not be written to {journal.parent} ({exc.strerror or exc})") from None
    complete(journal)


def _keep(paths: list[Path], archive: Path) -> None:
    archive.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.is_file() and not path.name.startswith(".") and not (archive / path.name).exists():
            try:
                os.link(path, archive / path.name)
            except OSError:
                shutil.copy2(path, archive / path.name)


def complete(journal: Path) -> list[str]:
    """Carry out a journal's renames (those not done yet) and remove it; the published names."""
    entry = json.loads(journal.read_text(encoding="utf-8"))
    done = []
    for tmp, dst in entry["files"]:
        partial = journal.parent / tmp
        if partial.exists():
            os.replace(partial, journal.parent / dst)
        done.append(dst)
    fsync(journal.parent)
    journal.unlink()
    return done


def recover(folder: Path) -> list[str]:
    """Complete the publishes a crash interrupted in ``folder`` and remove what interrupted writes left there (partial
    files of processes that have ended); one line per thing done, for the build's summary."""
    said: list[str] = []
    if not folder.is_dir():
        return said
    for journal in sorted(folder.glob(f".*{JOURNAL}")):
        try:
            pid = json.loads(journal.read_text(encoding="utf-8")).get("pid")
        except (OSError, ValueError):
            pid = None
        if isinstance(pid, int) and pid != os.getpid() and alive(pid):
            continue  # being published right now
        try:
            names = complete(journal)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            said.append(f"note    an interrupted publish in {folder.name}/ could not be completed ({exc}); its journal "
                        f"{journal.name} is kept")
            continue
        said.append(f"note    completed the publish a crash had interrupted: {', '.join(names)}")
    for partial in sorted(folder.glob(f".*{PARTIAL}")):
        pid = partial_owner(partial)
        if pid is not None and pid != os.getpid() and not alive(pid):
            partial.unlink(missing_ok=True)
            said.append(f"note    removed {partial.name}, left by an interrupted write")
    return said
