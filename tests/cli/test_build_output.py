"""What `make report` prints when an input is bad: its own summary naming file, line, column and rule, and the file
that keeps Dagster's full event log; no event log and no traceback on the terminal."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from tests.conftest import RawCopy

AREA = "itnrw/12411-15i_2024.csv"


def test_a_failed_build_prints_its_summary_and_keeps_the_full_log_in_a_file(tmp_path, monkeypatch):
    from pipeline.__main__ import main

    raw = RawCopy(tmp_path / "raw")
    raw.replace_line(AREA, "31.12.2024;05913;", lambda line: line.replace(";603462;", ";-603462;"))  # line 361
    monkeypatch.setenv("CMP_RAW_DIR", str(raw.root))
    monkeypatch.setenv("CMP_WAREHOUSE", str(tmp_path / "warehouse" / "profile.duckdb"))
    monkeypatch.setenv("CMP_REPORT_DIR", str(tmp_path / "report"))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("CMP_BUILD_LOG", raising=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build"])
    assert code == 1
    printed = out.getvalue() + err.getvalue()
    assert "Traceback" not in printed and "Stack Trace" not in printed and "STEP_FAILURE" not in printed
    assert "raw/itnrw/12411-15i_2024.csv, line 361, column 4" in err.getvalue() and "[rule: greater_than_or_equal_to(0)]" in err.getvalue()
    assert "dagster._core" not in err.getvalue()
    log = Path(re.search(r"Dagster's full event log of this build, with the tracebacks: (\S+)", err.getvalue()).group(1))
    assert log.parent == tmp_path / "warehouse" / "logs"
    text = log.read_text(encoding="utf-8")
    assert "STEP_FAILURE" in text and "Stack Trace" in text and "line 361" in text
    assert not (tmp_path / "warehouse" / "profile.duckdb").exists()  # nothing published
