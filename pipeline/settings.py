"""Where things live and which city the profile is about. Every value can be overridden by an environment variable,
so tests and a second city can run against other folders without touching code."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

DEFAULT_CITY_AGS = "05913000"  # Dortmund, kreisfreie Stadt
DEFAULT_CITY_NAME = "Dortmund"

_AGS8 = re.compile(r"^\d{8}$")


def city_region_codes(ags: str) -> tuple[str, ...]:
    """The region codes under which publishers list a city.

    A kreisfreie Stadt has an 8-digit municipal key ending in 000 and is listed by district tables under its 5-digit
    district key (Dortmund: 05913000 and 05913). Other municipalities only have their 8-digit key.
    """
    if not _AGS8.match(ags):
        raise ValueError(f"city AGS must have 8 digits, got {ags!r}")
    return (ags, ags[:5]) if ags.endswith("000") else (ags,)


def parse_cities(text: str) -> tuple[tuple[str, str], ...]:
    """CMP_CITIES: further cities the warehouse holds, as ``AGS=Name`` pairs separated by ``;`` (names may contain
    commas), e.g. ``05111000=Düsseldorf;05113000=Essen``. Empty: none."""
    out = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        ags, sep, name = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"CMP_CITIES entry {item!r} is not AGS=Name")
        city_region_codes(ags.strip())  # 8 digits, or a clear error
        out.append((ags.strip(), name.strip()))
    return tuple(out)


def all_cities(city_ags: str, city_name: str, more: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The profile city first, then the further cities, each AGS once."""
    seen: dict[str, str] = {city_ags: city_name}
    for ags, name in more:
        seen.setdefault(ags, name)
    return list(seen.items())


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_path: Path
    city_ags: str = DEFAULT_CITY_AGS
    city_name: str = DEFAULT_CITY_NAME
    report_dir: Path = PROJECT_DIR / "report"
    # further cities whose figures the warehouse's core tables and marts carry (a report is rendered for city_ags)
    more_cities: tuple[tuple[str, str], ...] = ()
    lock_timeout_seconds: float = 15 * 60  # how long a run waits for another run's lock on the warehouse or a report

    @property
    def cities(self) -> list[tuple[str, str]]:
        """Every city the warehouse holds: (AGS, name), the profile city first."""
        return all_cities(self.city_ags, self.city_name, self.more_cities)

    @property
    def report_output(self) -> Path:
        """Where the finished PDF and HTML land."""
        return self.report_dir / "_output"

    @property
    def report_build(self) -> Path:
        """Where each edition's Quarto project is assembled before rendering."""
        return self.report_dir / "_build"

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            raw_dir=Path(os.environ.get("CMP_RAW_DIR", PROJECT_DIR / "raw")),
            warehouse_path=Path(os.environ.get("CMP_WAREHOUSE", PROJECT_DIR / "warehouse" / "profile.duckdb")),
            city_ags=os.environ.get("CMP_CITY_AGS", DEFAULT_CITY_AGS),
            city_name=os.environ.get("CMP_CITY_NAME", DEFAULT_CITY_NAME),
            report_dir=Path(os.environ.get("CMP_REPORT_DIR", PROJECT_DIR / "report")),
            more_cities=parse_cities(os.environ.get("CMP_CITIES", "")),
            lock_timeout_seconds=float(os.environ.get("CMP_LOCK_TIMEOUT", 15 * 60)),
        )
