"""Replacing a file in one step, so a reader (or a crash) never meets half of one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_atomically(target: Path, content: bytes | str | Path) -> Path:
    """Put ``content`` (bytes, text written as UTF-8, or a file to copy with its times) at ``target`` in one rename:
    it is written to a hidden ``.<name>.<pid>.partial`` beside the target first, then ``os.replace`` (atomic within
    a file system) swaps it in. A reader sees the old file or the new one; a crash leaves the old file (and the
    partial one). The process id keeps two processes writing the same target out of each other's partial file."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    if isinstance(content, Path):
        shutil.copy2(content, tmp)
    elif isinstance(content, str):
        tmp.write_text(content, encoding="utf-8")
    else:
        tmp.write_bytes(content)
    os.replace(tmp, target)
    return target
