"""What a report part sees: the warehouse (read through the marts), the edition, the city, and how sources are
named under tables and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.report.editions import Edition
from pipeline.warehouse import ident


@dataclass(frozen=True)
class Gap:
    """Something an edition cannot show, and the input that would provide it."""

    what: str
    needed: str


@dataclass
class Part:
    """A piece of the report: Markdown for the document, plus what it could not show and which sources it used."""

    markdown: str
    gaps: list[Gap] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    facts: dict = field(default_factory=dict)


class ReportContext:
    def __init__(self, con: duckdb.DuckDBPyConnection, edition: Edition, out_dir: Path, all_editions: list[Edition], city_ags: str | None = None):
        """``city_ags``: which of the warehouse's cities (core.profile_cities) the report is about; None: the first."""
        self.con = con
        self.edition = edition
        self.all_editions = all_editions
        self.out_dir = out_dir
        city = con.execute(
            "SELECT region_code, city_ags, city_name FROM core.profile_cities WHERE city_ags = coalesce(?, city_ags) ORDER BY region_code LIMIT 1", [city_ags]
        ).fetchone()
        if city is None:
            held = ", ".join(f"{a} ({n})" for a, n in con.execute("SELECT city_ags, city_name FROM core.profile_cities ORDER BY 1").fetchall())
            raise ValueError(f"the warehouse holds no figures for AGS {city_ags}, only for {held or 'no city'}: rebuild it with that city (CMP_CITY_AGS, CMP_CITIES)")
        self.region_code, self.city_ags, self.city = city
        self.sources = con.execute("SELECT * FROM staging.sources").df().set_index("id")

    # -- reading -------------------------------------------------------------------------------------------------

    def mart(self, name: str, city_only: bool = True) -> pd.DataFrame:
        """The rows of marts.<name> (for the profile's city), each with its source's publisher level."""
        sql = f"SELECT * FROM marts.{ident(name)}"
        frame = self.con.execute(sql + " WHERE region_code = ?", [self.region_code]).df() if city_only else self.con.execute(sql).df()
        if "source_id" in frame.columns:
            frame["level"] = frame["source_id"].map(self.sources["level"])
        return frame

    def of_edition(self, frame: pd.DataFrame, edition: Edition | None = None) -> pd.DataFrame:
        """The rows that belong to the edition (see pipeline/report/editions.py)."""
        e = edition or self.edition
        if frame.empty:
            return frame
        keep = [e.holds(int(y), lvl) for y, lvl in zip(frame["year"], frame["level"])]
        return frame.loc[keep]

    @staticmethod
    def newest(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
        """The rows of the newest year (per group ``by``)."""
        if frame.empty:
            return frame
        if not by:
            return frame[frame["year"] == frame["year"].max()]
        top = frame.groupby(by)["year"].transform("max")
        return frame[frame["year"] == top]

    def edition_rows(self, name: str, by: list[str] | None = None) -> pd.DataFrame:
        """The newest rows of a mart within this edition."""
        return self.newest(self.of_edition(self.mart(name)), by)

    # -- naming sources ------------------------------------------------------------------------------------------

    def source_text(self, source_ids) -> str:
        """The source line under a table or figure: each source's publisher and table (its short name) with its
        reference date, then the licences with the credit lines they require. For our transcriptions of the MC2CM
        profile the publishers the profile cites come first. Section 8 lists every source in full."""
        ids = sorted(set(source_ids), key=lambda s: (self.sources.loc[s, "level"] == "profile", s))
        named, licences = [], {}
        for sid in ids:
            row = self.sources.loc[sid]
            if row["level"] == "profile":
                cited = [c for (c,) in self.con.execute(
                    "SELECT DISTINCT cited_publisher FROM core.indicators WHERE source_id = ? AND cited_publisher <> '' ORDER BY 1", [sid]
                ).fetchall() if not c.startswith("MC2CM profile")]
                lead = f"{'; '.join(cited)}, as cited in the " if cited else "the "
                named.append(f"{lead}{row['short_name']} (2021)")
            else:
                period = (f"{row['period_start'].year}-{row['reference_date'].year}" if pd.notna(row["period_start"])
                          else row["reference_date"].strftime("%d.%m.%Y"))
                named.append(f"{row['short_name']} ({period})")
            licences.setdefault(row["licence"], [])
            if row["attribution"] not in licences[row["licence"]]:
                licences[row["licence"]].append(row["attribution"])
        terms = "; ".join(f"licence {lic}: {', '.join(credits)}" if lic.startswith("dl-de") else f"{lic} ({', '.join(credits)})"
                          for lic, credits in licences.items())
        return f"{'; '.join(named)}. {terms[0].upper() + terms[1:]}."

    def edition_label(self, edition: Edition | None = None) -> str:
        e = edition or self.edition
        return f"edition {e.year}"
