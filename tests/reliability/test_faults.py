"""Faults: a build killed with SIGKILL while it writes the warehouse or renders the PDF, two builds at once, a build
that waits too long for another, and a rebuild with nothing changed. Each build is `python -m pipeline build` in its
own process, as `make report` starts it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from pypdf import PdfReader

from pipeline.defs.locks import FileLock
from pipeline.warehouse.tables import table_counts
from pipeline.warehouse.working_copy import lock_path
from tests.reliability.conftest import Stage, table_exports

STAKEHOLDERS = "mc2cm/table2_stakeholders.csv"
OLD_TEXT = "Part of Nordwärts; support for ethnic businesses"
NEW_TEXT = "Part of Nordwärts; advice for ethnic businesses"


class Build:
    """`python -m pipeline build --edition 2024` against a stage, in its own process group, its output collected."""

    def __init__(self, stage: Stage, **env: str):
        environ = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | stage.env() | env
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--edition", "2024"], env=environ,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def kill_when(self, ready: Callable[[], bool], timeout: float = 240) -> None:
        """SIGKILL the whole process group as soon as ``ready()`` holds (checked every 5 ms)."""
        deadline = time.monotonic() + timeout
        while not ready():
            assert self.proc.poll() is None, "the build ended before the moment to kill it:\n" + "".join(self.output)
            assert time.monotonic() < deadline, "timed out waiting for the moment to kill the build"
            time.sleep(0.005)
        os.killpg(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(30) == -signal.SIGKILL

    def finish(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout)
        time.sleep(0.1)  # let the reader thread drain the pipe
        return code

    @property
    def text(self) -> str:
        return "".join(self.output)


def change_the_input(stage: Stage) -> None:
    stage.raw.edit_text(STAKEHOLDERS, lambda t: t.replace(OLD_TEXT, NEW_TEXT, 1))


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def warehouse_opens_with(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {f"{s}.{t}": n for s, t, n in table_counts(con)}
    finally:
        con.close()


def test_sigkill_while_writing_the_warehouse_loses_nothing(stage):
    before, counts = stage.state(), warehouse_opens_with(stage.warehouse)
    change_the_input(stage)
    build = Build(stage)
    build.kill_when(lambda: any(line.startswith("  done    staging/") for line in build.output))

    assert stage.leftovers(), "the kill should have caught the run with its working copy half written"
    assert stage.state() == before  # the published warehouse and PDFs, byte for byte
    assert warehouse_opens_with(stage.warehouse) == counts

    again = Build(stage)
    assert again.finish() == 0, again.text
    assert stage.leftovers() == []
    con = duckdb.connect(str(stage.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM staging.mc2cm_stakeholders WHERE area_of_work = ?", [NEW_TEXT]).fetchone()[0] == 1
    con.close()
    assert NEW_TEXT in pdf_text(stage.output / "city-migration-profile-dortmund-2024.pdf").replace("\n", " ")


def test_sigkill_while_rendering_keeps_the_last_complete_pdf(stage):
    before = stage.state()
    pdf = stage.output / "city-migration-profile-dortmund-2024.pdf"
    change_the_input(stage)
    expanded = stage.report_dir / "_build" / "05913-2024" / "_expanded.md"  # written as rendering starts
    build = Build(stage)
    build.kill_when(expanded.exists)

    assert "Rendering 1 profile(s)" in build.text
    after = stage.state()
    assert {k: v for k, v in after.items() if k != "warehouse"} == {k: v for k, v in before.items() if k != "warehouse"}
    assert len(PdfReader(str(pdf)).pages) > 10 and NEW_TEXT not in pdf_text(pdf).replace("\n", " ")
    # the warehouse run had finished before rendering began: it holds the new, complete state
    assert stage.leftovers() == [] and warehouse_opens_with(stage.warehouse)["staging.mc2cm_stakeholders"] == 30

    again = Build(stage)
    assert again.finish() == 0, again.text
    assert NEW_TEXT in pdf_text(pdf).replace("\n", " ")


def test_two_builds_at_once_both_finish_and_the_warehouse_is_whole(stage, built_report):
    stage.forget_warehouse_record()  # both builds write the whole warehouse
    first, second = Build(stage), Build(stage)
    assert first.finish() == 0, first.text
    assert second.finish() == 0, second.text
    assert "note    waiting for " in first.text + second.text  # one of them waited for the other's lock
    assert stage.leftovers() == []
    assert table_exports(stage.warehouse) == table_exports(built_report.warehouse)
    assert len(PdfReader(str(stage.output / "city-migration-profile-dortmund-2024.pdf")).pages) > 10


def test_a_build_that_cannot_get_the_lock_gives_up_with_a_clear_message_and_changes_nothing(stage):
    stage.forget_warehouse_record()  # the build must write the warehouse
    before = stage.state()
    lock = FileLock(lock_path(stage.warehouse), "the warehouse")
    lock.acquire("run abcdef12", timeout=0)
    try:
        build = Build(stage, CMP_LOCK_TIMEOUT="1")
        assert build.finish() == 1
    finally:
        lock.release()
    assert "the warehouse profile.duckdb is in use by run abcdef12 (pid " in build.text
    assert "gave up after waiting 1 s. Nothing was changed." in build.text
    assert "A failed run publishes nothing" in build.text
    assert stage.state() == before and stage.leftovers() == []
