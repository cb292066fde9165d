"""The profile's tables: the synopsis (section 2), the labour-market access and stakeholder overviews (sections 3
and 4), the immigration situation (section 5) and access to services (section 6). Each is a Markdown pipe table
with its caption (``{#tbl-...}``) and source line, made from the edition's facts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.domain.periods import column_words, year_label
from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.fact_types import MIN_PEERS
from pipeline.report.facts import Facts
from pipeline.report.labels import LEGAL_STATUS, NATIONALITY, NOT_SHOWN, age_label, format_value, measurement, ordinal
from pipeline.report.parts.base import NEEDS, Part, gap, gap_part


def indicator_rows(
    ctx: ReportContext, part: Part, figures: list[tuple[Any, pd.Series | None]], with_theme: bool = False,
    missing: list[str] | None = None,
) -> list[list[str]]:
    """One table row per synopsis indicator with a figure: its figure, year and source. An indicator without one has
    no row: its label goes to ``missing`` (for the sentence under the table) and its gap to the part."""
    body = []
    for r, fig in figures:
        lead = [r.theme] if with_theme else []
        if fig is None:
            part.gaps.append(gap(ctx, f"{r.label} ({ctx.city})", r.input_needed))
            if missing is not None:
                missing.append(ctx.words(r.label))
            continue
        body.append([*lead, ctx.words(r.label), format_value(fig), ctx.year_of(fig.source_id, fig.reference_date), fig.source])
        part.cite(fig.source_id, fig.reference_date)
    return body


# -- section 2: city synopsis ---------------------------------------------------------------------------------------


def political_context(ctx: ReportContext) -> str:
    place = ctx.place
    kind = place["region_type"] if pd.notna(place["region_type"]) else "City"
    land = place["land_name"] if pd.notna(place["land_name"]) else place["land_code"]
    if ctx.is_city_state:
        return f"City-state: the Land {land} and its only municipality in one"
    text = f"{kind} in the Land {land}"
    region = place["admin_region_name"]
    if pd.notna(region):  # 'Arnsberg, Regierungsbezirk'; Saxony's 'Dresden, Statistische Region'
        name, _, what = (part.strip() for part in region.partition(","))
        if what == "Regierungsbezirk":
            text += f", {name} administrative region (Regierungsbezirk)"
        elif what == "Statistische Region":
            text += f", {name} statistical region (Statistische Region)"
        elif name != land:
            text += f", {region}"
    return text


def general_overview(ctx: ReportContext, facts: Facts) -> Part:
    part = Part("")
    body = [["Political and administrative context", political_context(ctx), "–", "Gemeindeverzeichnis (GV-ISys)"]]
    if pd.notna(ctx.place["region_type_source_id"]):
        part.sources.add(ctx.place["region_type_source_id"])
    body += indicator_rows(ctx, part, facts.synopsis.figures(["area", "population", "foreigners", "migration_background"]))
    table = fmt.table(["Indicator", "Value", "Period", "Source"], body, "llll", [30, 30, 13, 27])
    part.markdown = fmt.captioned_table(table, f"General overview, {ctx.city}", "general-overview",
                                        ctx.source_text(part.sources, part.dates))
    return part


def synopsis(ctx: ReportContext, facts: Facts) -> Part:
    part = Part("")
    themes = ["Demographic structure", "Migration", "Labour market", "Living conditions", "Education"]
    missing: list[str] = []
    body = indicator_rows(ctx, part, facts.synopsis.figures(themes=themes), with_theme=True, missing=missing)
    # the theme is printed once, at the first row of its group
    for i in range(len(body) - 1, 0, -1):
        if body[i][0] == body[i - 1][0]:
            body[i][0] = ""
    table = fmt.table(["Theme", "Indicator", "Data", "Period", "Source"], body, "lllll", [13, 31, 18, 13, 25])
    part.markdown = fmt.captioned_table(table, f"Indicators by theme, {ctx.city}", "synopsis", ctx.source_text(part.sources, part.dates))
    if missing:  # the one place in the body the reader learns which of the MC2CM profile's indicators the edition lacks
        part.markdown += (f"\nThe MC2CM profile's synopsis has {len(missing)} further "
                          f"indicator{'s' if len(missing) > 1 else ''} for which no official figure for {fmt.text(ctx.place_word)} is at "
                          f"hand in this edition: {fmt.text('; '.join(missing))}.\n")
    return part


# -- section 3: national context ------------------------------------------------------------------------------------


LABOUR_MARKET_RULES = (
    "The rules have changed since the MC2CM profile printed its overview of 2020, not least with the reform of skilled "
    "immigration in 2023 and 2024. The current rules by residence title are set out by the Federal Ministry of Labour and "
    "Social Affairs (BMAS), the Federal Employment Agency (Bundesagentur für Arbeit) and the Federal Government's portal "
    "Make it in Germany; the law itself is the Residence Act (Aufenthaltsgesetz) with the Employment Regulation "
    "(Beschäftigungsverordnung).\n"
)


def labour_market_access(ctx: ReportContext, facts: Facts) -> Part:
    """Table 3 of the MC2CM profile (the law of 2020) in the edition that reproduces the profile; a later edition does
    not reprint it, but says in one paragraph that the rules changed and where the current ones are published."""
    frame = facts.labour_market_access
    if not ctx.edition.is_profile_edition or frame.empty:
        part = Part(LABOUR_MARKET_RULES)
        # for the maintainer only (topic 'said'): the paragraph above tells the reader
        g = gap(ctx, "An overview of access to the labour market by legal status for the edition's year",
                "a current overview, e.g. from BMAS or the Bundesagentur für Arbeit, transcribed into raw/mc2cm layout")
        part.gaps.append(g._replace(topic="said"))
        return part
    as_of = int(frame["as_of"].max())
    table = fmt.table(
        ["Legal status", "Legal basis", "Access to the labour market"],
        frame[["legal_status", "legal_basis", "labour_market_access"]].values.tolist(),
        "lll",
        [30, 25, 45],
    )
    part = Part("", sources=set(frame["source_id"]))
    caption = f"Access to the labour market by legal status (legal situation of {as_of}, as printed in the MC2CM profile)"
    lead = "The overview below is the one the MC2CM profile printed.\n\n"
    # the publication the profile cites for the table (BMAS 2020), named in its source line
    cited = {sid: {f"{pub}, {int(y)}" for pub, y in zip(g["publisher"], g["as_of"], strict=True)}
             for sid, g in frame.groupby("source_id")}
    part.markdown = lead + fmt.captioned_table(table, caption, "labour-market-access", ctx.source_text(part.sources, cited=cited))
    return part


# -- section 4: city governance context -----------------------------------------------------------------------------


def stakeholders(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.stakeholders
    if frame.empty:
        return gap_part(ctx, "An overview of stakeholders",
                        f"{ctx.place_word}'s own list of organisations working on migration and integration (for example from "
                        "its integration office), in the layout of raw/mc2cm/table2_stakeholders.csv, with a manifest entry naming "
                        f"{ctx.place_word} (field city: {ctx.city_ags})")
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
        part.gaps.append(
            gap(ctx, 
                f"A list of stakeholders newer than {as_of}",
                "the city's current list of organisations (for example from its integration office), in the layout of "
                "raw/mc2cm/table2_stakeholders.csv",
            )
        )
    return part


# -- section 5: immigration situation -------------------------------------------------------------------------------


def legal_status(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.legal_status
    if frame.empty:
        return gap_part(ctx, 
            f"The legal status of non-Germans in {ctx.city}" + (" (of all of them; protection seekers are shown)"
                                                                 if not facts.protection_status.empty else ""),
            NEEDS["legal_status"],
        )
    rows = [[LEGAL_STATUS.get(r.legal_status, r.legal_status), fmt.count(r.value), fmt.percent(r.share)] for r in frame.itertuples()]
    rows.append(["Non-Germans in all", fmt.count(frame["total"].iloc[0]), fmt.percent(100)])
    year = int(frame["year"].iloc[0])
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(["Legal status", "Persons", "Share"], rows, "lrr", [50, 25, 25])
    # the caption names what the total counts: beside the general overview's foreigners of another measurement
    counted = f", in {measurement(frame['concept'].iloc[0])}" if frame["concept"].iloc[0] != "not_stated" else ""
    part.markdown = fmt.captioned_table(
        table, f"Legal status of non-Germans, {ctx.city}, {year}{counted}", "legal-status", ctx.source_text(part.sources)
    )
    return part


def _unequal_parts(frame: pd.DataFrame) -> str:
    """A sentence naming every status whose parts, printed beneath it, do not add up to it (each is its own sum of
    rounded cells), or ''."""
    rows = frame[frame["status"] != "total"].sort_values("sort").reset_index(drop=True)
    off = []
    for i, r in rows.iterrows():
        parts = []
        for c in rows.iloc[i + 1:].itertuples():
            if c.depth <= r.depth:
                break
            if c.depth == r.depth + 1:
                parts.append(float(c.value))
        if parts and sum(parts) != float(r.value):
            off.append(f"{r.label.lower()} {fmt.count(r.value)}, its parts {' + '.join(fmt.count(v) for v in parts)} = "
                       f"{fmt.count(sum(parts))}")
    if not off:
        return ""
    return (" A total is therefore not always the sum of the parts printed beneath it: " + "; ".join(off) + ".")


def protection_status(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.protection_status
    if frame.empty:
        if not facts.legal_status.empty:  # the edition has the residence status of all non-Germans (the profile's)
            return Part("")
        needed = "Destatis 12531-0043 (protection seekers by district) for the year"
        return gap_part(ctx, f"Protection seekers by protection status in {ctx.city}", needed)
    total = frame[frame["status"] == "total"].iloc[0]
    rows = []
    for r in frame[frame["status"] != "total"].itertuples():
        share = fmt.percent(r.share_of_foreigners) if pd.notna(r.share_of_foreigners) else "–"
        rows.append([("– " * r.depth) + r.label, fmt.count(r.value), share, r.mc2cm_category or "–"])
    share = fmt.percent(total.share_of_foreigners) if pd.notna(total.share_of_foreigners) else "–"
    rows.append(["All protection seekers", fmt.count(total.value), share, ""])
    sources = set(frame["source_id"]) | set(frame["foreigners_source_id"].dropna())
    part = Part("", sources=sources)
    table = fmt.table(["Protection status", "Persons", "Share of all foreigners (AZR)", "In the MC2CM profile's Fig. 8"], rows,
                      "lrrl", [40, 12, 16, 32])
    day = fmt.date(total.reference_date)
    azr = pd.notna(total.foreigners)
    foreigners = f" of the {fmt.count(total.foreigners)} foreigners in the Central Register of Foreigners" if azr else ""
    intro = (f"Protection seekers are the foreigners who sought protection in Germany: on {day}, {fmt.count(total.value)}"
             f"{foreigners} in {fmt.text(ctx.city)}. They are a subset of all foreigners, so the table is not the residence status of all "
             "non-Germans the MC2CM profile showed; where a status corresponds to one of its categories, the last column "
             f"names it. Each figure is a sum of cells rounded to 5.{_unequal_parts(frame)}\n\n")
    caption = f"Protection seekers by protection status, {ctx.city}, {day}"
    part.markdown = intro + fmt.captioned_table(table, caption, "protection-status", ctx.source_text(part.sources))
    return part


def top_nationalities(ctx: ReportContext, facts: Facts) -> Part:
    groups = facts.top_nationalities
    frame = groups.frame
    if frame.empty:
        return gap_part(ctx, 
            f"The largest nationalities among foreigners in {ctx.city}", NEEDS["nationalities"]
        )
    has_share = frame["share_of_foreigners"].notna().all()
    headers = ["Rank", "Citizenship", "Persons"] + (["Share of all foreigners"] if has_share else [])
    rows = []
    for r in frame.itertuples():
        row = [str(r.rank), r.citizenship, fmt.count(r.value)]
        if has_share:
            row.append(fmt.percent(r.share_of_foreigners))
        rows.append(row)
    # the total of what the table breaks down: all foreigners (the shares' base), the rest beyond the ten largest
    ten = float(frame["value"].sum())
    every = groups.all_foreigners
    if every is not None:
        rows.append(["", "Other citizenships", fmt.count(every - ten), fmt.percent(100 * (every - ten) / every)])
        rows.append(["", "All foreigners", fmt.count(every), fmt.percent(100.0)])
    else:
        rows.append(["", f"The {len(frame)} largest groups together", fmt.count(ten)])
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(headers, rows, "rlrr" if has_share else "rlr", [8, 42, 25, 25] if has_share else [10, 55, 35])
    caption = f"The ten largest groups of foreigners by citizenship, {ctx.city}, {groups.year}"
    part.markdown = fmt.captioned_table(table, caption, "top-nationalities", ctx.source_text(part.sources))
    return part


def age_groups(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.age_structure.frame
    if frame.empty:
        return gap_part(ctx, 
            f"Germans and non-Germans by age group in {ctx.city}",
            "Regionaldatenbank 12411-03-03-4 (population by nationality and age group) for the year",
        )
    years = facts.age_structure.years
    headers = ["Age group"]
    for y in years:
        headers += [f"Non-Germans {y}", f"Germans {y}", f"Share {y}"]
    rows = []
    for _, g in frame.groupby("sort", sort=True):
        row = [age_label(g["age_group"].iloc[0])]
        for y in years:
            r = g[g["year"] == y]
            row += (
                [fmt.count(r["non_germans"].iloc[0]), fmt.count(r["germans"].iloc[0]), fmt.percent(r["share_non_german"].iloc[0])]
                if len(r)
                else ["", "", ""]
            )
        rows.append(row)
    total = ["All ages"]
    for y in years:  # the sum of the groups: the published total where the table has one (checked when it is read)
        r = frame[frame["year"] == y]
        non, ger = float(r["non_germans"].sum()), float(r["germans"].sum())
        total += [fmt.count(non), fmt.count(ger), fmt.percent(100 * non / (non + ger))]
    rows.append(total)
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(headers, rows, "l" + "rrr" * len(years), [16] + [10, 10, 8] * len(years))
    caption = (
        f"Germans and non-Germans by age group, {ctx.city}, {' and '.join(map(str, years))} (share: non-Germans in % of the age group; "
        "all ages: the sum of the groups)"
    )
    part.markdown = fmt.captioned_table(table, caption, "age-groups", ctx.source_text(part.sources)) + _other_total(frame, facts)
    return part


def _other_total(frame: pd.DataFrame, facts: Facts) -> str:
    """Where the synopsis gives the same year's foreigners from another source and the counts differ, a note naming
    both (the first edition: the age groups of the MC2CM profile's Fig. 11 against its synopsis's register figure)."""
    year = int(frame["year"].max())
    rows = frame[frame["year"] == year]
    summed = float(rows["non_germans"].sum())
    other = facts.synopsis.best("foreigners")
    if other is None or int(other["year"]) != year or other["source_id"] in set(rows["source_id"]) or float(other["value"]) == summed:
        return ""
    rounded = ", printed rounded" if other.get("rounding", 0) and float(other["rounding"]) > 0.5 else ""
    measured = fmt.text(measurement(other["concept"], other["census_basis"]))
    return (f"\nThe non-Germans of the age groups add up to {fmt.count(summed)} for {year}; the general overview gives "
            f"{fmt.count(other['value'])} foreigners for the same year from {measured}{rounded} ({fmt.text(other['source'])}). "
            "The two are different counts; neither is corrected to the other.\n")


def social_indicators(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.social_indicators
    if frame.empty:
        return gap_part(ctx, f"Recipients of minimum social security benefits in {ctx.city}", NEEDS["benefits"])
    years = sorted(frame["year"].unique())
    rows = []
    for (_, indicator, nationality), g in frame.groupby(["sort", "indicator_label", "nationality"], sort=True):
        # each indicator says what its figures are: an annual average, or a stock on a day (31.12., 30.06.)
        kinds = {column_words(ctx.sources.loc[sid, "period"], pd.Timestamp(d).date())
                 for sid, d in zip(g["source_id"], g["reference_date"], strict=True)}
        row = [f"{indicator} ({'; '.join(sorted(kinds))})", NATIONALITY[nationality]]
        for y in years:
            v = g[g["year"] == y]
            if len(v) and v["status"].iloc[0] in ("", "-"):
                row.append(fmt.percent(v["value"].iloc[0]) if v["unit"].iloc[0] == "percent" else fmt.count(v["value"].iloc[0]))
            else:
                row.append(v["status"].iloc[0] if len(v) else NOT_SHOWN)  # the publisher's symbol; no figure for the year
        rows.append(row)
    for i in range(len(rows) - 1, 0, -1):
        if rows[i][0] == rows[i - 1][0]:
            rows[i][0] = ""
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table(
        ["Indicator", "Group"] + [str(y) for y in years], rows, "ll" + "r" * len(years), [40, 16] + [44 // len(years)] * len(years)
    )
    rounded = " (rounded to thousands, as printed)" if (frame["level"] == "profile").any() else ""
    what = "Employment, unemployment and benefit receipt" if frame["indicator"].eq("unemployed").any() else "Employment and benefit receipt"
    caption = f"{what}, {ctx.city}, {', '.join(map(str, years))}{rounded}"
    part.markdown = fmt.captioned_table(table, caption, "social-indicators", ctx.source_text(part.sources))
    split = set(frame.loc[frame["nationality"] == "non_german", "indicator"])
    unsplit = frame.loc[~frame["indicator"].isin(split), "indicator_label"].drop_duplicates().tolist()
    if not split:
        part.gaps.append(
            gap(ctx, 
                f"Employment, unemployment and benefit receipt of Germans and non-Germans separately ({ctx.city})",
                f"Bundesagentur für Arbeit, Arbeitsmarkt kommunal / Migrationsmonitor for {ctx.place_word}",
            )
        )
    elif unsplit:
        part.gaps.append(
            gap(ctx, 
                f"{'; '.join(unsplit)}: Germans and non-Germans separately ({ctx.city})",
                f"Bundesagentur für Arbeit, Arbeitsmarkt kommunal / Migrationsmonitor for {ctx.place_word}",
            )
        )
    if not frame["indicator"].isin(["unemployed"]).any():
        part.gaps.append(gap(ctx, f"Unemployed persons ({ctx.city})",
                             f"Bundesagentur für Arbeit, Arbeitsmarkt kommunal for {ctx.place_word}"))
    return part


def _moves(ctx: ReportContext, frame: pd.DataFrame, first: str, labels: list[str], what: str, label: str) -> Part:
    """A table of arrivals, departures and net migration across the city's borders, one row per ``labels``."""
    rows = [[name, fmt.count(r.arrivals), fmt.count(r.departures), fmt.signed(r.net_migration)]
            for name, r in zip(labels, frame.itertuples(), strict=True)]
    part = Part("", sources=set(frame["source_id"]))
    table = fmt.table([first, "Arrivals", "Departures", "Net"], rows, "lrrr", [46, 18, 18, 18])
    caption = f"Moves across the borders of {ctx.city}{what}, {int(frame['year'].iloc[0])}"
    part.markdown = fmt.captioned_table(table, caption, label, ctx.source_text(part.sources))
    return part


