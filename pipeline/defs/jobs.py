"""Jobs: what `make report`, the UI's launchpad, the annual schedule and the raw-file sensor run."""

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

refresh_edition = dg.define_asset_job(
    "refresh_edition",
    selection=dg.AssetSelection.all(),
    description="One edition and everything upstream of it: the warehouse (unpartitioned) and the edition's report "
    "(the run's partition). What the annual schedule and the raw-file sensor start.",
)
