"""Editions of the profile: which exist, and which figures belong to each.

An edition is a reference year for which raw/ holds the profile's core figures for a district: Germans and
foreigners by age group (the Regionaldatenbank table 12411-03-03-4, or the MC2CM profile's Fig. 11 for the first
edition, which is therefore Dortmund's alone). Dropping next year's 12411-03-03-4 file into raw/ (with its manifest
entry) adds an edition to every district it lists. Which district has which edition is data: marts.editions.

Which figures an edition shows:
- the tables transcribed from the MC2CM profile (publisher level "profile") belong to the edition the profile
  anchors, the first one, which reproduces the profile;
- every other figure belongs to the edition whose window holds its reference year. An edition's window runs from
  the year after the previous edition's window up to its own year + 1 (an edition is compiled in the following year
  and includes what is published by then), or up to the year before the next edition if that comes sooner.
  Dortmund: edition 2018 takes figures up to 2019 (as the MC2CM profile did), edition 2024 those of 2020-2025.
Each table shows the newest figures of its edition and names their year; a table without figures in its edition
becomes a note naming the input that would fill it.

Which editions a change of raw/ touches (``touched_editions``) is decided here too, for everyone who asks: the
raw-file sensor, `make report`'s plan of what to redo, and the report itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.domain.config import region_key
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import Manifest, load_manifest

ANCHORS = ("population_by_nationality_and_age_group", "mc2cm_age_groups")
PROFILE_ANCHOR = "mc2cm_age_groups"


@dataclass(frozen=True)
class Edition:
    year: int
    after: int | None  # figures of years > after ...
    up_to: int  # ... and <= up_to belong to this edition
    previous: int | None
    is_profile_edition: bool

    @property
    def key(self) -> str:
        return str(self.year)

    def holds(self, year: int, level: str) -> bool:
        if level == "profile":
            return self.is_profile_edition
        return (self.after is None or year > self.after) and year <= self.up_to


def edition_years(manifest: Manifest) -> list[int]:
    return sorted({e.reference_year for e in manifest.entries if e.dataset in ANCHORS})


def editions_in_raw(raw_dir: Path) -> list[str]:
    """The editions raw/ holds, as keys; none when the manifest cannot be read (raw/sources_manifest then says why)."""
    try:
        return [str(y) for y in edition_years(load_manifest(raw_dir))]
    except RawInputError:
        return []


def editions(manifest: Manifest, years: list[int] | None = None) -> list[Edition]:
    """The editions raw/ holds, or, with ``years``, those of one district (the years marts.editions lists for it:
    a district has an edition only where the files hold its Germans and foreigners by age group). The windows are
    cut between the editions given, so a district with one edition takes every figure up to it."""
    years = sorted(set(years)) if years is not None else edition_years(manifest)
    profile_years = {e.reference_year for e in manifest.entries if e.dataset == PROFILE_ANCHOR}
    out: list[Edition] = []
    previous_cap: int | None = None
    for i, year in enumerate(years):
        next_year = years[i + 1] if i + 1 < len(years) else None
        cap = year + 1 if next_year is None else min(year + 1, next_year - 1)
        out.append(Edition(year, previous_cap, cap, years[i - 1] if i else None, year in profile_years))
        previous_cap = cap
    return out


def edition(manifest: Manifest, year: int, years: list[int] | None = None) -> Edition:
    for e in editions(manifest, years):
        if e.year == year:
            return e
    raise KeyError(f"no edition {year}; raw/ holds editions {years if years is not None else edition_years(manifest)}")


def affected_years(manifest: Manifest, datasets: set[str], city: str | None = None) -> list[tuple[int, str]]:
    """(year, publisher level) of every year the entries of the datasets cover: the reference year, and for a file
    covering a period (a time series) every year from the period's start. With ``city`` (a district's key), an
    entry about another city (manifest field ``city``) covers nothing."""
    return sorted({(y, e.level) for e in manifest.entries if e.dataset in datasets
                   and (city is None or not e.city or region_key(e.city) == city)
                   for y in range(e.period_start.year if e.period_start else e.reference_year, e.reference_year + 1)})


def touched_editions(manifest: Manifest, datasets: set[str], years: list[int] | None = None,
                     city: str | None = None) -> list[Edition]:
    """The editions new figures of ``datasets`` change: the editions whose windows hold their years, and the next
    edition of each, whose "what changed" section compares with it. With ``years`` and ``city``: those of one
    district (its editions, and only the inputs that concern it)."""
    all_editions = editions(manifest, years)
    affected = affected_years(manifest, datasets, city)
    touched = [e for e in all_editions if any(e.holds(y, level) for y, level in affected)]
    touched += [e for e in all_editions if e.previous in {t.year for t in touched} and e not in touched]
    return sorted(touched, key=lambda e: e.year)
