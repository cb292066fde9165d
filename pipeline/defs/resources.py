"""The resources every asset, the sensor and the schedule are given, and the executor and loggers of every run.

- ``project``: the project's :class:`~pipeline.domain.config.Config` (paths, cities, lock timeout), built once from the
  environment when the definitions load;
- ``warehouse``: the DuckDB warehouse, written one run at a time and published all-or-nothing;
- ``report_folders``: each profile's build folder in report/_build/, locked for the run that writes it.
"""


from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipeline import versions
from pipeline.defs.jobs import build_warehouse, refresh_edition
from pipeline.defs.locks import FileLock, LockTimeout
from pipeline.defs.progress import full_log, step_lines
from pipeline.domain.config import Config
from pipeline.report.folders import EditionFolder, Published
from pipeline.warehouse import working_copy as wc


def _run_id(context: dg.InitResourceContext | None) -> str:
    run = context.run if context is not None else None
    return run.run_id if run is not None else ""


def _say(context: dg.InitResourceContext | None, message: str, warn: bool = False) -> None:
    if context is not None and context.log is not None:
        (context.log.warning if warn else context.log.info)(message)


def _take(lock: FileLock, context: dg.InitResourceContext | None, timeout: float) -> None:
    """Take ``lock`` for the run of ``context``, saying in the run's log (as a warning) if it has to wait."""
    lock.acquire(f"run {(_run_id(context) or 'direct')[:8]}", timeout, lambda m: _say(context, m, warn=True))


def _run_failed(context: dg.InitResourceContext) -> str:
    """Why the run must not publish what it wrote ('' if it may): a step failed, or the run is being cancelled."""
    run_id = _run_id(context)
    if context.instance is None or not run_id:
        return ""
    failures = context.instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    if failures:
        return "step(s) failed: " + ", ".join(sorted({e.step_key or "?" for e in failures}))
    run = context.instance.get_run_by_id(run_id)
    if run is not None and run.status in (dg.DagsterRunStatus.CANCELING, dg.DagsterRunStatus.CANCELED):
        return "the run was cancelled"
    return ""


# a run of these jobs without a selection (None or empty) builds all of the warehouse
WHOLE_WAREHOUSE_JOBS = (build_warehouse.name, refresh_edition.name)


