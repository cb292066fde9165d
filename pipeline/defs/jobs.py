"""Jobs: what `make report` and the UI's "Materialize all" run."""

import dagster as dg

build_profile = dg.define_asset_job(
    "build_profile",
    selection=dg.AssetSelection.all(),
    description="Ingest and validate every raw source and load the warehouse.",
)
