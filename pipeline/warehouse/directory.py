"""The warehouse's directory of districts, as the command line and the sensors read it: marts.cities (every district
of the nationwide table that defines the editions, warehouse/sql/core/profile_cities.sql) with each district's
editions (marts.editions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class District:
    key: str  # the key in the warehouse: 05913 (a district), 11 (Berlin, listed under its Land's code)
    ags: str  # 05913000 for a city, 05978 for a district
    name: str
    kind: str  # city, district
    land: str  # the Land's code
    population: float | None = None
    editions: tuple[str, ...] = ()


def read_directory(warehouse: Path) -> list[District]:
    """The districts of the published warehouse (marts.cities) with their editions (marts.editions)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT c.region_code, c.city_ags, c.city_name, c.kind, c.land_code, c.population, "
            "list(e.year ORDER BY e.year) FILTER (WHERE e.year IS NOT NULL) "
            "FROM marts.cities c LEFT JOIN marts.editions e USING (region_code) GROUP BY ALL ORDER BY c.region_code"
        ).fetchall()
    return [District(k, a, n, kind, land, pop, tuple(str(y) for y in (years or []))) for k, a, n, kind, land, pop, years in rows]
