"""The rendered profile: both editions as PDF and HTML, with the real figures in their tables, the MC2CM profile's
structure, a source line under every table and figure, and never a 'nan' or 'None'."""

from __future__ import annotations

import json
import re

import pypandoc
import pytest

SECTIONS = ["1. Background", "2. City synopsis", "3. National context", "4. City governance context",
            "5. Immigration situation", "6. Human rights and access to services", "7. Conclusions", "8. Sources"]


def test_make_report_builds_both_editions_and_prints_their_paths(built_report):
    assert built_report.exit_code == 0, built_report.stdout
    for ed in built_report.editions.values():
        assert ed.pdf.exists() and ed.html.exists()
        assert ed.pdf.read_bytes().startswith(b"%PDF-")
        assert f"PDF: {ed.pdf}" in built_report.stdout
        assert len(ed.pages) >= 15
    last = built_report.stdout.rstrip().splitlines()
    assert last[-3].startswith("PDF: ") and last[-1].startswith("Index of every published profile: ")
    # under each PDF, the maintainer's gap report: what the edition lacks and which input would fill it
    assert last[-2].strip() == f"what it lacks and which input would fill it: {built_report.editions['2024'].pdf.with_suffix('')}.gaps.md"
    # the index page lists both editions with their headline figures and links
    index = (built_report.report_dir / "_output" / "index.html").read_text(encoding="utf-8")
    # each headline figure names its measurement: the two editions' figures stand side by side there
    assert index.count("city-migration-profile-dortmund-2024.pdf") == 1 and "603,462 (2024, population update)" in index
    assert "603,600 (2019, city register)" in index
    assert "Turkey: 21,515 (2024, AZR)" in index and "Turkey: 22,845 (2018, AZR)" in index
    # the MC2CM profile printed '19%': whole, as printed
    assert "20.7 % (2024, population update)" in index and "19 % (2018, city register)" in index


def test_first_edition_reproduces_the_mc2cm_figures(built_report):
    text = built_report.editions["2018"].text
    assert "1 Turkey 22,845" in text  # Fig. 9
    assert "Non-Germans in all 114,062 100.0 %" in text  # Fig. 8, total of the legal-status table
    assert "Permanent residence 77,469 67.9 %" in text
    # Fig. 11: non-Germans under 3 in 2013 and 2018, with the shares we compute from the counts
    assert "under 3 1,284 13,000 9.0 % 3,309 14,012 19.1 %" in text
    assert "Population of the city 603,600 2019" in text  # the synopsis, as printed ...
    assert "Unemployment rate 10.1 % 2019 Bundesagentur für Arbeit (via" in text  # ... credited to whom the profile cites
    assert "Edition 2018" in text and "Figures as of 31.12.2019" in text
    assert "Figure 1: Migration between Germany and abroad, 1991-2018" in text  # the years of the profile's Fig. 1
    # (after the contents and before the annex, which defines the term for every edition)
    body = "\n".join(built_report.editions["2018"].pages[2:])
    body = body[:body.rindex("Annex: Methods and definitions")]
    assert "immigration history" not in body  # the 2022 census lies outside the first edition's window


