"""Which renderer a build uses, and its identity for `make report`'s records: Quarto where `quarto` is on PATH,
otherwise the built-in route (pandoc from pypandoc-binary, the typst package). Switching renderer, or a new version
of one, renders every profile again. Light to import: the command line asks before it loads anything else."""

from __future__ import annotations

import functools
import shutil
import subprocess
from importlib import metadata


def quarto_path() -> str | None:
    return shutil.which("quarto")


@functools.cache
def identity() -> str:
    """'quarto 1.10.18' or 'built-in (pypandoc-binary 1.17, typst 0.15.2)'."""
    quarto = quarto_path()
    if quarto:
        try:
            proc = subprocess.run([quarto, "--version"], capture_output=True, text=True, timeout=60)
            return f"quarto {proc.stdout.strip() or 'unknown version'}"
        except (OSError, subprocess.SubprocessError):
            return "quarto (version unknown)"
    return f"built-in (pypandoc-binary {metadata.version('pypandoc-binary')}, typst {metadata.version('typst')})"
