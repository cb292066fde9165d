"""The report built once per test session, the way `make report` builds it: `python -m pipeline build` with the
real raw/, into a temporary warehouse and a temporary report folder (report/_output/ of the project is left alone)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

EDITIONS = ("2018", "2024")


@dataclass
class Edition:
    pdf: Path
    html: Path
    build: Path  # the edition's staged Quarto project (report/_build/dortmund-<edition>/ in a real build)
    pages: list[str]  # text of each PDF page

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass
class Built:
    stdout: str
    exit_code: int
    report_dir: Path
    editions: dict[str, Edition]


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Built:
    from pipeline.__main__ import main

    root = tmp_path_factory.mktemp("report-build")
    mp = pytest.MonkeyPatch()
    mp.setenv("CMP_WAREHOUSE", str(root / "warehouse.duckdb"))
    mp.setenv("CMP_REPORT_DIR", str(root / "report"))
    mp.delenv("DAGSTER_HOME", raising=False)  # an ephemeral instance: the project's run history is left alone
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = main(["build"])
    finally:
        mp.undo()
    editions = {}
    for key in EDITIONS:
        pdf = root / "report" / "_output" / f"city-migration-profile-dortmund-{key}.pdf"
        pages = [p.extract_text() for p in PdfReader(str(pdf)).pages] if pdf.exists() else []
        editions[key] = Edition(pdf, pdf.with_suffix(".html"), root / "report" / "_build" / f"dortmund-{key}", pages)
    return Built(out.getvalue(), code, root / "report", editions)


@pytest.fixture(params=EDITIONS)
def edition(request, built_report) -> Edition:
    return built_report.editions[request.param]
