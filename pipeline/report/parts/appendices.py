"""The profile's closing parts: what changed since the previous edition, the state and municipal figures compared,
the sources (section 8) and the data gaps. The last two collect what every other part recorded it used and missed."""

from __future__ import annotations

import re

from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.fact_types import MIN_PEERS
from pipeline.report.facts import Facts
from pipeline.report.labels import SYMBOL_KEY
from pipeline.report.parts.base import Gap, Part, gap_part

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS = {"consistent": "Consistent", "explained": "Explained", "concept_difference": "Difference of concept",
          "unexplained": "Unexplained", "not_comparable": "Not comparable"}


def _judgement(r) -> str:
    """'Explained: AZR rounding to multiples of 5'; an unusual difference of concept says against what it is unusual."""
    text = f"{STATUS[r.status]}: {r.cause}"
    if r.unusual:
        text += (f"; unusual: larger than in {round(100 * r.unusual_percentile)} % of the {int(r.unusual_among)} districts' "
                 f"pairs (above {fmt.percent(100 * r.unusual_threshold)})")
    return text


def edition_changes(ctx: ReportContext, facts: Facts) -> Part:
    if ctx.edition.previous is None:
        return Part(f"This is the first edition of the profile for {fmt.text(ctx.city)}; there is no earlier edition to compare it with.\n")
    changes = facts.changes
    rows = [[f"{c.label}: {fmt.text(c.measurement)}" if c.measurement else c.label, c.previous_text, c.current_text,
             c.change or c.not_comparable or "–"] for c in changes]
    sources = set().union(*(c.sources for c in changes))
    table = fmt.table(
        ["Indicator", f"Edition {ctx.edition.previous}", f"Edition {ctx.edition.year}", "Change"], rows, "lrrl", [34, 18, 18, 30]
    )
    note = (
        "A change is given only between two figures of one measurement: the same statistic on the same census basis. "
        "Where the editions' headline figures come from different measurements (the city's register and the statistical "
        "offices' population update, or the population update on two census bases), the row compares the figures of a "
        "measurement both editions have and names it; where they have none in common, it says which measurements they are. "
        "Each difference is computed from the unrounded figures of one source.\n\n"
    )
    caption = f"Key figures of the {ctx.edition.previous} and {ctx.edition.year} editions, {ctx.city}"
    return Part(note + fmt.captioned_table(table, caption, "edition-changes", ctx.source_text(sources)), sources=sources)


