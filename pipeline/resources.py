"""Dagster resources: where the raw files are, which city the profile is about, and the warehouse."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.ingest.manifest import Manifest, load_manifest
from pipeline.settings import DEFAULT_CITY_AGS, DEFAULT_CITY_NAME, PROJECT_DIR, city_region_codes


class RawSources(dg.ConfigurableResource):
    """The raw/ folder and its sources manifest."""

    raw_dir: str

    def manifest(self) -> Manifest:
        return load_manifest(Path(self.raw_dir))


class ProfileSettings(dg.ConfigurableResource):
    """The city the profile describes (8-digit AGS; Dortmund by default) and where its report is built and published
    (report_dir/_build/<city>-<edition>/ and report_dir/_output/)."""

    city_ags: str = DEFAULT_CITY_AGS
    city_name: str = DEFAULT_CITY_NAME
    report_dir: str = str(PROJECT_DIR / "report")

    @property
    def output_dir(self) -> Path:
        return Path(self.report_dir) / "_output"

    @property
    def build_root(self) -> Path:
        return Path(self.report_dir) / "_build"

    def region_codes(self) -> tuple[str, ...]:
        return city_region_codes(self.city_ags)
