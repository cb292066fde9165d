"""The Dagster code location: every definition under pipeline/defs/, assembled by Dagster's defs-folder loader."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
