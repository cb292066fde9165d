"""The annual refresh.

Official year-end figures arrive during the following year: for 31.12.2024, Regionaldatenbank published in
December 2025 and IT.NRW between January and February 2026 (raw/sources.yaml). The schedule runs on 1 July at
06:00 Berlin time, by when the previous year-end's tables have long been out, and rebuilds the warehouse from
everything raw/ holds; when that run has succeeded, the sensor ``refresh_profiles`` renders the newest edition of
every district whose profile was built before and of the default cities. It is off until a user turns it on (UI:
Automation), together with ``refresh_profiles``.
"""

import json

import dagster as dg

from pipeline.config import Config
from pipeline.defs.automation.sensors import CHANGED_TAG
from pipeline.defs.jobs import build_warehouse
from pipeline.defs.partitions import sync_partitions
from pipeline.editions import editions_in_raw

ANNUAL_CRON = "0 6 1 7 *"
TIMEZONE = "Europe/Berlin"


@dg.schedule(
    name="annual_refresh",
    cron_schedule=ANNUAL_CRON,
    execution_timezone=TIMEZONE,
    job=build_warehouse,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every 1 July, 06:00 Europe/Berlin: rebuild the warehouse from raw/; refresh_profiles then renders the "
    "newest edition of every built profile and of the default cities.",
)
def annual_refresh(context: dg.ScheduleEvaluationContext, project: dg.ResourceParam[Config]):
    raw_dir = project.raw_dir
    added, _ = sync_partitions(context.instance, raw_dir, project.warehouse_path)
    editions = editions_in_raw(raw_dir)
    if not editions:
        return dg.SkipReason(
            f"raw/ holds no edition ({raw_dir / 'sources.yaml'} is missing or invalid; materialize raw/sources_manifest to see why)."
        )
    newest = editions[-1]
    if added:
        context.log.info(f"new edition(s) in raw/: {', '.join(added)}")
    year = context.scheduled_execution_time.year if context.scheduled_execution_time else "now"
    return dg.RunRequest(
        run_key=f"annual-{year}",
        tags={"edition": newest, "trigger": "annual schedule", CHANGED_TAG: json.dumps(["*"])},
    )
