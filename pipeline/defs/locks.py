"""An exclusive lock on a file, held by one run at a time, so that two runs never write the same thing at once.

The lock is an operating-system advisory lock (``flock``) on a small file next to what it protects. The system
drops it when the process ends in any way, SIGKILL included, so a crashed run never leaves a stale lock behind. The
file records who holds the lock (run, process, start time) so a waiting run can say what it waits for.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

WAITING = "waiting for "  # how the message that a run waits for a lock begins (the command line shows it)


class LockTimeout(RuntimeError):
    """Another run held the lock for longer than we were willing to wait."""


class FileLock:
    def __init__(self, path: Path, what: str):
        self.path = path
        self.what = what
        self._fd: int | None = None

    def holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another process"
        except OSError:
            return "another process"

    def acquire(self, holder: str, timeout: float, log: Callable[[str], None] = lambda _: None) -> None:
        """Take the lock, waiting up to ``timeout`` seconds (0: do not wait) and saying once that we wait."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= timeout:
                    other = self.holder()
                    os.close(fd)
                    raise LockTimeout(
                        f"{self.what} is in use by {other}; gave up after waiting {waited:.0f} s. Nothing was "
                        "changed. Start the run again when the other one has finished."
                    ) from None
                if not told:
                    log(f"{WAITING}{self.what}, in use by {self.holder()} (lock file {self.path})")
                    told = True
                time.sleep(0.2)
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.write(fd, f"{holder} (pid {os.getpid()}, since {stamp})\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
