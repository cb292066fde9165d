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
    (tmp_path / "part.md").write_text("Population: {{< var figures.population >}}\n", encoding="utf-8")
    text = expand_shortcodes("# {{< var city.name >}}\n\n{{< include part.md >}}", tmp_path, tmp_path,
                             {"city": {"name": "Dortmund"}, "figures": {"population": "603,462"}})
    assert text == "# Dortmund\n\nPopulation: 603,462\n"


def test_generated_content_is_included_as_it_is(tmp_path):
    """A file under _generated/ is the report assets' output: included without looking for shortcodes in it (they
    never write one; a part that would is refused when it is written)."""
    (tmp_path / "_generated").mkdir()
    (tmp_path / "_generated" / "part.md").write_text("Population: {{< var figures.population >}}\n", encoding="utf-8")
    text = expand_shortcodes("{{< include _generated/part.md >}}", tmp_path, tmp_path, {"figures": {"population": "603,462"}})
    assert text == "Population: {{< var figures.population >}}\n"
    with pytest.raises(ValueError, match="holds a Quarto shortcode"):
        EditionFolder(tmp_path).write_part("part", "Population: {{< include _variables.yml >}}", [], set())


def test_a_variable_in_the_front_matter_stays_inside_its_quoted_string(tmp_path):
    """Quarto parses the front matter's YAML before it expands a shortcode there: the value (Markdown, escaped by
    fmt.text) is written as the double-quoted string's content, so quotes and backslashes in a name stay text."""
    import yaml

    from pipeline.report import fmt

    name = 'Bad "City" \\ `#x`{=typst}'
    doc = expand_shortcodes('---\ntitle: "{{< var city.name >}}"\n---\n\n{{< var city.name >}}\n', tmp_path, tmp_path,
                            {"city": {"name": fmt.text(name)}})
    head, body = doc.split("\n---\n", 1)
    assert yaml.safe_load(head.removeprefix("---\n"))["title"] == fmt.text(name)
    assert body.strip() == fmt.text(name) and fmt.plain(fmt.text(name)) == name


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
    # (and the site's shared fonts, written beside the profiles)
    assert sorted(p.name for p in out.iterdir()) == ["assets", "profile-2018.html", "profile-2018.pdf"]
    assert b"an older edition" not in result.pdf.read_bytes()


# -- the same document as Quarto renders it --------------------------------------------------------------------------


def test_the_title_block_date_and_contents_title_come_as_quarto_reads_them(built_report):
    """The build date reaches the title block from _metadata.yml (an ISO date Quarto can parse, printed in the
    project's date-format); the contents are titled as _quarto.yml says, in both routes."""
    good = built_report.editions["2024"]
    import yaml

    # the day the session's build rendered it (read back, not today: a test run may pass midnight after the build)
    built = yaml.safe_load((good.build / "_variables.yml").read_text(encoding="utf-8"))["build"]
    today = dt.date.fromisoformat(built["iso_date"])
    assert built["date"] == f"{today:%d.%m.%Y}" and today in (dt.date.today(), dt.date.today() - dt.timedelta(days=1))
    assert (good.build / "_metadata.yml").read_text(encoding="utf-8") == f"date: {today.isoformat()}\n"
    assert "date:" not in (good.build / "profile.qmd").read_text(encoding="utf-8").split("---")[1]
    html = good.html.read_text(encoding="utf-8")
    assert f'<p class="date">{today:%d.%m.%Y}</p>' in html
    assert '<h2 id="toc-title">Contents</h2>' in html


def test_pandoc_does_not_wrap_lines_as_quarto_does_not(built_report):
    """A wrapped line beginning with '-9' was escaped into a hyphen: with --wrap=none a paragraph is one line."""
    typ = (built_report.editions["2018"].build / "profile.typ").read_text(encoding="utf-8")
    line = next(ln for ln in typ.splitlines() if "A City Migration Profile describes who has come" in ln)
    assert "together with the institutions that shape migration and integration locally" in line


