"""What some facts are: the shapes the facts of an edition take (the synopsis, the population trend, the peers,
the reconciliation, the policy register ...), the size classes of the peer groups, and the comparison of key
figures between editions, only ever within one measurement (pipeline/report/facts.py computes them)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.report import fmt
from pipeline.report.labels import age_label, measurement


def best(frame: pd.DataFrame) -> pd.Series | None:
    """The figure to print from candidates of one row: the newest, then the preferred source."""
    known = frame[frame["status"].isin(["", "-"]) & frame["value"].notna()] if not frame.empty else frame
    if known.empty:
        return None
    return known.sort_values(["year", "preference", "source_id"], ascending=[False, True, True]).iloc[0]


@dataclass(frozen=True)
class Synopsis:
    """The MC2CM profile's indicator rows (marts.synopsis) and the candidate figures of the edition for each."""

    rows: pd.DataFrame  # row_id, sort, theme, label, input_needed; in the profile's order
    held: pd.DataFrame  # the candidates the edition holds, year as int

    def best(self, row_id: str) -> pd.Series | None:
        return best(self.held[self.held["row_id"] == row_id])

    def figures(self, row_ids: list[str] | None = None, themes: list[str] | None = None) -> list[tuple[Any, pd.Series | None]]:
        """(row, figure or None) for the rows asked for, in the order asked for (row_ids) or the profile's (themes)."""
        rows = self.rows
        if row_ids is not None:
            rows = rows[rows["row_id"].isin(row_ids)].set_index("row_id").loc[row_ids].reset_index()
        if themes is not None:
            rows = rows[rows["theme"].isin(themes)]
        return [(r, self.best(r.row_id)) for r in rows.itertuples(index=False)]


@dataclass(frozen=True)
class PopulationTrend:
    up_to_edition: pd.DataFrame  # every year up to the edition's last, per series (the chart)
    newest: pd.DataFrame  # the newest figure of each series the edition holds (the summary)

    @property
    def breaks(self) -> list[int]:
        """The first year of each census basis of the population update after the first one shown."""
        update = self.up_to_edition[self.up_to_edition["concept"] == "population_update"]
        starts = sorted(int(y) for y in update.groupby("census_basis")["year"].min())
        return starts[1:]


@dataclass(frozen=True)
class CityComparison:
    """The largest cities and the report's city by their share of foreigners, in the newest year of the edition."""

    frame: pd.DataFrame  # the 15 largest and the report's city, largest share first; is_profile_city marks it
    largest: int  # how many of the largest cities are shown
    rank_by_share: int | None  # the report's city among them, None when it is not in the table
    size_rank: int | None
    share: float | None = None  # the report's own share of foreigners in the same table and year
    below: int = 0  # how many of the largest cities have a smaller share than the report's district

    @property
    def among_largest(self) -> bool:
        """Whether the report's city is one of the largest cities shown (so its ranks among them can be told)."""
        return self.rank_by_share is not None and self.size_rank is not None and self.size_rank <= self.largest


@dataclass(frozen=True)
class Nationalities:
    frame: pd.DataFrame  # the ten largest groups of the newest year, by rank
    largest: pd.Series | None  # the largest group (the comparison of editions)

    @property
    def all_foreigners(self) -> float | None:
        """All foreigners in the same source and year (the base of the shares), None where it is not known."""
        if self.frame.empty:
            return None
        r = self.frame.iloc[0]
        share = r.get("share_of_foreigners")
        return float(r["value"]) * 100 / float(share) if share and share == share else None

    @property
    def year(self) -> int:
        return int(self.frame["year"].iloc[0])

    @property
    def top3(self) -> list[tuple[str, float]]:
        return [(r.citizenship, float(r.value)) for r in self.frame.head(3).itertuples()]


@dataclass(frozen=True)
class AgeStructure:
    frame: pd.DataFrame  # every age group of every year the edition holds, by year and group
    under3: pd.Series | None  # the youngest group in the newest year (the comparison of editions)

    @property
    def years(self) -> list[int]:
        return sorted(self.frame["year"].unique())

    @property
    def extremes(self) -> tuple[tuple[str, float], tuple[str, float], int] | None:
        """(youngest group, its share of non-Germans), the same for the oldest, and the year; None without figures."""
        if self.frame.empty:
            return None
        year = self.years[-1]
        rows = self.frame[self.frame["year"] == year]
        first, last = rows.iloc[0], rows.iloc[-1]
        return ((age_label(first["age_group"]), float(first["share_non_german"])),
                (age_label(last["age_group"]), float(last["share_non_german"])), int(year))

    @property
    def overall(self) -> float | None:
        """Non-Germans in % of all ages in the newest year (the groups added up), None without figures."""
        if self.frame.empty:
            return None
        rows = self.frame[self.frame["year"] == self.years[-1]]
        return float(100 * rows["non_germans"].sum() / rows["total"].sum())


