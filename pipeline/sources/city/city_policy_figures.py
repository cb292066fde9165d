"""Figures stated in the policy register's publications: its layout, codes and pandera model, and its dataset (found by
pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

from pipeline.ingest.dataset import Dataset
from pipeline.ingest.tidy import tidy_builder
from pipeline.validation.tables import (
    TidyFigures,
)


class PolicyFigures(TidyFigures):
    """Figures stated in the publications of a city's policy register (shares, counts of refugees, council seats)."""


DATASET = Dataset(
    "city_policy_figures",
    "Figures stated in the policy register's publications",
    "As printed, each with the publication it was read in; they meet the reconciliation where official statistics "
    "count the same thing for the same year.",
    tidy_builder,
    PolicyFigures,
    city_specific=True,
)