def test_a_reference_to_a_missing_label_warns_and_prints_the_label(built_report, tmp_path):
    good = built_report.editions["2024"]
    folder = tmp_path / "build"
    shutil.copytree(good.build, folder)
    qmd = folder / "profile.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nSee @tbl-no-such-table for more.\n", encoding="utf-8")
    result = render(EditionFolder(folder), Published(tmp_path / "_output", "profile-2024"), NOON, engine="builtin")
    assert result.warnings == ("WARNING (crossref): unresolved cross-reference @tbl-no-such-table",)
    from pypdf import PdfReader

    assert "See ?@tbl-no-such-table for more." in PdfReader(str(result.pdf)).pages[-1].extract_text()
    assert "?@tbl-no-such-table" in result.html.read_text(encoding="utf-8")


FAKE_QUARTO = """#!/bin/sh
# a stand-in for the Quarto CLI: its version, and a render that leaves the files Quarto leaves, warns, and notes the
# SOURCE_DATE_EPOCH it was given
if [ "$1" = "--version" ]; then echo 1.10.18; exit 0; fi
mkdir -p _output
cp "$GOOD_PDF" _output/profile.pdf; cp "$GOOD_HTML" _output/profile.html
echo "$SOURCE_DATE_EPOCH" > source-date-epoch.txt
echo "WARN (/tmp/x.lua:12) Unable to resolve crossref @tbl-missing" >&2
"""


def test_quarto_renders_with_a_fixed_date_and_its_warnings_reach_the_user(built_report, tmp_path, monkeypatch):
    good = built_report.editions["2024"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "quarto").write_text(FAKE_QUARTO, encoding="utf-8")
    (bin_dir / "quarto").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("CMP_RENDERER", "auto")  # (the suite pins the built-in route: tests/conftest.py)
    monkeypatch.setenv("GOOD_PDF", str(good.pdf))
    monkeypatch.setenv("GOOD_HTML", str(good.html))
    folder = tmp_path / "build"
    shutil.copytree(good.build, folder)
    result = render(EditionFolder(folder), Published(tmp_path / "_output", "profile-2024"), NOON)
    assert result.engine == "quarto"
    assert (folder / "source-date-epoch.txt").read_text().strip() == str(int(NOON.timestamp()))
    assert result.warnings == tuple(f"quarto render --to {f}: WARN (/tmp/x.lua:12) Unable to resolve crossref @tbl-missing"
                                    for f in ("typst", "html"))
    from pipeline.report import renderer

    renderer.identity.cache_clear()
    try:
        assert renderer.identity() == "quarto 1.10.18"
    finally:
        renderer.identity.cache_clear()


def test_asking_for_quarto_where_there_is_none_is_an_error(built_report, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    folder = tmp_path / "build"
    shutil.copytree(built_report.editions["2024"].build, folder)
    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render(EditionFolder(folder), Published(tmp_path / "_output", "profile-2024"), NOON, engine="quarto")
    monkeypatch.setenv("CMP_RENDERER", "quarto")
    with pytest.raises(RenderError, match=r"CMP_RENDERER=quarto\) but quarto is not on PATH"):
        render(EditionFolder(folder), Published(tmp_path / "_output", "profile-2024"), NOON)
    assert not (tmp_path / "_output").exists()


@pytest.mark.skipif(shutil.which("quarto") is None, reason="the Quarto CLI is not installed here: the two routes cannot be compared")
def test_quarto_and_the_built_in_route_give_the_same_document(built_report, tmp_path):
    """The same staged sources, rendered by Quarto and by the built-in route: the same pages with the same text."""
    from pypdf import PdfReader

    texts = {}
    for engine in ("quarto", "builtin"):
        folder = tmp_path / engine
        shutil.copytree(built_report.editions["2024"].build, folder)
        result = render(EditionFolder(folder), Published(tmp_path / f"_output-{engine}", "profile-2024"), NOON, engine=engine)
        texts[engine] = [page.extract_text() for page in PdfReader(str(result.pdf)).pages]
    assert len(texts["quarto"]) == len(texts["builtin"]) > 10
    for number, (a, b) in enumerate(zip(texts["quarto"], texts["builtin"], strict=True), start=1):
        assert a == b, f"page {number} differs"
