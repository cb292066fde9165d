"""The parts of the City Migration Profile: every table, figure and data-driven text of the document, and what each
is made of.

Each part takes the edition's facts (pipeline/report/facts.py) and returns Markdown that report/profile.qmd pulls
in with ``{{< include _generated/<part>.md >}}``: a table with its caption (``{#tbl-...}``) and source line
(tables.py), a figure (``{#fig-...}``, figures.py), prose written from the figures (texts.py), or an appendix
(appendices.py). Where an edition has no figures for a part, the part is empty (its subsection is left out,
outline.py) and its gap goes to the annex's coverage list and the maintainer's gap report.

``PARTS`` below is the one place that says which facts each part uses; the report's Dagster asset depends on the
marts they read (``REPORT_READS``): the lineage the UI shows is derived from here (and checked against the tables each
part really reads by tests/report/test_lineage.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.report.context import ReportContext
from pipeline.report.facts import Facts, marts_read
from pipeline.report.marts import BASE_READS
from pipeline.report.parts import appendices, figures, labour, outline, policy, tables, texts
from pipeline.report.parts.base import Part


def reads_of(uses: tuple[str, ...]) -> tuple[str, ...]:
    """The marts a piece of the report reads when it uses the facts ``uses``: theirs, and the city and sources."""
    return tuple(sorted(set(BASE_READS) | marts_read(uses)))


@dataclass(frozen=True)
class PartSpec:
    name: str  # the file _generated/<name>.md, the asset report/<name with _>
    kind: str  # table, figure, text
    build: Callable[[ReportContext, Facts], Part]
    uses: tuple[str, ...]  # the facts it is made of

    @property
    def reads(self) -> tuple[str, ...]:
        return reads_of(self.uses)

    def run(self, ctx: ReportContext) -> Part:
        """The part, opened by its subsection's heading where it is the subsection's first part with content."""
        part = self.build(ctx, ctx.facts)
        ctx.has_content[self.name] = bool(part.markdown.strip())
        sub = outline.SUBSECTION_OF.get(self.name)
        if sub is None or not ctx.has_content[self.name]:
            return part
        # whether a part before it in the subsection has content: known if it was made in this context (the contents
        # make every part in order), else it is made from the same facts (its uses are among this part's)
        earlier = sub.parts[: sub.parts.index(self.name)]
        if not any(ctx.has_content[n] if n in ctx.has_content else bool(BY_NAME[n].build(ctx, ctx.facts).markdown.strip())
                   for n in earlier):
            part.markdown = outline.heading(ctx.words, sub) + part.markdown
        return part


PARTS: tuple[PartSpec, ...] = (
    PartSpec(
        "executive-summary",
        "text",
        texts.executive_summary,
        ("population_trend", "synopsis", "top_nationalities", "age_structure", "foreigner_share_cities", "sectors", "reconciliation",
         "policy"),
    ),
    PartSpec("background", "text", texts.background, ("reference_years",)),
    PartSpec("general-overview", "table", tables.general_overview, ("synopsis",)),
    PartSpec("synopsis", "table", tables.synopsis, ("synopsis",)),
    PartSpec("migration-germany", "figure", figures.migration_germany, ("migration_germany",)),
    PartSpec("immigration-history", "text", texts.immigration_history, ("immigration_history",)),
    PartSpec("labour-market-access", "table", tables.labour_market_access, ("labour_market_access",)),
    PartSpec("governance", "text", policy.governance, ("policy", "stakeholders")),
    PartSpec("population-trend", "figure", figures.population_trend, ("population_trend",)),
    PartSpec("city-migration", "table", tables.city_migration, ("city_migration", "city_migration_by_age")),
    PartSpec("city-migration-by-age", "table", tables.city_migration_by_age, ("city_migration_by_age", "city_migration")),
    PartSpec("foreigner-share-cities", "figure", figures.foreigner_share_cities, ("foreigner_share_cities",)),
    PartSpec("peers", "table", tables.peers, ("peers",)),
    PartSpec("peers-chart", "figure", figures.peers_chart, ("peers",)),
    PartSpec("legal-status", "table", tables.legal_status, ("legal_status", "protection_status")),
    PartSpec("protection-status", "table", tables.protection_status, ("protection_status", "legal_status")),
    PartSpec("top-nationalities", "table", tables.top_nationalities, ("top_nationalities",)),
    PartSpec("top-nationalities-chart", "figure", figures.top_nationalities_chart, ("top_nationalities",)),
    PartSpec("age-groups", "table", tables.age_groups, ("age_structure", "synopsis")),
    PartSpec("age-structure-chart", "figure", figures.age_structure_chart, ("age_structure", "synopsis")),
    PartSpec("gender-distribution", "table", labour.gender_distribution, ("gender_distribution",)),
    PartSpec("labour-market", "table", labour.labour_market, ("labour_market",)),
    PartSpec("unemployment-chart", "figure", labour.unemployment_chart, ("labour_market",)),
    PartSpec("social-indicators", "table", tables.social_indicators, ("social_indicators", "labour_market")),
    PartSpec("sectors", "table", tables.sectors, ("sectors",)),
    PartSpec("access-to-services", "text", policy.access_to_services,
             ("policy", "synopsis", "protection_status", "pupils", "labour_market")),
    PartSpec(
        "conclusions",
        "text",
        texts.conclusions,
        ("age_structure", "top_nationalities", "foreigner_share_cities", "reconciliation", "changes", "policy", "peers",
         "labour_market"),
    ),
    PartSpec("city-priorities", "text", policy.city_priorities, ("policy",)),
    PartSpec("edition-changes", "table", appendices.edition_changes, ("changes",)),
    PartSpec("reconciliation", "table", appendices.reconciliation, ("reconciliation",)),
    PartSpec("methods", "text", appendices.methods, ("peers",)),
    PartSpec("symbols", "text", appendices.symbols, ()),
)

BY_NAME = {spec.name: spec for spec in PARTS}

# What the edition's _variables.yml is made of (pipeline/report/parts/variables.py)
VARIABLES_USES: tuple[str, ...] = ("data_as_of", "reference_years", "synopsis", "top_nationalities")
# The sources list and the data-gaps list read every part's record and, for the sources, marts.sources
APPENDIX_READS = reads_of(())
# Every mart the report of an edition reads: what its contents asset depends on
REPORT_READS: tuple[str, ...] = tuple(sorted(set(APPENDIX_READS).union(reads_of(VARIABLES_USES), *(p.reads for p in PARTS))))
