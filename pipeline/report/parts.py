"""The parts of the City Migration Profile: every table, figure and data-driven text of the document.

Each part reads the marts for one edition and returns Markdown that report/profile.qmd pulls in with
``{{< include _generated/<part>.md >}}``: a table with its caption (``{#tbl-...}``) and source line, a figure
(``{#fig-...}``), or prose written from the figures. Where an edition has no figures for a part, the part is a short
note naming the input that would provide them, and the note is collected in the "data gaps" list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.report import charts
from pipeline.report import fmt
from pipeline.report.context import Gap, Part, ReportContext

# ----------------------------------------------------------------------------------------------------------------
# Labels


def age_label(code: str) -> str:
    if code.endswith("+"):
        return f"{code[:-1]} and over"
    lo, hi = code.split("-")
    return f"under {hi}" if lo == "0" else f"{lo} to under {hi}"


LEGAL_STATUS = {
    "permanent_residence": "Permanent residence",
    "temporary_residence": "Temporary residence",
    "tolerated": "Tolerated (Duldung)",
    "asylum_seekers_with_residence_permit": "Asylum seekers with permission to stay",
    "others_unclear": "Other or unclear",
}
NATIONALITY = {"total": "All", "german": "Germans", "non_german": "Non-Germans"}
# the Data, Year and Source cells of an indicator the edition has no figure for; the data-gaps list names its input
MISSING_CELLS = ("not available", "–", "see Data gaps")


def best(frame: pd.DataFrame) -> pd.Series | None:
    """The figure to print from candidates of one row: the newest, then the preferred source."""
    known = frame[frame["status"].isin(["", "-"]) & frame["value"].notna()] if not frame.empty else frame
    if known.empty:
        return None
    return known.sort_values(["year", "preference", "source_id"], ascending=[False, True, True]).iloc[0]


def format_value(row: pd.Series) -> str:
    """A synopsis figure with its unit, share and printed rounding."""
    unit, value = row["unit"], row["value"]
    approx = "about " if row.get("preference") == 1 and _printed_rounding_is_coarse(row) else ""
    if unit == "percent":
        decimals = 0 if float(value).is_integer() else (2 if round(value, 1) == 0 else 1)
        return fmt.percent(value, decimals)
    if unit == "km2":
        return f"{fmt.number(value, 0 if float(value).is_integer() else 2)} km²"
    if unit == "EUR per m2":
        return f"{fmt.number(value, 2)} € per m²"
    if unit == "EUR":
        return f"{approx}{fmt.count(value)} €"
    if unit == "m2 per person":
        return f"{fmt.number(value, 1)} m² per person"
    text = approx + fmt.count(value)
    share = row.get("share")
    if share is not None and not pd.isna(share):
        rounding = row.get("share_rounding")
        decimals = 0 if rounding is not None and not pd.isna(rounding) and rounding >= 0.5 else 1
        text += f" ({fmt.percent(share, decimals)})"
    return text


def _printed_rounding_is_coarse(row: pd.Series) -> bool:
    # "~100.000" in the profile: a figure that is a round number of tens of thousands is shown as approximate
    v = row["value"]
    return row["unit"] == "persons" and v >= 50000 and v % 50000 == 0


# ----------------------------------------------------------------------------------------------------------------
# Section 2: city synopsis


def _synopsis_rows(ctx: ReportContext, row_ids: list[str] | None = None, themes: list[str] | None = None):
    frame = ctx.mart("synopsis")
    frame = frame[frame["year"].notna()].copy()
    frame["year"] = frame["year"].astype(int)
    held = ctx.of_edition(frame)
    rows = ctx.mart("synopsis")[["row_id", "sort", "theme", "label", "input_needed"]].drop_duplicates().sort_values("sort")
    if row_ids is not None:
        rows = rows[rows["row_id"].isin(row_ids)].set_index("row_id").loc[row_ids].reset_index()
    if themes is not None:
        rows = rows[rows["theme"].isin(themes)]
    for r in rows.itertuples(index=False):
        yield r, best(held[held["row_id"] == r.row_id])


def political_context(ctx: ReportContext) -> str:
    land, rb = ctx.region_code[:2], ctx.region_code[:3]
    names = dict(ctx.con.execute(
        "SELECT region_code, arg_min(trim(region_name), length(region_name)) FROM core.indicators WHERE region_code IN (?, ?) GROUP BY 1",
        [land, rb],
    ).fetchall())
    kind = ctx.con.execute(
        "SELECT any_value(region_type) FROM staging.districts_area_population WHERE ags = ?", [ctx.region_code]
    ).fetchone()[0]
    text = f"{kind or 'City'} in the Land {names.get(land, land)}"
    if rb in names:
        text += f", {names[rb].replace(', Regierungsbezirk', '')} administrative region (Regierungsbezirk)"
    return text


def general_overview(ctx: ReportContext) -> Part:
    part = Part("")
    body = [["Political and administrative context", political_context(ctx), "–", "Gemeindeverzeichnis, IT.NRW"]]
    part.sources.add("destatis-gvisys-kreise-2023")
    for r, fig in _synopsis_rows(ctx, ["area", "population", "foreigners", "migration_background"]):
        if fig is None:
            body.append([r.label, *MISSING_CELLS])
            part.gaps.append(Gap(f"{r.label} ({ctx.city})", r.input_needed))
            continue
        body.append([r.label, format_value(fig), str(int(fig.year)), fig.source])
        part.sources.add(fig.source_id)
    table = fmt.table(["Indicator", "Value", "Year", "Source"], body, "llll", [30, 35, 8, 27])
    part.markdown = fmt.captioned_table(table, f"General overview, {ctx.city}", "general-overview", ctx.source_text(part.sources))
    return part


def synopsis(ctx: ReportContext) -> Part:
    part = Part("")
    body = []
    for r, fig in _synopsis_rows(ctx, themes=["Demographic structure", "Migration", "Labour market", "Living conditions", "Education"]):
        if fig is None:
            body.append([r.theme, r.label, *MISSING_CELLS])
            part.gaps.append(Gap(f"{r.label} ({ctx.city})", r.input_needed))
            continue
        body.append([r.theme, r.label, format_value(fig), str(int(fig.year)), fig.source])
        part.sources.add(fig.source_id)
    # the theme is printed once, at the first row of its group
    for i in range(len(body) - 1, 0, -1):
        if body[i][0] == body[i - 1][0]:
            body[i][0] = ""
    table = fmt.table(["Theme", "Indicator", "Data", "Year", "Source"], body, "lllll", [14, 34, 20, 7, 25])
    part.markdown = fmt.captioned_table(table, f"Indicators by theme, {ctx.city}", "synopsis", ctx.source_text(part.sources))
    return part


# ----------------------------------------------------------------------------------------------------------------
# Section 3: national context


def migration_germany(ctx: ReportContext) -> Part:
    frame = ctx.mart("migration_germany", city_only=False)
    frame = frame[(frame["nationality"] == "total") & (frame["year"] <= ctx.edition.up_to)].sort_values("year")
    if frame.empty:
        return _gap_part("The migration balance of Germany", "Destatis GENESIS-Online 12711-0008 (JSON-stat)")
    path = charts.migration_balance(frame["year"].tolist(), frame["arrivals"].tolist(), frame["departures"].tolist(),
                                    frame["net_migration"].tolist(), ctx.out_dir / "figures" / "migration-germany.svg")
    first, last = int(frame["year"].min()), int(frame["year"].max())
    part = Part("", sources=set(frame["source_id"]))
    caption = f"Migration between Germany and abroad, {first}-{last}: arrivals, departures and net migration (million persons)"
    part.markdown = fmt.figure(f"_generated/figures/{path.name}", caption, "migration-germany", ctx.source_text(part.sources))
    if first > 1991 and ctx.edition.is_profile_edition:
        part.gaps.append(Gap("Migration between Germany and abroad for 1991-1999 (the MC2CM profile's chart began in 1991)",
                             "Destatis migration statistics (GENESIS 12711) for 1991-1999"))
    peak = frame.loc[frame["net_migration"].idxmax()]
    part.facts = {"migration_peak_year": int(peak["year"]), "migration_peak_net": float(peak["net_migration"]), "migration_last_year": last,
                  "migration_last_net": float(frame.iloc[-1]["net_migration"])}
    return part


def labour_market_access(ctx: ReportContext) -> Part:
    frame = ctx.mart("labour_market_access", city_only=False).sort_values("sort")
    if frame.empty:
        return _gap_part("An overview of access to the labour market by legal status", "a current overview such as BMAS's (table in the MC2CM profile's layout)")
    as_of = int(frame["as_of"].max())
    table = fmt.table(["Legal status", "Legal basis", "Access to the labour market"],
                      frame[["legal_status", "legal_basis", "labour_market_access"]].values.tolist(), "lll", [30, 25, 45])
    part = Part("", sources=set(frame["source_id"]))
    caption = f"Access to the labour market by legal status (legal situation of {as_of}, as printed in the MC2CM profile; not updated since)"
    part.markdown = fmt.captioned_table(table, caption, "labour-market-access", ctx.source_text(part.sources))
    if not ctx.edition.is_profile_edition:
        part.gaps.append(Gap(f"An overview of access to the labour market by legal status newer than {as_of}", "a current overview, e.g. from BMAS or the Bundesagentur für Arbeit, transcribed into raw/mc2cm layout"))
    return part


# ----------------------------------------------------------------------------------------------------------------
# Section 4: city governance context


def stakeholders(ctx: ReportContext) -> Part:
    frame = ctx.mart("stakeholders", city_only=False).sort_values(["group_sort", "sort"])
    if frame.empty:
        return _gap_part("An overview of stakeholders", "a list of organisations working on migration and integration in the city")
    rows = []
    previous = None
    for r in frame.itertuples(index=False):
        rows.append([r.stakeholder_group if r.stakeholder_group != previous else "", r.organisation, r.area_of_work])
        previous = r.stakeholder_group
    as_of = int(frame["as_of"].max())
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(["Group", "Organisation", "Area of work"], rows, "lll", [17, 38, 45])
    caption = f"Stakeholders in {ctx.city} (as listed in the MC2CM profile, {as_of})"
    part.markdown = fmt.captioned_table(table, caption, "stakeholders", ctx.source_text(part.sources))
    if not ctx.edition.is_profile_edition:
        part.gaps.append(Gap(f"A list of stakeholders newer than {as_of}", "the city's current list of organisations (e.g. from MIA-DO), in the layout of raw/mc2cm/table2_stakeholders.csv"))
    return part


# ----------------------------------------------------------------------------------------------------------------
# Section 5: immigration situation


def population_trend(ctx: ReportContext) -> Part:
    frame = ctx.mart("population_trend")
    frame = frame[frame["year"] <= ctx.edition.up_to]
    if frame.empty:
        return _gap_part(f"The population of {ctx.city} over time", "IT.NRW 12411-15i and the city's register figures")
    series = {s: (g["year"].tolist(), g["value"].tolist()) for s, g in frame.sort_values("year").groupby("series", sort=True)}
    bases = set(frame["census_basis"])
    census_break = int(frame.loc[frame["census_basis"] == "Zensus 2022", "year"].min()) if {"Zensus 2011", "Zensus 2022"} <= bases else None
    path = charts.population_trend(series, census_break, ctx.out_dir / "figures" / "population-trend.svg")
    part = Part("", sources=set(frame["source_id"]))
    first, last = int(frame["year"].min()), int(frame["year"].max())
    caption = (f"Population of {ctx.city} by measurement, {first}-{last}: the statistical offices' population update "
               "on each census basis, and the city's register")
    part.markdown = fmt.figure(f"_generated/figures/{path.name}", caption, "population-trend", ctx.source_text(part.sources))
    return part


def foreigner_share_cities(ctx: ReportContext) -> Part:
    frame = ctx.newest(ctx.of_edition(ctx.mart("foreigner_share_cities", city_only=False)))
    if frame.empty:
        return _gap_part("The share of foreigners in Germany's largest cities",
                         f"Regionaldatenbank 12411-03-03-4 (Germans and foreigners for every district) for a year of the {ctx.edition_label()}")
    # the 15 largest cities and this report's city (the mart also marks the warehouse's other cities, CMP_CITIES)
    mine = frame["region_code"] == ctx.region_code
    frame = frame[(frame["size_rank"] <= 15) | mine].assign(is_profile_city=mine).sort_values("share_foreigners", ascending=False)
    top = frame[frame["size_rank"] <= 15]
    path = charts.horizontal_bars(frame["city"].tolist(), frame["share_foreigners"].tolist(), frame["is_profile_city"].tolist(),
                                  lambda v: f"{v:.1f} %", "foreigners, % of the population", ctx.out_dir / "figures" / "foreigner-share-cities.svg")
    part = Part("", sources=set(frame["source_id"]))
    date = fmt.date(frame["reference_date"].iloc[0])
    caption = f"Share of foreigners in the population of Germany's {len(top)} largest cities, {date}"
    part.markdown = fmt.figure(f"_generated/figures/{path.name}", caption, "foreigner-share-cities", ctx.source_text(part.sources))
    me = frame[frame["is_profile_city"]]
    if len(me):
        rank = int((frame["share_foreigners"] > me["share_foreigners"].iloc[0]).sum()) + 1
        part.facts = {"cities_rank_by_share": rank, "cities_count": len(top), "cities_size_rank": int(me["size_rank"].iloc[0])}
    return part


def legal_status(ctx: ReportContext) -> Part:
    frame = ctx.edition_rows("legal_status").sort_values("sort")
    if frame.empty:
        return _gap_part(f"The legal status of non-Germans in {ctx.city}",
                         "AZR figures by residence title for the city (e.g. MKFFI NRW's Integrationsprofil or an IT.NRW table of foreigners by residence status)")
    rows = [[LEGAL_STATUS.get(r.legal_status, r.legal_status), fmt.count(r.value), fmt.percent(r.share)] for r in frame.itertuples()]
    rows.append(["Non-Germans in all", fmt.count(frame["total"].iloc[0]), fmt.percent(100)])
    year = int(frame["year"].iloc[0])
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(["Legal status", "Persons", "Share"], rows, "lrr", [50, 25, 25])
    part.markdown = fmt.captioned_table(table, f"Legal status of non-Germans, {ctx.city}, {year}", "legal-status", ctx.source_text(part.sources))
    return part


def top_nationalities(ctx: ReportContext) -> Part:
    frame = ctx.edition_rows("top_nationalities").sort_values("rank")
    if frame.empty:
        return _gap_part(f"The largest nationalities among foreigners in {ctx.city}", "IT.NRW 12521-03i (foreigners by nationality, AZR) for the year")
    has_share = frame["share_of_foreigners"].notna().all()
    headers = ["Rank", "Citizenship", "Persons"] + (["Share of all foreigners"] if has_share else [])
    rows = []
    for r in frame.itertuples():
        row = [str(r.rank), r.citizenship, fmt.count(r.value)]
        if has_share:
            row.append(fmt.percent(r.share_of_foreigners))
        rows.append(row)
    year = int(frame["year"].iloc[0])
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(headers, rows, "rlrr" if has_share else "rlr", [8, 42, 25, 25] if has_share else [10, 55, 35])
    part.markdown = fmt.captioned_table(table, f"The ten largest groups of foreigners by citizenship, {ctx.city}, {year}", "top-nationalities", ctx.source_text(part.sources))
    part.facts = {"top": [(r.citizenship, float(r.value)) for r in frame.head(3).itertuples()], "top_year": year}
    return part


def top_nationalities_chart(ctx: ReportContext) -> Part:
    frame = ctx.edition_rows("top_nationalities").sort_values("rank")
    if frame.empty:
        return _gap_part(f"A chart of the largest nationalities among foreigners in {ctx.city}", "IT.NRW 12521-03i (foreigners by nationality, AZR) for the year")
    path = charts.horizontal_bars(frame["citizenship"].tolist(), frame["value"].tolist(), [False] * len(frame), fmt.count,
                                  "persons", ctx.out_dir / "figures" / "top-nationalities.svg")
    year = int(frame["year"].iloc[0])
    part = Part("", sources=set(frame["source_id"]))
    part.markdown = fmt.figure(f"_generated/figures/{path.name}", f"The ten largest groups of foreigners by citizenship, {ctx.city}, {year}",
                               "top-nationalities", ctx.source_text(part.sources))
    return part


def _age_frame(ctx: ReportContext) -> pd.DataFrame:
    return ctx.of_edition(ctx.mart("age_structure")).sort_values(["year", "sort"])


def age_groups(ctx: ReportContext) -> Part:
    frame = _age_frame(ctx)
    if frame.empty:
        return _gap_part(f"Germans and non-Germans by age group in {ctx.city}", "Regionaldatenbank 12411-03-03-4 (population by nationality and age group) for the year")
    years = sorted(frame["year"].unique())
    headers = ["Age group"]
    for y in years:
        headers += [f"Non-Germans {y}", f"Germans {y}", f"Share {y}"]
    rows = []
    for group, g in frame.groupby("sort", sort=True):
        row = [age_label(g["age_group"].iloc[0])]
        for y in years:
            r = g[g["year"] == y]
            row += [fmt.count(r["non_germans"].iloc[0]), fmt.count(r["germans"].iloc[0]), fmt.percent(r["share_non_german"].iloc[0])] if len(r) else ["", "", ""]
        rows.append(row)
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(headers, rows, "l" + "rrr" * len(years), [16] + [10, 10, 8] * len(years))
    caption = f"Germans and non-Germans by age group, {ctx.city}, {' and '.join(map(str, years))} (share: non-Germans in % of the age group)"
    part.markdown = fmt.captioned_table(table, caption, "age-groups", ctx.source_text(part.sources))
    newest = frame[frame["year"] == years[-1]]
    part.facts = {"age_year": int(years[-1]), "youngest": (age_label(newest.iloc[0]["age_group"]), float(newest.iloc[0]["share_non_german"])),
                  "oldest": (age_label(newest.iloc[-1]["age_group"]), float(newest.iloc[-1]["share_non_german"]))}
    return part


def age_structure_chart(ctx: ReportContext) -> Part:
    frame = _age_frame(ctx)
    if frame.empty:
        return _gap_part(f"A chart of the age structure of Germans and non-Germans in {ctx.city}", "Regionaldatenbank 12411-03-03-4 for the year")
    groups = [g["age_group"].iloc[0] for _, g in frame.groupby("sort", sort=True)]
    shares = {int(y): g.sort_values("sort")["share_non_german"].tolist() for y, g in frame.groupby("year")}
    path = charts.age_shares(groups, shares, ctx.out_dir / "figures" / "age-structure.svg")
    part = Part("", sources=set(frame["source_id"]))
    caption = f"Share of non-Germans by age group, {ctx.city}, {' and '.join(map(str, sorted(shares)))}"
    part.markdown = fmt.figure(f"_generated/figures/{path.name}", caption, "age-structure", ctx.source_text(part.sources))
    return part


def social_indicators(ctx: ReportContext) -> Part:
    frame = ctx.of_edition(ctx.mart("social_indicators"))
    part = Part("")
    if frame.empty:
        return _gap_part(f"Employment, unemployment and benefit receipt in {ctx.city}", "Bundesagentur für Arbeit, Arbeitsmarkt kommunal, and IT.NRW 22811-05i")
    years = sorted(frame["year"].unique())
    rows = []
    for (sort, indicator, nationality), g in frame.groupby(["sort", "indicator_label", "nationality"], sort=True):
        row = [indicator, NATIONALITY[nationality]]
        for y in years:
            v = g[g["year"] == y]
            row.append(fmt.count(v["value"].iloc[0]) if len(v) and v["status"].iloc[0] in ("", "-") else ("not available" if len(v) else "–"))
        rows.append(row)
    for i in range(len(rows) - 1, 0, -1):
        if rows[i][0] == rows[i - 1][0]:
            rows[i][0] = ""
    part.sources = set(frame["source_id"])
    table = fmt.table(["Indicator", "Group"] + [str(y) for y in years], rows, "ll" + "r" * len(years), [40, 16] + [44 // len(years)] * len(years))
    rounded = " (rounded to thousands, as printed)" if (frame["level"] == "profile").any() else ""
    caption = f"Employment, unemployment and benefit receipt, {ctx.city}, {', '.join(map(str, years))}{rounded}"
    part.markdown = fmt.captioned_table(table, caption, "social-indicators", ctx.source_text(part.sources))
    if not (frame["nationality"] == "non_german").any():
        part.gaps.append(Gap(f"Employment, unemployment and benefit receipt of Germans and non-Germans separately ({ctx.city})",
                             "Bundesagentur für Arbeit, Arbeitsmarkt kommunal / Migrationsmonitor for the city"))
    if not frame["indicator"].isin(["unemployed"]).any():
        part.gaps.append(Gap(f"Unemployed persons ({ctx.city})", "Bundesagentur für Arbeit, Arbeitsmarkt kommunal for the city"))
    return part


def sectors(ctx: ReportContext) -> Part:
    frame = ctx.edition_rows("sectors").sort_values("sort")
    if frame.empty:
        return _gap_part(f"Employees by sector in {ctx.city}", "IT.NRW 13111-54i (employees by economic section) for the year")
    counted = frame["employees"].notna().all()
    rows = [[r.label] + ([fmt.count(r.employees)] if counted else []) + [fmt.percent(r.share)] for r in frame.itertuples()]
    year = int(frame["year"].iloc[0])
    part = Part("", sources=set(frame["source_id"]))
    headers = ["Sector"] + (["Employees"] if counted else []) + ["Share of all employees"]
    table = fmt.table(headers, rows, "l" + "r" * (len(headers) - 1), [50, 25, 25] if counted else [60, 40])
    what = "employees liable to social security at their place of work" if counted else "employment, shares as printed"
    part.markdown = fmt.captioned_table(table, f"Sectors of activity, {ctx.city}, {year} ({what})", "sectors", ctx.source_text(part.sources))
    part.facts = {"services_share": float(frame.loc[frame["sector"] == "services", "share"].iloc[0]), "sectors_year": year}
    return part


# ----------------------------------------------------------------------------------------------------------------
# Section 6: human rights and access to services


def access_to_services(ctx: ReportContext) -> Part:
    part = Part("")
    body = []
    ids = ["unemployment_rate", "welfare", "rent", "housing_space", "school_dropouts"]
    for r, fig in _synopsis_rows(ctx, ids):
        if fig is None:
            body.append([r.label, *MISSING_CELLS])
            part.gaps.append(Gap(f"{r.label} ({ctx.city})", r.input_needed))
            continue
        body.append([r.label, format_value(fig), str(int(fig.year)), fig.source])
        part.sources.add(fig.source_id)
    known = sum(1 for row in body if row[1] != "not available")
    table = fmt.table(["Indicator", "Value", "Year", "Source"], body, "llll", [38, 22, 8, 32])
    intro = (f"Of the indicators the MC2CM profile used to describe access to work, income, housing and education, "
             f"{known} of {len(body)} have figures in this edition.\n\n")
    part.markdown = intro + fmt.captioned_table(table, f"Indicators of access to services, {ctx.city}", "access-to-services", ctx.source_text(part.sources) if part.sources else "see the data gaps at the end of this profile.")
    return part


# ----------------------------------------------------------------------------------------------------------------
# Text: executive summary, background, conclusions


def _population_sentence(ctx: ReportContext) -> tuple[str | None, set[str]]:
    trend = ctx.newest(ctx.of_edition(ctx.mart("population_trend")), ["series"])
    update = trend[trend["concept"] == "population_update"]
    register = trend[trend["concept"] == "municipal_register"]
    if update.empty and register.empty:
        return None, set()
    bits = []
    if not update.empty:
        u = update.sort_values("year").iloc[-1]
        bits.append(f"On {fmt.date(u.reference_date)}, {ctx.city} had {fmt.count(u.value)} inhabitants according to the "
                    f"statistical offices' population update ({u.census_basis} basis)")
    if not register.empty:
        g = register.sort_values("year").iloc[-1]
        lead = "; the city's own register counted" if bits else f"{ctx.city}'s own register counted"
        bits.append(f"{lead} {fmt.count(g.value)} at the end of {int(g.year)}")
    sources = set(update["source_id"]) | set(register["source_id"])
    return "".join(bits) + ".", sources


def executive_summary(ctx: ReportContext) -> Part:
    part = Part("")
    sentences: list[str] = []
    text, srcs = _population_sentence(ctx)
    if text:
        sentences.append(text)
        part.sources |= srcs
    for r, fig in _synopsis_rows(ctx, ["foreigners"]):
        if fig is not None:
            sentences.append(f"{format_value(fig).replace('(', 'or ').replace(')', '')} of them were foreigners in {int(fig.year)}.")
            part.sources.add(fig.source_id)
    top = top_nationalities(ctx).facts
    if top.get("top"):
        groups = ", ".join(f"{name} ({fmt.count(v)})" for name, v in top["top"][:-1]) + f" and {top['top'][-1][0]} ({fmt.count(top['top'][-1][1])})"
        sentences.append(f"The largest groups of foreigners were citizens of {groups}.")
    ages = age_groups(ctx).facts
    if ages:
        sentences.append(f"Non-Germans made up {fmt.percent(ages['youngest'][1])} of the age group {ages['youngest'][0]} "
                         f"and {fmt.percent(ages['oldest'][1])} of those aged {ages['oldest'][0]} ({ages['age_year']}).")
    cities = foreigner_share_cities(ctx).facts
    if cities:
        sentences.append(f"Among Germany's {cities['cities_count']} largest cities, {ctx.city} ranks {_ordinal(cities['cities_size_rank'])} by population "
                         f"and {_ordinal(cities['cities_rank_by_share'])} by its share of foreigners.")
    sec = sectors(ctx).facts
    if sec:
        sentences.append(f"{fmt.percent(sec['services_share'])} of the city's employees worked in services ({sec['sectors_year']}).")
    recon = _reconciliation_frame(ctx)
    register_gap = recon[(recon["indicator"] == "population") & (recon["rule_id"] == "register_vs_update") & (recon["nationality"] == "total") & (recon["sex"] == "total")]
    if len(register_gap):
        r = register_gap.sort_values("reference_year").iloc[-1]
        sentences.append(f"State and city count the population differently: for {int(r.reference_year)} the city's register exceeds the population update by "
                         f"{fmt.count(abs(r.difference))} people ({fmt.percent(abs(100 * r.relative_difference))}); the appendix compares every such pair.")
    if not sentences:
        return _gap_part("A summary of the figures", "the inputs listed under data gaps")
    part.markdown = " ".join(sentences) + "\n"
    return part


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def background(ctx: ReportContext) -> Part:
    e = ctx.edition
    first = "the first edition, which reproduces the figures of the MC2CM City Migration Profile of 2021" if e.is_profile_edition else \
        f"it follows the {e.previous} edition" if e.previous else "it is the first edition"
    part = Part(
        f"This is the {e.year} edition of the profile; {first}. It shows the figures of the years {e.window_label} "
        f"that the inputs in raw/ hold, each table with the year of its figures and its source.\n"
    )
    return part


def conclusions(ctx: ReportContext) -> Part:
    bullets = []
    ages = age_groups(ctx).facts
    if ages:
        bullets.append(f"**A young immigrant population.** Non-Germans make up {fmt.percent(ages['youngest'][1])} of the age group {ages['youngest'][0]}, "
                       f"against {fmt.percent(ages['oldest'][1])} of the oldest group ({ages['age_year']}).")
    top = top_nationalities(ctx).facts
    if top.get("top"):
        name, v = top["top"][0]
        bullets.append(f"**Diverse origins.** The largest group, citizens of {name}, numbers {fmt.count(v)}; the ten largest groups come from "
                       "EU member states, the Western Balkans, the Middle East and North Africa.")
    cities = foreigner_share_cities(ctx).facts
    if cities:
        bullets.append(f"**In line with large West German cities.** By its share of foreigners, {ctx.city} ranks {_ordinal(cities['cities_rank_by_share'])} "
                       f"among Germany's {cities['cities_count']} largest cities.")
    recon = _reconciliation_frame(ctx)
    if len(recon):
        counts = recon["status"].value_counts()
        bullets.append(f"**Figures that differ for known reasons.** Of {len(recon)} figures published by two sources for the same year, "
                       f"{counts.get('consistent', 0)} agree and {counts.get('explained', 0)} differ for a documented reason"
                       + (f"; {counts['unexplained']} differ without one" if counts.get("unexplained") else "") + ".")
    changes = _changes(ctx)
    share = next((c for c in changes if c["key"] == "foreign_share"), None)
    if share and share["previous"] is not None and share["current"] is not None:
        bullets.append(f"**Change since the {ctx.edition.previous} edition.** The share of foreigners moved from {share['previous_text']} to {share['current_text']}"
                       " (the measurements differ; see the comparison of editions).")
    if not bullets:
        return _gap_part("Conclusions drawn from the figures", "the inputs listed under data gaps")
    return Part("\n".join(f"- {b}" for b in bullets) + "\n")


# ----------------------------------------------------------------------------------------------------------------
# Appendices: reconciliation, what changed, sources, data gaps


def _reconciliation_frame(ctx: ReportContext) -> pd.DataFrame:
    frame = ctx.con.execute("SELECT * FROM reconciliation.comparisons WHERE region_code = ?", [ctx.region_code]).df()
    if frame.empty:
        return frame
    keep = [(ctx.edition.after is None or y > ctx.edition.after) and y <= ctx.edition.up_to for y in frame["reference_year"]]
    return frame.loc[keep]


STATUS = {"consistent": "Consistent", "explained": "Explained", "unexplained": "Unexplained", "not_comparable": "Not comparable"}


def reconciliation(ctx: ReportContext) -> Part:
    frame = _reconciliation_frame(ctx)
    if frame.empty:
        return _gap_part("A comparison of state and municipal figures", "figures for the same year from two sources (e.g. the city's register figures in raw/city)")
    rows = []
    bands = frame[frame["comparison"] == "age bands added up"]
    others = frame[frame["comparison"] != "age bands added up"].sort_values(["reference_year", "indicator", "nationality", "sex", "a_value"])
    for r in others.itertuples():
        rows.append([r.description, f"{STATUS[r.status]}: {r.cause}"])
    for (year, a_id, b_id, status), g in bands.groupby(["reference_year", "a_source_id", "b_source_id", "status"]):
        a_name, b_name = g["a_source"].iloc[0].split(", bands")[0], g["b_source"].iloc[0].split(", bands")[0]
        rows.append([f"Population by age, {len(g)} age groups, {fmt.date(g['a_date'].iloc[0])}: {a_name} and {b_name}, "
                     f"the finer bands added up to each coarser one (largest difference: {fmt.count(g['difference'].abs().max())})",
                     f"{STATUS[status]} in all {len(g)}: {g['cause'].iloc[0]}"])
    table = fmt.table(["Figures compared", "Judgement"], rows, "ll", [72, 28])
    sources = set(frame["a_source_id"]) | set(frame["b_source_id"])
    part = Part("", sources=sources)
    text = (f"Every figure that two sources publish for {ctx.city} for the same year is listed below with both values and the difference "
            f"(the second figure minus the first, relative to the first). {len(frame)} pairs belong to this edition.\n\n")
    text += fmt.captioned_table(table, f"State, municipal and profile figures compared, {ctx.city}", "reconciliation", ctx.source_text(sources))
    used = frame[frame["status"] == "explained"][["cause", "explanation"]].drop_duplicates().sort_values("cause")
    if len(used):
        text += "\nThe causes named above, as the reconciliation rules (pipeline/reconciliation/rules.yaml) state them:\n\n"
        text += "\n".join(f"- **{c}.** {e}" for c, e in used.itertuples(index=False)) + "\n"
    consistent = frame[frame["status"] == "consistent"]["explanation"].drop_duplicates()
    if len(consistent):
        text += f"\nConsistent: {consistent.iloc[0]}\n"
    part.markdown = text
    return part


def _changes(ctx: ReportContext) -> list[dict]:
    """Key figures of this edition and the previous one."""
    previous = next((e for e in ctx.all_editions if e.year == ctx.edition.previous), None)
    if previous is None:
        return []
    synopsis = ctx.mart("synopsis")
    synopsis = synopsis[synopsis["year"].notna()].copy()
    synopsis["year"] = synopsis["year"].astype(int)

    def syn(row_id: str):
        def pick(c: ReportContext, e):
            f = best(c.of_edition(synopsis[synopsis["row_id"] == row_id], e))
            return None if f is None else (f["value"], f, int(f["year"]), f["source_id"])
        return pick

    def foreign_share(c: ReportContext, e):
        f = best(c.of_edition(synopsis[synopsis["row_id"] == "foreigners"], e))
        return None if f is None or pd.isna(f["share"]) else (f["share"], f, int(f["year"]), f["source_id"])

    ages = ctx.mart("age_structure")

    def under3(c: ReportContext, e):
        f = c.newest(c.of_edition(ages[ages["age_group"] == "0-3"], e))
        return None if f.empty else (f.iloc[0]["share_non_german"], f.iloc[0], int(f.iloc[0]["year"]), f.iloc[0]["source_id"])

    tops = ctx.mart("top_nationalities")

    def top1(c: ReportContext, e):
        f = c.newest(c.of_edition(tops[tops["rank"] == 1], e))
        return None if f.empty else (f.iloc[0]["value"], f.iloc[0], int(f.iloc[0]["year"]), f.iloc[0]["source_id"])

    sec = ctx.mart("sectors")

    def services(c: ReportContext, e):
        f = c.newest(c.of_edition(sec[sec["sector"] == "services"], e))
        return None if f.empty else (f.iloc[0]["share"], f.iloc[0], int(f.iloc[0]["year"]), f.iloc[0]["source_id"])

    specs = [
        ("population", "Population", syn("population"), "count"),
        ("foreigners", "Foreigners", syn("foreigners"), "count"),
        ("foreign_share", "Share of foreigners in the population", foreign_share, "percent"),
        ("under3", "Share of non-Germans among children under 3", under3, "percent"),
        ("top1", "Largest group of foreigners", top1, "count"),
        ("services", "Share of employees in services", services, "percent"),
    ]
    out = []
    for key, label, picker, kind in specs:
        prev, cur = picker(ctx, previous), picker(ctx, ctx.edition)
        def text(v):
            if v is None:
                return "not available"
            value, row, year, _ = v
            if kind == "count":
                shown = fmt.count(value)
            else:
                printed_whole = key == "foreign_share" and (row.get("share_rounding") or 0) >= 0.5  # printed as "19%"
                shown = fmt.percent(value, 0 if printed_whole else 1)
            extra = f", {row['citizenship']}" if key == "top1" else ""
            return f"{shown} ({year}{extra})"
        change = ""
        if prev is not None and cur is not None:
            change = fmt.signed_points(cur[0] - prev[0]) if kind == "percent" else fmt.signed(cur[0] - prev[0])
        out.append({"key": key, "label": label, "previous": prev, "current": cur, "previous_text": text(prev), "current_text": text(cur), "change": change,
                    "sources": {v[3] for v in (prev, cur) if v is not None}})
    return out


def edition_changes(ctx: ReportContext) -> Part:
    if ctx.edition.previous is None:
        return Part(f"This is the first edition of the profile for {ctx.city}; there is no earlier edition to compare it with.\n")
    changes = _changes(ctx)
    rows = [[c["label"], c["previous_text"], c["current_text"], c["change"] or "not comparable"] for c in changes]
    sources = set().union(*(c["sources"] for c in changes))
    table = fmt.table(["Indicator", f"Edition {ctx.edition.previous}", f"Edition {ctx.edition.year}", "Change"], rows, "lrrr", [34, 22, 22, 22])
    note = ("The editions do not always measure the same way: the first edition takes the MC2CM profile's figures (the city's register, "
            "printed rounded), later editions the statistical offices' population update on the Zensus 2022 basis. "
            "A change therefore mixes real change with a change of measurement; the appendix on state and municipal figures shows how large the latter is.\n\n")
    return Part(note + fmt.captioned_table(table, f"Key figures of the {ctx.edition.previous} and {ctx.edition.year} editions, {ctx.city}", "edition-changes", ctx.source_text(sources)), sources=sources)


def sources_list(ctx: ReportContext, used: set[str]) -> Part:
    rows = ctx.sources.loc[sorted(used & set(ctx.sources.index))].reset_index()
    order = {"state": 0, "federal": 1, "municipal": 2, "profile": 3}
    rows = rows.sort_values(by=["level", "id"], key=lambda s: s.map(order) if s.name == "level" else s)
    lines = []
    for r in rows.itertuples(index=False):
        published = fmt.date(r.published) if len(r.published) == 10 else r.published
        ref = f"reference period {r.period_start.year}-{r.reference_date.year}" if pd.notna(r.period_start) else f"reference date {fmt.date(r.reference_date)}"
        title = r.title_en or r.title
        url = f" <{r.url}>" if r.url else ""
        lines.append(f"- {r.publisher}{', ' + r.database if r.database else ''}: *{title}* ({r.table_code}); {ref}; "
                     f"published {published}; licence {r.licence}; {r.attribution}.{url}")
    cited = ctx.con.execute(
        "SELECT DISTINCT cited_publisher FROM core.indicators WHERE cited_publisher <> '' AND source_id IN (SELECT unnest(?)) ORDER BY 1",
        [sorted(used)],
    ).fetchall()
    text = "\n".join(lines) + "\n"
    cited = [c for (c,) in cited if not c.startswith("MC2CM profile")]
    if cited:
        text += "\nPublications the MC2CM profile cites for the figures taken from it: " + "; ".join(cited) + ".\n"
    return Part(text)


def data_gaps(ctx: ReportContext, gaps: list[Gap]) -> Part:
    if not gaps:
        return Part("Every table of this edition has figures.\n")
    seen, rows = set(), []
    for g in gaps:
        if (g.what, g.needed) not in seen:
            seen.add((g.what, g.needed))
            rows.append([g.what, g.needed])
    table = fmt.table(["What is missing", "Input that would provide it"], rows, "ll", [50, 50])
    intro = (f"{len(rows)} items of the MC2CM profile's structure have no figures in this edition. Adding the inputs named "
             "here to raw/ (with their manifest entries) fills them at the next build.\n\n")
    source = "this profile's build, comparing the MC2CM profile's tables and indicators with the inputs listed in raw/sources.yaml."
    return Part(intro + fmt.captioned_table(table, f"Data gaps of the {ctx.edition.year} edition", "data-gaps", source))


def _gap_part(what: str, needed: str) -> Part:
    return Part(fmt.gap_note(what, needed), gaps=[Gap(what, needed)])


# ----------------------------------------------------------------------------------------------------------------
# Variables for {{< var >}}


def variables(ctx: ReportContext, build_date: dt.date) -> dict:
    held = ctx.con.execute(
        "SELECT i.reference_date, s.level FROM core.indicators i JOIN staging.sources s ON s.id = i.source_id WHERE i.region_code = ?",
        [ctx.region_code],
    ).fetchall()
    dates = [d for d, level in held if ctx.edition.holds(d.year, level)]
    return {
        "city": {"name": ctx.city, "ags": ctx.city_ags},
        "edition": {
            "year": str(ctx.edition.year),
            "window": ctx.edition.window_label,
            "previous": str(ctx.edition.previous) if ctx.edition.previous else "none",
            "kind": "first edition, reproducing the MC2CM City Migration Profile (2021)" if ctx.edition.is_profile_edition else "update from the statistical offices' tables",
        },
        "data": {"as_of": fmt.date(max(dates)) if dates else "no figures"},
        "build": {"date": fmt.date(build_date)},
    }


@dataclass(frozen=True)
class PartSpec:
    name: str
    kind: str  # table, figure, text
    build: Callable[[ReportContext], Part]
    marts: tuple[str, ...]


PARTS: tuple[PartSpec, ...] = (
    PartSpec("executive-summary", "text", executive_summary, ("population_trend", "synopsis", "top_nationalities", "age_structure", "foreigner_share_cities", "sectors")),
    PartSpec("background", "text", background, ()),
    PartSpec("general-overview", "table", general_overview, ("synopsis",)),
    PartSpec("synopsis", "table", synopsis, ("synopsis",)),
    PartSpec("migration-germany", "figure", migration_germany, ("migration_germany",)),
    PartSpec("labour-market-access", "table", labour_market_access, ("labour_market_access",)),
    PartSpec("stakeholders", "table", stakeholders, ("stakeholders",)),
    PartSpec("population-trend", "figure", population_trend, ("population_trend",)),
    PartSpec("foreigner-share-cities", "figure", foreigner_share_cities, ("foreigner_share_cities",)),
    PartSpec("legal-status", "table", legal_status, ("legal_status",)),
    PartSpec("top-nationalities", "table", top_nationalities, ("top_nationalities",)),
    PartSpec("top-nationalities-chart", "figure", top_nationalities_chart, ("top_nationalities",)),
    PartSpec("age-groups", "table", age_groups, ("age_structure",)),
    PartSpec("age-structure-chart", "figure", age_structure_chart, ("age_structure",)),
    PartSpec("social-indicators", "table", social_indicators, ("social_indicators",)),
    PartSpec("sectors", "table", sectors, ("sectors",)),
    PartSpec("access-to-services", "table", access_to_services, ("synopsis",)),
    PartSpec("conclusions", "text", conclusions, ("age_structure", "top_nationalities", "foreigner_share_cities", "synopsis", "sectors")),
    PartSpec("edition-changes", "table", edition_changes, ("synopsis", "age_structure", "top_nationalities", "sectors")),
    PartSpec("reconciliation", "table", reconciliation, ()),
)


def write_part(ctx: ReportContext, name: str, part: Part) -> None:
    """Write the part where the document picks it up, and its gaps and sources beside it for the appendices."""
    (ctx.out_dir / "meta").mkdir(parents=True, exist_ok=True)
    (ctx.out_dir / f"{name}.md").write_text(part.markdown, encoding="utf-8")
    meta = {"gaps": [[g.what, g.needed] for g in part.gaps], "sources": sorted(part.sources)}
    (ctx.out_dir / "meta" / f"{name}.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")


def read_meta(ctx: ReportContext) -> tuple[list[Gap], set[str]]:
    gaps, sources = [], set()
    for spec in PARTS:
        path = ctx.out_dir / "meta" / f"{spec.name}.json"
        if path.exists():
            meta = json.loads(path.read_text(encoding="utf-8"))
            gaps += [Gap(*g) for g in meta["gaps"]]
            sources |= set(meta["sources"])
    return gaps, sources
