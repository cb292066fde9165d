"""Figures read straight from the raw files, line by line, without the pipeline's readers: what tests compare the
marts, tables and charts with."""

from __future__ import annotations

from tests.conftest import RAW


def counts() -> dict[str, tuple[int, int]]:
    """(population, foreigners) of every area on 31.12.2024, read straight from 12411-03-03-4."""
    out = {}
    for line in (RAW / "regionalstatistik" / "12411-03-03-4_2024.csv").read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        if len(cells) == 13 and cells[0] == "2024-12-31" and cells[3] == "Total" and cells[4].isdigit():
            out[cells[1]] = (int(cells[4]), int(cells[10]))
    return out


def shares() -> dict[str, tuple[int, float]]:
    """(population, share of foreigners) of every area on 31.12.2024."""
    return {code: (population, 100 * foreigners / population) for code, (population, foreigners) in counts().items()}


def age_bands(code: str) -> dict[str, int]:
    """The population of one area on 31.12.2024 in each age band of 12411-03-03-4, by the file's own labels."""
    out = {}
    for line in (RAW / "regionalstatistik" / "12411-03-03-4_2024.csv").read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        if len(cells) == 13 and cells[0] == "2024-12-31" and cells[1] == code and cells[4].isdigit():
            out[cells[3]] = int(cells[4])
    return out


def cities() -> set[str]:
    """The kreisfreie Städte of the Gemeindeverzeichnis 2023 (Berlin and Hamburg under their district keys)."""
    cities = set()
    for line in (RAW / "destatis" / "04-kreise_2023.csv").read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        if len(cells) > 2 and cells[1] in ("Kreisfreie Stadt", "Stadtkreis"):
            cities.add(cells[0])
    return cities


# 12411-03-03-4 lists the city-states under their Land's code; the warehouse has one key per district, 11000 for Berlin
CITY_STATE_KEYS = {"02": "02000", "11": "11000"}


def names() -> dict[str, str]:
    """The name 12411-03-03-4 gives every area, without what follows a comma ('Hannover, Landeshauptstadt')."""
    out = {}
    for line in (RAW / "regionalstatistik" / "12411-03-03-4_2024.csv").read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        if len(cells) == 13 and cells[0] == "2024-12-31" and cells[3] == "Total":
            out[cells[1]] = cells[2].strip().split(",")[0]
    return out
