"""The values the document prints with ``{{< var >}}`` (report/profile.qmd), written to the edition's
_variables.yml: the city, the edition, the date of its newest figure and the build date."""

from __future__ import annotations

import datetime as dt

from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.facts import FactsView


def variables(ctx: ReportContext, facts: FactsView, build_date: dt.date) -> dict:
    e = ctx.edition
    as_of = facts.data_as_of
    return {
        "city": {"name": ctx.city, "ags": ctx.city_ags},
        "edition": {
            "year": str(e.year),
            "window": e.window_label,
            "previous": str(e.previous) if e.previous else "none",
            "kind": "first edition, reproducing the MC2CM City Migration Profile (2021)" if e.is_profile_edition
            else "update from the statistical offices' tables",
        },
        "data": {"as_of": fmt.date(as_of) if as_of is not None else "no figures"},
        "build": {"date": fmt.date(build_date)},
    }
