"""The values the document prints with ``{{< var >}}`` (report/profile.qmd), written to the edition's
_variables.yml: the district (its name, kind and the profile's title), the edition, the date of its newest figure,
the build date, and three headline figures (for the index page of every published profile)."""

from __future__ import annotations

import datetime as dt

from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.fact_types import size_class
from pipeline.report.facts import Facts
from pipeline.report.labels import SHORT_MEASUREMENTS


def _measured(row) -> str:
    """', population update' (the measurement a headline figure comes from), '' where it is not named."""
    name = SHORT_MEASUREMENTS.get(str(row.get("concept")), "")
    return f", {name}" if name else ""


def _headline(facts: Facts) -> dict[str, str]:
    """Three figures for the index page, each with its year and the measurement it comes from (profiles of two
    editions stand side by side there: a register figure must not read as an update figure)."""
    population, foreigners, top = facts.synopsis.best("population"), facts.synopsis.best("foreigners"), facts.top_nationalities.largest
    out = {}
    if population is not None:
        out["population"] = f"{fmt.count(population['value'])} ({int(population['year'])}{_measured(population)})"
    if foreigners is not None and foreigners["share"] == foreigners["share"]:  # (NaN: no share)
        whole = (foreigners.get("share_rounding") or 0) >= 0.5  # a share printed as '19%' stays whole
        out["foreign_share"] = f"{fmt.percent(foreigners['share'], 0 if whole else 1)} ({int(foreigners['year'])}{_measured(foreigners)})"
    if top is not None:
        out["largest_group"] = f"{top['citizenship']}: {fmt.count(top['value'])} ({int(top['year'])}, AZR)"
    return out


def _span(years: tuple[int, int] | None) -> str:
    """'the years 2020-2024', '2024', or 'no figures'."""
    if years is None:
        return "no figures"
    return str(years[0]) if years[0] == years[1] else f"the years {years[0]}-{years[1]}"


def build_values(day: dt.date) -> dict[str, str]:
    """The build date as the document prints it, and as ISO for the title block's ``date`` (_metadata.yml)."""
    return {"date": fmt.date(day), "iso_date": day.isoformat()}


def variables(ctx: ReportContext, facts: Facts, build_date: dt.date) -> dict:
    e = ctx.edition
    as_of = facts.data_as_of
    return {
        "city": {"name": ctx.city, "ags": ctx.city_ags, "key": ctx.region_code, "kind": ctx.kind},
        "profile": {"title": f"{ctx.title}, Edition {e.year}", "place": ctx.place_word, "kind": ctx.kind_word, "owner": ctx.owner()},
        "edition": {
            "year": str(e.year),
            # the years its figures really refer to (its window may reach a year whose figures are not out yet)
            "span": _span(facts.reference_years),
            "previous": str(e.previous) if e.previous else "none",
            "kind": "first edition, reproducing the MC2CM City Migration Profile (2021)" if e.is_profile_edition
            else "update from the statistical offices' tables",
        },
        "data": {"as_of": fmt.date(as_of) if as_of is not None else "no figures"},
        "build": build_values(build_date),
        "headline": _headline(facts),
        "listing": _listing(ctx, facts),
    }


def _listing(ctx: ReportContext, facts: Facts) -> dict[str, str]:
    """What the index page filters the profile by: its Land, its kind, its size class (the peer group's, by the newest
    population figure), and its key in the one format the index uses (five digits)."""
    population = facts.synopsis.best("population")
    kind = "city-state" if ctx.is_city_state else ("kreisfreie Stadt" if ctx.is_city else "Kreis")
    land = ctx.place["land_name"] if ctx.place.get("land_name") == ctx.place.get("land_name") else ""
    return {
        "land": str(land or ""),
        "kind": kind,
        "size": size_class(ctx.kind, float(population["value"])) if population is not None else "",
        "key": str(ctx.region_code).ljust(5, "0"),
    }
