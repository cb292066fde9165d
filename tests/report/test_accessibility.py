"""Accessible PDF and HTML: every PDF declares PDF/UA-1 (Typst checks the rules when it writes it: tags, title,
language, alt text), and every chart carries alternative text written from its data, in the PDF's structure tree
(the Figure's /Alt) and in the HTML (alt)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.conftest import EDITIONS


def figures_alt(node, out: list) -> list:
    """The /Alt of every /Figure element of a PDF structure tree, in document order (None where it has none)."""
    node = node.get_object()
    if node.get("/S") == "/Figure":
        out.append(node.get("/Alt"))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        obj = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(obj, "keys") and "/MCID" not in obj:
            figures_alt(obj, out)
    return out


@pytest.mark.parametrize("year", EDITIONS)
def test_every_pdf_is_pdf_ua_with_alt_text_on_every_figure(built_report, year):
    reader = PdfReader(str(built_report.editions[year].pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp)
    assert root["/Lang"] == "en-GB" and reader.metadata.title == f"City Migration Profile Dortmund, Edition {year}"
    assert root["/MarkInfo"]["/Marked"]
    alts = figures_alt(root["/StructTreeRoot"], [])
    charts = re.findall(r"\{#fig-[a-z-]+ fig-alt=", (built_report.editions[year].build / "_expanded.md").read_text(encoding="utf-8"))
    assert len(alts) == len(charts) == (5 if year == "2018" else 7)  # every chart of the edition is a tagged Figure
    assert all(alt and len(str(alt)) > 60 for alt in alts), alts


def test_alt_text_is_written_from_the_data(built_report):
    text = " ".join(str(a) for a in figures_alt(PdfReader(str(built_report.editions["2024"].pdf)).trailer["/Root"]["/StructTreeRoot"], []))
    # what the chart shows, its largest and smallest values, its period
    assert ("Bar chart of the ten largest groups of foreigners in Dortmund by citizenship, 2024: the largest, Turkey, 21,515 persons"
            in text)
    assert "Line chart of the population of Dortmund, 2000 to 2024" in text and "the newest 603,462 (2024" in text
    html = built_report.editions["2024"].html.read_text(encoding="utf-8")
    imgs = re.findall(r"<img [^>]*>", html)
    charts = [i for i in imgs if "figures/" in i or "data:image/svg" in i]
    assert charts and all('alt="' in i and "chart of" in i for i in charts)
    assert re.search(r'alt="Bar chart of the share of non-Germans in each age group of Dortmund: in 2024 highest in the age group', html)
