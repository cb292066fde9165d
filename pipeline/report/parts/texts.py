"""The profile's prose written from the figures: the executive summary, the edition's background paragraph and the
conclusions. Each sentence is made from the edition's facts, the same ones the tables and charts show."""

from __future__ import annotations

from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.facts import FactsView
from pipeline.report.labels import format_value, ordinal
from pipeline.report.parts import policy
from pipeline.report.parts.base import Part, gap_part


def _population_sentence(ctx: ReportContext, facts: FactsView) -> tuple[str | None, set[str]]:
    trend = facts.population_trend.newest
    update = trend[trend["concept"] == "population_update"]
    register = trend[trend["concept"] == "municipal_register"]
    if update.empty and register.empty:
        return None, set()
    bits = []
    if not update.empty:
        u = update.sort_values("year").iloc[-1]
        bits.append(f"On {fmt.date(u.reference_date)}, {fmt.text(ctx.city)} had {fmt.count(u.value)} inhabitants according to the "
                    f"statistical offices' population update ({fmt.text(u.census_basis)} basis)")
    if not register.empty:
        g = register.sort_values("year").iloc[-1]
        lead = "; the city's own register counted" if bits else f"{fmt.text(ctx.city)}'s own register counted"
        bits.append(f"{lead} {fmt.count(g.value)} at the end of {int(g.year)}")
    sources = set(update["source_id"]) | set(register["source_id"])
    return "".join(bits) + ".", sources


def executive_summary(ctx: ReportContext, facts: FactsView) -> Part:
    part = Part("")
    sentences: list[str] = []
    text, srcs = _population_sentence(ctx, facts)
    if text:
        sentences.append(text)
        part.sources |= srcs
    for _, fig in facts.synopsis.figures(["foreigners"]):
        if fig is not None:
            sentences.append(f"{format_value(fig).replace('(', 'or ').replace(')', '')} of them were foreigners in {int(fig.year)}.")
            part.sources.add(fig.source_id)
    if not facts.top_nationalities.frame.empty:
        top = facts.top_nationalities.top3
        named = [f"{fmt.text(name)} ({fmt.count(v)})" for name, v in top]
        groups = ", ".join(named[:-1]) + f" and {named[-1]}"
        sentences.append(f"The largest groups of foreigners were citizens of {groups}.")
    if (ages := facts.age_structure.extremes) is not None:
        (young, young_share), (old, old_share), year = ages
        sentences.append(f"Non-Germans made up {fmt.percent(young_share)} of the age group {fmt.text(young)} "
                         f"and {fmt.percent(old_share)} of those aged {fmt.text(old)} ({year}).")
    cities = facts.foreigner_share_cities
    if cities.among_largest:
        sentences.append(f"Among Germany's {cities.largest} largest cities, {fmt.text(ctx.city)} ranks {ordinal(cities.size_rank)} "
                         "by population "
                         f"and {ordinal(cities.rank_by_share)} by its share of foreigners.")
    elif cities.share is not None:
        sentences.append(f"Its share of foreigners, {fmt.percent(cities.share)}, is higher than in {cities.below} of Germany's "
                         f"{cities.largest} largest cities.")
    if not facts.sectors.frame.empty:
        sentences.append(f"{fmt.percent(facts.sectors.services_share)} of the employees in {ctx.place_word} worked in services "
                         f"({facts.sectors.year}).")
    if (text := policy.summary_sentence(ctx, facts.policy)) is not None:
        sentences.append(text)
        part.sources |= set(facts.policy.current["source_id"])
    if (r := facts.reconciliation.register_gap) is not None:
        sentences.append(f"State and city count the population differently: for {int(r.reference_year)} the city's register exceeds the "
                         f"population update by {fmt.count(abs(r.difference))} people ({fmt.percent(abs(100 * r.relative_difference))}); "
                         "@tbl-reconciliation in the appendix compares every such pair.")
    if not sentences:
        return gap_part("A summary of the figures", "the inputs listed under data gaps")
    part.markdown = " ".join(sentences) + "\n"
    return part


