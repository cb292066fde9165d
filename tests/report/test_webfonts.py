"""The HTML's web fonts (pipeline/report/webfonts.py) and its charts as text (pipeline/report/embedded.py,
pipeline/report/charts.py compact()): smaller files that show the same."""

from __future__ import annotations

import base64
import io
import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from fontTools.ttLib import TTFont

from pipeline.report import charts, embedded, webfonts


@pytest.mark.parametrize("face", webfonts.FACES)
def test_the_committed_web_fonts_are_what_make_fonts_writes(face):
    committed = (webfonts.WEB / f"{face}.woff2").read_bytes()
    assert committed == webfonts.subset_font(face), "run `make fonts` and commit report/webfonts/"
    assert len(committed) < 60_000  # a subset, not the 300-430 kB TrueType font


def test_the_web_fonts_hold_every_character_of_the_profiles_text(built_report):
    cmap = set(TTFont(webfonts.WEB / "SourceSans3-Regular.woff2").getBestCmap())
    for doc in [*built_report.editions.values(), *built_report.districts.values()]:
        html = doc.html.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>|data:[^\"')]+", "", html, flags=re.S))
        missing = {ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap}
        assert missing == set(), (doc.html.name, sorted(missing))


def test_a_chart_as_text_is_the_same_svg():
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><style>*{a: b}</style><path d="M 0 1" style="fill: #1d4e89"/>' \
          '<text>50 % &amp; more</text></svg>'
    uri = embedded.svg_uri(svg)
    data = uri.split(",", 1)[1]
    assert not set('"<>#&{}\n') & set(data)  # nothing that ends the attribute or is read as the URI's syntax
    assert urllib.parse.unquote(data) == svg.replace('"', "'")


def test_the_html_carries_its_charts_as_text(tmp_path):
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<path d='M 0 0 L 1 1'/>" * 200 + "</svg>"
    page = tmp_path / "p.html"
    page.write_text(f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="x">', encoding="utf-8")
    saved = embedded.for_the_site(page, tmp_path)
    html = page.read_text(encoding="utf-8")
    assert saved > 0 and "base64" not in html
    assert urllib.parse.unquote(re.search(r'src="data:image/svg\+xml;charset=utf-8,([^"]*)"', html).group(1)) == svg


def test_a_compacted_chart_keeps_every_element_and_the_glyphs_scale():
    plt = charts._plt()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0.123456, 1.987654], [2.5, 3.25], label="Arrivals")
    ax.legend()
    raw = io.StringIO()
    fig.savefig(raw, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    before, after = raw.getvalue(), charts.compact(raw.getvalue())
    assert len(after) < 0.9 * len(before)
    # every element of the drawing (the SVG namespace's; the metadata block is dropped)
    tags = lambda s: sorted(e.tag for e in ET.fromstring(s.split("?>", 1)[1].split("]>", 1)[-1]).iter()  # noqa: E731
                            if e.tag.startswith("{http://www.w3.org/2000/svg}") and not e.tag.endswith("}metadata"))
    assert tags(after) == tags(before) and len(tags(after)) > 20
    assert re.findall(r"scale\([^)]*\)", after) == re.findall(r"scale\([^)]*\)", before)  # a glyph's size keeps its digits
    assert "<metadata>" not in after and not re.search(r' d="[^"]*\d\.\d{3}', after)
