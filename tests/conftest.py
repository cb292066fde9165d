"""Shared fixtures: the project's real raw files are the test data."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from pipeline.domain.config import PROJECT_DIR
from pipeline.domain.manifest import Manifest, load_manifest, register_sha256
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import build_dataset
from pipeline.sources.registry import DATASETS
from pipeline.validation.explain import validate_dataset

RAW = PROJECT_DIR / "raw"
DORTMUND = "05913"

# The suite's assertions about the HTML and its timings are the built-in route's: it renders with it even where
# Quarto is installed (pipeline/report/renderer.py); tests/report/test_render.py compares the two routes there.
os.environ["CMP_RENDERER"] = "builtin"


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return load_manifest(RAW)


@pytest.fixture(scope="session")
def built(manifest: Manifest) -> dict[str, pd.DataFrame]:
    """Every dataset read from the real files and validated, once per test session."""
    ctx = BuildContext(manifest)
    for d in DATASETS:
        frame, entries = build_dataset(d, ctx)
        ctx.upstream[d.name] = validate_dataset(d, frame, entries).frame
    return ctx.upstream


class RawCopy:
    """A copy of raw/ in a temporary folder whose files a test may edit; edits re-register the file's sha256 in the
    copy's manifest unless asked not to, so the defect planted is the only thing wrong."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(RAW, root)

    @property
    def manifest_path(self) -> Path:
        return self.root / "sources.yaml"

    def manifest(self) -> Manifest:
        return load_manifest(self.root)

    def rehash(self, rel: str) -> None:
        register_sha256(self.root, rel)

    def edit_bytes(self, rel: str, change: Callable[[bytes], bytes], rehash: bool = True) -> None:
        path = self.root / rel
        before = path.read_bytes()
        after = change(before)
        assert after != before, "the edit changed nothing"
        path.write_bytes(after)
        if rehash:
            self.rehash(rel)

    def edit_text(self, rel: str, change: Callable[[str], str], encoding: str | None = None, rehash: bool = True) -> None:
        enc = encoding or next(e.encoding for e in load_manifest(RAW).entries if e.file == rel)
        self.edit_bytes(rel, lambda b: change(b.decode(enc)).encode(enc), rehash)

    def edit_sheet(self, rel: str, sheet: str, change: Callable[[str], str]) -> None:
        """Apply ``change`` to the XML of the worksheet named ``sheet`` inside the workbook raw/<rel> (an XLSX is a ZIP
        of XML parts; the workbook part maps sheet names to their files)."""
        self.edit_bytes(rel, lambda b: _rewrite_zip(b, {_sheet_member(b, sheet): change}))

    def edit_part(self, rel: str, member: str, change: Callable[[str], str]) -> None:
        """Apply ``change`` to one XML part of the workbook raw/<rel> (e.g. xl/sharedStrings.xml)."""
        self.edit_bytes(rel, lambda b: _rewrite_zip(b, {member: change}))

    def edit_zipped_csv(self, rel: str, change: Callable[[str], str]) -> None:
        """Apply ``change`` to the text of the one CSV inside the ZIP raw/<rel> (a flat file of the GENESIS web service)."""
        import zipfile

        def edit(data: bytes) -> bytes:
            member = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".csv"))
            return _rewrite_zip(data, {member: change})

        self.edit_bytes(rel, edit)

    def rename_sheet(self, rel: str, old: str, new: str) -> None:
        self.edit_bytes(rel, lambda b: _rewrite_zip(b, {"xl/workbook.xml": lambda x: x.replace(f'name="{old}"', f'name="{new}"')}))

    def replace_line(self, rel: str, startswith: str, change: Callable[[str], str], rehash: bool = True) -> None:
        """Apply ``change`` to the first line starting with ``startswith``."""

        def edit(text: str) -> str:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if line.startswith(startswith):
                    lines[i] = change(line)
                    return "\n".join(lines)
            raise AssertionError(f"no line starting with {startswith!r} in {rel}")

        self.edit_text(rel, edit, rehash=rehash)


def _sheet_member(data: bytes, sheet: str) -> str:
    import zipfile

    from pipeline.ingest.xlsx import worksheet_part

    return worksheet_part(zipfile.ZipFile(io.BytesIO(data)), sheet)


def _rewrite_zip(data: bytes, edits: dict[str, Callable[[str], str]]) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in edits:
                body = edits[info.filename](body.decode()).encode()
            dst.writestr(info, body)
    return out.getvalue()


@pytest.fixture
def raw_copy(tmp_path: Path) -> RawCopy:
    return RawCopy(tmp_path / "raw")


def value(frame: pd.DataFrame, **where) -> float:
    """The single value matching ``where`` (column=value pairs); fails unless exactly one row matches."""
    mask = pd.Series(True, index=frame.index)
    for col, want in where.items():
        mask &= frame[col].astype(str) == str(want)
    rows = frame.loc[mask, "value"]
    assert len(rows) == 1, f"{len(rows)} rows match {where}"
    return float(rows.iloc[0])