def background(ctx: ReportContext, facts: FactsView) -> Part:
    e = ctx.edition
    first = ("the first edition, which reproduces the figures of the MC2CM City Migration Profile of 2021" if e.is_profile_edition
             else f"it follows the {e.previous} edition" if e.previous else "it is the first edition")
    return Part(
        f"This is the {e.year} edition of the profile; {first}. It shows the figures of the years {e.window_label} "
        f"that the inputs in raw/ hold, each table with the year of its figures and its source.\n"
    )


def immigration_history(ctx: ReportContext, facts: FactsView) -> Part:
    frame = facts.immigration_history
    land = frame[frame["area_level"] == "land"]
    if land.empty:
        return Part("")  # an edition without the census (the 2018 edition): the profile had no such figure
    r = land.iloc[0]
    de = frame[frame["area_level"] == "germany"]
    germany = f"; in Germany the share was {fmt.percent(de['share'].iloc[0])}" if not de.empty else ""
    text = (f"In the Zensus 2022 (15 May 2022), {fmt.percent(r.share)} of the population of {fmt.text(r.area)} had an immigration history, "
            f"that is, had immigrated themselves or had two parents who did: {fmt.count(r.with_history)} of {fmt.count(r.population)}, "
            f"{fmt.count(r.immigrated)} of them immigrants themselves{germany}. The census tables at hand give this figure for the "
            f"Länder only, not for {fmt.text(ctx.city)}. Source: {fmt.text(ctx.source_text(set(frame['source_id'])))}\n")
    return Part(text, sources=set(frame["source_id"]))


def conclusions(ctx: ReportContext, facts: FactsView) -> Part:
    bullets = []
    if (ages := facts.age_structure.extremes) is not None:
        (young, young_share), (_, old_share), year = ages
        bullets.append(f"**A young immigrant population.** Non-Germans make up {fmt.percent(young_share)} of the age group "
                       f"{fmt.text(young)}, "
                       f"against {fmt.percent(old_share)} of the oldest group ({year}).")
    nationalities = facts.top_nationalities
    if not nationalities.frame.empty:
        name, v = nationalities.top3[0]
        ten = nationalities.frame
        share = (f", {fmt.percent(100 * ten['value'].sum() / nationalities.all_foreigners)} of all foreigners"
                 if nationalities.all_foreigners else "")
        bullets.append(
            f"**Origins.** The largest group, citizens of {fmt.text(name)}, numbers {fmt.count(v)}; the {len(ten)} largest groups together "
            f"number {fmt.count(ten['value'].sum())}{share} ({nationalities.year})."
        )
    cities = facts.foreigner_share_cities
    if cities.among_largest:
        bullets.append(
            f"**Among the large cities.** By its share of foreigners, {fmt.text(ctx.city)} ranks {ordinal(cities.rank_by_share)} "
            f"among Germany's {cities.largest} largest cities."
        )
    recon = facts.reconciliation.frame
    if len(recon):
        counts = recon["status"].value_counts()
        bullets.append(
            f"**Figures that differ for known reasons.** Of {len(recon)} figures published by two sources for the same year, "
            f"{counts.get('consistent', 0)} agree and {counts.get('explained', 0)} differ for a documented reason"
            + (f"; {counts['unexplained']} differ without one" if counts.get("unexplained") else "")
            + " (@tbl-reconciliation)."
        )
    share = next((c for c in facts.changes if c.key == "foreign_share"), None)
    if share and share.previous is not None and share.current is not None:
        bullets.append(
            f"**Change since the {ctx.edition.previous} edition.** The share of foreigners moved from {share.previous_text} to "
            f"{share.current_text} (the measurements differ; see @tbl-edition-changes)."
        )
    sources = set()
    if (text := policy.priorities_sentence(facts.policy)) is not None:
        bullets.append(f"**Priorities.** {text}")
        sources |= set(facts.policy.current["source_id"])
    if not bullets:
        return gap_part("Conclusions drawn from the figures", "the inputs listed under data gaps")
    return Part("\n".join(f"- {b}" for b in bullets) + "\n", sources=sources)