def test_2024_edition_has_the_2024_files_figures(built_report):
    text = built_report.editions["2024"].text
    assert "Population of the city 603,462 2024 Destatis 12411-0015" in text
    assert "125,079 (20.7 %) 2024" in text  # foreigners, Regionaldatenbank 12411-03-03-4
    assert "1 Turkey 21,515 14.6 %" in text  # AZR, 12521-03i
    assert "under 3 4,045 12,556 24.4 %" in text
    assert "Services 224,080 83.6 %" in text  # 13111-54i
    assert "Figures as of 31.12.2024" in text and "Figures of the years 2020-2024" in text  # the span the edition shows
    # Fig. 1 from the Statistischer Bericht, 1950-2024, the change of territory marked; the city's own moves
    assert "Migration between Germany (until 1990 the former territory of the Federal Republic) and abroad, 1950-2024" in text
    assert "All moves 29,823 25,891 +3,932" in text
    # the census share with an immigration history, for the Land (no district figure exists in the files)
    assert "24.7 % of the population of Nordrhein-Westfalen had an immigration history" in " ".join(text.split())
    # the Bundesagentur's 2023 table (13211-02-05-4) and the school leavers (21111-02-06-4) fill two synopsis rows
    flat = " ".join(text.split())
    # each with its period as the publisher defines it: an annual average, a school year
    # section 6, employment: the rates of foreigners and of all once (the synopsis's rate of all is among them)
    assert "Unemployment rate of foreigners, annual average 2023: 27.4 %, of all 11.5 %" in flat
    assert "Unemployment rate: 11.5 %" not in flat
    assert "(share of all leavers): 560 (9.6 %) (school year 2022/23; Regionaldatenbank 21111-02-06-4)" in flat  # education
    # the series by nationality (13211-02-05-4): 2020 and 2023 in this edition, 2021 and 2022 a gap
    assert "Unemployment rate, foreigners, % 27.0 % 27.4 %" in flat and "no figures for 2021 and 2022" in flat
    # the residence status of all non-Germans has no 2024 input: no table and no note in the body, the annex's coverage
    # list names it (without the input: that is the maintainer's); the protection seekers (a subset) are shown with the
    # AZR total beside them
    coverage = text[text.rindex("Coverage of this edition"):]
    assert "The legal status of non-Germans in Dortmund" in coverage and "AZR figures by residence title" not in coverage
    assert "The legal status of non-Germans in Dortmund" not in text[:text.rindex("Annex: Methods and definitions")]
    report = built_report.editions["2024"].pdf.with_name(built_report.editions["2024"].pdf.stem + ".gaps.md")
    assert "AZR figures by residence title" in report.read_text(encoding="utf-8")  # the maintainer's report names the input
    assert "32,360 of the 146,995" in text and "All protection seekers 32,360 22.0 %" in text
    assert "– permanent 4,205 2.9 % permanent residence (part)" in text


def test_what_changed_compares_the_two_editions(built_report):
    text = built_report.editions["2024"].text
    assert "Key figures of the 2018 and 2024 editions" in text
    flat = " ".join(text[text.index("Key figures of the 2018 and 2024 editions"):].split())
    # the largest group in the AZR in both editions: one measurement, so a change
    assert "22,845 (2018, Turkey) 21,515 (2024, Turkey) −1,330" in flat
    # the shares of foreigners come from the register (2018) and the population update (2024): no difference
    assert "19 % (2018) 20.7 % (2024) not comparable: 2018 city’s population register" in flat
    # the first edition has no previous one to compare with
    assert "Key figures of the" not in built_report.editions["2018"].text


def test_appendix_prints_the_reconciliation(built_report):
    text = built_report.editions["2018"].text
    appendix = text[text.index("Appendix: State and municipal figures compared", text.index("Executive summary", 500)):]
    assert "587,010" in appendix and "603,000" in appendix
    assert "+15,990" in appendix and "(+2.7 %)" in appendix


def test_no_missing_value_is_printed(edition):
    for word in ("nan", "NaN", "None", "<NA>", "NaT"):
        assert not re.search(rf"\b{re.escape(word)}\b", edition.text), word
    html = edition.html.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>|data:[^\"')]+", "", html, flags=re.S)
    for word in ("nan", "None", "NaN"):
        assert not re.search(rf">[^<]*\b{word}\b[^<]*<", body), word


def test_every_section_of_the_mc2cm_profile_is_there_in_order(edition):
    body = "\n".join(edition.pages[2:])  # after the title page and the contents
    positions = [re.search(rf"^{re.escape(s)}$", body, re.M) for s in SECTIONS]
    assert all(positions), [s for s, p in zip(SECTIONS, positions, strict=True) if p is None]
    assert [p.start() for p in positions] == sorted(p.start() for p in positions)
    toc = edition.pages[1]
    assert all(s in toc for s in SECTIONS)
    for extra in ("Executive summary", "Appendix: State and municipal figures compared", "Annex: Methods and definitions",
                  "Coverage of this edition", "Imprint"):
        assert extra in body


def _blocks(edition):
    """The document as pandoc reads it (after the shortcodes are expanded), as a list of top-level blocks."""
    doc = json.loads(pypandoc.convert_file(str(edition.build / "_expanded.md"), "json", format="markdown"))
    return doc["blocks"]


def _plain(inlines) -> str:
    out = []
    for i in inlines:
        if i["t"] == "Str":
            out.append(i["c"])
        elif i["t"] in ("Space", "SoftBreak"):
            out.append(" ")
        elif i["t"] in ("Emph", "Strong"):
            out.append(_plain(i["c"]))
    return "".join(out)


