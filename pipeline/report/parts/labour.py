"""Section 5's parts on gender and on the labour market by nationality (the MC2CM profile's "Gender distribution" and
its Fig. 12), for every district from the nationwide tables: Germans and non-Germans by sex and broad age group;
employees at their place of work on 30 June, all and foreign; the unemployed and the unemployment rates of all and
of foreigners, as annual averages, as a table and a chart in which a year without a figure is a visible gap."""

from __future__ import annotations

import pandas as pd

from pipeline.domain.symbols import MISSING_SYMBOLS
from pipeline.report import fmt
from pipeline.report.charts import Chart
from pipeline.report.context import ReportContext
from pipeline.report.facts import Facts
from pipeline.report.labels import NOT_SHOWN, measurement
from pipeline.report.parts.base import Part, gap_part
from pipeline.report.parts.figures import figure_part

NATIONALITY_ROWS = {"german": "Germans", "non_german": "Non-Germans"}
NEEDED_LABOUR = ("Regionaldatenbank 13111-07-05-4 (employees at the place of work by nationality, 30 June) and "
                 "13211-02-05-4 (unemployed and unemployment rates by group, annual averages) for years of the {edition}")


def gender_distribution(ctx: ReportContext, facts: Facts) -> Part:
    """Germans and non-Germans by sex, in all and within the broad age groups, with the sentence the figures support."""
    frame = facts.gender_distribution
    if frame.empty:
        return gap_part(ctx, f"Germans and non-Germans by sex in {ctx.city}",
                        f"Regionaldatenbank 12411-03-03-4 (population by nationality, sex and age group) for a year of the "
                        f"{ctx.edition_label()}")
    rows = []
    for nationality, group in frame.groupby("nationality", sort=True):
        for i, r in enumerate(group.sort_values("sort").itertuples()):
            rows.append([NATIONALITY_ROWS[nationality] if i == 0 else "", r.age_label, fmt.count(r.women), fmt.count(r.men),
                         fmt.percent(r.share_women), fmt.percent(r.share_men)])
    part = Part("")
    first = frame.iloc[0]
    part.cite(first.source_id, first.reference_date)
    day = fmt.date(first.reference_date)
    table = fmt.table(["Nationality", "Age", "Women", "Men", "Women, %", "Men, %"], rows, "llrrrr", [18, 22, 15, 15, 15, 15])
    caption = (f"Germans and non-Germans by sex and age group, {ctx.city}, {day} "
               f"({measurement(first.concept, first.census_basis, article=False)})")
    total = frame[frame["age_group"] == "total"].set_index("nationality")
    lead = ""
    if {"german", "non_german"} <= set(total.index):
        g, n = total.loc["german"], total.loc["non_german"]
        lead = (f"Of the Germans in {fmt.text(ctx.city)}, {_majority(g)}; of the non-Germans, {_majority(n)} ({day}). "
                f"Women's share differs by {fmt.number(abs(g.share_women - n.share_women), 1)} percentage points between "
                f"the two groups.\n\n")
    part.markdown = lead + fmt.captioned_table(table, caption, "gender-distribution", ctx.source_text(part.sources, part.dates))
    return part


def _majority(row) -> str:
    """'51.6 % are women' or '52.7 % are men': the larger share, as the MC2CM profile put it."""
    return f"{fmt.percent(row.share_women)} are women" if row.share_women >= row.share_men else f"{fmt.percent(row.share_men)} are men"




def _cell(row) -> str:
    if row is None:
        return NOT_SHOWN
    if row.status in MISSING_SYMBOLS:
        return row.status
    return fmt.percent(row.value) if row.unit == "percent" else fmt.count(row.value)


