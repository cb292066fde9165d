"""Dagster resources: where the raw files are, which city the profile is about, and the warehouse."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipeline import warehouse as wh
from pipeline.ingest.manifest import MANIFEST_NAME, Manifest, load_manifest
from pipeline.locks import FileLock, LockTimeout
from pipeline.report.paths import build_dir
from pipeline.settings import DEFAULT_CITY_AGS, DEFAULT_CITY_NAME, PROJECT_DIR, Settings, all_cities, city_region_codes, parse_cities

LOCK_TIMEOUT_SECONDS = Settings.lock_timeout_seconds


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


class RawSources(dg.ConfigurableResource):
    """The raw/ folder and its sources manifest."""

    raw_dir: str

    _parsed: tuple[bytes, Manifest] | None = PrivateAttr(default=None)

    def manifest(self) -> Manifest:
        """The parsed manifest, parsed again only when the file's content changed (every step of a run asks)."""
        try:
            key = hashlib.sha256((Path(self.raw_dir) / MANIFEST_NAME).read_bytes()).digest()
        except OSError:
            key = None
        if key is not None and self._parsed is not None and self._parsed[0] == key:
            return self._parsed[1]
        manifest = load_manifest(Path(self.raw_dir))  # raises on a broken manifest, which is then never kept
        self._parsed = (key, manifest) if key is not None else None
        return manifest


class ProfileSettings(dg.ConfigurableResource):
    """The city the profile describes (8-digit AGS; Dortmund by default) and where its report is built and published
    (report_dir/_build/<city>-<edition>/ and report_dir/_output/)."""

    city_ags: str = DEFAULT_CITY_AGS
    city_name: str = DEFAULT_CITY_NAME
    # further cities the warehouse carries besides the profile city, as 'AGS=Name' (CMP_CITIES)
    more_cities: list[str] = []
    report_dir: str = str(PROJECT_DIR / "report")

    lock_timeout_seconds: float = LOCK_TIMEOUT_SECONDS

    _context: dg.InitResourceContext | None = PrivateAttr(default=None)
    _locks: dict[str, FileLock] = PrivateAttr(default_factory=dict)

    @property
    def output_dir(self) -> Path:
        return Path(self.report_dir) / "_output"

    @property
    def build_root(self) -> Path:
        return Path(self.report_dir) / "_build"

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._context = context

    def edition_folder(self, edition: str) -> Path:
        """The edition's build folder, report/_build/<city>-<edition>/, locked for this run: a second run building
        the same edition waits until this one has ended (two runs never write one folder at once)."""
        folder = build_dir(self.build_root, self.city_name, edition)
        if folder.name not in self._locks:
            lock = FileLock(folder.with_name(f".{folder.name}.lock"), f"the report folder {folder.name}")
            _take(lock, self._context, self.lock_timeout_seconds)
            self._locks[folder.name] = lock
        return folder

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        for lock in self._locks.values():
            lock.release()
        self._locks.clear()

    def region_codes(self) -> tuple[str, ...]:
        return city_region_codes(self.city_ags)

    def cities(self) -> list[tuple[str, str]]:
        """Every city the warehouse holds: (AGS, name), the profile city first."""
        return all_cities(self.city_ags, self.city_name, parse_cities(";".join(self.more_cities)))


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (warehouse/profile.duckdb), written one run at a time and all-or-nothing.

    The first write of a run takes the warehouse lock (a second writing run waits for it, up to
    ``lock_timeout_seconds``, then gives up with a message naming the run that holds it) and copies the published
    file to a working copy; every step of the run then reads and writes that copy. When the run ends the copy
    replaces the published file in one rename, but only if every step succeeded: a failed, cancelled or killed run
    leaves the published warehouse exactly as it was. Runs that only read (the report) read the published file and
    take no lock. Runs must use the in-process executor (the project's default), so a run is one process.
    """

    path: str
    lock_timeout_seconds: float = LOCK_TIMEOUT_SECONDS

    _context: dg.InitResourceContext | None = PrivateAttr(default=None)
    _lock: FileLock | None = PrivateAttr(default=None)
    _work: Path | None = PrivateAttr(default=None)
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _reader: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _refused: LockTimeout | None = PrivateAttr(default=None)

    @property
    def live(self) -> Path:
        return Path(self.path)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._context = context

    def _writer(self) -> duckdb.DuckDBPyConnection:
        if self._refused is not None:  # the lock was not to be had: every later step of the run fails the same way
            raise self._refused
        if self._con is None:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            self._lock = FileLock(wh.lock_path(self.live), f"the warehouse {self.live.name}")
            try:
                _take(self._lock, self._context, self.lock_timeout_seconds)
            except LockTimeout as exc:
                self._refused = exc
                raise
            try:
                self._work = wh.start_working_copy(self.live, _run_id(self._context) or "direct")
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
                wh.discard_working_copy(self.live)
                _say(context, f"{reason}; nothing this run wrote was published, {self.live} is unchanged")
            else:
                wh.publish_working_copy(self._work, self.live)
                _say(context, f"published the warehouse {self.live}")
        finally:
            if self._lock is not None:
                self._lock.release()
