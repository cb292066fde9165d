"""A render that does not succeed publishes nothing, and a profile's PDF and HTML go out together.

- pandoc ended by a signal while it writes the Typst (as the out-of-memory killer or a `kill -9` ends it; here a
  stand-in pandoc, PYPANDOC_PANDOC, that kills itself when asked for Typst): the profile fails naming the signal,
  the last good pair stays byte for byte, and the next build renders it again (it was never recorded as current);
- the build killed while Typst compiles: the same;
- a publish interrupted between the two renames: the next build completes it before anything else, and meanwhile
  the index does not list the profile as published;
- the disk full while the HTML is copied: nothing is published, no partial file is left;
- a build killed while its worker processes render: the workers end with it; more workers than the machine can
  run are not started.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.report import publish
from pipeline.report.publish import PublishError
from tests.reliability.test_faults import NEW_TEXT, Build, change_the_input, pdf_text

PDF = "city-migration-profile-dortmund-2024.pdf"


def killing_pandoc(folder: Path, when: str) -> Path:
    """A stand-in for pandoc that runs the real one, except that it kills itself (SIGKILL) when its arguments hold
    ``when``: what the system's out-of-memory killer does to a pandoc converting a large document."""
    import pypandoc

    script = folder / "pandoc"
    script.write_text(f"""#!/bin/sh
case " $* " in
  *" {when} "*) kill -9 $$ ;;
esac
exec "{pypandoc.get_pandoc_path()}" "$@"
""", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_killed_pandoc_fails_the_profile_and_publishes_nothing(stage, tmp_path):
    before = stage.state()
    change_the_input(stage)
    build = Build(stage, PYPANDOC_PANDOC=str(killing_pandoc(tmp_path, "--to=typst")))
    assert build.finish() == 1, build.text
    assert "pandoc could not write the Typst (ended by SIGKILL (killed from outside the build, or by the system for lack of " \
           "memory))" in build.text
    assert "05913|2024" in build.text and "keeps its last good PDF" in build.text
    after = stage.state()
    assert {k: v for k, v in after.items() if k != "warehouse"} == {k: v for k, v in before.items() if k != "warehouse"}
    assert not [p.name for p in stage.output.iterdir() if p.name.endswith((".partial", ".publish.json"))]

    again = Build(stage)  # the real pandoc: the profile was not recorded as current, so it is rendered
    assert again.finish() == 0, again.text
    assert "Dortmund 2024: up to date" not in again.text
    assert NEW_TEXT in pdf_text(stage.output / PDF).replace("\n", " ")


def test_a_build_killed_while_typst_compiles_keeps_the_last_pair_and_renders_next_time(stage):
    before = stage.state()
    change_the_input(stage)
    typ = stage.report_dir / "_build" / "05913-2024" / "profile.typ"  # written by pandoc just before Typst compiles
    build = Build(stage)
    build.kill_when(typ.exists)
    after = stage.state()
    assert {k: v for k, v in after.items() if k != "warehouse"} == {k: v for k, v in before.items() if k != "warehouse"}

    again = Build(stage)
    assert again.finish() == 0, again.text
    assert "Dortmund 2024: rebuild" in again.text or "Dortmund 2024: render only" in again.text
    assert NEW_TEXT in pdf_text(stage.output / PDF).replace("\n", " ")


def _pair(folder: Path, tag: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf, html = folder / "profile.pdf", folder / "profile.html"
    pdf.write_text(f"pdf {tag}")
    html.write_text(f"html {tag}")
    return pdf, html


def test_a_publish_interrupted_between_the_files_is_completed_before_anything_else(tmp_path, monkeypatch):
    out = tmp_path / "_output"
    old_pdf, old_html = _pair(out, "old")
    pdf, html = _pair(tmp_path / "build", "new")
    journal = out / ".profile.publish.json"
    renames = []
    real = os.replace

    def killed_after_the_first(src, dst):  # the process dies between the two renames
        if str(dst).endswith(("profile.pdf", "profile.html")):
            if renames:
                raise KeyboardInterrupt("killed")
            renames.append(dst)
        return real(src, dst)

    monkeypatch.setattr(publish.os, "replace", killed_after_the_first)
    with pytest.raises(KeyboardInterrupt):
        publish.publish([(pdf, old_pdf), (html, old_html)], journal)
    monkeypatch.setattr(publish.os, "replace", real)
    assert old_pdf.read_text() == "pdf new" and old_html.read_text() == "html old"  # half published: what a crash leaves
    assert journal.exists()

    monkeypatch.setattr(publish, "alive", lambda pid: False)  # (the process that wrote the journal has ended)
    said = publish.recover(out)
    assert old_pdf.read_text() == "pdf new" and old_html.read_text() == "html new"
    assert not journal.exists() and not list(out.glob(".*.partial"))
    assert said == ["note    completed the publish a crash had interrupted: profile.pdf, profile.html"]


def test_a_full_disk_while_the_html_is_copied_publishes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "_output"
    old_pdf, old_html = _pair(out, "old")
    pdf, html = _pair(tmp_path / "build", "new")
    real = shutil.copyfile

    def full_on_html(src, dst, *args, **kwargs):
        if str(src).endswith(".html"):
            Path(dst).write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.shutil, "copyfile", full_on_html)
    with pytest.raises(PublishError) as err:
        publish.publish([(pdf, old_pdf), (html, old_html)], out / ".profile.publish.json")
    assert str(err.value).startswith("nothing was published: not enough space on the volume ")
    assert "the profile's files need about" in str(err.value) and "are free" in str(err.value)
    assert (old_pdf.read_text(), old_html.read_text()) == ("pdf old", "html old")
    assert sorted(p.name for p in out.iterdir()) == ["profile.html", "profile.pdf"]  # no partial file, no journal


def test_the_index_does_not_list_a_profile_whose_publish_was_interrupted(stage):
    from pipeline.cli.incremental import published_records
    from pipeline.domain.config import Config

    build = Build(stage)
    assert build.finish() == 0, build.text
    config = Config(raw_dir=stage.raw.root, warehouse_path=stage.warehouse, report_dir=stage.report_dir)
    listed = {r["document"] for r in published_records(config)[0]}  # (the session's build may hold other districts too)
    assert {"city-migration-profile-dortmund-2018", "city-migration-profile-dortmund-2024"} <= listed
    # a crash between the renames: the PDF is another build's than the recorded one (other bytes: the 2018 edition's)
    pdf = stage.output / PDF
    partial = pdf.with_name(f".{pdf.name}.999999999.partial")
    shutil.copy2(stage.output / "city-migration-profile-dortmund-2018.pdf", partial)
    os.replace(partial, pdf)
    records, problems = published_records(config)
    assert listed - {r["document"] for r in records} == {"city-migration-profile-dortmund-2024"}
    assert problems == ["city-migration-profile-dortmund-2024: not listed in the index: PDF altered since it was published "
                        "(building its district again republishes it)"]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_end_with_the_build_and_jobs_are_capped(stage):
    """`--jobs 64` on this machine: the build says how many it runs instead; killed (the parent alone, as the
    out-of-memory killer would) while its workers render, the workers end within seconds."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | stage.env()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--edition", "2024", "--cities", "05913,05113000,05315000",
                             "--jobs", "64", "--full"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "worker processes ..." in line:
            break
    assert any("64 worker processes asked for, but this machine runs" in line for line in seen), "".join(seen)
    time.sleep(3)  # the workers have started and import the pipeline
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    deadline = time.monotonic() + 20
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _group_alive(proc.pid)
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "worker processes outlived the build"


def test_a_full_disk_on_the_warehouse_volume_is_one_line_and_leaves_no_copy(tmp_path, monkeypatch):
    """A run needs room for its working copy and the tables it rewrites (twice the warehouse, 400 MB at least): too
    little free space is said before a byte is copied, naming the volume, what is needed and what is free."""
    from collections import namedtuple

    from pipeline.domain import files
    from pipeline.domain.files import NoSpace
    from pipeline.warehouse.working_copy import start_working_copy, work_dir

    live = tmp_path / "warehouse" / "profile.duckdb"
    live.parent.mkdir()
    live.write_bytes(b"\0" * 300 * 2**20)  # (sparse on most file systems)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(files.shutil, "disk_usage", lambda path: usage(2**40, 2**40 - 100 * 2**20, 100 * 2**20))
    with pytest.raises(NoSpace) as err:
        start_working_copy(live, "abcdef12")
    assert str(err.value) == (f"not enough space on the volume {files.volume_of(live)} (for {work_dir(live)}): a run's working copy "
                              "of the warehouse and the tables it rewrites need about 616 MB, 100 MB are free. Free some space "
                              "there and run again.")
    assert not work_dir(live).exists()
