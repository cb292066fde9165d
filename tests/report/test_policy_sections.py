"""Sections 4, 6 and 7 from the policy register: the MC2CM subsections as headings, each entry in the editions its
dates allow, with its citation; the statistics held on a topic beside the entries; the summary and conclusions
quoting register rows; a subsection without entries naming the input that would fill it."""

from __future__ import annotations

import re

from pipeline.domain.labels import POLICY_SECTIONS


def flat(text: str) -> str:
    """PDF text without its white space and soft hyphens: a sentence is found whatever the line breaks."""
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


def has(text: str, phrase: str) -> bool:
    return flat(phrase) in flat(text)


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_every_mc2cm_subsection_is_a_heading_in_its_section(built_report):
    html = built_report.editions["2024"].html.read_text(encoding="utf-8")
    headings = [" ".join(h.split()) for h in re.findall(r"<h2[^>]*>([^<]+)</h2>", html)]
    for subsections in POLICY_SECTIONS.values():
        titles = [title for _, title in subsections]
        found = [h for h in headings if h in titles]
        assert found == titles  # all of them, in the MC2CM profile's order


def test_an_entry_of_2024_appears_in_the_2024_edition_only(built_report):
    new, first = (built_report.editions[y].text for y in ("2024", "2018"))
    assert has(new, "Integrating Cities Charter (Integrating Cities Charter (Eurocities); agreement, since 2024). Dortmund signed "
                    "the Eurocities charter in 2024")
    assert has(new, "Source: Eurocities, Dortmund joins European cities with a commitment to migrant integration (16.04.2024)")
    assert not has(first, "Integrating Cities Charter")
    assert has(new, "CONSOLIDATE (Eurocities) (CONSOLIDATE project; network, 2024-2027)") and not has(first, "CONSOLIDATE")


def test_an_entry_of_2011_appears_in_both_editions(built_report):
    for year in ("2018", "2024"):
        text = built_report.editions[year].text
        assert has(text, "Politik Mit-Wirkung (Politics with Impact; programme, since 2011)"), year
        assert has(text, "Source: Cities of Migration, Participation, Politics and Impact (19.12.2012)"), year


def test_entries_that_ended_before_the_window_are_history_not_current(built_report):
    new = built_report.editions["2024"].text
    assert has(new, "Ended before this edition: Masterplan Migration/Integration, first period (2005-2010); Masterplan "
                    "Migration/Integration, second period (2010-2013); Masterplan Migration/Integration, third period (2013-2017).")
    assert not has(new, "(Master plan, first period; strategy")
    # the first edition's window has no start: the periods up to 2019 are current there, with their dates
    first = built_report.editions["2018"].text
    assert has(first, "Masterplan Migration/Integration, first period (Master plan, first period; strategy, 2005-2010)")
    assert has(first, "Masterplan Migration/Integration, current phase (Master plan, current phase; strategy, since 2018)")
    assert not has(first, "Ended before this edition")


def test_a_source_without_a_start_dates_the_entry_by_its_publication(built_report):
    """'lokal willkommen' is known from the MC2CM profile (March 2021): its entry is in the 2024 edition, 'by 2021',
    and not in the 2018 edition, whose window ends in 2019."""
    new, first = (built_report.editions[y].text for y in ("2024", "2018"))
    assert has(new, "lokal willkommen (Local welcome offices; service, by 2021)")
    assert has(new, "ICMPD, UCLG and UN-Habitat (MC2CM project), City Migration Profile of Dortmund (March 2021), section 4")
    assert not has(first, "Local welcome offices")


def test_statistics_stand_beside_the_entries_of_their_topic(built_report):
    text = built_report.editions["2024"].text
    employment = section(text, "Employment and entrepreneurship\n", "Health and well-being\n")
    assert has(employment, "perMenti (perMenti for refugee women; programme, by 2021)")
    assert has(employment, "Unemployment rate of foreigners, annual average 2023: 27.4 %, of all 11.5 %; over time in Table")
    safety = section(text, "Safety and security\n", "Housing and basic services\n")
    assert has(safety, "Protection seekers (Central Register of Foreigners): 32,360 on 31.12.2024 (Destatis 12531-0043)")
    assert has(safety, "Unaccompanied minor refugees: around 650 (2020;")  # stated by Eurocities, with its citation
    participation = section(built_report.editions["2018"].text, "Political participation\n", "Social inclusion and cohesion\n")
    assert has(participation, "Members of the Integration Council, directly elected: 18 (2014;")
    assert has(participation, "City council members with a migration background: 5% (2012;")


def test_summary_and_conclusions_quote_the_register(built_report):
    new, first = (built_report.editions[y].text for y in ("2024", "2018"))
    summary = section(new, "Executive summary\n", "1. Background\n")
    assert has(summary, "the newest agreement is the Integrating Cities Charter (2024); the longest-standing strategy the "
                        "Masterplan Migration/Integration (since 2005).")
    first_summary = section(first, "Executive summary\n", "1. Background\n")
    assert has(first_summary, "the newest agreement is the Städtepartnerschaft Dortmund–Trabzon (2014)")
    assert has(new, "Priorities. The City Migration Profile of Dortmund (2021) names 5 priorities for the city: Identifying target "
                    "groups, Reconsidering migrant neighbourhoods")
    assert has(new, "(1) Identifying target groups (Identifying target groups; priority, by 2021)")


def test_a_subsection_without_entries_is_left_out_and_the_maintainer_learns_the_input(built_report):
    edition = built_report.editions["2018"]
    # no heading, no note: the conclusions end where the sources begin; the coverage list names the topic once
    conclusions = section(edition.text, "7. Conclusions\n", "8. Sources")
    assert "City priorities" not in conclusions and "Not available" not in conclusions
    assert "City priorities" not in edition.pages[1]  # (the contents)
    coverage = edition.text[edition.text.rindex("Coverage of this edition"):]
    # the register has entries for other subsections: this one is named (the whole register only where it is empty)
    assert has(coverage, "City priorities (Dortmund, policy register)") and "Local integration policy" not in coverage
    assert "raw/" not in coverage and "Input that would provide it" not in coverage  # (not the reader's business)
    report = edition.pdf.with_name(edition.pdf.stem + ".gaps.md").read_text(encoding="utf-8")
    row = next(x for x in report.splitlines() if x.startswith("| City priorities (Dortmund, policy register) |"))
    assert "raw/city/dortmund_policy_register.csv" in row


def test_register_figures_meet_the_reconciliation(built_report):
    """The population the 2012 article states (580,000) is compared with the population update of 2012."""
    assert has(built_report.editions["2018"].text,
               "Population, 31.12.2012 / 19.12.2012: Destatis 12411-0015 572,087 (population update, Zensus 2011) vs Dortmund "
               "policy publications 580,000 (measurement not stated): +7,913 (+1.4 %)")
