"""The profile's prose written from the figures: the executive summary, the edition's background paragraph and the
conclusions. Each sentence is made from the edition's facts, the same ones the tables and charts show."""

from __future__ import annotations

import pandas as pd

from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.facts import Facts
from pipeline.report.labels import format_value, measurement, ordinal
from pipeline.report.parts import policy
from pipeline.report.parts.base import Part, gap_part


def _population_sentences(ctx: ReportContext, facts: Facts) -> tuple[list[str], set[str]]:
    """The population and its foreigners, each figure with the measurement it comes from: the population update's
    figures in one sentence (foreigners as a share only when they are of the same update, year and census basis),
    the city's register and any other measurement of the foreigners each in a sentence of its own that names it."""
    trend = facts.population_trend.newest
    update = trend[trend["concept"] == "population_update"].sort_values("year")
    register = trend[trend["concept"] == "municipal_register"].sort_values("year")
    foreigners = facts.synopsis.best("foreigners")
    sentences, sources = [], set(update["source_id"]) | set(register["source_id"])
    told_foreigners = False
    if not update.empty:
        u = update.iloc[-1]
        text = (f"On {fmt.date(u.reference_date)}, {fmt.text(ctx.city)} had {fmt.count(u.value)} inhabitants according to "
                f"the statistical offices' population update ({fmt.text(u.census_basis)} basis)")
        if (foreigners is not None and foreigners["concept"] == "population_update" and int(foreigners["year"]) == int(u.year)
                and foreigners["census_basis"] == u.census_basis and foreigners["share"] == foreigners["share"]):
            text += f"; {fmt.count(foreigners['value'])} or {fmt.percent(foreigners['share'])} of them were foreigners"
            told_foreigners = True
            sources.add(foreigners["source_id"])
        sentences.append(text + ".")
    if not register.empty:
        g = register.iloc[-1]
        sentences.append(f"{fmt.text(ctx.owner(capital=True))} own population register, a count of its own, listed "
                         f"{fmt.count(g.value)} inhabitants at the end of {int(g.year)}.")
    if foreigners is not None and not told_foreigners:
        sentences.append(f"According to {fmt.text(measurement(foreigners['concept'], foreigners['census_basis']))}, "
                         f"{format_value(foreigners).replace('(', 'or ').replace(')', '')} of the inhabitants were foreigners "
                         f"at the end of {int(foreigners['year'])}.")
        sources.add(foreigners["source_id"])
    return sentences, sources


def _azr_sentence(facts: Facts) -> str | None:
    """The largest groups of foreigners, named as the AZR's figures (a count of its own, with its own total)."""
    nationalities = facts.top_nationalities
    if nationalities.frame.empty:
        return None
    named = [f"{fmt.text(name)} ({fmt.count(v)})" for name, v in nationalities.top3]
    groups = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else named[0]
    total = nationalities.all_foreigners
    counted = (f"counted {fmt.count(round(total))} foreigners in {nationalities.year}, a count of its own; the largest groups were "
               if total else f"gives as the largest groups of foreigners in {nationalities.year} ")
    return f"The Central Register of Foreigners (AZR) {counted}citizens of {groups}."


