"""Resources and executor shared by every asset, configured from the environment (see pipeline/settings.py)."""

import dagster as dg

from pipeline.progress import step_lines
from pipeline.resources import ProfileSettings, RawSources, Warehouse
from pipeline.settings import Settings


@dg.definitions
def resources() -> dg.Definitions:
    settings = Settings.from_env()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return dg.Definitions(
        resources={
            "raw_sources": RawSources(raw_dir=str(settings.raw_dir)),
            "profile": ProfileSettings(
                city_ags=settings.city_ags, city_name=settings.city_name, more_cities=[f"{a}={n}" for a, n in settings.more_cities],
                report_dir=str(settings.report_dir), lock_timeout_seconds=settings.lock_timeout_seconds,
            ),
            "warehouse": Warehouse(path=str(settings.warehouse_path), lock_timeout_seconds=settings.lock_timeout_seconds),
        },
        # One process runs every step: the whole build takes seconds, while a process per step would spend most of
        # its time importing pandas and Dagster, and DuckDB allows a single writing process anyway.
        executor=dg.in_process_executor,
        # Dagster's console log, and the command line's one line per step (switched on by `python -m pipeline build`)
        loggers={"console": dg.colored_console_logger, "progress": step_lines},
    )
