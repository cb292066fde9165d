"""The profile as a publication (issue 29): a Kreis outside North Rhine-Westphalia without a policy register
(Landkreis Görlitz) reads compactly, with the annex and the imprint; the pages hold together; the HTML is small,
dated and linked to its PDF; Dortmund keeps every entry of its register. Read from the PDFs and HTML files the session
built the way `make report` builds them (tests/conftest.py, built_report)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.report.test_publication_rules import MAINTAINER_WORDS

GOERLITZ = "landkreis-goerlitz-2024"
# a sentence telling the reader that something is missing
MISSING = re.compile(r"not available|no information|no official figure|not compiled", re.I)
ANNEX = "Annex: Methods and definitions"


def _documents(built_report):
    return {**{f"dortmund-{k}": e for k, e in built_report.editions.items()}, **built_report.districts}


def _html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>|data:[^\"')]+", "", html, flags=re.S))


def test_a_kreis_without_a_register_reads_as_a_publication(built_report):
    goerlitz = built_report.districts[GOERLITZ]
    text, html = goerlitz.text, _html_text(goerlitz.html.read_text(encoding="utf-8"))
    for words in (text, html):
        assert MAINTAINER_WORDS.findall(words) == []
    flat = " ".join(text.split())
    body = flat[flat.index("Executive summary", flat.index("Contents") + 200):flat.rindex(ANNEX)]
    assert len(MISSING.findall(body)) <= 3, MISSING.findall(body)
    # said once, in section 4, with the kind of publication that would provide it
    assert body.count("No information on local integration policy was compiled for this edition") == 1
    assert "integration concept, the decisions of its district council (Kreistag)" in body
    # no subsection without content: the register's subsections and the nationalities are not in the contents
    contents = goerlitz.pages[1]
    for absent in ("Decentralisation", "Stakeholders", "Main countries of origin", "Language and cultural knowledge",
                   "District priorities"):
        assert absent not in contents
    for present in ("Legal status", "Sectors of activity", "Education and vocational training", ANNEX, "Imprint"):
        assert present in contents
    # the annex: definitions, the symbols, the peer group with its members, the comparison, the coverage list
    annex = flat[flat.rindex(ANNEX):]
    for heading in ("Foreigners and non-Germans", "Three counts of the population", "Migration background and immigration "
                    "history", "The Zensus 2022 break", "Rounding and symbols", "The peer group", "How two sources are "
                    "compared", "Coverage of this edition", "Imprint"):
        assert heading in annex, heading
    assert "The 114 members: Alb-Donau-Kreis, Bodenseekreis" in annex and "Landkreis Hameln-Pyrmont" in annex
    members = (goerlitz.build / "_generated" / "methods.md").read_text(encoding="utf-8").split("members: ")[1]
    assert len(members.split(", ")) == 114 and "Landkreis Görlitz" in members
    assert "Local integration policy: the district’s strategies, services, stakeholders and priorities" in annex
    imprint = annex[annex.rindex("Imprint"):]
    assert "Produced with city-migration-profile" in imprint and re.search(r"Built on \d\d\.\d\d\.\d{4} by the pipeline at "
                                                                          r"(commit [0-9a-f]{12}|version)", imprint)
    assert "The figures were extracted from the publishers’ databases and publications" in imprint
    assert "Revisions. Figures are revised when their publisher revises them" in imprint
    # section 7 draws the conclusions the figures support: the peers and the unemployment rates
    assert "ranks 86th of the 114 districts of its peer group, below their median of 10.8 %" in body
    assert "unemployment rate of foreigners was 28.1 %, that of all 8.5 %" in body


def _caption_pages(pages: list[str]):
    """(page index, caption, the lines after it on its page) for every table and figure caption."""
    for i, page in enumerate(pages):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for j, line in enumerate(lines):
            if re.match(r"(Table|Figure) \d+: ", line):
                yield i, line, lines[j + 1:]


@pytest.mark.parametrize("name", ["dortmund-2018", "dortmund-2024", GOERLITZ])
def test_every_caption_is_on_the_page_of_its_table_and_its_source_line(built_report, name):
    """A table or chart, its caption and its source line share a page, unless the table is longer than a page: then
    it runs on, its header row repeated at the top of the next page. No page opens with a source line."""
    pages = _documents(built_report)[name].pages
    found = 0
    for i, caption, after in _caption_pages(pages):
        found += 1
        if caption.startswith("Figure"):
            assert any(line.startswith("Source:") for line in after[:6]) or any(
                line.startswith("Source:") for line in pages[i].splitlines()[:4]), (name, caption)  # (a chart's caption below it)
            continue
        assert len(after) >= 3, (name, caption, "the table starts on another page")
        if not any(line.startswith("Source:") for line in after):
            # longer than a page: the next page opens (after the running header) with the same header row
            following = [line.strip() for line in pages[i + 1].splitlines() if line.strip()]
            assert after[0] in following[:3], (name, caption, after[0], following[:3])
    assert found >= (8 if name == GOERLITZ else 12)
    for i, page in enumerate(pages[1:], 2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert not any(line.startswith("Source:") for line in lines[:2]), (name, i, lines[:2])


@pytest.mark.parametrize("name", ["dortmund-2018", "dortmund-2024", GOERLITZ])
def test_the_html_is_small_dated_and_linked_to_its_pdf(built_report, name):
    doc = _documents(built_report)[name]
    html = doc.html.read_text(encoding="utf-8")
    assert doc.html.stat().st_size < 700_000, doc.html.stat().st_size
    # the subset web fonts, shared by every profile of the site (assets/), neither embedded nor the full TrueType
    assert ".ttf" not in html and "data:font/" not in html and '<link rel="stylesheet" href="assets/fonts.css">' in html
    css = (doc.html.parent / "assets" / "fonts.css").read_text(encoding="utf-8")
    assert css.count('format("woff2")') == 4 and all((doc.html.parent / "assets" / u).exists()
                                                     for u in re.findall(r'url\("([^"]+)"\)', css))
    # the style rules too: one stylesheet named by its content, the same for every profile built with the same styles
    assert "<style" not in html.partition("</head>")[0]
    styles = re.findall(r'<link rel="stylesheet" href="(assets/profile-[0-9a-f]{12}\.css)">', html)
    assert len(styles) == 1 and ".profile-header" in (doc.html.parent / styles[0]).read_text(encoding="utf-8")
    assert all(styles[0] in d.html.read_text(encoding="utf-8") for d in _documents(built_report).values())
    assert "data:image/svg+xml;base64," not in html  # the charts as text
    header = re.search(r'<p class="profile-header">Figures as of (\d\d\.\d\d\.\d{4}) · built on [^<]+<a href="([^"]+)">', html)
    assert header and header.group(2) == doc.pdf.name and (doc.html.parent / header.group(2)).exists()
    title = re.search(r"<title>([^<]+)</title>", html).group(1)
    edition = name[-4:]
    assert title.endswith(f"Migration Profile {'Dortmund' if 'dortmund' in name else 'Landkreis Görlitz'}, Edition {edition}")
    assert PdfReader(str(doc.pdf)).metadata.title == title


def test_dortmund_keeps_every_entry_of_its_register(built_report):
    """Every entry of the city's register valid in the 2024 edition is printed, under its subsection."""
    build = built_report.editions["2024"].build / "_generated"
    printed = "".join((build / f"{part}.md").read_text(encoding="utf-8") for part in ("governance", "access-to-services",
                                                                                         "city-priorities"))
    entries = re.findall(r"^- \*\*(.+?)\*\* \(", printed, re.M)
    assert len(entries) == 55, len(entries)  # as the profile printed them before the compact layout (issue 29)
    flat = " ".join(built_report.editions["2024"].text.split()).replace("\u00ad", "")
    for title in entries:  # (as printed: a straight apostrophe is a typographic one)
        assert " ".join(title.replace("\\", "").replace("'", "’").split())[:40] in flat, title
