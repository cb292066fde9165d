"""Replacing a file in one step, so a reader (or a crash) never meets half of one; and saying so when a volume is full."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

# room kept free on a volume beyond what a write needs: logs, the database's own temporary files
MARGIN = 16 * 2**20


class NoSpace(RuntimeError):
    """A volume has too little free space for a write: the message names the volume, what is free and what is needed."""


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def volume_of(path: Path) -> Path:
    """The mount point of the file system ``path`` (or its nearest existing parent) lives on."""
    p = Path(os.path.abspath(path))
    while not p.exists():
        p = p.parent
    while not os.path.ismount(p):
        p = p.parent
    return p


def no_space(path: Path, needed: int, what: str) -> NoSpace:
    """The one-line error for a write of ``needed`` bytes that does not fit on ``path``'s volume."""
    free = shutil.disk_usage(volume_of(path)).free
    return NoSpace(f"not enough space on the volume {volume_of(path)} (for {path}): {what} need about {_mb(needed)}, "
                   f"{_mb(free)} are free. Free some space there and run again.")


def space_check(path: Path, needed: int, what: str) -> None:
    """Refuse, before writing, a write of ``needed`` bytes to ``path``'s volume that would not leave MARGIN free."""
    folder = path if path.is_dir() else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(folder).free < needed + MARGIN:
        raise no_space(path, needed + MARGIN, what)


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PARTIAL = ".partial"


def partial_path(target: Path) -> Path:
    """Where this process writes ``target`` before it renames it into place: ``.<name>.<pid>.partial`` beside it."""
    return target.with_name(f".{target.name}.{os.getpid()}{PARTIAL}")


def partial_owner(path: Path) -> int | None:
    """The process that wrote a partial file (``partial_path``), or None if the name does not say."""
    pid = path.name[: -len(PARTIAL)].rsplit(".", 1)[-1] if path.name.endswith(PARTIAL) else ""
    return int(pid) if pid.isdigit() else None


def replace_atomically(target: Path, content: bytes | str | Path) -> Path:
    """Put ``content`` (bytes, text written as UTF-8, or a file to copy with its times) at ``target`` in one rename:
    it is written to a hidden ``.<name>.<pid>.partial`` beside the target first, then ``os.replace`` (atomic within
    a file system) swaps it in. A reader sees the old file or the new one; a failed write (a full disk) removes the
    partial file and leaves the old one; a crash leaves the old file and the partial one, which the next build
    removes (pipeline/report/publish.py ``recover``). The process id keeps two processes writing the same target out
    of each other's partial file."""
    tmp = partial_path(target)
    try:
        if isinstance(content, Path):
            shutil.copy2(content, tmp)
        elif isinstance(content, str):
            tmp.write_text(content, encoding="utf-8")
        else:
            tmp.write_bytes(content)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
