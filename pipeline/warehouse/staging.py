"""The staging tables' DDL, generated from each dataset's pandera model (pipeline/sources/).

The model states a staging table's columns once: their order (``column_order``), their types, which may be NULL,
and the key (``Config.unique``, or the one column declared ``unique``). The only hand-written staging DDL is
warehouse/sql/staging/sources.sql, the manifest's table, which no pandera model describes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from pipeline.validation.tables import column_order
from pipeline.warehouse.tables import ident

# pandera's dtypes (as the models declare them) and the DuckDB types they are stored as
SQL_TYPES = {
    "string[python]": "VARCHAR", "str": "VARCHAR", "float64": "DOUBLE", "Int64": "INTEGER", "int64": "INTEGER", "date": "DATE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    not_null: bool


def columns(model: type[pa.DataFrameModel]) -> list[Column]:
    schema = model.to_schema()
    out = []
    for name in column_order(model):
        col = schema.columns[name]
        dtype = str(col.dtype)
        if dtype not in SQL_TYPES:
            raise TypeError(f"{model.__name__}.{name}: no DuckDB type for pandera dtype {dtype!r} (add it to SQL_TYPES)")
        out.append(Column(name, SQL_TYPES[dtype], not col.nullable))
    return out


def primary_key(model: type[pa.DataFrameModel]) -> list[str]:
    schema = model.to_schema()
    key = list(schema.unique or []) or [name for name, col in schema.columns.items() if col.unique]
    if not key:
        raise ValueError(f"{model.__name__} declares no key (Config.unique or a unique column)")
    return key


def staging_ddl(table: str, model: type[pa.DataFrameModel]) -> str:
    """CREATE OR REPLACE TABLE staging.<table> with the model's columns and key."""
    body = [f"    {c.name} {c.sql_type}{' NOT NULL' if c.not_null else ''}," for c in columns(model)]
    body.append(f"    PRIMARY KEY ({', '.join(primary_key(model))})")
    doc = (model.__doc__ or "").strip().splitlines()[0]
    return f"-- staging.{ident(table)}: {doc} (generated from {model.__module__}.{model.__name__})\n" \
        f"CREATE OR REPLACE TABLE staging.{ident(table)} (\n" + "\n".join(body) + "\n);\n"
