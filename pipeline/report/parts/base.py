"""What a part of the report is: Markdown for the document, what it could not show, which sources it used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.report import fmt


class Gap(NamedTuple):
    """Something an edition cannot show, and the input that would provide it."""

    what: str
    needed: str


@dataclass
class Part:
    markdown: str
    gaps: list[Gap] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


def gap_part(what: str, needed: str) -> Part:
    """A part the edition has no figures for: a note naming the input that would provide them."""
    return Part(fmt.gap_note(what, needed), gaps=[Gap(what, needed)])
