"""The report's one way into the warehouse: the tables of schema ``marts``, and nothing else.

Every table, figure and text of the profile is computed from what this reader returns (through the facts of
pipeline/report/facts.py), so the marts a part declares are the report's whole input and its asset's whole lineage.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.warehouse.tables import ident

# What every part reads before its own marts: which district the report is about, its editions, and how its
# sources are cited.
BASE_READS = ("cities", "sources", "editions")


class MartReader:
    """Reads marts.<name> (for one city, or whole), each at most once per report run."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con
        self._frames: dict[tuple[str, str | None], pd.DataFrame] = {}

    def read(self, name: str, region_code: str | None = None) -> pd.DataFrame:
        """The rows of marts.<name>; with ``region_code``, only that city's (the mart must have the column)."""
        key = (name, region_code)
        if key not in self._frames:
            sql = f"SELECT * FROM marts.{ident(name)}"
            result = self._con.execute(sql + " WHERE region_code = ?", [region_code]) if region_code else self._con.execute(sql)
            self._frames[key] = result.df()
        return self._frames[key].copy()

    def forget(self, region_code: str) -> None:
        """Drop one city's rows once its profile is done (a batch's reader keeps only the marts read whole)."""
        self._frames = {k: v for k, v in self._frames.items() if k[1] != region_code}
