"""The report's charts, drawn with matplotlib as SVG (text as outlines, so they look the same everywhere and need no
fonts at render time), in the report's typeface, Source Sans 3 (report/fonts)."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.domain.config import PROJECT_DIR
from pipeline.domain.files import replace_atomically

BLUE = "#1d4e89"
ORANGE = "#d9822b"
GREEN = "#3a7d44"
GREY = "#8a8f98"
LIGHT = "#c9d6e8"

_fonts_loaded = False


def _plt():
    """matplotlib's pyplot, styled; imported on the first chart only (a run that only renders draws none, and
    importing matplotlib costs a second)."""
    global _fonts_loaded
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    if not _fonts_loaded:
        for ttf in sorted((PROJECT_DIR / "report" / "fonts").glob("*.ttf")):
            font_manager.fontManager.addfont(str(ttf))
        _fonts_loaded = True
    plt.rcParams.update(
        {
            "font.family": "Source Sans 3",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#555555",
            "axes.titlesize": 10,
            "svg.fonttype": "path",
            "svg.hashsalt": "city-migration-profile",  # stable ids: the same data draws the same file
            "text.parse_math": False,  # a '$' in a label (a name from an input) is a dollar sign, never TeX math
        }
    )
    return plt


def _formatter(func):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(func)


def thousands(x: float, _pos: int | None = None) -> str:
    return f"{x:,.0f}"


def broken_at_gaps(years, values) -> tuple[list[float], list[float]]:
    """Points for a line that joins consecutive years only: across a year without a figure the line breaks (a NaN
    point) instead of suggesting a value for it."""
    xs: list[float] = []
    ys: list[float] = []
    for i, (x, y) in enumerate(zip(years, values, strict=True)):
        if i and x - years[i - 1] > 1:
            xs.append(x - 0.5)
            ys.append(float("nan"))
        xs.append(x)
        ys.append(y)
    return xs, ys


def _key_part(value) -> str:
    if callable(value):  # a formatter: its code, not its address
        code = getattr(value, "__code__", None)
        return f"{getattr(value, '__qualname__', value)}:{hashlib.sha256(code.co_code).hexdigest() if code else ''}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_key_part(k)}:{_key_part(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_key_part(v) for v in value) + "]"
    return repr(value)


@functools.cache
def _code_version() -> str:
    import matplotlib

    return hashlib.sha256(Path(__file__).read_bytes() + matplotlib.__version__.encode()).hexdigest()[:16]


def cached(draw):
    """Draw a chart once for the same inputs: the SVG of a chart whose data, labels and code are the same as one drawn
    before (Germany's migration balance in every profile of an edition; the 15 largest cities in every district's) is
    copied from ``cache`` (a folder shared by the profiles, report/_build/.chart-cache/) instead of drawn again. The
    key covers every argument but the output path, this module's code and matplotlib's version."""

    @functools.wraps(draw)
    def wrapper(*args, cache: Path | None = None, **kwargs):
        path = kwargs.get("path") or next(a for a in args if isinstance(a, Path))
        if cache is None:
            return draw(*args, **kwargs)
        inputs = [a for a in args if a is not path] + [(k, v) for k, v in sorted(kwargs.items()) if k != "path"]
        key = hashlib.sha256(f"{draw.__name__}|{_code_version()}|{_key_part(inputs)}".encode()).hexdigest()[:32]
        stored = cache / f"{key}.svg"
        if stored.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stored, path)
            return path
        draw(*args, **kwargs)
        cache.mkdir(parents=True, exist_ok=True)
        replace_atomically(stored, path)  # two processes drawing the same chart at once both write the same bytes
        return path

    return wrapper


# What matplotlib writes that no reader needs: path coordinates to the millionth of a point (a hundredth is finer than any
# printer or screen), the indentation and line breaks of its path data, its metadata block, and the names of its groups
# (nothing refers to them; clip paths and glyphs keep their ids). About 15 % of each file: the HTML carries it all.
_DIGITS = re.compile(r"(\d\.\d{2})\d+")
_PATH_DATA = re.compile(r' (?:d|x|y)="[^"]*"|translate\([^)]*\)')
_BREAKS = re.compile(r"\s*\n\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_GROUP_NAME = re.compile(r'<g id="[A-Za-z][A-Za-z0-9.]*_\d+">')


def compact(svg: str) -> str:
    """The chart's SVG without what ``_DIGITS``, ``_BREAKS``, ``_METADATA`` and ``_GROUP_NAME`` match: the same
    drawing, smaller."""
    svg = _METADATA.sub("", svg)
    svg = _GROUP_NAME.sub("<g>", svg)
    # (only in path data, positions and translations: a transform's scale keeps every digit, a glyph's size hangs on it)
    svg = _PATH_DATA.sub(lambda m: _DIGITS.sub(r"\1", m.group()), svg)
    return _BREAKS.sub("\n", svg).replace(" \n", " ")


def save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    _plt().close(fig)
    path.write_text(compact(out.getvalue()), encoding="utf-8")
    return path


@cached
def migration_balance(years, arrivals, departures, net, path: Path, breaks: tuple[int, ...] = ()) -> Path:
    """Arrivals, departures and net migration of Germany per year. Years without figures are gaps, not zeros; at each
    of ``breaks`` (the first year of a new territory) the lines stop and a dashed rule marks the change."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    million = lambda v: [x / 1e6 for x in v]  # noqa: E731
    segments = [y for y in breaks if min(years) < y <= max(years)]
    edges = [min(years), *segments, max(years) + 1]
    for k, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        idx = [i for i, y in enumerate(years) if lo <= y < hi]
        ys = [years[i] for i in idx]
        for values, colour, label in ((arrivals, BLUE, "Arrivals from abroad"), (departures, ORANGE, "Departures abroad")):
            ax.plot(*broken_at_gaps(ys, million([values[i] for i in idx])), color=colour, marker="o",
                    markersize=2.5 if len(years) < 40 else 1.5, label=label if k == 0 else None)
    ax.bar(years, million(net), color=LIGHT, label="Net migration", zorder=0)
    for year in segments:
        ax.axvline(year - 0.5, color=GREY, linestyle="--", linewidth=0.8)
        ax.annotate(f"Germany from {year};\nbefore: former territory", xy=(year - 0.5, 0.97), xycoords=("data", "axes fraction"),
                    xytext=(4, 0), textcoords="offset points", ha="left", va="top", fontsize=7.5, color=GREY)
    ax.axhline(0, color="#555555", linewidth=0.6)
    ax.set_ylabel("million persons")
    # above the axes, never over a line or a break's label
    ax.legend(frameon=False, ncols=3, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0))
    ax.set_xlim(min(years) - 0.7, max(years) + 0.7)
    return save(fig, path)


