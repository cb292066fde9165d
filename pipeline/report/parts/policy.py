"""The profile's policy sections, made from the city's policy register (raw/README.md, "Policy register"): section 4
(city governance), section 6 (human rights and access to services) and section 7's city priorities, each subsection
of the MC2CM profile under its own heading (the vocabulary in pipeline/domain/labels.py).

A subsection lists the register's entries that were valid within the edition's window, each with its period, kind,
summary and citation, then those that had ended before it; beside them, the statistics this profile holds on the
topic (section 6) and the figures the register's publications state. A subsection with none of these is left out:
its gap goes to the annex's coverage list and the maintainer's gap report. Where the register has no entry at all,
section 4 says so once, naming the kind of publication that would provide them.
"""

from __future__ import annotations

import pandas as pd

from pipeline.domain.labels import POLICY_HEADINGS, POLICY_SECTIONS
from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.fact_types import PolicyRegister
from pipeline.report.facts import Facts
from pipeline.report.folders import slug
from pipeline.report.labels import NRW
from pipeline.report.parts import tables
from pipeline.report.parts.base import Gap, Part

# The statistics each subsection of section 6 sets beside the register: rows of the synopsis (marts.synopsis), the
# figures the register's publications state (marts.policy_figures), and for safety and legal security the
# protection seekers of the Central Register of Foreigners.
SYNOPSIS_ROWS = {
    "housing_basic_services": ("rent", "building_land_price", "housing_space"),
    "education_vocational_training": ("school_dropouts", "leavers_without_qualification", "foreign_students"),
    "employment_entrepreneurship": ("unemployment_rate", "welfare"),
}
STATED = {
    "safety_security": ("refugees", "unaccompanied_minor_refugees"),
    "education_vocational_training": ("vocational_support_participants",),
    "health": ("share_needing_psychological_help",),
    "political_participation": ("integration_council_members", "share_of_council_members"),
}
STATED_LABELS = {
    "refugees": "People who came to the city as refugees",
    "unaccompanied_minor_refugees": "Unaccompanied minor refugees",
    "vocational_support_participants": "Young migrants supported into training and work",
    "share_needing_psychological_help": "Recent refugees in need of psychological help",
    "integration_council_members": "Members of the Integration Council",
    "share_of_council_members": "City council members with a migration background",
}
CATEGORY_LABELS = {
    "directly_elected": "directly elected",
    "appointed_by_city_council": "appointed by the city council",
}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December")


def register_input(ctx: ReportContext, key: str) -> str:
    """The input that would fill a subsection of the register: rows in the city's register file (one per city)."""
    file = f"raw/city/{slug(ctx.city).replace('-', '_')}_policy_register.csv"
    return f"rows of subsection '{key}' in the city's policy register {file}, each with its citation (raw/README.md)"


def written_date(text: str) -> str:
    """A citation's date as precise as it was written: '2014', 'March 2021', '16.04.2024'."""
    parts = text.split("-")
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return fmt.date(text) if len(parts) == 3 else text


def period(row) -> str:
    """'2016-2022', 'since 2011', or 'by 2021' where the source gives no start (valid from = its publication date)."""
    start = pd.Timestamp(row.valid_from)
    if pd.notna(row.valid_to):
        end = pd.Timestamp(row.valid_to)
        return str(start.year) if end.year == start.year else f"{start.year}-{end.year}"
    if pd.Timestamp(row.published) == start:
        return f"by {start.year}"
    if row.kind == "event":
        return str(start.year)
    return f"since {start.year}"


def citation(row) -> str:
    """Markdown: the publisher, the publication in italics, its date and the place in it (a web address linked)."""
    locator = fmt.link(row.locator) if row.locator.startswith(("http://", "https://")) else fmt.text(row.locator)
    return f"{fmt.text(row.publisher)}, *{fmt.text(row.publication)}* ({fmt.text(written_date(row.published_as))}), {locator}"


def entry(row) -> str:
    gloss = f"{fmt.text(row.title_en)}; " if row.title_en != row.title else ""
    return (f"- **{fmt.text(row.title)}** ({gloss}{fmt.text(row.kind)}, {period(row)}). {fmt.text(row.summary)} "
            f"Source: {citation(row)}.")


def _entries(current: pd.DataFrame, earlier: pd.DataFrame) -> list[str]:
    lines = [entry(r) for r in current.itertuples()]
    if len(earlier):
        ended = "; ".join(f"{fmt.text(r.title)} ({period(r)})" for r in earlier.itertuples())
        lines.append(f"- Ended before this edition: {ended}.")
    return lines


def _stated(register: PolicyRegister, indicators: tuple[str, ...]) -> list[str]:
    out = []
    for r in register.stated(indicators).itertuples():
        label = STATED_LABELS[r.indicator]
        if r.category in CATEGORY_LABELS:  # (a share's category is in its label already)
            label += f", {CATEGORY_LABELS[r.category]}"
        note = f"; {fmt.text(r.note)}" if r.note else ""
        # as printed where it was printed in figures ('1,500'), else the value ('neun' is 9)
        shown = fmt.text(r.printed_as) if any(ch.isdigit() for ch in str(r.printed_as)) else fmt.count(r.value)
        out.append(f"- {label}: {shown} ({r.year}; {fmt.text(r.citation)}{note}).")
    return out


