"""Which renderer a build uses, and its identity for `make report`'s records: Quarto where `quarto` is on PATH,
otherwise the built-in route (pandoc from pypandoc-binary, the typst package). ``CMP_RENDERER`` chooses one:
``auto`` (the default), ``quarto`` (an error without it) or ``builtin`` (the test suite's choice: its assertions
about the HTML are the built-in route's; tests/report/test_render.py compares the two routes where Quarto is
installed). Switching renderer, or a new version of one, renders every profile again. Light to import: the command
line asks before it loads anything else."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from importlib import metadata

CHOICES = ("auto", "quarto", "builtin")


def choice() -> str:
    value = os.environ.get("CMP_RENDERER", "auto") or "auto"
    if value not in CHOICES:
        raise ValueError(f"CMP_RENDERER={value!r}: choose one of {', '.join(CHOICES)}")
    return value


def quarto_path(engine: str = "auto") -> str | None:
    """The Quarto CLI a render with ``engine`` uses (``auto``: as CMP_RENDERER says), or None for the built-in route."""
    if engine == "auto":
        engine = choice()
    if engine == "builtin":
        return None
    quarto = shutil.which("quarto")
    if engine == "quarto" and quarto is None:
        raise ValueError("the Quarto renderer was asked for (CMP_RENDERER=quarto) but quarto is not on PATH")
    return quarto


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
