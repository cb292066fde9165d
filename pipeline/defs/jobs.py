"""Jobs: what `make report` and the UI's "Materialize all" run."""

import dagster as dg

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("report"),
    description="Ingest and validate every raw source, load the warehouse, reconcile, and compute the marts.",
)

build_report = dg.define_asset_job(
    "build_report",
    selection=dg.AssetSelection.groups("report"),
    description="Write the tables, figures and text of one edition and render the profile to PDF and HTML.",
)