# One colour per measurement, the same in every profile and edition (marts.population_trend's series names).
SERIES_COLOURS = {
    "Population update (before Zensus 2011)": GREY,
    "Population update (Zensus 2011 basis)": BLUE,
    "Population update (Zensus 2022 basis)": GREEN,
    "Municipal register": ORANGE,
}


@cached
def population_trend(series: dict[str, tuple[list[int], list[float], list[bool]]], breaks: list[int], path: Path) -> Path:
    """Population per concept and census basis over time; each change of census basis marked (``breaks``: the first
    year on the new basis). Each series is its own line, so no line crosses a break; each measurement has its colour
    (SERIES_COLOURS) in every chart; a figure the source printed rounded (the third list) is an open circle. The
    legend sits above the plot, never over a line."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    any_rounded = False
    for label, (xs, ys, rounded) in series.items():
        colour = SERIES_COLOURS.get(label, "#555555")
        size = 3 if len(xs) > 12 else 4
        ax.plot(*broken_at_gaps(xs, ys), color=colour, marker="o", markersize=size, label=label)
        open_x = [x for x, r in zip(xs, rounded, strict=True) if r]
        if open_x:
            any_rounded = True
            open_y = [y for y, r in zip(ys, rounded, strict=True) if r]
            ax.plot(open_x, open_y, linestyle="none", marker="o", markersize=size + 2.5, markerfacecolor="white",
                    markeredgecolor=colour, zorder=3)
    if any_rounded:
        ax.plot([], [], linestyle="none", marker="o", markerfacecolor="white", markeredgecolor="#555555",
                label="open circle: figure printed rounded")
    for year in breaks:
        ax.axvline(year - 0.5, color=GREY, linestyle="--", linewidth=0.8)
        ax.annotate(f"new census basis {year}", xy=(year - 0.5, 0.03), xycoords=("data", "axes fraction"),
                    xytext=(-4, 0), textcoords="offset points", ha="right", fontsize=7.5, color=GREY)
    ax.yaxis.set_major_formatter(_formatter(thousands))
    ax.set_ylabel("persons")
    ax.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return save(fig, path)


@cached
def horizontal_bars(labels, values, highlight, value_format, xlabel: str, path: Path, height_per_bar: float = 0.26) -> Path:
    """Bars from the top down in the order given; the highlighted ones in the accent colour."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 0.6 + height_per_bar * len(labels)))
    colours = [ORANGE if h else BLUE for h in highlight]
    ax.barh(range(len(labels)), values, color=colours)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, " " + value_format(v), va="center", fontsize=7.5)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(_formatter(thousands))
    ax.set_xlim(0, max(values) * 1.15)
    return save(fig, path)