def _record_whole_build(context: dg.InitResourceContext, config: Config, code: str) -> Path | None:
    """After a run that built the whole warehouse (any run: the UI, a schedule, `make report`) published it: the
    warehouse's record (pipeline/versions.py) with the dataset versions its raw assets ingested, so `make report` does
    not build it again. A run of a part writes none (which datasets its part reflects is `make report`'s plan's to
    say; after a part built elsewhere, the next `make report` rebuilds the warehouse once)."""
    run = context.run
    if context.instance is None or run is None or run.job_name not in WHOLE_WAREHOUSE_JOBS or run.asset_selection:
        return None
    ingested = {}
    for entry in context.instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.asset_materialization
        if materialization is not None and versions.DATASET_VERSION in materialization.metadata:
            ingested[materialization.asset_key.path[-1]] = str(materialization.metadata[versions.DATASET_VERSION].value)
    try:  # (the datasets' names: their versions are what the raw assets ingested, not hashed again here)
        expected = {e.dataset for e in config.manifest().entries} | {versions.MANIFEST_DATASET}
    except Exception:  # noqa: BLE001 - the manifest cannot be read now: no record (the next make report rebuilds)
        return None
    if set(ingested) != expected:
        return None
    return versions.record_warehouse(config, code, ingested)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (warehouse/profile.duckdb), written one run at a time and all-or-nothing.

    The first write of a run takes the warehouse lock (a second writing run waits for it, up to the configured lock
    timeout, then gives up with a message naming the run that holds it) and copies the published file to a working
    copy; every step of the run then reads and writes that copy. When the run ends the copy replaces the published
    file in one rename, but only if every step succeeded: a failed, cancelled or killed run leaves the published
    warehouse exactly as it was. Runs that only read (the report) read the published file and take no lock. Runs
    must use the in-process executor (the project's default), so a run is one process.
    """

    project: dg.ResourceDependency[Config]

    _context: dg.InitResourceContext | None = PrivateAttr(default=None)
    _lock: FileLock | None = PrivateAttr(default=None)
    _work: Path | None = PrivateAttr(default=None)
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _reader: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _refused: LockTimeout | None = PrivateAttr(default=None)
    _code: str = PrivateAttr(default="")

    @property
    def live(self) -> Path:
        return self.project.warehouse_path

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._context = context

    def _writer(self) -> duckdb.DuckDBPyConnection:
        if self._refused is not None:  # the lock was not to be had: every later step of the run fails the same way
            raise self._refused
        if self._con is None:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            self.live.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(wc.lock_path(self.live), f"the warehouse {self.live.name}")
            try:
                _take(self._lock, self._context, self.project.lock_timeout_seconds)
            except LockTimeout as exc:
                self._refused = exc
                raise
            try:
                self._code = versions.warehouse_code()  # the code this run builds with, for the record
                self._work = wc.start_working_copy(self.live, _run_id(self._context) or "direct")
                self._con = duckdb.connect(str(self._work))
            except BaseException:
                self._lock.release()
                raise
        return self._con

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to this run's working copy of the warehouse."""
        cursor = self._writer().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextmanager
    def read_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for reading: this run's working copy if the run wrote to the warehouse, otherwise the
        published file, read-only."""
        if self._con is not None:
            with self.get_connection() as con:
                yield con
            return
        if self._reader is None:
            if not self.live.exists():
                raise FileNotFoundError(f"no warehouse at {self.live} yet: run the build_warehouse job (or make report) first")
            self._reader = duckdb.connect(str(self.live), read_only=True)
        cursor = self._reader.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._con is None:
            return
        try:
            reason = _run_failed(context)
            if not reason:
                self._con.execute("CHECKPOINT")
            self._con.close()
            self._con = None
            if reason:
                wc.discard_working_copy(self.live)
                _say(context, f"{reason}; nothing this run wrote was published, {self.live} is unchanged")
            else:
                wc.publish_working_copy(self._work, self.live)
                _say(context, f"published the warehouse {self.live}")
                record = _record_whole_build(context, self.project, self._code)
                if record is not None:
                    _say(context, f"recorded what it was built from in {record}: `make report` finds it up to date")
        finally:
            if self._lock is not None:
                self._lock.release()


class ReportFolders(dg.ConfigurableResource):
    """Where each district's editions are built (report/_build/<district key>-<edition>/) and published
    (report/_output/). A run that asks for a build folder holds its lock until the run ends: a second run building
    the same profile waits until this one has ended, and runs building other profiles never share a folder."""

    project: dg.ResourceDependency[Config]

    _context: dg.InitResourceContext | None = PrivateAttr(default=None)
    _locks: dict[str, FileLock] = PrivateAttr(default_factory=dict)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._context = context

    def edition(self, city_key: str, edition: str) -> EditionFolder:
        """The build folder of the district's edition, locked for this run."""
        folder = EditionFolder.of(self.project.report_build, city_key, edition)
        if folder.root.name not in self._locks:
            lock = FileLock(folder.lock_file, f"the report folder {folder.root.name}")
            _take(lock, self._context, self.project.lock_timeout_seconds)
            self._locks[folder.root.name] = lock
        return folder

    def published(self, city_name: str, edition: str) -> Published:
        return Published.of(self.project.report_output, city_name, edition)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        for lock in self._locks.values():
            lock.release()
        self._locks.clear()


def project_resources(config: Config) -> dict:
    """The resources of a code location (or of a direct materialisation, as the scale benchmark does) for ``config``."""
    return {"project": config, "warehouse": Warehouse(project=config), "report_folders": ReportFolders(project=config)}


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources=project_resources(Config.from_env()),
        # One process runs every step: the whole build takes seconds, while a process per step would spend most of
        # its time importing pandas and Dagster, and DuckDB allows a single writing process anyway.
        executor=dg.in_process_executor,
        # Dagster's console log; the command line's one line per step and its log file (switched on by `python -m
        # pipeline build`, which prints its own summary and keeps Dagster's event log in the file)
        loggers={"console": dg.colored_console_logger, "progress": step_lines, "full_log": full_log},
    )
