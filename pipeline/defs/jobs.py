"""Jobs: what `make report`, the UI's launchpad, the annual schedule and the sensors run."""

import dagster as dg

fetch_tables = dg.define_asset_job(
    "fetch_tables",
    selection=dg.AssetSelection.groups("fetch"),
    description="Fetch every table's next year from the publishers' web services into raw/ (what `make fetch` does); "
    "what the annual schedule starts.",
)

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("report", "fetch"),
    description="Ingest and validate every raw source, load the warehouse, reconcile, and compute the marts.",
)

build_report = dg.define_asset_job(
    "build_report",
    selection=dg.AssetSelection.groups("report"),
    description="Write the tables, figures and text of one district's edition (the run's partition, city|edition) and render "
    "the profile to PDF and HTML. What `make report` runs per profile, and refresh_profiles after a warehouse run.",
)

refresh_edition = dg.define_asset_job(
    "refresh_edition",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("fetch"),
    description="One profile and everything upstream of it: the warehouse (unpartitioned) and the profile (the run's "
    "partition, city|edition), in one run.",
)