@dataclass(frozen=True)
class PolicyRegister:
    """A city's policy register as one edition shows it (raw/README.md, "Policy register"). A row is current when
    it was valid at some time within the edition's window (it started by the window's last year and had not ended
    before its first); a row that ended before the window is history; a row that starts after it is not shown."""

    current: pd.DataFrame  # rows of marts.policy_register, in the register's order
    earlier: pd.DataFrame
    figures: pd.DataFrame  # the figures its publications state, of the edition's window (marts.policy_figures)

    def of(self, subsection: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(current, earlier) rows of one subsection."""
        return (self.current[self.current["subsection"] == subsection], self.earlier[self.earlier["subsection"] == subsection])

    def stated(self, indicators: tuple[str, ...]) -> pd.DataFrame:
        """The stated figures of these indicators, newest first."""
        f = self.figures[self.figures["indicator"].isin(indicators)]
        return f.sort_values(["year", "sort"], ascending=[False, True])


@dataclass(frozen=True)
class Sectors:
    frame: pd.DataFrame  # the three sector groups of the newest year
    services: pd.Series | None  # the services group (the comparison of editions)

    @property
    def year(self) -> int:
        return int(self.frame["year"].iloc[0])

    @property
    def services_share(self) -> float:
        return float(self.frame.loc[self.frame["sector"] == "services", "share"].iloc[0])


# The peer group: districts of the same kind in the same size class, nationwide (population on the edition's day).
CITY_CLASSES = ((500_000, "500,000 inhabitants and more"), (200_000, "200,000 to 499,999 inhabitants"),
                (100_000, "100,000 to 199,999 inhabitants"), (0, "fewer than 100,000 inhabitants"))
DISTRICT_CLASSES = ((300_000, "300,000 inhabitants and more"), (150_000, "150,000 to 299,999 inhabitants"),
                    (0, "fewer than 150,000 inhabitants"))


MIN_PEERS = 5  # no rank or median among fewer peers


def size_class(kind: str, population: float) -> str:
    for floor, label in CITY_CLASSES if kind == "city" else DISTRICT_CLASSES:
        if population >= floor:
            return label
    raise ValueError(population)


@dataclass(frozen=True)
class PeerIndicator:
    key: str
    label: str
    own: float | None  # the district's value
    rank: int | None  # 1 = highest among the peers with a value
    ranked: int  # how many peers have a value
    median: float | None  # of the peer group (the district included)
    land: float | None
    germany: float | None
    note: str = ""  # e.g. the largest group's name


@dataclass(frozen=True)
class Peers:
    """Where the district stands: its peer group in the edition's year and its headline indicators beside the group's,
    its Land's and Germany's (marts.peers, marts.peer_population)."""

    frame: pd.DataFrame  # the peer group, the district included, by share of foreigners (highest first)
    group: str  # 'cities with 500,000 inhabitants and more'
    land: str | None
    indicators: list[PeerIndicator]
    year: int | None
    change_span: tuple[int, int] | None  # the years of the population change
    change_why: str  # how the span was chosen
    sources: set[str]
    dates: dict[str, set] = dataclasses.field(default_factory=dict)  # the days of the population change's cells


def rank_of(values: pd.Series, own: float | None) -> int | None:
    if own is None or own != own:
        return None
    return int((values.dropna() > own).sum()) + 1


@dataclass(frozen=True)
class Reconciliation:
    frame: pd.DataFrame  # the pairs of the edition's years
    doubts: pd.DataFrame  # the city's register figures of the edition's years that look implausible (marts.plausibility)

    @property
    def register_gap(self) -> pd.Series | None:
        """The newest year's gap between the city's register and the population update, in all: of the pairs of that
        year, the one of the least rounded figures (a difference is never taken from a rounded figure when the
        unrounded one is there) on the newest census basis."""
        f = self.frame
        if f.empty:
            return None
        pair = ((f["indicator"] == "population") & (f["nationality"] == "total") & (f["sex"] == "total") & (f["age_group"] == "total")
                & (f["a_concept"] == "population_update") & (f["b_concept"] == "municipal_register"))
        gap = f[pair]
        if gap.empty:
            return None
        gap = gap.assign(_rounding=gap["a_rounding"] + gap["b_rounding"])
        return gap.sort_values(["reference_year", "_rounding", "a_census_basis"], ascending=[False, True, False]).iloc[0]


@dataclass(frozen=True)
class KeyFigure:
    """One candidate of a key figure (marts.key_figures): a value of one measurement, year and source."""

    value: float
    year: int
    source_id: str
    concept: str
    census_basis: str
    rounding: float
    detail: str  # the largest group's citizenship

    @property
    def measurement(self) -> tuple[str, str]:
        return (self.concept, self.census_basis)

    @property
    def measurement_label(self) -> str:
        """'population update (Zensus 2022 basis)'; 'city's population register'."""
        return measurement(self.concept, self.census_basis, article=False)


@dataclass(frozen=True)
class Change:
    """One key figure in the previous and this edition (the comparison of editions). ``change`` is set only when
    both figures are of one measurement (concept and census basis); ``measurement`` then names it. Otherwise
    ``not_comparable`` says which measurements the editions have."""

    key: str
    label: str
    previous: KeyFigure | None
    current: KeyFigure | None
    previous_text: str
    current_text: str
    change: str
    measurement: str = ""
    not_comparable: str = ""

    @property
    def sources(self) -> set[str]:
        return {v.source_id for v in (self.previous, self.current) if v is not None}


UNIFIED_GERMANY = 1991  # the first year the migration tables cover Germany in its present borders

KEY_FIGURES = (  # key, label, counted or a share
    ("population", "Population", "count"),
    ("foreigners", "Foreigners", "count"),
    ("foreign_share", "Share of foreigners in the population", "percent"),
    ("under3", "Share of non-Germans among children under 3", "percent"),
    ("top1", "Largest group of foreigners", "count"),
    ("services", "Share of employees in services", "percent"),
)


def _key_figure_text(kind: str, v: KeyFigure | None) -> str:
    if v is None:
        return "not available"
    shown = fmt.count(v.value) if kind == "count" else fmt.percent(v.value, 0 if v.rounding >= 0.5 else 1)  # '19 %'
    extra = f", {fmt.text(v.detail)}" if v.detail else ""
    return f"{shown} ({v.year}{extra})"


def candidates(frame: pd.DataFrame) -> list[KeyFigure]:
    """An edition's candidates of one key figure, the headline first: the newest year, then the preferred
    measurement (pipeline: marts.key_figures.preference), then the least rounded."""
    ordered = frame.sort_values(["year", "preference", "rounding", "source_id"], ascending=[False, True, True, True])
    return [KeyFigure(float(r.value), int(r.year), r.source_id, r.concept, r.census_basis, float(r.rounding),
                      r.detail) for r in ordered.itertuples()]


def _in_measurement(candidates: list[KeyFigure], measurement: tuple[str, str]) -> KeyFigure | None:
    """The newest, least rounded figure of one measurement (computations take the unrounded figure of one source)."""
    same = [c for c in candidates if c.measurement == measurement]
    return min(same, key=lambda c: (-c.year, c.rounding, c.source_id)) if same else None


def compare(key: str, label: str, kind: str, before: list[KeyFigure], now: list[KeyFigure]) -> Change:
    """A key figure across two editions. The difference is computed only between two figures of one measurement:
    the editions' headline figures if they share it, else the newest pair of a measurement both editions have;
    where they have none in common the row says which measurements they are instead of a number."""
    head_before, head_now = (before[0] if before else None), (now[0] if now else None)
    usable = lambda c: c.concept != "not_stated"  # noqa: E731 - a figure of unknown measurement is never compared
    common = [m for m in dict.fromkeys(c.measurement for c in now if usable(c)) if any(b.measurement == m for b in before)]
    if common:
        m = head_now.measurement if head_now is not None and head_now.measurement in common else common[0]
        prev, cur = _in_measurement(before, m), _in_measurement(now, m)
        diff = cur.value - prev.value
        change = fmt.signed_points(diff) if kind == "percent" else fmt.signed(diff)
        return Change(key, label, prev, cur, _key_figure_text(kind, prev), _key_figure_text(kind, cur), change, cur.measurement_label)
    why = ""
    if head_before is not None and head_now is not None:
        why = (f"not comparable: {head_before.year} {head_before.measurement_label}; "
               f"{head_now.year} {head_now.measurement_label}")
    return Change(key, label, head_before, head_now, _key_figure_text(kind, head_before), _key_figure_text(kind, head_now), "",
                  "", why)
