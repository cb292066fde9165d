"""Which districts a build is for: `make report CITY=...` / `CITIES=...` resolved against the warehouse's directory.

The directory is marts.cities: every district of the nationwide table that defines the editions (Regionaldatenbank
12411-03-03-4), with its kind and name from the Gemeindeverzeichnis (warehouse/sql/core/profile_cities.sql). A
district is named by

- its 8-digit municipal key (a kreisfreie Stadt: ``05913000``) or its 5-digit district key (``05913``, ``05978``);
- its name: ``Essen``, ``Kreis Unna`` or ``Unna``, case and umlauts as you like (``koeln``). The full name wins
  (``München`` is the city, ``Landkreis München`` the district); otherwise a name that matches a district's name
  without its kind (``Unna``) or the start of a longer name (``Frankfurt`` for Frankfurt am Main) must match one
  district only, or the build stops and lists the candidates with their keys;
- a group: ``all`` (every district), a Land by its code (``05``) or its short name (``nrw``, ``by``, ``sn``, ...);
- several of these, separated by commas: ``05913000,05113000``, ``Köln,Kreis Unna``.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.warehouse.directory import District

LANDS = {  # short names of the Länder -> Land code
    "sh": "01", "hh": "02", "ni": "03", "hb": "04", "nrw": "05", "nw": "05", "he": "06", "rp": "07", "bw": "08",
    "by": "09", "sl": "10", "be": "11", "bb": "12", "mv": "13", "sn": "14", "st": "15", "th": "16",
}
KIND_WORDS = ("Kreis ", "Landkreis ", "Region ", "Städteregion ", "Regionalverband ")


class CityNotFound(ValueError):
    """A name or key that names no district, or several."""


def _plain(text: str) -> str:
    t = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9()]+", " ", t).split())


def _base(name: str) -> str:
    for word in KIND_WORDS:
        if name.startswith(word):
            return name[len(word):]
    return name


def resolve_one(item: str, directory: list[District], searched: str) -> list[District]:
    text = item.strip()
    if not text:
        return []
    if text.casefold() == "all":
        return list(directory)
    if text.casefold() in LANDS or re.fullmatch(r"\d{2}", text):
        land = LANDS.get(text.casefold(), text)
        found = [d for d in directory if d.land == land]
        if not found:
            raise CityNotFound(f"no district of Land {land} in the directory (searched: {searched})")
        return found
    if re.fullmatch(r"\d{5}|\d{8}", text):
        found = [d for d in directory if text in (d.key, d.ags) or (len(text) == 8 and text.endswith("000") and d.key == text[:5])
                 or (len(text) == 8 and text.endswith("000000") and d.key == text[:2])]
        if not found:
            raise CityNotFound(f"no district with the key {text} in the directory of {len(directory)} districts (searched: {searched}); "
                               "a municipality inside a Kreis has no profile of its own: use its district's 5-digit key")
        return found
    query = _plain(text)
    exact = [d for d in directory if _plain(d.name) == query]
    if len(exact) == 1:
        return exact
    near = [d for d in directory if _plain(_base(d.name)) == query or _plain(d.name).startswith(query + " ")] if not exact else exact
    if len(near) == 1:
        return near
    if near:
        listed = "; ".join(f"{d.name} ({d.key})" for d in near)
        raise CityNotFound(f"'{text}' names {len(near)} districts: {listed}. Name one by its key or its full name")
    raise CityNotFound(f"no district named '{text}' in the directory of {len(directory)} districts (searched: {searched})")


def resolve(spec: str, directory: list[District], searched: str) -> list[District]:
    """The districts ``spec`` names (comma-separated items), each once, in directory order."""
    chosen: dict[str, District] = {}
    for item in spec.split(","):
        for d in resolve_one(item, directory, searched):
            chosen.setdefault(d.key, d)
    order = {d.key: i for i, d in enumerate(directory)}
    return sorted(chosen.values(), key=lambda d: order[d.key])