@cached
def age_shares(groups: list[str], shares_by_year: dict[int, list[float]], path: Path) -> Path:
    """The non-Germans' share of each age group, one bar per year."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    years = sorted(shares_by_year)
    width = 0.8 / len(years)
    colours = [LIGHT, BLUE, ORANGE]
    for k, year in enumerate(years):
        xs = [i + (k - (len(years) - 1) / 2) * width for i in range(len(groups))]
        ax.bar(xs, shares_by_year[year], width=width, color=colours[(k + 3 - len(years)) % 3], label=str(year))
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel("non-Germans, % of the age group")
    ax.set_xlabel("age group (years)")
    ax.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(years))
    return save(fig, path)


@cached
def ranked_dots(labels, values, highlight, references: dict[str, float], xlabel: str, path: Path) -> Path:
    """One dot per member of a group, highest first; the highlighted member in the accent colour and named, the others
    named where there are few enough to read; ``references`` (e.g. the Land and Germany) as dashed vertical lines."""
    plt = _plt()
    n = len(values)
    named = n <= 30
    fig, ax = plt.subplots(figsize=(6.4, 0.9 + (0.2 if named else 0.035) * n))
    ys = list(range(n))
    ax.scatter([v for v, h in zip(values, highlight, strict=True) if not h], [y for y, h in zip(ys, highlight, strict=True) if not h],
               s=14 if named else 6, color=BLUE, zorder=2)
    for y, (label, v, h) in enumerate(zip(labels, values, highlight, strict=True)):
        if h:
            ax.scatter([v], [y], s=36, color=ORANGE, zorder=3)
            ax.annotate(f"{label} {v:.1f} %", (v, y), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8,
                        color=ORANGE, fontweight="semibold")
    for (name, v), style in zip(references.items(), ("--", ":"), strict=False):
        ax.axvline(v, color=GREY, linestyle=style, linewidth=0.9, label=f"{name} {v:.1f} %")
    if references:  # above the plot, never over a dot
        ax.legend(frameon=False, fontsize=7.5, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(references))
    if named:
        ax.set_yticks(ys, labels, fontsize=7.5)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n} districts, ranked")
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max([*values, *references.values()]) * 1.18)
    return save(fig, path)


@cached
def rates_over_time(series: dict[str, tuple[list[int], list[float | None]]], ylabel: str, path: Path) -> Path:
    """Rates per group over the years the files hold (``None``: the publisher's '.', unknown or secret). A line joins
    consecutive years with a figure only; every year in the span without a figure of a series is shaded and labelled,
    so a gap reads as a gap, never as a value."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    colours = (BLUE, ORANGE, GREEN, GREY)
    span = sorted({y for ys, _ in series.values() for y in ys})
    first, last = span[0], span[-1]
    for (label, (years, values)), colour in zip(series.items(), colours, strict=False):
        known = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if known:
            ax.plot(*broken_at_gaps([y for y, _ in known], [v for _, v in known]), color=colour, marker="o", markersize=4,
                    label=label)
    missing = [y for y in range(first, last + 1)
               if any(y not in ys or vs[ys.index(y)] is None for ys, vs in series.values())]
    for y in missing:
        ax.axvspan(y - 0.4, y + 0.4, color="#e6e6e6", zorder=0, linewidth=0)
    if missing:
        ax.fill_between([], [], color="#e6e6e6", label="shaded: a year without a figure for at least one line")
    ax.set_ylim(bottom=0)
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return save(fig, path)


DRAWERS = {draw.__name__: draw for draw in (migration_balance, population_trend, horizontal_bars, age_shares, ranked_dots,
                                            rates_over_time)}


@dataclass(frozen=True)
class Chart:
    """What a chart shows: the drawing function (``kind``, one of DRAWERS) and the data it is drawn from (its arguments
    but the path). A figure part draws it and writes its alternative text from this same object, and keeps it
    (Part.chart), so a test reads what was drawn."""

    kind: str
    data: dict[str, Any]

    def draw(self, path: Path, cache: Path | None = None) -> Path:
        return DRAWERS[self.kind](**self.data, path=path, cache=cache)
