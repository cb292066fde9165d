"""What a part of the report is: Markdown for the document, what it could not show, which sources it used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.report.charts import Chart

# What would fill a gap, worded for any district: each Land's statistical office publishes the regional tables (the
# North Rhine-Westphalian ones, which raw/ holds, are named as the example).
NEEDS = {
    "population_series": "Destatis 12411-0015 (population of every district, every year) or the state statistical office's "
    "population table",
    "nationalities": "foreigners by nationality (AZR) for the district and year, from the state statistical office (in North "
    "Rhine-Westphalia IT.NRW 12521-03i)",
    "employees": "employees by economic section for the district and year, from the state statistical office (in North "
    "Rhine-Westphalia IT.NRW 13111-54i)",
    "legal_status": "AZR figures by residence title for the district, from the state statistical office or the Land's "
    "integration ministry (in North Rhine-Westphalia MKFFI NRW's Integrationsprofil or an IT.NRW table of foreigners by "
    "residence status)",
    "benefits": "Bundesagentur für Arbeit, Arbeitsmarkt kommunal, and the state statistical office's benefit recipients (in "
    "North Rhine-Westphalia IT.NRW 22811-05i)",
}


class Gap(NamedTuple):
    """Something an edition cannot show, and the input that would provide it. ``topic``: a group the reader's coverage
    list names once for all its gaps ('policy': every subsection of the city's policy register)."""

    what: str
    needed: str
    topic: str = ""


@dataclass
class Part:
    markdown: str
    gaps: list[Gap] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    dates: dict[str, set] = field(default_factory=dict)  # the days its cells take from a source (ReportContext.source_text)
    chart: Chart | None = None  # a figure's data as drawn (its alternative text is written from it)

    def cite(self, source_id: str, reference_date) -> None:
        """Record that a cell comes from ``source_id`` for ``reference_date``."""
        self.sources.add(source_id)
        self.dates.setdefault(source_id, set()).add(reference_date)

    def include(self, other: Part) -> str:
        """Take ``other`` (a table placed inside this part) into this part's gaps, sources and dates; its Markdown."""
        self.gaps += other.gaps
        self.sources |= other.sources
        for source_id, days in other.dates.items():
            self.dates.setdefault(source_id, set()).update(days)
        return other.markdown


def gap(ctx, what: str, needed: str) -> Gap:
    """A gap in the words of the district's kind, the input pointing to its own Land's offices (ReportContext.words,
    ReportContext.needed)."""
    return Gap(ctx.words(what), ctx.needed(needed))


def gap_part(ctx, what: str, needed: str) -> Part:
    """A part the edition has no figures for: nothing is printed (its subsection is left out, pipeline/report/parts/
    outline.py); the gap goes to the coverage list of the annex and, with the input that would fill it, to the
    maintainer's gap report."""
    return Part("", gaps=[gap(ctx, what, needed)])