def _series_table(ctx: ReportContext, frame: pd.DataFrame, lines: list[tuple[str, str, str]], label: str, caption: str,
                  part: Part) -> str:
    """A table with one column per year the frame holds and one row per (measure, nationality, row label)."""
    years = sorted(frame["year"].unique())
    rows = []
    for measure, nationality, name in lines:
        cells = frame[(frame["measure"] == measure) & (frame["nationality"] == nationality)]
        if cells.empty:
            continue
        by_year = {}
        for r in cells.itertuples():
            by_year.setdefault(r.year, r)  # (the first row of a year, as the table always showed)
            part.cite(r.source_id, r.reference_date)
        rows.append([name] + [_cell(by_year.get(y)) for y in years])
    width = max(6, 60 // len(years))
    table = fmt.table(["", *map(str, years)], rows, "l" + "r" * len(years), [40] + [width] * len(years))
    return fmt.captioned_table(table, caption, label, ctx.source_text(set(frame["source_id"]), part.dates))


def _has_empty_cell(frame: pd.DataFrame) -> bool:
    """Whether a row of the table lacks a year another row has (the cell prints NOT_SHOWN)."""
    per_row = frame.groupby(["measure", "nationality"])["year"].nunique()
    return bool((per_row < frame["year"].nunique()).any())


def labour_market(ctx: ReportContext, facts: Facts) -> Part:
    """Employees on 30 June and unemployment by nationality, every year of the edition the files hold."""
    frame = facts.labour_market
    if frame.empty:
        return gap_part(ctx, f"Employment and unemployment of all and of foreigners in {ctx.city}",
                        NEEDED_LABOUR.format(edition=ctx.edition_label()))
    part = Part("")
    blocks = []
    employed = frame[frame["measure"].isin(["employees_at_workplace", "foreign_share_of_employees"])]
    if not employed.empty:
        days = sorted(employed["reference_date"].unique())
        span = f"{fmt.date(days[0])}" if len(days) == 1 else f"30 June {pd.Timestamp(days[0]).year}–{pd.Timestamp(days[-1]).year}"
        blocks.append(_series_table(ctx, employed, [
            ("employees_at_workplace", "total", "Employees, all"),
            ("employees_at_workplace", "non_german", "of whom foreigners"),
            ("foreign_share_of_employees", "non_german", "Foreigners' share, %"),
        ], "employees-by-nationality",
            f"Employees liable to social insurance at their place of work, all and foreign, {ctx.city}, {span}", part))
        blocks.append("Employees are counted by the Bundesagentur für Arbeit where they work (place of work), on 30 June of "
                      "each year: not comparable with counts at the place of residence or on 31 December.\n")
    unemployed = frame[frame["measure"].isin(["unemployed", "unemployment_rate"])]
    if not unemployed.empty:
        years = sorted(unemployed["year"].unique())
        blocks.append(_series_table(ctx, unemployed, [
            ("unemployed", "total", "Unemployed, all"),
            ("unemployed", "non_german", "of whom foreigners"),
            ("unemployment_rate", "total", "Unemployment rate, all, %"),
            ("unemployment_rate", "non_german", "Unemployment rate, foreigners, %"),
        ], "unemployment-by-nationality",
            f"Unemployed and unemployment rates, all and foreigners, {ctx.city}, annual averages "
            f"{years[0]}–{years[-1]}" if len(years) > 1 else
            f"Unemployed and unemployment rates, all and foreigners, {ctx.city}, annual average {years[0]}", part))
        notes = []
        missing = [y for y in range(years[0], years[-1] + 1) if y not in years]
        if missing:
            notes.append(f"The series has no figures for {fmt.series([str(y) for y in missing])}.")
        if _has_empty_cell(unemployed):
            notes.append(f"{NOT_SHOWN}: no figure for the year.")
        if (unemployed["status"] == ".").any():
            notes.append("“.”: the publisher reports the figure as unknown or kept secret; it is a gap, not a zero.")
        notes.append("The rates relate the unemployed to the whole civilian labour force of the group.")
        blocks.append(" ".join(notes) + "\n")
    territory = sorted(set(frame["territory_note"]) - {""})
    if territory:
        changes = "; ".join(t[0].upper() + t[1:] for t in territory)
        blocks.append(f"Territory: the figures are for {ctx.place_word} within today's boundaries. {changes}. For the years "
                      f"before, the counts of the former districts are added; their rates cannot be added and are not "
                      f"shown ({NOT_SHOWN}).\n")
    part.markdown = "\n".join(blocks)
    return part


def unemployment_chart(ctx: ReportContext, facts: Facts) -> Part:
    """The unemployment rates of all and of foreigners over the years, gaps shown as gaps, and the sentence on the
    distance between the two where two years with both rates support one."""
    frame = facts.labour_market
    rates = frame[frame["measure"] == "unemployment_rate"] if not frame.empty else frame
    if rates.empty or rates["year"].nunique() < 2:
        return Part("")  # (a single year is in the table; the gap, if any, is the table's)
    series = {}
    for nationality, name in (("total", "all"), ("non_german", "foreigners")):
        g = rates[rates["nationality"] == nationality].sort_values("year")
        if len(g):
            values = [None if s in MISSING_SYMBOLS else float(v) for v, s in zip(g["value"], g["status"], strict=True)]
            series[f"unemployment rate, {name}"] = (g["year"].astype(int).tolist(), values)
    chart = Chart("rates_over_time", {"series": series, "ylabel": "% of the civilian labour force"})
    years = sorted(rates["year"].astype(int).unique())
    first, last = years[0], years[-1]
    both = _both_rates(rates)
    alt = (f"Line chart of the unemployment rate of all and of foreigners in {ctx.city}, annual averages {first} to {last}. "
           + "; ".join(f"{name}: " + ", ".join(f"{y} {fmt.percent(v) if v is not None else 'no figure'}" for y, v in zip(*pts, strict=True))
                       for name, pts in series.items()) + ".")
    caption = f"Unemployment rates of all and of foreigners, {ctx.city}, annual averages {first}–{last}"
    dates: dict[str, set] = {}
    for sid, day in zip(rates["source_id"], rates["reference_date"], strict=True):
        dates.setdefault(sid, set()).add(day)
    part = figure_part(ctx, chart, caption, "unemployment-rates", set(rates["source_id"]), alt, dates)
    if len(both) >= 2:
        (y0, a0, f0), (y1, a1, f1) = both[0], both[-1]
        d0, d1 = f0 - a0, f1 - a1
        trend = ("widened" if d1 > d0 else "narrowed") if abs(d1 - d0) >= 0.1 else "stayed about the same"
        part.markdown = (f"In {y1} the unemployment rate of foreigners was {fmt.percent(f1)}, that of all "
                         f"{fmt.percent(a1)} (annual averages of the same statistics); the distance between the two "
                         f"{trend} from {fmt.number(d0, 1)} percentage points in {y0} to {fmt.number(d1, 1)} in {y1}.\n\n"
                         + part.markdown)
    return part


def _both_rates(rates: pd.DataFrame) -> list[tuple[int, float, float]]:
    """(year, rate of all, rate of foreigners) for every year with both rates known, oldest first."""
    known = rates[~rates["status"].isin(list(MISSING_SYMBOLS))]
    wide = known.pivot_table(index="year", columns="nationality", values="value", aggfunc="first")
    if not {"total", "non_german"} <= set(wide.columns):
        return []
    wide = wide.dropna(subset=["total", "non_german"]).sort_index()
    return [(int(y), float(r.total), float(r.non_german)) for y, r in wide.iterrows()]

