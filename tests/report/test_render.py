"""The built-in renderer: Quarto's shortcodes, and a failed render that leaves the last good PDF in place."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest

from pipeline.report.folders import EditionFolder, Published
from pipeline.report.render import RenderError, expand_shortcodes, render

NOON = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def test_var_and_include_expand_like_quarto(tmp_path):
    (tmp_path / "_generated").mkdir()
    (tmp_path / "_generated" / "part.md").write_text("Population: {{< var figures.population >}}\n", encoding="utf-8")
    text = expand_shortcodes("# {{< var city.name >}}\n\n{{< include _generated/part.md >}}", tmp_path, tmp_path,
                             {"city": {"name": "Dortmund"}, "figures": {"population": "603,462"}})
    assert text == "# Dortmund\n\nPopulation: 603,462\n"


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{< var city.nmae >}}", "{{< var city.nmae >}}: no such variable in _variables.yml"),
        ("{{< include ../../etc/passwd >}}", "points outside the project"),
        ("{{< include _generated/missing.md >}}", "{{< include _generated/missing.md >}}: file not found"),
        ("{{< video intro.mp4 >}}", "shortcode {{< video >}} is not supported by the built-in renderer"),
    ],
)
def test_a_shortcode_it_cannot_expand_is_an_error_not_a_blank(tmp_path, source, message):
    with pytest.raises(RenderError) as err:
        expand_shortcodes(source, tmp_path, tmp_path, {"city": {"name": "Dortmund"}})
    assert message in str(err.value)


def test_a_failed_render_keeps_the_last_good_pdf(built_report, tmp_path):
    good = built_report.editions["2024"]
    out = tmp_path / "_output"
    out.mkdir()
    shutil.copy2(good.pdf, out / "profile-2024.pdf")
    shutil.copy2(good.html, out / "profile-2024.html")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}

    folder = tmp_path / "build"
    shutil.copytree(good.build, folder)
    qmd = folder / "profile.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\n```{=typst}\n#this-function-does-not-exist()\n```\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render(EditionFolder(folder), Published(out, "profile-2024"), NOON, engine="builtin")
    assert "Typst could not compile profile.typ" in str(err.value) and "this-function-does-not-exist" in str(err.value)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert after == before  # same files, same bytes, no partial file left behind


def test_a_render_replaces_the_previous_pdf(built_report, tmp_path):
    good = built_report.editions["2018"]
    out = tmp_path / "_output"
    out.mkdir()
    (out / "profile-2018.pdf").write_bytes(b"%PDF-1.7 an older edition")
    folder = tmp_path / "build"
    shutil.copytree(good.build, folder)
    result = render(EditionFolder(folder), Published(out, "profile-2018"), NOON, engine="builtin")
    assert result.pdf == out / "profile-2018.pdf" and result.pages == len(good.pages)
    assert result.engine == "built-in (pandoc + typst)"
    assert sorted(p.name for p in out.iterdir()) == ["profile-2018.html", "profile-2018.pdf"]
    assert b"an older edition" not in result.pdf.read_bytes()