def test_every_table_and_figure_has_a_number_caption_and_source_line(edition):
    blocks = _blocks(edition)
    floats = 0
    for i, block in enumerate(blocks):
        if block["t"] not in ("Table", "Figure"):
            continue
        floats += 1
        ident = block["c"][0][0]
        assert re.match(r"^(tbl|fig)-[a-z0-9-]+$", ident), ident  # numbered and cross-referenceable
        caption = block["c"][1][1]
        assert caption, f"{ident} has no caption"
        after = blocks[i + 1]
        assert after["t"] == "Para" and after["c"][0]["t"] == "Emph", f"{ident} is not followed by its source line"
        line = _plain(after["c"][0]["c"])
        assert line.startswith("Source: "), line
        if ident != "tbl-data-gaps":  # the one table that is the build's own account, not a publisher's figures
            assert "licence" in line.lower() or "attribution" in line, line
    assert floats >= 10
    # and in the PDF: one "Source:" line per numbered table and figure
    captions = set(re.findall(r"^(Table|Figure) (\d+): ", edition.text, re.M))
    assert len(captions) == floats
    assert len(re.findall(r"^Source: ", edition.text, re.M)) >= floats


def test_numbers_are_formatted_for_an_english_reader(built_report):
    text = built_report.editions["2024"].text
    assert "603,462" in text and "603.462" not in text
    assert "20.7 %" in text and "20,7" not in text


def test_html_is_self_contained_with_the_same_tables(edition):
    html = edition.html.read_text(encoding="utf-8")
    assert "<table" in html and "Table 1:" in html and "Figure 1:" in html
    assert 'src="_generated' not in html  # figures are embedded, so the file can be mailed on its own
    assert "data:image/svg+xml" in html
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for section in SECTIONS:
        assert section in words, section


def test_charts_are_drawn_from_the_marts(built_report):
    figures = built_report.editions["2024"].build / "_generated" / "figures"
    names = {p.name for p in figures.glob("*.svg")}
    assert {"migration-germany.svg", "population-trend.svg", "age-structure.svg", "top-nationalities.svg",
            "foreigner-share-cities.svg"} <= names
    # the first edition has no 15-city comparison: the figure is a note, not an empty chart
    assert not (built_report.editions["2018"].build / "_generated" / "figures" / "foreigner-share-cities.svg").exists()
    text = built_report.editions["2018"].text  # ... and no subsection: the annex's coverage list names it
    assert "Foreigners in Germany’s largest cities" not in text[:text.rindex("Coverage of this edition")]
    assert "The share of foreigners in Germany" in text[text.rindex("Coverage of this edition"):]


@pytest.mark.parametrize("key", ["2018", "2024"])
def test_the_quarto_project_is_complete(built_report, key):
    """What `quarto render` needs is in the edition's folder: the project file, the document, its includes."""
    folder = built_report.editions[key].build
    for name in ("_quarto.yml", "profile.qmd", "_variables.yml", "typst-template.typ", "typst-show.typ", "styles.css"):
        assert (folder / name).is_file(), name
    assert list((folder / "fonts").glob("SourceSans3-*.ttf"))
    qmd = (folder / "profile.qmd").read_text(encoding="utf-8")
    for include in re.findall(r"\{\{< include (\S+) >\}\}", qmd):
        assert (folder / include).is_file(), include


def test_every_breakdown_table_carries_its_total(built_report):
    new = " ".join(built_report.editions["2024"].text.split())
    assert "All ages 125,079 478,383 20.7 %" in new  # the Germans of Dortmund (2024) in all, beside the non-Germans
    assert "Other citizenships 54,630 37.2 % All foreigners 146,995 100.0 %" in new  # AZR, 12521-03i
    assert "Not assigned to a section 1 0.0 % All employees 267,991 100.0 %" in new  # the sections and the total
    assert "All protection seekers 32,360 22.0 %" in new
    first = " ".join(built_report.editions["2018"].text.split())
    assert "All ages 81,656 502,002 14.0 % 109,721 492,845 18.2 %" in first  # the sum of the MC2CM profile's Fig. 11
    assert "The 10 largest groups together 72,175" in first  # Fig. 9 gives no total of all foreigners
    assert "Non-Germans in all 114,062 100.0 %" in first  # Fig. 8
