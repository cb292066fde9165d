"""The profile's charts: each drawn once per edition from its facts into _generated/figures/ (as SVG) and placed
with its caption (``{#fig-...}``) and source line. Each chart is first a charts.Chart (the data it plots, in order);
the drawing and the alternative text are both made from that object, and the part keeps it."""

from __future__ import annotations

from pipeline.report import fmt
from pipeline.report.charts import Chart
from pipeline.report.context import ReportContext
from pipeline.report.facts import Facts
from pipeline.report.labels import age_label
from pipeline.report.parts.base import NEEDS, Part, gap, gap_part


def figure_part(ctx: ReportContext, chart: Chart, caption: str, label: str, sources: set[str], alt: str,
                dates: dict[str, set] | None = None) -> Part:
    """A chart as a part; ``dates``: the days drawn from each source, where a source's file covers more (its source
    line then names those drawn)."""
    path = chart.draw(ctx.folder.figure_file(f"{label}.svg"), cache=ctx.folder.chart_cache)
    return Part(fmt.figure(ctx.folder.figure_ref(path), caption, label, ctx.source_text(sources, dates), alt), sources=sources,
                dates=dict(dates or {}), chart=chart)


def _extremes(names, values) -> tuple[tuple[str, float], tuple[str, float]]:
    """(name, value) of the largest and of the smallest value."""
    pairs = list(zip(names, values, strict=True))
    return max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1])


def _one_decimal(v: float) -> str:
    return f"{v:.1f} %"


def _millions(v: float) -> str:
    return f"{v / 1e6:.2f} million"


