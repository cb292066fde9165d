"""What raw/ can and cannot make the pipeline do: files are read as data, only inside raw/, never executed; SQL is
never assembled from data; the UI listens on 127.0.0.1."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.domain import manifest
from pipeline.domain.config import PROJECT_DIR
from tests.conftest import RawCopy, build_warehouse, evaluate

STRANGE_NAMES = {  # file name -> how a message shows it
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd.csv": "%2e%2e%2f%2e%2e%2fetc%2fpasswd.csv",
    "x\\..\\..\\windows\\system32.csv": "x\\..\\..\\windows\\system32.csv",  # backslashes separate nothing on Linux
    "$(touch PWNED).csv": "$(touch PWNED).csv",
    "; rm -rf ~ ;.csv": "; rm -rf ~ ;.csv",
    "line\nbreak.csv": "line\\nbreak.csv",
    "-rf.csv": "-rf.csv",
}
HIDDEN = "..%2F..%2Fetc%2Fpasswd.csv"  # begins with a dot: a hidden file, which the pipeline never reads


def test_file_names_with_traversal_and_shell_characters_are_only_names(defs, instance, tmp_path, monkeypatch):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    for name in [*STRANGE_NAMES, HIDDEN]:
        (raw.root / "itnrw" / name).write_text("Tabelle: 12411-15i\n", encoding="iso-8859-1")
    monkeypatch.chdir(tmp_path)
    result = evaluate(raw.root, instance, defs, first.cursor)

    # one run, of the manifest check, whatever the names say; its run key is made of hex digits only
    assert [(r.job_name, [k.to_user_string() for k in r.asset_selection]) for r in result.run_requests] == [
        ("build_warehouse", ["raw/sources_manifest"])
    ]
    assert re.fullmatch(r"raw-[0-9a-f]{16}-unlisted", result.run_requests[0].run_key)
    assert not (tmp_path / "PWNED").exists() and not any(p.name == "PWNED" for p in tmp_path.rglob("*"))

    # the run it starts names every file and changes nothing
    run = build_warehouse(raw.root, tmp_path / "w.duckdb", selection=[dg.AssetKey(["raw", "sources_manifest"])])
    assert not run.success
    failure = next(e for e in run.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.event_specific_data.user_failure_data.description
    for shown in STRANGE_NAMES.values():
        assert f"raw/itnrw/{shown} (whole file): not listed in raw/sources.yaml" in message
    assert len(message.splitlines()) == 1 + len(STRANGE_NAMES)  # a heading and one line per file
    assert HIDDEN not in message
    assert not (tmp_path / "w.duckdb").exists()  # the failed run published nothing


def test_the_sensor_reads_only_inside_raw(defs, instance, tmp_path, monkeypatch):
    raw = RawCopy(tmp_path / "raw")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.csv").write_text("secret", encoding="utf-8")
    os.symlink(outside, raw.root / "itnrw" / "more")  # a folder link leading out
    os.symlink(outside / "data.csv", raw.root / "city" / "data.csv")  # a file link leading out
    read: list[Path] = []
    real = manifest.sha256_of
    monkeypatch.setattr(manifest, "sha256_of", lambda p: read.append(Path(p)) or real(p))

    result = evaluate(raw.root, instance, defs)

    assert read and all(raw.root.resolve() in p.resolve().parents for p in read)
    assert not any("outside" in str(p) for p in read)
    assert "raw/city/data.csv" in result.skip_reason.skip_message and "raw/itnrw/more" in result.skip_reason.skip_message


def test_the_sensor_does_not_read_a_huge_file(defs, instance, tmp_path, monkeypatch):
    raw = RawCopy(tmp_path / "raw")
    first = evaluate(raw.root, instance, defs)
    with open(raw.root / "itnrw" / "12411-15i_2024.csv", "r+b") as fh:
        fh.truncate(4 * 1024**3)  # sparse
    read: list[str] = []
    real = manifest.sha256_of
    monkeypatch.setattr(manifest, "sha256_of", lambda p: read.append(Path(p).name) or real(p))

    result = evaluate(raw.root, instance, defs, first.cursor)

    assert "12411-15i_2024.csv" not in read
    # its warehouse run refuses the file by its size
    requests = [(r.job_name, r.tags["cmp/changed-datasets"]) for r in result.run_requests]
    assert requests == [("build_warehouse", '["area_population_density"]')]


def test_yaml_in_raw_is_never_evaluated(tmp_path, monkeypatch):
    """A manifest carrying a Python object tag is refused as invalid YAML, not executed."""
    from pipeline.domain.errors import RawInputError
    from pipeline.domain.manifest import load_manifest

    raw = RawCopy(tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    text = raw.manifest_path.read_text(encoding="utf-8")
    raw.manifest_path.write_text(
        text.replace("sources:\n", "sources:\n  - !!python/object/apply:os.system ['touch PWNED']\n", 1), encoding="utf-8"
    )
    with pytest.raises(RawInputError) as exc:
        load_manifest(raw.root)
    assert "valid YAML" in str(exc.value)
    assert not (tmp_path / "PWNED").exists()


def test_sql_in_a_value_is_stored_as_text(tmp_path):
    """A figure's citation carrying SQL reaches the warehouse as the text it is; every table is still there."""
    raw = RawCopy(tmp_path / "raw")
    payload = "x'); DROP TABLE staging.sources; --"
    rel = "city/dortmund_register_figures.csv"
    raw.replace_line(
        rel, "register_population,05913000,2023-12-31,", lambda line: line.replace("page 'Bevölkerungsstand' (2023 edition)", payload)
    )
    warehouse = tmp_path / "w.duckdb"
    assert build_warehouse(raw.root, warehouse).success
    con = duckdb.connect(str(warehouse), read_only=True)
    stored = con.execute("SELECT citation FROM staging.city_register_figures WHERE reference_date = DATE '2023-12-31'").fetchone()[0]
    assert payload in stored
    assert con.execute("SELECT count(*) FROM staging.sources").fetchone()[0] > 0
    con.close()


