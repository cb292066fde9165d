"""core.indicators is assembled from the tables' branches: each publisher table's ``.sql`` beside its module
(pipeline/sources/<publisher>/<table>.sql, pipeline.sources.registry.BRANCHES) maps its staging table to the
warehouse's one vocabulary; the files in our tidy layouts (models derived from TidyFigures) need no branch of their
own. ``prelude`` unions them into two temporary views, ``table_figures`` and ``transcribed_figures``, which
warehouse/sql/core/indicators.sql reads; a new table's branch is picked up without editing that file."""

from __future__ import annotations

from pipeline.sources.registry import BRANCHES, DATASETS
from pipeline.validation.tables import TidyFigures
from pipeline.warehouse.tables import ident


def _branch(name: str) -> str:
    text = BRANCHES[name].read_text(encoding="utf-8").rstrip().rstrip(";")
    # (rounding as DOUBLE in every branch: a literal such as 0.05 is a DECIMAL, and a union of DECIMALs of different
    # scales would round it to the coarsest)
    return f"-- {ident(name)}\nSELECT * REPLACE (rounding::DOUBLE AS rounding) FROM (\n{text}\n)"


def prelude() -> str:
    """The SQL that creates the two views core.indicators reads (run before it, in the same connection)."""
    tables = "\nUNION ALL BY NAME\n".join(_branch(name) for name in BRANCHES)
    tidy = [d.name for d in DATASETS if issubclass(d.model, TidyFigures)]
    transcribed = "\nUNION ALL BY NAME ".join(f"SELECT * FROM staging.{ident(name)}" for name in tidy)
    return (f"CREATE OR REPLACE TEMP VIEW table_figures AS\n{tables};\n\n"
            f"CREATE OR REPLACE TEMP VIEW transcribed_figures AS\n{transcribed};\n")