def migration_germany(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.migration_germany
    if frame.empty:
        needed = "Destatis Statistischer Bericht Wanderungen (table 12711-02) or GENESIS 12711-0008"
        return gap_part(ctx, "The migration balance of Germany", needed)
    territories = frame["territory"].tolist()
    years = frame["year"].astype(int).tolist()
    breaks = tuple(y for y, t, prev in zip(years[1:], territories[1:], territories, strict=False) if t != prev)
    chart = Chart("migration_balance", {"years": years, "arrivals": frame["arrivals"].tolist(),
                                        "departures": frame["departures"].tolist(), "net": frame["net_migration"].tolist(),
                                        "breaks": breaks})
    d = chart.data
    first, last = years[0], years[-1]
    where = "Germany (until 1990 the former territory of the Federal Republic)" if breaks else "Germany"
    caption = f"Migration between {where} and abroad, {first}-{last}: arrivals, departures and net migration (million persons)"
    (top_year, top), _ = _extremes(years, d["arrivals"])
    (net_hi_year, net_hi), (net_lo_year, net_lo) = _extremes(years, d["net"])
    alt = (f"Line chart of the yearly arrivals in, departures from and net migration of {where}, {first} to {last}. Arrivals were "
           f"highest in {top_year} ({_millions(top)}); net migration was highest in {net_hi_year} ({fmt.signed(net_hi)}) and lowest "
           f"in {net_lo_year} ({fmt.signed(net_lo)}). In {last}: {fmt.count(d['arrivals'][-1])} arrivals, "
           f"{fmt.count(d['departures'][-1])} departures, net {fmt.signed(d['net'][-1])}.")
    part = figure_part(ctx, chart, caption, "migration-germany", set(frame["source_id"]), alt)
    # the lead sentence speaks of the years the edition shows only (the 2018 edition knows nothing of 2022)
    part.markdown = (f"@fig-migration-germany shows the registered moves across the border, year by year, {first} to {last}; "
                     f"arrivals were highest in {top_year}, at {_millions(top)}.\n\n" + part.markdown)
    if first > 1991:
        part.gaps.append(gap(ctx, f"Migration between Germany and abroad for 1991-{first - 1} (the MC2CM profile's chart began in 1991)",
                             "Destatis Statistischer Bericht Wanderungen (table 12711-02)"))
    return part


def population_trend(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.population_trend.up_to_edition
    if frame.empty:
        return gap_part(ctx, f"The population of {ctx.city} over time", NEEDS["population_series"])
    frame = frame.sort_values("year")
    # the series in the order they begin (the earliest basis first), the register last
    order = frame.groupby("series")["year"].min().sort_values(kind="stable").index
    order = [s for s in order if s != "Municipal register"] + [s for s in order if s == "Municipal register"]
    series = {s: (g["year"].tolist(), g["value"].tolist(), [bool(r > 0.5) for r in g["rounding"]])
              for s, g in ((s, frame[frame["series"] == s]) for s in order)}
    chart = Chart("population_trend", {"series": series, "breaks": facts.population_trend.breaks})
    points = [(int(y), v, name) for name, (ys, vs, _) in chart.data["series"].items() for y, v in zip(ys, vs, strict=True)]
    first, last = min(p[0] for p in points), max(p[0] for p in points)
    register = ", and the city's register" if "Municipal register" in series else ""
    caption = (f"Population of {ctx.city} by measurement, {first}-{last}: the statistical offices' population update "
               f"on each census basis{register}")
    (hi_year, hi), (lo_year, lo) = _extremes([p[0] for p in points], [p[1] for p in points])
    # the newest figure: of the newest year, the measurement drawn last
    drawn_as = {name: k for k, name in enumerate(series)}
    newest = max(points, key=lambda p: (p[0], drawn_as[p[2]]))
    alt = (f"Line chart of the population of {ctx.city}, {first} to {last}, one line per measurement ({'; '.join(series)}). "
           f"The highest figure is {fmt.count(hi)} ({hi_year}), the lowest {fmt.count(lo)} ({lo_year}); the newest "
           f"{fmt.count(newest[1])} ({newest[0]}, {newest[2]}).")
    return figure_part(ctx, chart, caption, "population-trend", set(frame["source_id"]), alt)


def foreigner_share_cities(ctx: ReportContext, facts: Facts) -> Part:
    cities = facts.foreigner_share_cities
    frame = cities.frame
    if frame.empty:
        return gap_part(ctx, 
            "The share of foreigners in Germany's largest cities",
            f"Regionaldatenbank 12411-03-03-4 (Germans and foreigners for every district) for a year of the {ctx.edition_label()}",
        )
    note = ""
    if not cities.among_largest:
        # the district is not one of the largest cities: the chart shows them as national context, without it
        frame = frame[frame["size_rank"] <= cities.largest]
        kind = "cities" if ctx.is_city else "districts (Kreise)"
        note = (f"The chart shows Germany's {cities.largest} largest cities as national context; {fmt.text(ctx.city)} is not one "
                f"of them and is compared with {kind} of its own kind and size in the next section.\n\n")
    chart = Chart("horizontal_bars", {"labels": frame["city"].tolist(), "values": frame["share_foreigners"].tolist(),
                                      "highlight": frame["is_profile_city"].tolist(), "value_format": _one_decimal,
                                      "xlabel": "foreigners, % of the population"})
    d = chart.data
    day = fmt.date(frame["reference_date"].iloc[0])
    caption = f"Share of foreigners in the population of Germany's {cities.largest} largest cities, {day}"
    (hi_name, hi), (lo_name, lo) = _extremes(d["labels"], d["values"])
    own = [v for v, h in zip(d["values"], d["highlight"], strict=True) if h]
    alt = (f"Bar chart of the share of foreigners in Germany's {cities.largest} largest cities, {day}: highest in {hi_name} "
           f"({fmt.percent(hi)}), lowest in {lo_name} ({fmt.percent(lo)})"
           + (f"; {ctx.city} {fmt.percent(own[0])}, highlighted." if own else "."))
    part = figure_part(ctx, chart, caption, "foreigner-share-cities", set(frame["source_id"]), alt)
    part.markdown = note + part.markdown
    return part


def top_nationalities_chart(ctx: ReportContext, facts: Facts) -> Part:
    groups = facts.top_nationalities
    frame = groups.frame
    if frame.empty:
        return gap_part(ctx, 
            f"A chart of the largest nationalities among foreigners in {ctx.city}",
            NEEDS["nationalities"],
        )
    chart = Chart("horizontal_bars", {"labels": frame["citizenship"].tolist(), "values": frame["value"].tolist(),
                                      "highlight": [False] * len(frame), "value_format": fmt.count, "xlabel": "persons"})
    d = chart.data
    caption = f"The ten largest groups of foreigners by citizenship, {ctx.city}, {groups.year}"
    (hi_name, hi), (lo_name, lo) = _extremes(d["labels"], d["values"])
    alt = (f"Bar chart of the ten largest groups of foreigners in {ctx.city} by citizenship, {groups.year}: the largest, "
           f"{hi_name}, {fmt.count(hi)} persons; the smallest of the ten, {lo_name}, {fmt.count(lo)}.")
    return figure_part(ctx, chart, caption, "top-nationalities", set(frame["source_id"]), alt)


def age_structure_chart(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.age_structure.frame
    if frame.empty:
        return gap_part(ctx, 
            f"A chart of the age structure of Germans and non-Germans in {ctx.city}", "Regionaldatenbank 12411-03-03-4 for the year"
        )
    groups = [g["age_group"].iloc[0] for _, g in frame.groupby("sort", sort=True)]
    shares = {int(y): g.sort_values("sort")["share_non_german"].tolist() for y, g in frame.groupby("year")}
    chart = Chart("age_shares", {"groups": groups, "shares_by_year": shares})
    d = chart.data
    caption = f"Share of non-Germans by age group, {ctx.city}, {' and '.join(map(str, sorted(d['shares_by_year'])))}"
    labels = [age_label(g) for g in d["groups"]]
    per_year = []
    for year, values in sorted(d["shares_by_year"].items()):
        (hi_group, hi), (lo_group, lo) = _extremes(labels, values)
        per_year.append(f"in {year} highest in the age group {hi_group} ({fmt.percent(hi)}), lowest in {lo_group} ({fmt.percent(lo)})")
    alt = f"Bar chart of the share of non-Germans in each age group of {ctx.city}: " + "; ".join(per_year) + "."
    return figure_part(ctx, chart, caption, "age-structure", set(frame["source_id"]), alt)


def peers_chart(ctx: ReportContext, facts: Facts) -> Part:
    p = facts.peers
    if p.year is None:
        return Part("")  # the table says what is missing
    frame = p.frame
    own = frame["region_code"] == ctx.region_code
    # a city-state's Land is itself: no line for it beside its own dot
    land = None if ctx.is_city_state else next((i.land for i in p.indicators if i.key == "foreign_share"), None)
    germany = next((i.germany for i in p.indicators if i.key == "foreign_share"), None)
    refs = {k: v for k, v in ((p.land or "Land", land), ("Germany", germany)) if v is not None}
    chart = Chart("ranked_dots", {"labels": frame["name"].tolist(), "values": frame["share_foreigners"].tolist(),
                                  "highlight": own.tolist(), "references": refs, "xlabel": "foreigners, % of the population"})
    d = chart.data
    caption = f"Share of foreigners in {p.group}, 31.12.{p.year}: {ctx.city} and its peers"
    (hi_name, hi), (lo_name, lo) = _extremes(d["labels"], d["values"])
    mine = [v for v, h in zip(d["values"], d["highlight"], strict=True) if h]
    refs_text = "; ".join(f"{k} {fmt.percent(v)}" for k, v in d["references"].items())
    alt = (f"Dot chart of the share of foreigners in the {len(d['values'])} {p.group}, 31.12.{p.year}, ranked: highest {hi_name} "
           f"({fmt.percent(hi)}), lowest {lo_name} ({fmt.percent(lo)})"
           + (f"; {ctx.city} {fmt.percent(mine[0])}, highlighted" if mine else "")
           + (f"; reference lines: {refs_text}." if refs_text else "."))
    return figure_part(ctx, chart, caption, "peers", set(frame["source_id"]), alt)
