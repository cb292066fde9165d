"""Reference text kept as data, not in SQL (dbt's seeds): each CSV of warehouse/seeds/ is loaded into
``seeds.<name>`` with the DDL of warehouse/sql/seeds/<name>.sql, like any input, and the marts read it from there.
A seed is text we wrote (labels, the input that would fill a row), never a figure."""

from __future__ import annotations

import pandas as pd

from pipeline.domain.config import PROJECT_DIR
from pipeline.warehouse.tables import ddl_column_types, ident, table_ddl

SEEDS_DIR = PROJECT_DIR / "warehouse" / "seeds"
SEEDS = sorted(p.stem for p in SEEDS_DIR.glob("*.csv"))


def seed_frame(name: str) -> pd.DataFrame:
    """The seed as a frame with its DDL's columns, in order; INTEGER columns as integers (an empty cell as NULL), the
    rest as text."""
    types = ddl_column_types(table_ddl("seeds", ident(name)))
    frame = pd.read_csv(SEEDS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
    if list(frame.columns) != [c for c, _ in types]:
        raise ValueError(f"warehouse/seeds/{name}.csv: columns {list(frame.columns)} differ from the DDL's {[c for c, _ in types]}")
    for column, kind in types:
        if kind.upper().startswith("INTEGER"):  # (an empty cell: no value, where the DDL allows NULL)
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    return frame


def seed_definition(name: str) -> tuple[bytes, str]:
    """What defines a seed, for its code version (pipeline/versions.py): its rows and its DDL."""
    return (SEEDS_DIR / f"{name}.csv").read_bytes(), table_ddl("seeds", ident(name))