def subsection(ctx: ReportContext, part: Part, key: str, lines: list[str], statistics: list[str] | None = None,
               told: bool = False) -> str:
    """One subsection: its heading, its entries and statistics. A subsection with none is left out; the gap goes to
    the coverage list and the maintainer's gap report (``told``: the register is empty and section 4 says so once, so
    the coverage list names the whole register once, topic 'policy', instead of each subsection)."""
    heading = ctx.words(POLICY_HEADINGS[key])
    body = list(lines)
    if statistics:
        body += ["", "Figures on this topic:", "", *statistics] if lines else statistics  # (a list needs the blank line)
    if not body:
        what = f"{heading} ({ctx.city}, policy register)"
        part.gaps.append(Gap(what, ctx.needed(register_input(ctx, key)), topic="policy" if told else ""))
        return ""
    return f"## {heading} {{#{key.replace('_', '-')}}}\n\n" + "\n".join(body) + "\n\n"


def no_policy_sentence(ctx: ReportContext) -> str:
    """Section 4 where the district's register has no entry: said once, with the kind of source that would fill it."""
    if ctx.is_city_state:
        where = ("the Land government's integration programme and its reports, the decisions of the Land parliament, and "
                 "the integration work of the boroughs")
    elif ctx.is_city:
        where = ("the city's integration concept or strategy, the decisions of its council, the reports of its "
                 "integration office, and its memberships in networks of cities")
    else:
        where = ("the district's integration concept, the decisions of its district council (Kreistag), the reports of "
                 "its integration office, and the work of its towns and municipalities")
    if ctx.land_code == NRW and not ctx.is_city_state:
        where += " (in North Rhine-Westphalia the Kommunales Integrationszentrum reports on much of it)"
    return ("No information on local integration policy was compiled for this edition. It would come from the "
            f"publications that set such policy out: {where}.\n")


def empty(register: PolicyRegister) -> bool:
    """The district's register has no entry for the edition (399 of 400 districts keep none)."""
    return register.current.empty and register.earlier.empty


def _register(part: Part, facts: Facts) -> PolicyRegister:
    register = facts.policy
    part.sources |= set(register.current["source_id"]) | set(register.earlier["source_id"])
    return register


def governance(ctx: ReportContext, facts: Facts) -> Part:
    """Section 4: the register's entries under each governance subsection; the stakeholder overview (MC2CM Table 2)
    under stakeholders."""
    part = Part("")
    register = _register(part, facts)
    blocks = []
    for key, _ in POLICY_SECTIONS["governance"]:
        lines = _entries(*register.of(key))
        if key == "stakeholders":  # the register's entries, then the stakeholder table (where there is one)
            overview = tables.stakeholders(ctx, facts)
            if empty(register):  # (told once, with the register's)
                overview.gaps = [g._replace(topic="policy") for g in overview.gaps]
            table = part.include(overview)
            lines += ["", table] if table else []
        blocks.append(subsection(ctx, part, key, lines, told=empty(register)))
    if not any(blocks):
        part.markdown = no_policy_sentence(ctx)
        return part
    intro = (f"The subsections follow the MC2CM profile's; each lists what {ctx.owner()} policy register records for this "
             "edition, with the publication it comes from. Topics the register holds nothing on are left out.\n\n")
    part.markdown = intro + "".join(blocks)
    return part


def _synopsis_lines(ctx: ReportContext, part: Part, facts: Facts, ids: tuple[str, ...]) -> list[str]:
    """The synopsis rows of a topic as lines, with their gaps and sources recorded as the synopsis table does."""
    out = []
    # (an indicator without a figure is named under the synopsis table, not here)
    for label, value, year, source in tables.indicator_rows(ctx, part, facts.synopsis.figures(list(ids))):
        out.append(f"- {fmt.text(label)}: {fmt.text(value)} ({year}; {fmt.text(source)}).")
    return out


def _protection_line(ctx: ReportContext, part: Part, facts: Facts) -> list[str]:
    frame = facts.protection_status
    if frame.empty:
        return []
    total = frame[frame["status"] == "total"].iloc[0]
    part.sources.add(total.source_id)
    name = fmt.text(ctx.sources.loc[total.source_id, "short_name"])
    return [f"- Protection seekers (Central Register of Foreigners): {fmt.count(total.value)} on {fmt.date(total.reference_date)} "
            f"({name}); by protection status in @tbl-protection-status."]


