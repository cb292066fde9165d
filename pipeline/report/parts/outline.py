"""The subsections of section 5 that the generated parts open themselves: a subsection is printed only where one of
its parts has something to show, so the contents list only what the edition holds.

The document (report/profile.qmd) keeps the sections and the subsections every edition fills; the subsections here
depend on the district's figures. The first part of a subsection with content writes its heading; a later part
writes it where every part before it in the subsection came out empty (pipeline/report/parts/__init__.py,
``PartSpec.run``). Each heading carries its own identifier, so Quarto and the built-in route give it the same anchor.
"""

from __future__ import annotations

from typing import NamedTuple


class Subsection(NamedTuple):
    anchor: str
    heading: str  # in a city's words; ReportContext.words() turns it into a district's
    parts: tuple[str, ...]  # the parts under it, in the document's order


SUBSECTIONS: tuple[Subsection, ...] = (
    Subsection("population", "The population and how it is counted", ("population-trend",)),
    Subsection("moves", "Moves to and from the city", ("city-migration", "city-migration-by-age")),
    Subsection("largest-cities", "Foreigners in Germany's largest cities", ("foreigner-share-cities",)),
    Subsection("peers", "Compared with similar districts", ("peers", "peers-chart")),
    Subsection("legal-status", "Legal status", ("legal-status", "protection-status")),
    Subsection("origin", "Main countries of origin", ("top-nationalities", "top-nationalities-chart")),
    Subsection("age-structure", "Age structure", ("age-groups", "age-structure-chart")),
    Subsection("gender", "Gender distribution", ("gender-distribution",)),
    Subsection("employment", "Employment and social indicators", ("labour-market", "unemployment-chart", "social-indicators")),
    Subsection("sectors", "Sectors of activity", ("sectors",)),
)

SUBSECTION_OF = {name: s for s in SUBSECTIONS for name in s.parts}


def heading(words, subsection: Subsection) -> str:
    """The subsection's heading as Markdown, with its identifier (``words``: ReportContext.words)."""
    return f"## {words(subsection.heading)} {{#{subsection.anchor}}}\n\n"
