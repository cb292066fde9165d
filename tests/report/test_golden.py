"""Golden text: the document as the renderers read it (the staged `_expanded.md`, every shortcode expanded) for both
Dortmund editions, and the Markdown of every part of Landkreis Görlitz's profile (a Kreis outside North
Rhine-Westphalia), compared line by line with the reviewed copies in tests/report/golden/. The build date and version are masked.

A change to what a profile says is then a diff in the commit that makes it, read by a reviewer. After a deliberate
change: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report/test_golden.py` rewrites the copies and skips (it
never passes by comparing a file with itself); review `git diff tests/report/golden/` before committing."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path

import pytest

from pipeline.report import fmt
from pipeline.report.parts import PARTS
from tests.conftest import EDITIONS
from tests.report.conftest import newest_edition

GOLDEN = Path(__file__).with_name("golden")


def _masked(text: str) -> str:
    """The build's date and version (the commit, and whether the checkout had local changes) masked: they name the
    build, not what the profile says."""
    today = dt.date.today()
    text = text.replace(fmt.date(today), "<build date>").replace(today.isoformat(), "<build date>")
    version = r"by the pipeline at (commit [0-9a-f]{12}( \(with local changes\))?|version [^.]+)\."
    return re.sub(version, "by the pipeline at <version>.", text)


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    text = _masked(text)
    if os.environ.get("UPDATE_GOLDEN"):
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"UPDATE_GOLDEN: {name} {'rewritten, review its diff' if changed else 'unchanged'}")
    assert path.exists(), f"no golden copy {path}: create it with UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                                 f"golden/{name}", "this build", n=1))[:80])
        pytest.fail(f"the text of {name} changed (review, then UPDATE_GOLDEN=1):\n{diff}")


@pytest.mark.parametrize("key", EDITIONS)
def test_dortmund_reads_as_reviewed(built_report, key):
    _compare(f"dortmund-{key}.md", (built_report.editions[key].build / "_expanded.md").read_text(encoding="utf-8"))


def test_a_kreis_outside_nrw_reads_as_reviewed(warehouse, tmp_path):
    with newest_edition(warehouse, "14626", tmp_path) as ctx:
        text = "\n".join(f"<!-- {spec.name} -->\n{spec.run(ctx).markdown}" for spec in PARTS)
    _compare("landkreis-goerlitz-2024.md", text)
