"""A publisher revises a figure a published edition shows: the edition's next build says what was revised (in its
section "What changed since the previous edition", in `make report`'s summary and in the asset's metadata), keeps
the files it replaces in report/_output/archive/, and every later build of the edition still lists the revision."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from tests.reliability.test_faults import Build, pdf_text

AREA = "itnrw/12411-15i_2024.csv"
DORTMUND_AREA_ROW = "31.12.2024;05913;"
DOC = "city-migration-profile-dortmund-2024"


def test_a_revised_figure_is_said_and_the_replaced_files_kept(stage):
    pdf, html = stage.output / f"{DOC}.pdf", stage.output / f"{DOC}.html"
    gaps = stage.output / f"{DOC}.gaps.md"  # (the maintainer's gap report, published with them, and the data downloads)
    data = (stage.output / f"{DOC}.xlsx", stage.output / f"{DOC}-csv.zip")
    first = {p.suffix: hashlib.sha256(p.read_bytes()).hexdigest() for p in (pdf, html, gaps, *data)}
    built = json.loads((stage.output / f".{DOC}.figures.json").read_text(encoding="utf-8"))["built"]
    # IT.NRW revises Dortmund's area (a figure of the general overview): 280.71 km² becomes 280.72 km²
    stage.raw.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";280,71;2149,8", ";280,72;2149,7"))

    build = Build(stage)
    assert build.finish() == 0, build.text
    assert (f"  revised, 05913|2024: General overview, Dortmund, City area, Value: 280.71 km² -> 280.72 km² (published {built}; "
            "the files it replaced are kept in ") in build.text
    archive = stage.output / "archive" / DOC / f"built-{built}"
    assert {p.suffix: hashlib.sha256(p.read_bytes()).hexdigest() for p in archive.iterdir()} == first
    text = " ".join(pdf_text(pdf).split())
    assert "280.72 km²" in text and "Revised figures." in text
    assert "General overview, Dortmund City area Value 280.71 km² 280.72 km²" in text
    record = json.loads((stage.output / f".{DOC}.figures.json").read_text(encoding="utf-8"))
    assert [(r["before"], r["after"], r["since"]) for r in record["revisions"]] == [("280.71 km²", "280.72 km²", built)]

    # a later build of the edition, everything redone: nothing new is revised, the revision stays listed
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | stage.env()
    rebuilt = subprocess.run([sys.executable, "-m", "pipeline", "build", "--edition", "2024", "--full"], env=env, capture_output=True,
                             text=True, timeout=600)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "revised, 05913|2024" not in rebuilt.stdout and "Dortmund 2024: rebuild" in rebuilt.stdout
    assert "Revised figures." in " ".join(pdf_text(pdf).split())
    assert [p.name for p in (stage.output / "archive" / DOC).iterdir()] == [f"built-{built}"]
