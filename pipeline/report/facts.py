"""The facts of one edition: every figure the profile's tables, charts and texts are made of, computed once per
edition (and city) from the marts and shared by all of them.

Each fact declares the marts it reads (``@fact(reads=...)``) or the facts it is made of (``@fact(uses=...)``), and a
part of the report the facts it uses (pipeline/report/parts/__init__.py); the report's Dagster asset depends on the
marts they read (``marts_read``), so an edit that reaches a mart marks the profiles that show it stale. Nothing checks
the declarations while a profile is built: tests/report/test_lineage.py runs every fact and every part on its own
against a connection that records the tables it really reads, and compares.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from pipeline.domain.editions import Edition
from pipeline.report.fact_types import (
    KEY_FIGURES,
    MIN_PEERS,
    UNIFIED_GERMANY,
    AgeStructure,
    Change,
    CityComparison,
    Nationalities,
    PeerIndicator,
    Peers,
    PolicyRegister,
    PopulationTrend,
    Reconciliation,
    Sectors,
    Synopsis,
    candidates,
    compare,
    rank_of,
    size_class,
)


class FactsSource(Protocol):
    """What the facts read from the context of a profile (pipeline/report/context.py, ReportContext): the marts, the
    sources dimension, the district and its editions."""

    marts: Any
    sources: pd.DataFrame
    region_code: str
    editions: list[Edition]


@dataclass(frozen=True)
class FactSpec:
    name: str
    reads: tuple[str, ...]  # marts
    uses: tuple[str, ...]  # other facts


FACTS: dict[str, FactSpec] = {}


def fact(*, reads: tuple[str, ...] = (), uses: tuple[str, ...] = ()) -> Callable:
    """Register a method of :class:`Facts` as a fact, computed on first use and kept for the edition."""

    def register(fn: Callable) -> functools.cached_property:
        FACTS[fn.__name__] = FactSpec(fn.__name__, tuple(reads), tuple(uses))
        return functools.cached_property(fn)

    return register


def marts_read(facts: Iterable[str]) -> set[str]:
    """The marts the facts read, directly or through the facts they are made of."""
    out: set[str] = set()
    for name in facts:
        spec = FACTS[name]
        out |= set(spec.reads) | marts_read(spec.uses)
    return out



def newest(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """The rows of the newest year (per group ``by``)."""
    if frame.empty:
        return frame
    if not by:
        return frame[frame["year"] == frame["year"].max()]
    top = frame.groupby(by)["year"].transform("max")
    return frame[frame["year"] == top]


def first_row(frame: pd.DataFrame) -> pd.Series | None:
    return None if frame.empty else frame.iloc[0]


# -- the facts of an edition ---------------------------------------------------------------------------------------


class Facts:
    """The facts of one edition of one city's profile, each computed on first use from the marts."""

    def __init__(self, ctx: FactsSource, edition: Edition):
        self._ctx = ctx
        self.edition = edition

    # -- reading ------------------------------------------------------------------------------------------------

    def _mart(self, name: str, city_only: bool = True) -> pd.DataFrame:
        """The rows of marts.<name> (for the report's city), each with its source's publisher level."""
        frame = self._ctx.marts.read(name, self._ctx.region_code if city_only else None)
        if "source_id" in frame.columns:
            frame["level"] = frame["source_id"].map(self._ctx.sources["level"])
        return frame

    def of_edition(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows that belong to the edition (see pipeline/domain/editions.py)."""
        if frame.empty:
            return frame
        keep = [self.edition.holds(int(y), lvl) for y, lvl in zip(frame["year"], frame["level"], strict=True)]
        return frame.loc[keep]

    @functools.cached_property
    def previous(self) -> Facts | None:
        """The facts of the previous edition (for the comparison of editions), None for the first edition."""
        edition = next((e for e in self._ctx.editions if e.year == self.edition.previous), None)
        return None if edition is None else Facts(self._ctx, edition)

    # -- the facts ----------------------------------------------------------------------------------------------

    @fact(reads=("synopsis",))
    def synopsis(self) -> Synopsis:
        frame = self._mart("synopsis")
        dated = frame[frame["year"].notna()].copy()
        dated["year"] = dated["year"].astype(int)
        rows = frame[["row_id", "sort", "theme", "label", "input_needed"]].drop_duplicates().sort_values("sort")
        return Synopsis(rows, self.of_edition(dated))

    @fact(reads=("migration_germany",))
    def migration_germany(self) -> pd.DataFrame:
        """Germany's migration balance in all, every year up to the edition's last; the MC2CM profile's own edition
        1991 to its year as its chart did, a later edition as far back as the tables go."""
        frame = self._mart("migration_germany", city_only=False)
        e = self.edition
        first, last = (UNIFIED_GERMANY, e.year) if e.is_profile_edition else (0, e.up_to)
        keep = (frame["nationality"] == "total") & (frame["year"] <= last) & (frame["year"] >= first)
        return frame[keep].sort_values("year")

    @fact(reads=("city_migration",))
    def city_migration(self) -> pd.DataFrame:
        """The city's arrivals and departures across its borders, the edition's newest year."""
        return newest(self.of_edition(self._mart("city_migration"))).sort_values("sort")

    @fact(reads=("city_migration_by_age",))
    def city_migration_by_age(self) -> pd.DataFrame:
        """The city's moves across its borders by age group (in all), the edition's newest year."""
        frame = self.of_edition(self._mart("city_migration_by_age"))
        return newest(frame[frame["sex"] == "total"]).sort_values("sort")

    @fact(reads=("immigration_history",))
    def immigration_history(self) -> pd.DataFrame:
        """The census share with an immigration history in the city's Land and in Germany, if the edition holds it."""
        return newest(self.of_edition(self._mart("immigration_history")))

    @fact(reads=("labour_market_access",))
    def labour_market_access(self) -> pd.DataFrame:
        return self._mart("labour_market_access").sort_values("sort")

    @fact(reads=("stakeholders",))
    def stakeholders(self) -> pd.DataFrame:
        return self._mart("stakeholders").sort_values(["group_sort", "sort"])

    @fact(reads=("policy_register", "policy_figures"))
    def policy(self) -> PolicyRegister:
        frame = self._mart("policy_register").sort_values("sort")
        first = self.edition.after + 1 if self.edition.after is not None else None
        starts = pd.to_datetime(frame["valid_from"]).dt.year
        ends = pd.to_datetime(frame["valid_to"]).dt.year
        # nothing dated after the edition's window: a row counts only if it had started by the window's end and was
        # published by then (the first edition, which reproduces the MC2CM profile, by the profile's publication)
        published_by = self.edition.up_to
        if self.edition.is_profile_edition:
            profile = self._ctx.sources[self._ctx.sources["level"] == "profile"]["published"]
            published_by = max([published_by, *(int(y) for y in profile if str(y).isdigit())])
        in_window = (starts <= self.edition.up_to) & (pd.to_datetime(frame["published"]).dt.year <= published_by)
        ended_before = ends.notna() & (ends < first) if first is not None else pd.Series(False, index=frame.index)
        figures = self.of_edition(self._mart("policy_figures").rename(columns={"source_line": "sort"}))
        return PolicyRegister(frame[in_window & ~ended_before], frame[in_window & ended_before], figures)

    @fact(reads=("population_trend",))
    def population_trend(self) -> PopulationTrend:
        frame = self._mart("population_trend")
        return PopulationTrend(frame[frame["year"] <= self.edition.up_to], newest(self.of_edition(frame), ["series"]))

    @fact(reads=("foreigner_share_cities",))
    def foreigner_share_cities(self) -> CityComparison:
        frame = newest(self.of_edition(self._mart("foreigner_share_cities", city_only=False)))
        if frame.empty:
            return CityComparison(frame, 0, None, None)
        # the 15 largest cities and this report's district (the mart lists every district of the directory)
        mine = frame["region_code"] == self._ctx.region_code
        frame = frame[(frame["size_rank"] <= 15) | mine].assign(is_profile_city=mine).sort_values("share_foreigners", ascending=False)
        largest = int((frame["size_rank"] <= 15).sum())
        me = frame[frame["is_profile_city"]]
        if me.empty:
            return CityComparison(frame, largest, None, None)
        share = float(me["share_foreigners"].iloc[0])
        rank = int((frame["share_foreigners"] > share).sum()) + 1
        below = int(((frame["size_rank"] <= 15) & (frame["share_foreigners"] < share)).sum())
        size_rank = int(me["size_rank"].iloc[0]) if pd.notna(me["size_rank"].iloc[0]) else None
        return CityComparison(frame, largest, rank, size_rank, share, below)

    @fact(reads=("peers", "peer_population", "peer_labour"))
    def peers(self) -> Peers:
        """The district among the districts of its kind and size class (see ``size_class``), in the edition's newest
        year of marts.peers; the population change since the previous edition's year, on one census basis."""
        frame = self._mart("peers", city_only=False)
        frame = frame[frame["year"] <= self.edition.up_to]
        me = frame[frame["region_code"] == self._ctx.region_code]
        if me.empty:
            return Peers(frame.iloc[0:0], "", None, [], None, None, "", set())
        year = int(me["year"].max())
        day = frame[frame["year"] == year]
        row = day[day["region_code"] == self._ctx.region_code].iloc[0]
        kind = row["kind"]
        group_label = size_class(kind, row["population"])
        members = day[(day["kind"] == kind)]
        members = members[[size_class(kind, v) == group_label for v in members["population"]]]
        land = day[day["region_code"] == row["land_code"]]
        germany = day[day["region_code"] == "DG"]
        # the population change: from the previous edition's year (of any district), or from the first year of the
        # census basis the newest figure rests on, whichever is later: never across a census break
        series = self._mart("peer_population", city_only=False)
        previous = self.edition.previous  # the district's own previous edition; None for its first
        own_series = series[(series["region_code"] == self._ctx.region_code) & (series["year"] <= year)]
        change = {}
        span, why = None, ""
        if not own_series.empty and int(own_series["year"].max()) == year:
            basis = own_series.loc[own_series["year"] == year, "census_basis"].iloc[0]
            basis_start = int(series.loc[(series["census_basis"] == basis), "year"].min())
            start = max(previous, basis_start) if previous is not None else basis_start
            if start < year:
                span = (start, year)
                if start == previous:
                    why = f"since the previous edition ({previous})"
                elif previous is not None:
                    why = (f"since {start}, the first year on the {basis} basis (the previous edition, {previous}, rests on an "
                           "earlier census, which would mix the census correction into the change)")
                else:
                    why = f"since {start}, the first year on the {basis} basis (a change across two census bases would mix the "
                    why += "census correction into it)"
                pair = series[series["year"].isin(span) & (series["census_basis"] == basis)]
                wide = pair.pivot_table(index="region_code", columns="year", values="population", aggfunc="first")
                if start in wide.columns and year in wide.columns:
                    change = (100 * (wide[year] / wide[start] - 1)).dropna().to_dict()
        d = members.assign(change=members["region_code"].map(change))

        def indicator(key, label, column, table, note=""):
            own = row[column] if column in row and pd.notna(row[column]) else None
            known = int(d[column].notna().sum())
            # a rank and a median describe the whole peer group, or are not given: every peer has the figure, and
            # there are at least MIN_PEERS of them
            whole = known == len(d) and known >= MIN_PEERS
            return PeerIndicator(key, label, own, rank_of(d[column], own) if whole else None, known,
                                 float(d[column].median()) if whole else None,
                                 float(table[column].iloc[0]) if not table.empty and pd.notna(table[column].iloc[0]) else None,
                                 float(germany[column].iloc[0]) if not germany.empty and pd.notna(germany[column].iloc[0]) else None,
                                 note)

        row = row.copy()
        row["change"] = change.get(self._ctx.region_code)
        land = land.assign(change=land["region_code"].map(change))
        germany = germany.assign(change=germany["region_code"].map(change))
        indicators = [
            # each row names its measurement: the rows come from two statistics
            indicator("foreign_share", "Share of foreigners in the population (population update)", "share_foreigners", land),
            indicator("under3", "Share of non-Germans among children under 3 (population update)", "share_non_german_under3", land),
            indicator("largest_group", "Largest group of foreigners, share of all foreigners (AZR)", "largest_group_share", land,
                      row["largest_group"] if pd.notna(row["largest_group"]) else ""),
        ]
        if span is not None:
            indicators.append(indicator("change", f"Population change {span[0]}-{span[1]} (population update)", "change", land))
        # the labour market: each figure of the newest year (up to the edition's) the district has it, the same year for
        # every area compared
        labour = self._mart("peer_labour", city_only=False)
        labour = labour[labour["year"] <= self.edition.up_to]
        labour_sources: dict[str, set] = {}
        for measure, label in (("foreign_unemployment_rate", "Unemployment rate of foreigners, annual average {year} "
                                                             "(unemployment statistics)"),
                               ("foreign_share_of_employees", "Foreigners' share of employees at their place of work, "
                                                              "30.06.{year} (employment statistics)")):
            mine = labour[(labour["measure"] == measure) & (labour["region_code"] == self._ctx.region_code)]
            if mine.empty:
                continue
            at = int(mine["year"].max())
            cells = labour[(labour["measure"] == measure) & (labour["year"] == at)].set_index("region_code")
            for frame_ in (d, land, germany):
                frame_[measure] = frame_["region_code"].map(cells["value"])
            row[measure] = cells["value"].get(self._ctx.region_code)
            indicators.append(indicator(measure, label.format(year=at), measure, land))
            used = cells.loc[cells.index.isin([self._ctx.region_code, *land["region_code"], "DG", *d["region_code"]])]
            for sid, day in zip(used["source_id"], used["reference_date"], strict=True):
                labour_sources.setdefault(sid, set()).add(pd.Timestamp(day))
        # the sources of the cells printed: the peers' population tables; the AZR by citizenship only for the cells of
        # the largest group that are printed (the district's own and its Land's, or every peer's where all have one)
        sources = set(members["source_id"])
        largest = next(i for i in indicators if i.key == "largest_group")
        if largest.own is not None:
            sources.add(row["largest_group_source_id"])
            if largest.median is not None:
                sources |= set(members["largest_group_source_id"].dropna())
            if largest.land is not None:
                sources |= set(land["largest_group_source_id"].dropna())
        series_sources = set(series.loc[series["year"].isin(span), "source_id"]) if span is not None else set()
        sources |= series_sources | set(labour_sources)
        kind_word = "cities (kreisfreie Städte)" if kind == "city" else "districts (Kreise)"
        return Peers(d.sort_values("share_foreigners", ascending=False), f"{kind_word} with {group_label}",
                     land["name"].iloc[0] if not land.empty else None, indicators, year, span, why, sources,
                     {**{sid: {pd.Timestamp(f"{y}-12-31") for y in span} for sid in series_sources}, **labour_sources})

    @fact(reads=("legal_status",))
    def legal_status(self) -> pd.DataFrame:
        return newest(self.of_edition(self._mart("legal_status"))).sort_values("sort")

    @fact(reads=("protection_status",))
    def protection_status(self) -> pd.DataFrame:
        """The city's protection seekers by status, the edition's newest day."""
        return newest(self.of_edition(self._mart("protection_status"))).sort_values("sort")

    @fact(reads=("top_nationalities",))
    def top_nationalities(self) -> Nationalities:
        held = self.of_edition(self._mart("top_nationalities"))
        return Nationalities(newest(held).sort_values("rank"), first_row(newest(held[held["rank"] == 1])))

    @fact(reads=("age_structure",))
    def age_structure(self) -> AgeStructure:
        held = self.of_edition(self._mart("age_structure"))
        return AgeStructure(held.sort_values(["year", "sort"]), first_row(newest(held[held["age_group"] == "0-3"])))

    @fact(reads=("social_indicators",))
    def social_indicators(self) -> pd.DataFrame:
        return self.of_edition(self._mart("social_indicators"))

    @fact(reads=("gender_distribution",))
    def gender_distribution(self) -> pd.DataFrame:
        """Germans and non-Germans by sex, in all and by broad age group, on the edition's newest date that has them."""
        return newest(self.of_edition(self._mart("gender_distribution"))).sort_values(["nationality", "sort"])

    @fact(reads=("labour_market_by_nationality",))
    def labour_market(self) -> pd.DataFrame:
        """Employees on 30 June and unemployment by nationality, every year of the edition the files hold."""
        return self.of_edition(self._mart("labour_market_by_nationality"))

    @fact(reads=("pupils",))
    def pupils(self) -> pd.DataFrame:
        """Pupils of general schools by school type in the edition's newest school year (marts.pupils), in the order
        of the code list, all general schools first."""
        return newest(self.of_edition(self._mart("pupils"))).sort_values("sort")

    @fact(reads=("sectors",))
    def sectors(self) -> Sectors:
        held = self.of_edition(self._mart("sectors"))
        return Sectors(newest(held).sort_values("sort"), first_row(newest(held[held["sector"] == "services"])))

    @fact(reads=("reconciliation", "plausibility"))
    def reconciliation(self) -> Reconciliation:
        e = self.edition

        def of_edition(frame: pd.DataFrame) -> pd.DataFrame:
            keep = [(e.after is None or y > e.after) and y <= e.up_to for y in frame["reference_year"]]
            return frame.loc[keep] if len(frame) else frame

        return Reconciliation(of_edition(self._mart("reconciliation")), of_edition(self._mart("plausibility")))

    @fact(reads=("key_figures",))
    def changes(self) -> list[Change]:
        """The key figures of the previous edition and this one, side by side; empty for the first edition."""
        if self.previous is None:
            return []
        frame = self._mart("key_figures")
        before = self.previous.of_edition(frame)
        now = self.of_edition(frame)
        return [compare(key, label, kind, candidates(before[before["key"] == key]), candidates(now[now["key"] == key]))
                for key, label, kind in KEY_FIGURES]

    @fact(reads=("reference_dates",))
    def reference_dates(self) -> pd.DataFrame:
        """The days the edition's figures of the city refer to, with their sources, oldest first."""
        frame = self._mart("reference_dates")
        return self.of_edition(frame.assign(year=frame["reference_date"].dt.year)).sort_values("reference_date")

    @fact(uses=("reference_dates",))
    def data_as_of(self) -> pd.Timestamp | None:
        """The newest day the edition's figures of the city refer to."""
        dates = self.reference_dates
        return dates["reference_date"].iloc[-1] if len(dates) else None

    @fact(uses=("reference_dates",))
    def reference_years(self) -> tuple[int, int] | None:
        """The span of years the edition really shows: from the oldest to the newest of its datasets' newest figures
        (the tables show each source's newest; its window may reach a year whose figures are not out yet, and a time
        series' history is not what the edition is of)."""
        dates = self.reference_dates
        if not len(dates):
            return None
        newest = dates.groupby("dataset")["reference_date"].max()
        return int(newest.min().year), int(newest.max().year)
