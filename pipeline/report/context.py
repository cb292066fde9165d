"""What a part of the report sees: the city, the edition, the edition's build folder, the facts it declared, and how
sources are named under tables and figures."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.domain.editions import Edition, editions
from pipeline.domain.manifest import Manifest
from pipeline.domain.periods import period_label, year_label
from pipeline.report.facts import Facts
from pipeline.report.folders import EditionFolder
from pipeline.report.labels import NRW, STATE_OFFICES
from pipeline.report.marts import MartReader


def district_editions(marts: MartReader, manifest: Manifest, region_code: str) -> list[Edition]:
    """The editions of one district: the years marts.editions lists for it, with their windows."""
    frame = marts.read("editions")
    return editions(manifest, sorted(int(y) for y in frame.loc[frame["region_code"] == region_code, "year"]))


# How a label written for a city reads in a district's (Kreis) profile, longest phrase first.
_DISTRICT_WORDS = (
    ("City area", "Area of the district"),
    ("City priorities", "District priorities"),
    ("Population of the city", "Population of the district"),
    ("the city's", "the district's"),
    ("The city's", "The district's"),
    ("the city", "the district"),
    ("The city", "The district"),
)


class ReportContext:
    def __init__(self, marts: MartReader, edition: Edition, editions: list[Edition], folder: EditionFolder, city: str):
        """``city``: which district of the warehouse's directory (marts.cities) the report is about, by its key in
        the warehouse (05913) or its AGS (05913000). ``editions``: the district's editions."""
        self.marts = marts
        self.edition = edition
        self.editions = editions
        self.folder = folder
        cities = marts.read("cities").sort_values("region_code")
        chosen = cities[(cities["region_code"] == city) | (cities["city_ags"] == city)]
        if chosen.empty:
            raise ValueError(f"the warehouse's directory of districts (marts.cities, {len(cities)} districts) has no district {city}")
        self.place = chosen.iloc[0]  # the district's row of marts.cities: its kind, its Land and its Regierungsbezirk
        self.region_code, self.city_ags, self.city = self.place["region_code"], self.place["city_ags"], self.place["city_name"]
        self.kind = self.place["kind"]  # 'city' (a city profile) or 'district' (a district profile)
        every = marts.read("editions")  # (whole: the peers' comparison asks which editions exist at all)
        years = sorted(int(y) for y in every.loc[every["region_code"] == self.region_code, "year"])
        if edition.year not in years:
            raise ValueError(f"{self.city} ({self.region_code}) has no edition {edition.year}: its editions are "
                             f"{', '.join(map(str, years)) or 'none'} (marts.editions)")
        self.sources = marts.read("sources").set_index("id")
        self.facts = Facts(self, edition)
        self.has_content: dict[str, bool] = {}  # the parts made so far: whether each has content (PartSpec.run)

    @property
    def is_city(self) -> bool:
        return self.kind == "city"

    @property
    def kind_word(self) -> str:
        """'City' or 'District', as the title names the profile."""
        return "City" if self.is_city else "District"

    @property
    def is_city_state(self) -> bool:
        """Berlin, Hamburg: a Land and its only municipality in one (no moves 'within the Land', the Land's figures
        are the city's)."""
        return bool(self.place.get("city_state", False))

    @property
    def land_code(self) -> str:
        return str(self.place["land_code"])

    @property
    def place_word(self) -> str:
        """What the report calls the place in running text: 'the city' or 'the district'."""
        return "the city" if self.is_city else "the district"

    def owner(self, capital: bool = False) -> str:
        """'the city's' or 'the district's' (capitalised at the start of a sentence)."""
        words = f"{self.place_word}'s"
        return words[0].upper() + words[1:] if capital else words

    def words(self, text: str) -> str:
        """A label or sentence written for a city, in the words of this district's kind: a Kreis's profile speaks of
        'the district', 'District area', 'the district's register'. Only for the report's own words (labels of the
        marts, gap texts), never for text from an input file."""
        if self.is_city:
            return text
        for city, district in _DISTRICT_WORDS:
            text = text.replace(city, district)
        return text

    def needed(self, text: str) -> str:
        """What would fill a gap, pointing to this district's own Land: its statistical office by name, the North
        Rhine-Westphalian tables (which raw/ holds) only for a district in North Rhine-Westphalia."""
        if self.land_code == NRW:
            text = text.replace("in North Rhine-Westphalia ", "")
            return self.words(text)
        text = re.sub(r"\s*\(in North Rhine-Westphalia [^)]*\)", "", text)
        text = re.sub(r"[:,] in North Rhine-Westphalia [^;)]*", "", text)
        office = STATE_OFFICES.get(self.land_code)
        if office:
            text = text.replace("the state statistical office's", f"the {office}'s")
            text = text.replace("the state statistical office", f"the {office}")
            text = text.replace("the Land's integration ministry", f"the integration ministry of {self.place['land_name']}")
        return self.words(text)

    @property
    def title(self) -> str:
        """'City Migration Profile Dortmund', 'District Migration Profile Kreis Unna'."""
        return f"{self.kind_word} Migration Profile {self.city}"

    # -- naming sources ------------------------------------------------------------------------------------------

    def source_text(self, source_ids, dates: dict[str, set] | None = None, cited: dict[str, set] | None = None) -> str:
        """The source line under a table or figure: each source's publisher and table (its short name) with its
        reference period, then the licences with the credit lines they require. For our transcriptions of the MC2CM
        profile the publishers the profile cites come first. Section 8 lists every source in full. ``dates``: the
        days the table's cells take from a source (a time series' file covers many; the line names those used).
        ``cited``: for a transcription, the publications the profile cites for the cells used (by default all it cites
        for any figure of the file)."""
        ids = sorted(set(source_ids), key=lambda s: (self.sources.loc[s, "level"] == "profile", s))
        named, licences = [], {}
        for sid in ids:
            row = self.sources.loc[sid]
            if row["level"] == "profile":
                named_by = sorted((cited or {}).get(sid, ())) or list(row["cited_publishers"])
                lead = f"{'; '.join(named_by)}, as cited in the " if named_by else "the "
                named.append(f"{lead}{row['short_name']} (2021)")
            else:
                used = sorted((dates or {}).get(sid, ()))
                if used and pd.notna(row["period_start"]):  # a series: the periods of the cells, not of the whole file
                    periods = ", ".join(dict.fromkeys(period_label(row["period"], pd.Timestamp(d).date()) for d in used))
                    named.append(f"{row['short_name']} ({periods})")
                else:
                    named.append(f"{row['short_name']} ({self.period_of(sid)})")
            licences.setdefault(row["licence"], [])
            if row["attribution"] not in licences[row["licence"]]:
                licences[row["licence"]].append(row["attribution"])
        terms = "; ".join(f"licence {lic}: {', '.join(credits)}" if lic.startswith("dl-de") else f"{lic} ({', '.join(credits)})"
                          for lic, credits in licences.items())
        return f"{'; '.join(named)}. {terms[0].upper() + terms[1:]}."

    def period_of(self, source_id: str) -> str:
        """A source's reference period as the publisher defines it: '31.12.2024', 'annual average 2023', 'year 2024',
        'school year 2022/23', 'winter semester 2023/24' (pipeline/domain/periods.py)."""
        row = self.sources.loc[source_id]
        start = row["period_start"].date() if pd.notna(row["period_start"]) else None
        return period_label(row["period"], row["reference_date"].date(), start)

    def year_of(self, source_id: str, reference_date) -> str:
        """One figure's period in a table's year column: '2024', '2023, annual average', 'WS 2023/24'."""
        return year_label(self.sources.loc[source_id, "period"], pd.Timestamp(reference_date).date())

    def cited_publishers(self, source_ids) -> list[str]:
        """The publications the MC2CM profile cites for the figures of these sources, each once, sorted."""
        used = self.sources.loc[sorted(set(source_ids) & set(self.sources.index))]
        return sorted({c for cited in used["cited_publishers"] for c in cited})

    def edition_label(self, edition: Edition | None = None) -> str:
        e = edition or self.edition
        return f"edition {e.year}"
