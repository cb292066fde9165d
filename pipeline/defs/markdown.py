"""Small Markdown helpers for Dagster metadata previews (no extra dependency)."""

from __future__ import annotations

import math

import pandas as pd


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(frame: pd.DataFrame, max_rows: int = 20) -> str:
    """A GitHub-style Markdown table of the first ``max_rows`` rows."""
    shown = frame.head(max_rows)
    lines = ["| " + " | ".join(map(str, shown.columns)) + " |", "|" + "---|" * len(shown.columns)]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if len(frame) > max_rows:
        lines.append(f"\n*{max_rows} of {len(frame):,} rows shown*")
    return "\n".join(lines)