def build_warehouse(raw_dir: Path, warehouse: Path, selection=None):
    """Run the build_warehouse job against ``raw_dir`` into ``warehouse``; returns the Dagster result."""
    import dagster as dg

    mp = pytest.MonkeyPatch()
    mp.setenv("CMP_RAW_DIR", str(raw_dir))
    mp.setenv("CMP_WAREHOUSE", str(warehouse))
    try:
        from pipeline.definitions import defs

        job = defs().resolve_job_def("build_warehouse")
        return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=selection)
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    """A warehouse built once from the real raw/ by the real Dagster job; tests open it read-only."""
    path = tmp_path_factory.mktemp("warehouse") / "profile.duckdb"
    result = build_warehouse(RAW, path)
    assert result.success
    return path


@pytest.fixture
def sql(warehouse):
    """Run a query against the session warehouse and return a DataFrame."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    yield lambda query, params=None: con.execute(query, params or []).df()
    con.close()


# -- the whole profile, built once per session the way `make report` builds it ------------------------------------
# `python -m pipeline build` with the real raw/, into a temporary warehouse and report folder (the project's own
# warehouse/ and report/_output/ are left alone).

EDITIONS = ("2018", "2024")


@dataclass
class Edition:
    pdf: Path
    html: Path
    build: Path  # the edition's staged Quarto project (report/_build/05913-<edition>/ in a real build)
    pages: list[str]  # text of each PDF page

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass
class Built:
    stdout: str
    exit_code: int
    report_dir: Path
    warehouse: Path
    editions: dict[str, Edition]
    districts: dict[str, Edition]  # other districts' profiles, built after Dortmund's into the same project


# a Kreis outside North Rhine-Westphalia that keeps no policy register: the compact profile (README, "Other districts")
OTHER_DISTRICTS = {"landkreis-goerlitz-2024": "14626"}


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Built:
    from pipeline.__main__ import main

    root = tmp_path_factory.mktemp("report-build")
    mp = pytest.MonkeyPatch()
    mp.setenv("CMP_WAREHOUSE", str(root / "warehouse" / "profile.duckdb"))
    mp.setenv("CMP_REPORT_DIR", str(root / "report"))
    mp.delenv("DAGSTER_HOME", raising=False)  # an ephemeral instance: the project's run history is left alone
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = main(["build"])
            # (the warehouse is built: this renders the other districts' profiles only)
            others = main(["build", "--cities", ",".join(OTHER_DISTRICTS.values())]) if code == 0 else code
    finally:
        mp.undo()
    assert others == 0, out.getvalue()[-2000:]
    editions = {}
    for key in EDITIONS:
        pdf = root / "report" / "_output" / f"city-migration-profile-dortmund-{key}.pdf"
        # a missing PDF fails here: an empty page list would let every assertion over the pages pass
        assert pdf.exists(), f"the build made no {pdf.name} (exit {code}):\n{out.getvalue()[-2000:]}"
        pages = [p.extract_text() for p in PdfReader(str(pdf)).pages]
        editions[key] = Edition(pdf, pdf.with_suffix(".html"), root / "report" / "_build" / f"{DORTMUND}-{key}", pages)
    districts = {}
    for name, key in OTHER_DISTRICTS.items():
        pdf = root / "report" / "_output" / f"city-migration-profile-{name}.pdf"
        assert pdf.exists(), f"the build made no {pdf.name}:\n{out.getvalue()[-2000:]}"
        districts[name] = Edition(pdf, pdf.with_suffix(".html"), root / "report" / "_build" / f"{key}-{name[-4:]}",
                                  [p.extract_text() for p in PdfReader(str(pdf)).pages])
    stdout = out.getvalue()
    # what the tests of `make report`'s summary read: the first build's (Dortmund's), as `make report` prints it
    first = stdout[: stdout.index("Index of every published profile:")]
    first += stdout[len(first):].split("\n", 1)[0] + "\n"
    return Built(first, code, root / "report", root / "warehouse" / "profile.duckdb", editions, districts)


# -- the schedule and the sensor, evaluated directly ----------------------------------------------------------------


@pytest.fixture(scope="session")
def defs(tmp_path_factory):
    """The Dagster definitions, loaded once, for evaluating the schedule and the sensor."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CMP_WAREHOUSE", str(tmp_path_factory.mktemp("w") / "w.duckdb"))
    try:
        from pipeline.definitions import defs as load

        return load()
    finally:
        mp.undo()


@pytest.fixture
def instance(tmp_path):
    """A real instance on disk (schedules need one with a reference), without touching any global state."""
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    home = tmp_path / "dagster_home"
    home.mkdir()
    # entered, so that leaving it restores Dagster's current definitions-state storage (a context variable) as it was:
    # a schedule's or sensor's evaluation context sets it to the instance it opens and keeps it set, and the next test
    # of the same worker then loaded its definitions against this test's removed instance
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as inst:
        yield inst


def evaluate(raw_dir, instance, defs, cursor=None, warehouse=None):
    """One evaluation of the raw-file sensor over ``raw_dir`` (``warehouse``: the published warehouse whose record a
    first look compares with; default none)."""
    import dagster as dg

    from pipeline.defs.automation.sensors import raw_files_sensor
    from pipeline.domain.config import Config

    project = Config(raw_dir=raw_dir, warehouse_path=warehouse or raw_dir.parent / "none.duckdb")
    with dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs, sensor_name="raw_files",
                                 resources={"project": project}) as ctx:
        return raw_files_sensor(ctx)