def city_migration(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.city_migration
    if frame.empty:
        if not facts.city_migration_by_age.empty:  # the moves in all are in the table by age group
            return Part("")
        needed = "Destatis Statistischer Bericht Wanderungen (table 12711-13) for a year of the edition"
        return gap_part(ctx, f"Moves to and from {ctx.city}", needed)
    note = ""
    if ctx.is_city_state:  # a Land of its own: no district of the same Land to move to or from
        frame = frame[frame["scope"] != "within_land"]
        note = (f"{fmt.text(ctx.city)} is a Land of its own, so every move across its borders leads to or from another Land "
                "or abroad.\n\n")
    scopes = zip(frame["scope"], frame["scope_label"], strict=True)
    labels = ["All moves" if scope == "across_district_borders" else text for scope, text in scopes]
    part = _moves(ctx, frame, "Origin or destination", labels, "", "city-migration")
    part.markdown = note + part.markdown
    return part


def city_migration_by_age(ctx: ReportContext, facts: Facts) -> Part:
    frame = facts.city_migration_by_age
    if frame.empty:
        needed = "Regionaldatenbank 12711-04-02-4 (arrivals and departures by age group) for a year of the edition"
        return gap_part(ctx, f"Moves to and from {ctx.city} by age group", needed)
    labels = [age_label(a) if a != "total" else "All ages" for a in frame["age_group"]]
    return _moves(ctx, frame, "Age group", labels, " by age group", "city-migration-by-age")


def sectors(ctx: ReportContext, facts: Facts) -> Part:
    groups = facts.sectors
    frame = groups.frame
    if frame.empty:
        return gap_part(ctx, f"Employees by sector in {ctx.city}", NEEDS["employees"])
    counted = (frame["how"] == "computed from counts").all()
    secret = frame["share"].isna()  # a group the publisher kept secret ('.'): its symbol, no figure
    rows = [[r.label] + ([r.status if s else fmt.count(r.employees)] if counted else []) + [r.status if s else fmt.percent(r.share)]
            for r, s in zip(frame.itertuples(), secret, strict=True)]
    note = ""
    if counted:
        # parts and total: the table's total may hold employees the statistics assign to no section
        total, parts = float(frame["all_employees"].iloc[0]), float(frame["employees"].sum())
        if secret.any():  # the remainder is the secret groups' and the unassigned: not broken down
            note = (f" “{frame.loc[secret, 'status'].iloc[0]}”: kept secret by the publisher ({'; '.join(frame.loc[secret, 'label'])}). "
                    "The shares are of all employees; the rest is not broken down.")
        elif total != parts:
            rows.append(["Not assigned to a section", fmt.count(total - parts), fmt.percent(100 * (total - parts) / total)])
        rows.append(["All employees", fmt.count(total), fmt.percent(100)])
    else:
        printed = float(frame["share"].sum())
        rows.append(["All sectors", fmt.percent(printed)])
        if round(printed, 1) != 100:
            note = f" The shares are printed rounded; they add up to {fmt.percent(printed)}."
    part = Part("", sources=set(frame["source_id"]))
    headers = ["Sector"] + (["Employees"] if counted else []) + ["Share of all employees"]
    table = fmt.table(headers, rows, "l" + "r" * (len(headers) - 1), [50, 25, 25] if counted else [60, 40])
    what = "employees liable to social security at their place of work" if counted else "employment, shares as printed"
    when = fmt.date(frame["reference_date"].iloc[0]) if counted else str(groups.year)  # (a stock: its day)
    caption = f"Sectors of activity, {ctx.city}, {when} ({what})"
    cited = {sid: set(g["cited_publisher"].dropna()) - {""} for sid, g in frame.groupby("source_id")}
    part.markdown = fmt.captioned_table(table, caption, "sectors", ctx.source_text(part.sources, cited=cited) + note)
    return part




def pupils(ctx: ReportContext, facts: Facts) -> Part:
    """Pupils of general schools by school type, the foreign pupils among them and their share (section 6,
    education); the school types in the code list's order, all general schools last, a remainder named where the
    total holds pupils of types the table does not list."""
    frame = facts.pupils
    if frame.empty:
        return gap_part(ctx, f"Pupils of general schools by school type, with foreign pupils, {ctx.city}",
                        "Regionaldatenbank 21111-01-03-4 (schools and pupils by school type) for a school year of the "
                        f"{ctx.edition_label()}")
    types, total = frame[frame["school_type"] != "total"], frame[frame["school_type"] == "total"].iloc[0]
    row = lambda label, n, f: [label, fmt.count(n), fmt.count(f), fmt.percent(100 * f / n)]  # noqa: E731
    # a type whose foreign pupils the publisher withholds ('.'): its symbol, no share
    rows = [row(r.school_type_label, r.pupils, r.foreign_pupils) if r.foreign_pupils == r.foreign_pupils
            else [r.school_type_label, fmt.count(r.pupils), r.foreign_status or ".", "–"] for r in types.itertuples()]
    secret = types[types["foreign_pupils"].isna()]
    rest, rest_foreign = total.pupils - types["pupils"].sum(), total.foreign_pupils - types["foreign_pupils"].sum()
    note = ""
    if len(secret):
        note = (f" “{secret['foreign_status'].iloc[0] or '.'}”: the publisher withholds the foreign pupils of "
                f"{fmt.series([str(x) for x in secret['school_type_label']])}; all general schools include them.")
    if abs(rest) > total.rounding * (len(types) + 1):  # beyond the publisher's rounding: pupils of unlisted types
        rows.append(row("Other school types", rest, rest_foreign) if secret.empty
                    else ["Other school types", fmt.count(rest), "–", "–"])
    elif rest:
        note += (" The counts are published rounded to multiples of 5; the school types add up to the total within "
                 "that rounding.")
    rows.append(row(total.school_type_label, total.pupils, total.foreign_pupils))
    part = Part("")
    part.cite(total.source_id, total.reference_date)
    year = year_label(ctx.sources.loc[total.source_id, "period"], total.reference_date.date())
    table = fmt.table(["School type", "Pupils", "Foreign pupils", "Share of foreign pupils"], rows, "lrrr", [46, 18, 18, 18])
    caption = f"Pupils of general schools by school type, {ctx.city}, {year}"
    part.markdown = fmt.captioned_table(table, caption, "pupils", ctx.source_text(part.sources, part.dates) + note)
    return part


def _peer_value(key: str, v: float | None) -> str:
    if v is None:
        return "–"
    return fmt.signed(v, 1) + " %" if key == "change" else fmt.percent(v)


def peers(ctx: ReportContext, facts: Facts) -> Part:
    p = facts.peers
    if p.year is None:
        return gap_part(ctx, f"A comparison of {ctx.city} with similar districts, its Land and Germany",
                        f"Regionaldatenbank 12411-03-03-4 (Germans and foreigners for every district) for a year of the "
                        f"{ctx.edition_label()}")
    land = None if ctx.is_city_state else (p.land or "Land")  # a city-state's Land is itself
    rows = []
    n = len(p.frame)
    for ind in p.indicators:
        if ind.key == "largest_group" and ind.own is None:
            continue  # (a data gap, below)
        own = _peer_value(ind.key, ind.own) + (f" ({fmt.text(ind.note)})" if ind.note and ind.own is not None else "")
        rank = f"{ordinal(ind.rank)} of {ind.ranked}" if ind.rank is not None else "–"
        rows.append([ind.label, own, rank, _peer_value(ind.key, ind.median),
                     *([_peer_value(ind.key, ind.land)] if land else []), _peer_value(ind.key, ind.germany)])
    heads = ["Indicator", ctx.city, "Rank among its peers", "Peer group (median)", *([land] if land else []), "Germany"]
    widths = [30, 16, 14, 14, 13, 13] if land else [34, 18, 16, 16, 16]
    table = fmt.table(heads, rows, "l" + "r" * (len(heads) - 1), widths)
    city = fmt.text(ctx.city)
    intro = (f"The peer group of {city}: all {p.group} in Germany, {n} including {city} on 31.12.{p.year}, grouped by "
             f"kind of district and by population. Rank 1 is the highest value among the peers; a rank and a median are "
             f"given only where every peer has the figure and there are at least {MIN_PEERS} peers.")
    largest = next(i for i in p.indicators if i.key == "largest_group")
    if largest.own is not None and largest.ranked < n:
        intro += (f" The largest group of foreigners is known for {largest.ranked} of the {n}: tables of the Central Register "
                  "of Foreigners by citizenship are at hand for North Rhine-Westphalia only.")
    if p.change_span is not None:
        areas = "Germany the sum of its districts" if land is None else f"{fmt.text(land)} and Germany the sum of their districts"
        intro += f" Population change {p.change_span[0]}-{p.change_span[1]}: {p.change_why}; for {areas}."
    caption = f"{ctx.city} among its peers, {land} and Germany, {p.year}" if land else f"{ctx.city} among its peers and Germany, {p.year}"
    part = Part("", sources=set(p.sources))
    part.markdown = intro + "\n\n" + fmt.captioned_table(table, caption, "peers", ctx.source_text(part.sources, p.dates))
    if largest.own is None:
        part.gaps.append(gap(ctx, f"The largest group of foreigners in {ctx.city}", NEEDS["nationalities"]))
    return part
