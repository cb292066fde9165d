"""The annual refresh.

Official year-end figures arrive during the following year: for 31.12.2024, Regionaldatenbank published in
December 2025 and IT.NRW between January and February 2026 (raw/sources.yaml). The schedule runs on 1 July at
06:00 Berlin time, by when the previous year-end's tables have long been out, and starts ``fetch_tables``: every
table raw/ holds from the publishers' web services is fetched for its next year, checked, and added to raw/ only if
it passes (pipeline/fetch/). The raw-file sensor then sees the new files and rebuilds what they affect in the
warehouse, and ``refresh_profiles`` renders the profiles they touch. A fetch that fails leaves raw/ as it was, and
its run says why. It is off until a user turns it on (UI: Automation), with the sensors ``raw_files`` and
``refresh_profiles``.
"""

import dagster as dg

from pipeline.defs.jobs import fetch_tables
from pipeline.defs.partitions import sync_partitions
from pipeline.domain.config import Config
from pipeline.domain.editions import editions_in_raw

ANNUAL_CRON = "0 6 1 7 *"
TIMEZONE = "Europe/Berlin"


@dg.schedule(
    name="annual_refresh",
    cron_schedule=ANNUAL_CRON,
    execution_timezone=TIMEZONE,
    job=fetch_tables,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every 1 July, 06:00 Europe/Berlin: fetch every table's next year from the publishers' web services; "
    "the raw-file sensor and refresh_profiles then rebuild what the new files touch.",
)
def annual_refresh(context: dg.ScheduleEvaluationContext, project: dg.ResourceParam[Config]):
    raw_dir = project.raw_dir
    added, _ = sync_partitions(context.instance, raw_dir, project.warehouse_path)
    editions = editions_in_raw(raw_dir)
    if not editions:
        return dg.SkipReason(
            f"raw/ holds no edition ({raw_dir / 'sources.yaml'} is missing or invalid; materialize raw/sources_manifest to see why)."
        )
    if added:
        context.log.info(f"new edition(s) in raw/: {', '.join(added)}")
    year = context.scheduled_execution_time.year if context.scheduled_execution_time else "now"
    return dg.RunRequest(run_key=f"annual-{year}", tags={"trigger": "annual schedule", "newest_edition": editions[-1]})