def executive_summary(ctx: ReportContext, facts: Facts) -> Part:
    part = Part("")
    sentences, srcs = _population_sentences(ctx, facts)
    part.sources |= srcs
    if (text := _azr_sentence(facts)) is not None:
        sentences.append(text)
        part.sources |= set(facts.top_nationalities.frame["source_id"])
    if (ages := facts.age_structure.extremes) is not None:
        (young, young_share), (old, old_share), year = ages
        sentences.append(f"Non-Germans made up {fmt.percent(young_share)} of the age group {fmt.text(young)} "
                         f"and {fmt.percent(old_share)} of those aged {fmt.text(old)} ({year}).")
    cities = facts.foreigner_share_cities
    if cities.among_largest:
        sentences.append(f"Among Germany's {cities.largest} largest cities, {fmt.text(ctx.city)} ranks {ordinal(cities.size_rank)} "
                         "by population "
                         f"and {ordinal(cities.rank_by_share)} by its share of foreigners.")
    if not facts.sectors.frame.empty and pd.notna(facts.sectors.services_share):
        first = facts.sectors.frame.iloc[0]
        when = (f"at their place of work, {fmt.date(first.reference_date)}" if pd.notna(first.employees)
                else str(facts.sectors.year))
        sentences.append(f"{fmt.percent(facts.sectors.services_share)} of the employees in {ctx.place_word} worked in services "
                         f"({when}).")
    if (text := policy.summary_sentence(ctx, facts.policy)) is not None:
        sentences.append(text)
        part.sources |= set(facts.policy.current["source_id"])
    if (r := facts.reconciliation.register_gap) is not None:
        more = "more" if r.difference > 0 else "fewer"
        sentences.append(f"{fmt.text(ctx.owner(capital=True))} population register and the statistical offices' population update "
                         f"({fmt.text(r.a_census_basis)} basis) count differently: for {fmt.date(r.b_date)} the register lists "
                         f"{fmt.count(abs(r.difference))} people {more} ({fmt.percent(abs(100 * r.relative_difference))}); "
                         "@tbl-reconciliation in the appendix compares every such pair.")
    if not sentences:
        return gap_part(ctx, "A summary of the figures", "the inputs listed under data gaps")
    part.markdown = " ".join(sentences) + "\n"
    return part


def background(ctx: ReportContext, facts: Facts) -> Part:
    e = ctx.edition
    first = ("the first edition, which reproduces the figures of the MC2CM City Migration Profile of 2021" if e.is_profile_edition
             else f"it follows the {e.previous} edition" if e.previous else "it is the first edition")
    span = facts.reference_years
    years = ("" if span is None else f" of {span[0]}" if span[0] == span[1] else f" of the years {span[0]} to {span[1]}")
    return Part(
        f"This is the {e.year} edition of the profile; {first}. It shows the newest figures{years} that its sources "
        "had published when it was built, each table with the period of its figures and its source; charts of a time "
        "series also show the years before.\n"
    )