def reconciliation(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.reconciliation.frame
    if frame.empty:
        part = gap_part(ctx, "A comparison of state and municipal figures",
                        "figures for the same year from two sources (e.g. the city's register figures in raw/city)")
        part.markdown = f"No two sources of this edition publish a figure for {fmt.text(ctx.city)} for the same year.\n"
        return part
    rows = []
    bands = frame[frame["comparison"] == "age bands added up"]
    others = frame[frame["comparison"] != "age bands added up"].sort_values(
        ["reference_year", "indicator", "nationality", "sex", "a_value"]
    )
    for r in others.itertuples():
        rows.append([r.description, _judgement(r)])
    for (_, _, _, status), g in bands.groupby(["reference_year", "a_source_id", "b_source_id", "status"]):
        a_name, b_name = g["a_source"].iloc[0].split(", bands")[0], g["b_source"].iloc[0].split(", bands")[0]
        rows.append(
            [
                f"Population by age, {len(g)} age groups, {fmt.date(g['a_date'].iloc[0])}: {a_name} and {b_name}, "
                f"the finer bands added up to each coarser one (largest difference: {fmt.count(g['difference'].abs().max())})",
                f"{STATUS[status]} in all {len(g)}: {g['cause'].iloc[0]}",
            ]
        )
    table = fmt.table(["Figures compared", "Judgement"], rows, "ll", [72, 28])
    sources = set(frame["a_source_id"]) | set(frame["b_source_id"])
    text = (
        f"Every figure that two sources publish for {fmt.text(ctx.city)} for the same year is listed below with both values and the "
        "difference "
        f"(the second figure minus the first, relative to the first). {len(frame)} pairs belong to this edition.\n\n"
    )
    text += fmt.captioned_table(
        table, f"State, municipal and profile figures compared, {ctx.city}", "reconciliation", ctx.source_text(sources)
    )
    used = frame[frame["status"].isin(["explained", "concept_difference"])][["cause", "explanation"]].drop_duplicates().sort_values("cause")
    if len(used):
        text += ("\nExplained differences lie within a bound that a property of the sources sets (their rounding); differences "
                 "of concept have no such bound and are shown as they are. The causes named above:\n\n")
        text += "\n".join(f"- **{fmt.text(c)}.** {fmt.text(e)}" for c, e in used.itertuples(index=False)) + "\n"
    unusual = frame[frame["unusual"].fillna(False).astype(bool)]
    if len(unusual):
        text += f"\n**Unusual differences.** {fmt.text(unusual['unusual_reasoning'].iloc[0])}\n"
    consistent = frame[frame["status"] == "consistent"]["explanation"].drop_duplicates()
    if len(consistent):
        text += f"\nConsistent: {fmt.text(consistent.iloc[0])}\n"
    doubts = facts.reconciliation.doubts
    if len(doubts):
        text += (f"\n**Register figures that look implausible.** {fmt.text(doubts['reasoning'].iloc[0])} These figures are shown as "
                 "published; a reader should treat them with care:\n\n")
        text += "\n".join(f"- {fmt.text(d.detail)}." for d in doubts.itertuples()) + "\n"
        sources |= set(doubts["source_id"])
    return Part(text, sources=sources)


def sources_list(ctx: ReportContext, used: set[str]) -> Part:
    """Section 8: every source the edition's parts used, in full, with the publications the MC2CM profile cites."""
    rows = ctx.sources.loc[sorted(used & set(ctx.sources.index))].reset_index()
    order = {"state": 0, "federal": 1, "municipal": 2, "profile": 3}
    rows = rows.sort_values(by=["level", "id"], key=lambda s: s.map(order) if s.name == "level" else s)
    lines = []
    for r in rows.itertuples(index=False):
        published = fmt.date(r.published) if _DAY.match(r.published) else r.published
        if r.retrieved:
            retrieved = fmt.date(r.retrieved) if _DAY.match(r.retrieved) else r.retrieved
            published = f"{published}, retrieved {retrieved}" if published != "not stated" else f"date not stated, retrieved {retrieved}"
        ref = f"{'reference date' if r.period == 'reference_date' else 'reference period'} {ctx.period_of(r.id)}"
        title = r.title_en or r.title
        url = f" {fmt.link(r.url)}" if r.url else ""
        database = f", {fmt.text(r.database)}" if r.database else ""
        lines.append(
            f"- {fmt.text(r.publisher)}{database}: *{fmt.text(title)}* ({fmt.text(r.table_code)}); {ref}; "
            f"published {fmt.text(published)}; licence {fmt.text(r.licence)}; {fmt.text(r.attribution)}.{url}"
        )
    text = "\n".join(lines) + "\n"
    cited = ctx.cited_publishers(used)
    if cited:
        text += "\nPublications the MC2CM profile cites for the figures taken from it: " + "; ".join(map(fmt.text, cited)) + ".\n"
    return Part(text)


def data_gaps(ctx: ReportContext, gaps: list[Gap]) -> Part:
    """The annex's coverage list: what of the MC2CM profile's structure this edition could not show for the district,
    each once; the subsections of the policy register as one item (the reader was told once, in section 4). Which input
    would fill each is the maintainer's (the gap report beside the outputs, pipeline/report/gaps.py), not the reader's."""
    suffix = f" ({ctx.city})"
    shown = [g.what.removesuffix(suffix) for g in gaps if not g.topic and not g.what.startswith("A chart of ")]
    items = list({w.lower(): w for w in reversed(shown)}.values())[::-1]  # each once (the first wording kept)
    if any(g.topic == "policy" for g in gaps):
        items.append(ctx.words("Local integration policy: the city's strategies, services, stakeholders and priorities "
                               "(sections 4, 6 and 7)"))
    if not items:
        return Part("This edition has figures for every table and indicator of the MC2CM profile's structure.\n")
    intro = (f"For {len(items)} items of the MC2CM profile's structure this edition holds no official figures for "
             f"{fmt.text(ctx.city)}; they are left out of the profile. They are added when such figures are published and "
             "taken in:\n\n")
    return Part(intro + "\n".join(f"- {fmt.text(what)}" for what in items) + "\n")


def methods(ctx: ReportContext, facts: Facts) -> Part:
    """The annex's peer group: how it is formed and every member by name (the comparison of section 5)."""
    p = facts.peers
    if p.year is None:
        return Part("This edition compares the district with no peer group: the table that defines it has no figures "
                    "for the edition's years.\n")
    city = fmt.text(ctx.city)
    names = sorted(p.frame["name"].astype(str))
    part = Part(
        f"{city} is compared with every district of its kind and size in Germany: the peer group is all {fmt.text(p.group)}, "
        f"by kind of district (kreisfreie Städte and city-states; Kreise) and by population on 31.12.{p.year} "
        f"(Regionaldatenbank 12411-03-03-4). Ranks and medians are computed over the group, {city} included; a rank "
        f"or median is given only where every member has the figure and the group has at least {MIN_PEERS} members. "
        f"The {len(names)} members: {fmt.text(', '.join(names))}.\n"
    )
    part.sources |= set(p.sources)
    return part


def symbols(ctx: ReportContext, facts: Facts) -> Part:
    """The annex's key to the symbols the tables print (the same key as the workbook's cover)."""
    return Part("\n".join(f"- **{fmt.text(symbol)}**: {fmt.text(meaning)};" for symbol, meaning in SYMBOL_KEY)[:-1] + ".\n")