ALLOWED_IN_SQL = {"schema", "table", "name", "preview_order"}  # each checked by pipeline.warehouse.tables.ident or a literal


def test_no_sql_is_assembled_from_data():
    """Every f-string handed to DuckDB interpolates only identifiers our code checks with ident(): values always go
    in as parameters or registered frames."""
    found = []
    for path in sorted((PROJECT_DIR / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("execute", "sql", "query"):
                for arg in node.args[:1]:
                    for part in ast.walk(arg):
                        if isinstance(part, ast.FormattedValue):
                            v = part.value
                            ok = (isinstance(v, ast.Name) and v.id in ALLOWED_IN_SQL) or (
                                isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "ident"
                            )
                            found.append((path.name, node.lineno, ast.unparse(v), ok))
    assert found, "the scan found no SQL f-strings at all: it is not looking at the right calls"
    assert [f for f in found if not f[3]] == []


def test_the_ui_listens_on_localhost_unless_told_otherwise():
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    assert "UI_HOST ?= 127.0.0.1" in makefile
    assert '-m pipeline ui --host "$$UI_HOST"' in makefile
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert "127.0.0.1" in readme and "UI_HOST=" in readme


def _fake_bin(folder: Path) -> Path:
    """A stand-in for .venv/bin: its python writes the arguments it was given, one per line, to args.txt."""
    folder.mkdir()
    python = folder / "python"
    python.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/args.txt"\n', encoding="utf-8")
    python.chmod(0o755)
    (folder / "stamp").write_text("")
    return folder


def test_make_variables_reach_the_command_as_text_never_as_shell(tmp_path):
    """`make report CITY='x";touch PWNED;"'` looks for a district of that name: the shell never runs what a variable
    holds (the Makefile passes them as environment variables, expanded inside double quotes)."""

    fake = _fake_bin(tmp_path / "bin")
    city, edition = 'x";touch PWNED;"', "2024`touch PWNED3`"
    subprocess.run(["make", "-s", "-C", str(PROJECT_DIR), "report", f"BIN={fake}", f"STAMP={fake}/stamp", f"CITY={city}",
                    f"EDITION={edition}", "JOBS=2; touch PWNED4"], check=True, cwd=tmp_path, capture_output=True, text=True)
    args = (fake / "args.txt").read_text(encoding="utf-8").splitlines()
    assert args == ["-m", "pipeline", "build", "--edition", edition, "--city", city, "--jobs", "2; touch PWNED4"]
    assert not [p for p in (PROJECT_DIR, tmp_path) for n in ("PWNED", "PWNED2", "PWNED3", "PWNED4") if (p / n).exists()]


def test_a_copied_project_installs_again(tmp_path):
    """The install's stamp names the project's folder: a copy (with the original's .venv, whose scripts and editable
    install still point to the original) sets up afresh instead of running the original's code."""

    first = tmp_path / "first"
    first.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(PROJECT_DIR / name, first / name)

    def plan(folder: Path) -> str:
        return subprocess.run(["make", "-n", "-C", str(folder), "setup"], capture_output=True, text=True, check=True).stdout

    stamp = next(w for w in plan(first).split() if w.startswith(".venv/.installed-") and not w.endswith("*"))
    (first / ".venv").mkdir()
    (first / stamp).write_text("")
    assert "venv" not in plan(first)  # set up: nothing to do
    second = tmp_path / "second"
    shutil.copytree(first, second)
    assert "-m venv --clear .venv" in plan(second)
