"""The project's configuration: where raw/, the warehouse and the report live, and which cities are the default.

The warehouse holds every district the files list (its directory, marts.cities); the configured cities are the
ones `make report` builds when no CITY= or CITIES= is given, and the ones every raw table covering their Land must
list under their key (a recoded key is refused at ingest).

One frozen :class:`Config`, built once from the environment (:meth:`Config.from_env`) and handed to every part of
the pipeline: to the Dagster assets, sensor and schedule as the resource ``project`` (pipeline/defs/resources.py),
to the command line (pipeline/cli/) directly. Every value can be overridden by an environment variable, so tests
and a second city run against other folders without touching code:

============================  =====================================================  ================================
variable                      meaning                                                default
============================  =====================================================  ================================
``CMP_RAW_DIR``               the raw files and their manifest                       ``raw/``
``CMP_WAREHOUSE``             the DuckDB warehouse file                              ``warehouse/profile.duckdb``
``CMP_REPORT_DIR``            the Quarto project; ``_build/`` and ``_output/`` in it ``report/``
``CMP_CITY_AGS``              the default city (`make report` without CITY=)         ``05913000`` (Dortmund)
``CMP_CITY_NAME``             its name                                               ``Dortmund``
``CMP_CITIES``                further default cities, ``AGS=Name;...``               none
``CMP_LOCK_TIMEOUT``          seconds a run waits for another run's lock             900
``CMP_RENDERER``              ``auto``, ``quarto`` or ``builtin`` (report/renderer)   ``auto``
============================  =====================================================  ================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.domain.manifest import Manifest, current_manifest

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

_AGS8 = re.compile(r"^\d{8}$")


def region_key(ags: str) -> str:
    """The key a city or district has in the warehouse, as core.region_key computes it: a kreisfreie Stadt's 8-digit
    municipal key ending in 000 becomes its 5-digit district key (05913000 -> 05913); any other key stays."""
    return ags[:5] if len(ags) == 8 and ags.endswith("000") else ags


@dataclass(frozen=True)
class City:
    """A city (or district) by its 8-digit municipal key (AGS) and its name."""

    ags: str
    name: str

    def __post_init__(self) -> None:
        if not _AGS8.match(self.ags):
            raise ValueError(f"city AGS must have 8 digits, got {self.ags!r}")
        if not self.name.strip():
            raise ValueError(f"city {self.ags} has no name")

    @property
    def region_codes(self) -> tuple[str, ...]:
        """The region codes under which publishers list the city.

        A kreisfreie Stadt has an 8-digit municipal key ending in 000 and is listed by district tables under its
        5-digit district key (Dortmund: 05913000 and 05913). Other municipalities only have their 8-digit key.
        """
        return (self.ags, self.ags[:5]) if self.ags.endswith("000") else (self.ags,)

    @property
    def region_code(self) -> str:
        """The key the city has in the warehouse (core.indicators.region_code)."""
        return region_key(self.ags)


DORTMUND = City("05913000", "Dortmund")  # kreisfreie Stadt; the city of the MC2CM profile


def parse_cities(text: str) -> tuple[City, ...]:
    """CMP_CITIES: further cities the warehouse holds, as ``AGS=Name`` pairs separated by ``;`` (names may contain
    commas), e.g. ``05111000=Düsseldorf;05113000=Essen``. Empty: none."""
    out = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        ags, sep, name = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"CMP_CITIES entry {item!r} is not AGS=Name")
        out.append(City(ags.strip(), name.strip()))
    return tuple(out)


def distinct_cities(cities: tuple[City, ...]) -> tuple[City, ...]:
    """The cities in order, each AGS once (the first name given for it wins)."""
    seen: dict[str, City] = {}
    for city in cities:
        seen.setdefault(city.ags, city)
    return tuple(seen.values())


@dataclass(frozen=True)
class Config:
    """Where things live and which cities are the default ones (the first is `make report`'s city)."""

    raw_dir: Path = PROJECT_DIR / "raw"
    warehouse_path: Path = PROJECT_DIR / "warehouse" / "profile.duckdb"
    report_dir: Path = PROJECT_DIR / "report"
    cities: tuple[City, ...] = (DORTMUND,)
    lock_timeout_seconds: float = 15 * 60  # how long a run waits for another run's lock on the warehouse or a report

    def __post_init__(self) -> None:
        if not self.cities:
            raise ValueError("the configuration names no city")
        object.__setattr__(self, "cities", distinct_cities(tuple(self.cities)))

    @property
    def city(self) -> City:
        """The default city: the one `make report` builds when no other is asked for."""
        return self.cities[0]

    @property
    def default_cities(self) -> tuple[City, ...]:
        """What `make report` builds without CITY= or CITIES=: CMP_CITY_AGS and CMP_CITIES."""
        return self.cities

    @property
    def report_output(self) -> Path:
        """Where the finished PDF and HTML land."""
        return self.report_dir / "_output"

    @property
    def report_build(self) -> Path:
        """Where each edition's Quarto project is assembled before rendering."""
        return self.report_dir / "_build"

    def manifest(self) -> Manifest:
        """raw/sources.yaml, parsed (again only when the file's content changed: domain.manifest.current_manifest)."""
        return current_manifest(self.raw_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Config:
        city = City(environ.get("CMP_CITY_AGS", DORTMUND.ags), environ.get("CMP_CITY_NAME", DORTMUND.name))
        return cls(
            raw_dir=Path(environ.get("CMP_RAW_DIR", PROJECT_DIR / "raw")),
            warehouse_path=Path(environ.get("CMP_WAREHOUSE", PROJECT_DIR / "warehouse" / "profile.duckdb")),
            report_dir=Path(environ.get("CMP_REPORT_DIR", PROJECT_DIR / "report")),
            cities=(city, *parse_cities(environ.get("CMP_CITIES", ""))),
            lock_timeout_seconds=float(environ.get("CMP_LOCK_TIMEOUT", 15 * 60)),
        )