def _labour_lines(part: Part, facts: Facts) -> list[str]:
    """The newest employees of all and foreign (30 June) and unemployment rates of all and of foreigners (annual
    average) the edition holds, each with its date, pointing to section 5's tables."""
    frame = facts.labour_market
    if frame.empty:
        return []
    out = []
    known = frame[frame["status"] == ""]
    pick = lambda m, n: known[(known["measure"] == m) & (known["nationality"] == n)].sort_values("reference_date")  # noqa: E731
    employees, foreign, share = (pick("employees_at_workplace", "total"), pick("employees_at_workplace", "non_german"),
                                 pick("foreign_share_of_employees", "non_german"))
    if len(employees) and len(foreign) and employees.iloc[-1].reference_date == foreign.iloc[-1].reference_date:
        e, f = employees.iloc[-1], foreign.iloc[-1]
        part.cite(e.source_id, e.reference_date)
        share_text = f" ({fmt.percent(share.iloc[-1].value)})" if len(share) else ""
        out.append(f"- Employees liable to social insurance at their place of work on {fmt.date(e.reference_date)}: "
                   f"{fmt.count(e.value)}, of whom {fmt.count(f.value)} foreigners{share_text}; over time in "
                   f"@tbl-employees-by-nationality.")
    rate_all, rate_foreign = pick("unemployment_rate", "total"), pick("unemployment_rate", "non_german")
    if len(rate_foreign):
        r = rate_foreign.iloc[-1]
        same = rate_all[rate_all["reference_date"] == r.reference_date]
        part.cite(r.source_id, r.reference_date)
        beside = f", of all {fmt.percent(same.iloc[0].value)}" if len(same) else ""
        out.append(f"- Unemployment rate of foreigners, annual average {r.year}: {fmt.percent(r.value)}{beside}; over time "
                   f"in @tbl-unemployment-by-nationality.")
    return out


def access_to_services(ctx: ReportContext, facts: Facts) -> Part:
    """Section 6: under each subsection the register's entries and the statistics held on its topic."""
    part = Part("")
    register = _register(part, facts)
    blocks = []
    for key, _ in POLICY_SECTIONS["access_to_services"]:
        rows = SYNOPSIS_ROWS.get(key, ())
        labour = _labour_lines(part, facts) if key == "employment_entrepreneurship" else []
        if any("Unemployment rate" in line for line in labour):  # the synopsis's rate is among them already
            rows = tuple(r for r in rows if r != "unemployment_rate")
        stats = labour + _synopsis_lines(ctx, part, facts, rows)
        if key == "safety_security":
            stats = _protection_line(ctx, part, facts) + stats
        stats += _stated(register, STATED.get(key, ()))
        if key == "education_vocational_training":  # the pupils by school type (a table of its own)
            stats += ["", part.include(tables.pupils(ctx, facts))]
        blocks.append(subsection(ctx, part, key, _entries(*register.of(key)), stats, told=empty(register)))
    part.sources |= set(register.figures["source_id"])
    if not empty(register):
        intro = (f"Each subsection sets {ctx.owner()} policies and services on one topic, as its policy register records "
                 "them for this edition, beside the figures this profile holds on the topic.\n\n")
    else:
        intro = "Each subsection gives the figures this profile holds on one of the MC2CM profile's topics.\n\n"
    part.markdown = intro + "".join(blocks)
    return part


def city_priorities(ctx: ReportContext, facts: Facts) -> Part:
    """Section 7: the city's priorities, as its register records them."""
    part = Part("")
    register = _register(part, facts)
    part.markdown = subsection(ctx, part, "city_priorities", _entries(*register.of("city_priorities")), told=empty(register))
    return part


def summary_sentence(ctx: ReportContext, register: PolicyRegister) -> str | None:
    """The executive summary's sentence on policy: how many entries the edition shows, the newest agreement and the
    longest-standing strategy, each a row of the register shown in its subsection."""
    current = register.current[register.current["kind"] != "priority"]
    if current.empty:
        return None
    text = f"{fmt.text(ctx.city)}'s policy register has {len(current)} entries for this edition (sections 4 and 6)"
    clauses = []
    agreements = current[current["kind"] == "agreement"].sort_values("valid_from")
    if len(agreements):
        a = agreements.iloc[-1]
        clauses.append(f"the newest agreement is the {fmt.text(a.title)} ({pd.Timestamp(a.valid_from).year})")
    strategies = current[current["kind"] == "strategy"].sort_values("valid_from")
    if len(strategies):
        s = strategies.iloc[0]
        clauses.append(f"the longest-standing strategy the {fmt.text(s.title)} ({period(s)})")
    return text + (": " + "; ".join(clauses) if clauses else "") + "."


def priorities_sentence(register: PolicyRegister) -> str | None:
    """The conclusions' sentence naming the priorities the register records for the edition."""
    rows = register.of("city_priorities")[0]
    if rows.empty:
        return None
    first = rows.iloc[0]
    names = [fmt.text(r.title_en) for r in rows.itertuples()]
    return (f"The {fmt.text(first.publication)} ({pd.Timestamp(first.published).year}) names {len(rows)} priorities for the city: "
            f"{fmt.series(names)}; the subsection below sets them out.")
