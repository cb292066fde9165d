"""Territorial changes: districts merged into another since the oldest file in raw/. One home, the seed
warehouse/seeds/territorial_changes.csv, which the warehouse loads as seeds.territorial_changes (where the branches of
core.indicators add a former district's figures to its successor's) and the ingest reads here (to refuse a vanished
district that carries a value and no rule says where its territory went)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from pipeline.domain.config import PROJECT_DIR

CHANGES_FILE = PROJECT_DIR / "warehouse" / "seeds" / "territorial_changes.csv"


@dataclass(frozen=True)
class Change:
    old_code: str
    new_code: str
    effective: dt.date
    note: str


def territorial_changes() -> dict[str, Change]:
    """old district code -> its change."""
    with CHANGES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["old_code"]: Change(r["old_code"], r["new_code"], dt.date.fromisoformat(r["effective"]), r["note"]) for r in rows}