def immigration_history(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.immigration_history
    own = frame[frame["area_level"] == "district"]  # a city-state: the Land's figure is the city's
    area = own if not own.empty else frame[frame["area_level"] == "land"]
    if area.empty:
        return Part("")  # an edition without the census (the 2018 edition): the profile had no such figure
    r = area.iloc[0]
    de = frame[frame["area_level"] == "germany"]
    germany = f"; in Germany the share was {fmt.percent(de['share'].iloc[0])}" if not de.empty else ""
    only_land = ("" if not own.empty else
                 f" The census tables at hand give this figure for the Länder only, not for {fmt.text(ctx.city)}.")
    text = (f"In the Zensus 2022 (15 May 2022), {fmt.percent(r.share)} of the population of {fmt.text(r.area)} had an immigration history, "
            f"that is, had immigrated themselves or had two parents who did: {fmt.count(r.with_history)} of {fmt.count(r.population)}, "
            f"{fmt.count(r.immigrated)} of them immigrants themselves{germany}.{only_land} "
            f"Source: {fmt.text(ctx.source_text(set(frame['source_id'])))}\n")
    return Part(text, sources=set(frame["source_id"]))


def _standing(ctx: ReportContext, facts: Facts) -> list[str]:
    """Conclusions on the district among its peers (share of foreigners) and on the labour market (the newest year
    with both unemployment rates), each only where the figures are there."""
    out = []
    peers = facts.peers
    share = next((i for i in peers.indicators if i.key == "foreign_share"), None) if peers.year else None
    if share is not None and share.rank is not None and share.median is not None and share.own is not None:
        side = "above" if share.own > share.median else ("below" if share.own < share.median else "at")
        out.append(f"**Among similar districts.** With {fmt.percent(share.own)} foreigners in its population, "
                   f"{fmt.text(ctx.city)} ranks {ordinal(share.rank)} of the {share.ranked} districts of its peer group, "
                   f"{side} their median of {fmt.percent(share.median)} ({peers.year}, @tbl-peers).")
    frame = facts.labour_market
    if not frame.empty:
        rates = frame[(frame["measure"] == "unemployment_rate") & (frame["status"] == "")]
        both = rates.pivot_table(index="year", columns="nationality", values="value", aggfunc="first").dropna()
        if {"total", "non_german"} <= set(both.columns) and len(both):
            year = int(both.index.max())
            foreign, everyone = both.loc[year, "non_german"], both.loc[year, "total"]
            out.append(f"**Unemployment.** In {year} (annual average) the unemployment rate of foreigners was "
                       f"{fmt.percent(foreign)}, that of all {fmt.percent(everyone)} (@tbl-unemployment-by-nationality).")
    return out


def conclusions(ctx: ReportContext, facts: Facts) -> Part:
    bullets = []
    if (ages := facts.age_structure.extremes) is not None:
        (young, young_share), (old, old_share), year = ages
        overall = facts.age_structure.overall
        # "young" only where the youngest group has more non-Germans than the population as a whole, and the oldest fewer
        title = "A young immigrant population" if young_share > overall > old_share else "Non-Germans by age"
        bullets.append(f"**{title}.** Non-Germans make up {fmt.percent(overall)} of the population, {fmt.percent(young_share)} of "
                       f"the age group {fmt.text(young)} and {fmt.percent(old_share)} of those aged {fmt.text(old)} ({year}).")
    nationalities = facts.top_nationalities
    if not nationalities.frame.empty:
        name, v = nationalities.top3[0]
        ten = nationalities.frame
        share = (f", {fmt.percent(100 * ten['value'].sum() / nationalities.all_foreigners)} of all foreigners"
                 if nationalities.all_foreigners else "")
        bullets.append(
            f"**Origins.** In the Central Register of Foreigners (AZR), the largest group, citizens of {fmt.text(name)}, numbers "
            f"{fmt.count(v)}; the {len(ten)} largest groups together "
            f"number {fmt.count(ten['value'].sum())}{share} ({nationalities.year})."
        )
    bullets += _standing(ctx, facts)
    cities = facts.foreigner_share_cities
    if cities.among_largest:
        bullets.append(
            f"**Among the large cities.** By its share of foreigners, {fmt.text(ctx.city)} ranks {ordinal(cities.rank_by_share)} "
            f"among Germany's {cities.largest} largest cities."
        )
    recon = facts.reconciliation.frame
    if len(recon):
        counts = recon["status"].value_counts()
        n = lambda status: int(counts.get(status, 0))  # noqa: E731
        said = [f"{n('consistent')} agree"]
        if n("explained"):
            said.append(f"{n('explained')} {'differs' if n('explained') == 1 else 'differ'} by no more than the sources' rounding")
        if n("concept_difference"):
            said.append(f"{n('concept_difference')} {'is a difference' if n('concept_difference') == 1 else 'are differences'} "
                        "of measurement")
        if n("unexplained"):
            said.append(f"{n('unexplained')} {'differs' if n('unexplained') == 1 else 'differ'} without a known reason")
        unusual = recon[recon["unusual"].fillna(False).astype(bool)]
        flagged = (f"; {len(unusual)} of the differences of measurement {'is' if len(unusual) == 1 else 'are'} unusually large "
                   "against all districts" if len(unusual) else "")
        bullets.append(
            f"**Two sources, one figure.** Of {len(recon)} figures published by two sources for the same year, "
            f"{fmt.series(said)}{flagged} (@tbl-reconciliation)."
        )
    share = next((c for c in facts.changes if c.key == "foreign_share"), None)
    if share and share.change:
        bullets.append(
            f"**Change since the {ctx.edition.previous} edition.** In the {fmt.text(share.measurement)}, the share of foreigners "
            f"moved from {share.previous_text} to {share.current_text} (@tbl-edition-changes)."
        )
    sources = set()
    if (text := policy.priorities_sentence(facts.policy)) is not None:
        bullets.append(f"**Priorities.** {text}")
        sources |= set(facts.policy.current["source_id"])
    if not bullets:
        return gap_part(ctx, "Conclusions drawn from the figures", "the inputs listed under data gaps")
    return Part("\n".join(f"- {b}" for b in bullets) + "\n", sources=sources)
