"""``python -m pipeline build`` (what `make report` runs): plan what changed, run the Dagster jobs that redo it
against the project's instance, and say what was built.

First the warehouse (one run for every district: the warehouse always holds the whole directory), then the
profiles asked for: the default city (CMP_CITY_AGS, Dortmund) or ``--city`` / ``--cities``
(pipeline/cli/cities.py), each in each of its editions (or ``--edition``). Profiles that need rendering run in
batches of up to 25, one Dagster run each over a range of partitions (one materialization per profile and asset,
pipeline/defs/report/batches.py); several batches run side by side in worker processes (``--jobs``, default: the
machine's cores), each reading the published warehouse read-only and writing only its own build folders (from 8
profiles on; fewer render in this process, where starting workers would cost more than it saves). A profile that
fails does not stop the others; the build then ends non-zero and lists each failed profile with its reason.
Finally report/_output/index.html lists every published profile.

The runs go through Dagster against the project's instance (DAGSTER_HOME, .dagster/ when started from the
Makefile), so they appear in the UI's run history like runs launched there. What a run did is read from its result's
own accessors (materializations, failed steps, checks); the instance is used as Dagster gives it. (A profile's run
writes 20 events: two assets, report/contents and report/profile. With the 30 assets of before, Dagster asked the
instance about 350 times whether the partition existed, and this module answered from memory by patching the
instance; with two it asks 18 times, and the patch is gone.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from pipeline.cli import quiet_warnings
from pipeline.cli.runs import process_tags
from pipeline.cli.summary import LOG_ENV, Outcome, finish
from pipeline.domain.files import is_disk_full, no_space

TAGS = {"launched_by": "command line"}  # and the process that runs it (pipeline/cli/runs.py, process_tags)
DIRECTORY_DATASETS = ("population_by_nationality_and_age_group", "districts_area_population")
MANY = 8  # from this many profiles on, worker processes render them (default --jobs: the cores)
KEEP_LOGS = 20
INDEX_EVERY = 2.0  # seconds: the index page is rewritten as profiles are published, at most this often, and at the end
# what one worker process of a fan-out takes at its peak: the fan-out of every district on two workers peaked at
# 2.3 GiB for the build, its two workers and their pandoc and Typst (README, "Many profiles")
WORKER_MEMORY = 1 * 2**30


def run_config(steps: bool) -> dict:
    """Dagster's console says nothing; the event log with its tracebacks goes to the build's log file (the summary
    names it); with ``steps``, one line per finished step (the warehouse run; a profile's run gets one line in all)."""
    loggers: dict = {"console": {"config": {"log_level": "CRITICAL"}}}
    if os.environ.get(LOG_ENV):
        loggers["full_log"] = {"config": {"path": os.environ[LOG_ENV]}}
    else:  # (a run without a build's log file, as the benchmark starts them: errors on the console)
        loggers["console"]["config"]["log_level"] = "ERROR"
    if steps:
        loggers["progress"] = {}
    return {"loggers": loggers}


def _open_log(config) -> Path:
    """A new log file for this build in warehouse/logs/ (the newest KEEP_LOGS are kept)."""
    folder = config.warehouse_path.parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("build-*.log"))[:-(KEEP_LOGS - 1)]:
        old.unlink(missing_ok=True)
    path = folder / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    path.write_text(f"python -m pipeline build, {time.strftime('%Y-%m-%d %H:%M:%S')}: Dagster's event log of every run\n",
                    encoding="utf-8")
    os.environ[LOG_ENV] = str(path)
    return path


def build(args: argparse.Namespace) -> int:
    quiet_warnings()
    from pipeline.cli import incremental
    from pipeline.domain.config import Config

    config = Config.from_env()
    started = time.monotonic()
    for line in _tidy_up(config):
        print(line, flush=True)
    try:
        _open_log(config)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        print(f"Cannot build: {no_space(config.warehouse_path.parent / 'logs', 2**20, 'the build log')}", file=sys.stderr)
        return 1
    todo = incremental.plan(config, full=args.full)
    print(f"Warehouse: {'rebuild' if todo.warehouse == 'all' else 'update' if todo.warehouse else 'up to date'} ({todo.warehouse_reason})",
          flush=True)
    outcomes: list[Outcome] = []
    if todo.warehouse is not None:
        _mark_dead_runs()
        outcome = _run_warehouse(todo)
        outcomes.append(outcome)
        if not outcome.success:
            return finish(config, todo, outcomes, [], started)
        _register(config)  # the new directory's districts and raw/'s editions, for the UI and the profiles' runs
    incremental.record_warehouse(config, todo)

    from pipeline.cli.cities import CityNotFound, resolve
    from pipeline.warehouse.directory import read_directory

    if not config.warehouse_path.exists():
        print(f"No warehouse at {config.warehouse_path}: nothing to render.", file=sys.stderr)
        return 1
    directory = read_directory(config.warehouse_path)
    spec = args.cities or args.city or ",".join(c.ags for c in config.default_cities)
    try:
        districts = resolve(spec, directory, _searched(todo))
    except CityNotFound as exc:
        print(f"Cannot build: {exc}.", file=sys.stderr)
        return 2
    profiles, missing = _profiles(districts, args.edition)
    for d in missing:
        print(f"{d.name} ({d.key}) has no edition {args.edition}: its editions are {', '.join(d.editions) or 'none'} "
              "(an edition needs the district's Germans and foreigners by age group for that year)")
    if not profiles:
        print("Nothing to render.", file=sys.stderr)
        return 2 if args.edition else 0
    incremental.plan_profiles(config, todo, profiles, {d.key: [int(y) for y in d.editions] for d in districts})
    _say_plan(todo)
    to_render = todo.to_render
    from pipeline.report.index import write_index

    if to_render:
        _mark_dead_runs()
        if todo.warehouse is None:  # (after a warehouse run they are registered already)
            _register(config)
        last_index = [0.0]

        def published(p, outcome: Outcome) -> None:
            """As each profile is published (report/profile has written its record): the index, at most every
            INDEX_EVERY seconds."""
            if outcome.success:
                if time.monotonic() - last_index[0] >= INDEX_EVERY:
                    write_index(config, incremental.published_records(config)[0])
                    last_index[0] = time.monotonic()

        outcomes += _render(config, todo, to_render, jobs=args.jobs, done=published)
    records, problems = incremental.published_records(config)
    write_index(config, records)
    for line in problems:  # a published profile whose files went missing or were altered: named, not dropped silently
        print(f"note    {line}")
    return finish(config, todo, outcomes, profiles, started)


def _tidy_up(config) -> list[str]:
    """Before anything else: what killed builds left behind in the files. A publish a crash interrupted is completed;
    partial files of ended processes and a dead run's working copy of the warehouse are removed (they would keep a full
    disk full). (Runs a dead process left in the instance are marked failed before this build starts a run of its own:
    ``_mark_dead_runs``; a build with nothing to do does not load Dagster.)"""
    from pipeline.report.publish import recover

    said = []
    for folder in (config.report_output, config.report_build / ".chart-cache", config.warehouse_path.parent):
        said += recover(folder)
    said += _discard_stale_working_copy(config.warehouse_path)
    return said


def _mark_dead_runs() -> None:
    """Mark failed the runs a dead process left unfinished in the project's instance (they would hold places in its
    run queue for ever), once per build, before its first run."""
    if os.environ.get("DAGSTER_HOME") and not _WORKER.get("dead_runs_marked"):
        from pipeline.cli.runs import mark_dead_runs

        for line in mark_dead_runs(_instance()):
            print(line, flush=True)
        _WORKER["dead_runs_marked"] = True


def _discard_stale_working_copy(live: Path) -> list[str]:
    """Remove the working copy a killed warehouse run left, unless a run is writing the warehouse now (holds its lock)."""
    import shutil

    from pipeline.defs.locks import FileLock, LockTimeout
    from pipeline.warehouse import working_copy as wc

    folder = wc.work_dir(live)
    if not folder.exists():
        return []
    lock = FileLock(wc.lock_path(live), f"the warehouse {live.name}")
    try:
        lock.acquire("a build removing a dead run's working copy", timeout=0)
    except LockTimeout:
        return []  # a run is writing it
    try:
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        lock.release()
    return [f"note    removed the working copy of the warehouse a killed run had left ({size / 2**20:,.0f} MB)"] if size else []


def _searched(todo) -> str:
    manifest = todo.manifest
    if manifest is None:
        return "raw/sources.yaml could not be read"
    files = sorted({f"raw/{e.file}" for e in manifest.entries if e.dataset in DIRECTORY_DATASETS})
    return ", ".join(files)


def _profiles(districts, edition: str | None):
    from pipeline.cli.incremental import Profile

    profiles, missing = [], []
    for d in districts:
        keys = [e for e in d.editions if edition in (None, e)]
        if edition is not None and not keys:
            missing.append(d)
        profiles += [Profile(d.key, d.name, e, d.kind) for e in keys]
    return profiles, missing


def _say_plan(todo) -> None:
    """One line per profile; for many profiles, one line per kind of decision with a few names."""
    words = {"all": "rebuild", "profile": "render only", None: "up to date"}
    if len(todo.profiles) <= 12:
        for p, (action, reason) in todo.profiles.items():
            print(f"{p}: {words[action]} ({reason})")
        return
    groups: dict[tuple, list] = {}
    for p, (action, reason) in todo.profiles.items():
        groups.setdefault((action, reason), []).append(p)
    for (action, reason), ps in groups.items():
        names = ", ".join(str(p) for p in ps[:4]) + (f" and {len(ps) - 4} more" if len(ps) > 4 else "")
        print(f"{len(ps)} profile(s): {words[action]} ({reason}): {names}")


def _register(config) -> None:
    """With a Dagster home (the Makefile's .dagster/): register raw/'s editions, the warehouse's districts and the
    default cities as partitions, so the UI lists them. Once per build: after a warehouse run, or before rendering."""
    import dagster as dg

    from pipeline.defs.partitions import sync_partitions

    if os.environ.get("DAGSTER_HOME"):
        defaults = tuple(c.region_code for c in config.default_cities)
        sync_partitions(dg.DagsterInstance.get(), config.raw_dir, config.warehouse_path, defaults)


def _instance():
    import dagster as dg

    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def _outcome(key: str, result, seconds: float) -> Outcome:
    """The warehouse run's outcome from its result's own accessors: the assets it materialized, its failed steps with
    their reasons, its checks."""
    out = Outcome(key, result.success, run_id=result.run_id, seconds=seconds)
    out.materialized = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
    out.failures = [(e.step_key, _failure_reason(e)) for e in result.get_step_failure_events()]
    out.checks = list(result.get_asset_check_evaluations())
    return out


def _failure_reason(event) -> str:
    data = event.step_failure_data
    err = data.error
    cause = err.cause if err is not None and err.cause is not None else err
    # a dg.Failure the asset raised carries its own description (file, line, column, rule); other errors their message
    described = data.user_failure_data.description if data.user_failure_data is not None else None
    return (described or (cause.message if cause is not None else "unknown error")).strip()


def _profile_outcomes(keys: list[str], result, seconds: float) -> list[Outcome]:
    """One outcome per profile of a report run (one partition or a range): each partition's materializations with
    their metadata (the rendering's warnings and revisions, its time), and the failures: a batch names each failed
    profile in its Failure's metadata (pipeline/defs/report/batches.py); a step that failed otherwise fails them all."""
    from pipeline.defs.report.batches import FAILED_METADATA, SECONDS_METADATA

    outcomes = {k: Outcome(k, result.success, run_id=result.run_id) for k in keys}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        out = outcomes.get(str(materialization.partition))
        if out is None:
            continue
        out.materialized.append(event.asset_key.to_user_string())
        metadata = materialization.metadata
        rendered, revised, took = metadata.get("render_warnings"), metadata.get("revisions"), metadata.get(SECONDS_METADATA)
        out.warnings += list(rendered.value) if rendered is not None else []
        out.revisions += list(revised.value) if revised is not None else []
        out.seconds += float(took.value) if took is not None else 0.0
    for event in result.get_step_failure_events():
        data = event.step_failure_data.user_failure_data
        listed = data.metadata.get(FAILED_METADATA) if data is not None and len(keys) > 1 else None
        failed = {f["partition"]: f["reason"] for f in listed.value} if listed is not None else dict.fromkeys(keys, _failure_reason(event))
        for k, why in failed.items():
            if k in outcomes:
                outcomes[k].failures.append((event.step_key, why))
    if len(keys) == 1:
        outcomes[keys[0]].seconds = seconds
    first = outcomes[keys[0]]
    first.checks = list(result.get_asset_check_evaluations())
    return [outcomes[k] for k in keys]


def _run_warehouse(todo) -> Outcome:
    """The warehouse run: all of it, or what the changed datasets reach."""
    import dagster as dg

    from pipeline.definitions import defs
    from pipeline.sources.registry import DATASETS_BY_NAME

    definitions = defs()
    instance = _instance()
    selection = None
    if todo.warehouse != "all":
        changed = [dg.AssetKey(["raw", d]) for d in todo.warehouse]
        needed = [dg.AssetKey(["raw", n]) for d in todo.warehouse if d in DATASETS_BY_NAME for n in DATASETS_BY_NAME[d].needs]
        graph = definitions.resolve_asset_graph()
        selection = sorted(
            (dg.AssetSelection.assets(*changed).downstream() - dg.AssetSelection.groups("report")).resolve(graph) | set(needed)
        )
    started = time.monotonic()
    result = definitions.resolve_job_def("build_warehouse").execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config(steps=True), tags={**TAGS, **process_tags()},
        asset_selection=selection
    )
    return _outcome("warehouse", result, time.monotonic() - started)


# -- rendering the profiles ----------------------------------------------------------------------------------------

_WORKER: dict = {}


def _worker_start() -> None:
    """A worker process: quiet, its own Dagster instance handle and the definitions, loaded once."""
    quiet_warnings()
    from pipeline.definitions import defs

    _WORKER["definitions"] = defs()
    _WORKER["instance"] = _instance()


def render_batch(keys: list[str], render_only: bool) -> list[Outcome]:
    """Profiles of one edition (``keys``, partition keys) in as few runs of build_report as the instance's order of
    districts allows: each run a range of partitions (pipeline/defs/report/batches.py). In a worker process or in this
    one."""
    if "definitions" not in _WORKER:  # (a worker process: its initializer has run; this process: _render has)
        _worker_start()
    try:
        ranges = _ranges(_WORKER["instance"], keys)
    except Exception as exc:  # noqa: BLE001 - the instance could not be asked: these profiles failed, the build goes on
        return [Outcome(k, False, failures=[("report", f"{type(exc).__name__}: {exc}")]) for k in keys]
    return [o for run_keys in ranges for o in _run_range(run_keys, render_only)]


def _run_range(keys: list[str], render_only: bool, published_by: str | None = None) -> list[Outcome]:
    """One run of build_report over ``keys``, a range of partitions. Where some of a batch failed, none of it is
    recorded as materialized by that run: the others, which it published, are recorded by a second run that takes the
    published files as they are (``PUBLISHED_BY_TAG``) instead of rendering them again."""
    from pipeline.defs.report.assets import PROFILE_KEY
    from pipeline.defs.report.batches import PUBLISHED_BY_TAG, range_tags

    tags = {**TAGS, **process_tags()}
    if len(keys) > 1:
        tags |= range_tags(keys)
    if published_by:
        tags[PUBLISHED_BY_TAG] = published_by
    started = time.monotonic()
    try:
        result = _WORKER["definitions"].resolve_job_def("build_report").execute_in_process(
            instance=_WORKER["instance"], raise_on_error=False, run_config=run_config(steps=False),
            partition_key=keys[0] if len(keys) == 1 else None, tags=tags,
            asset_selection=[PROFILE_KEY] if render_only else None,
        )
    except Exception as exc:  # noqa: BLE001 - a run that could not even start is these profiles' failure, not the build's
        return [Outcome(k, False, failures=[("report", f"{type(exc).__name__}: {exc}")], seconds=time.monotonic() - started)
                for k in keys]
    outcomes = _profile_outcomes(keys, result, time.monotonic() - started)
    rest = [o.key for o in outcomes if not o.failures]
    if result.success or published_by or not rest or len(rest) == len(keys):
        return outcomes
    # what failed where: a failed report/profile step published the rest; a failed report/contents step rendered none
    profile_failed = any(o.failures[0][0] == PROFILE_KEY.to_python_identifier() for o in outcomes if o.failures)
    redone = {o.key: o for run_keys in _ranges(_WORKER["instance"], rest)
              for o in _run_range(run_keys, render_only or profile_failed, published_by=result.run_id)}
    for o in outcomes:  # (what the failed run materialized, the contents, counts too; so does its time)
        if o.key in redone:
            redone[o.key].materialized[:0] = o.materialized
            redone[o.key].seconds += (time.monotonic() - started) / len(keys)
    return [redone.get(o.key, o) for o in outcomes]


def _known(instance, keys: list[str]) -> None:
    """Make sure the instance knows the partitions (an ephemeral instance, without DAGSTER_HOME, starts empty)."""
    from pipeline.defs.partitions import CITIES, EDITIONS, split_key

    for dimension, values in ((CITIES.name, [split_key(k)[0] for k in keys]), (EDITIONS.name, [split_key(k)[1] for k in keys])):
        known = set(instance.get_dynamic_partitions(dimension))
        new = [v for v in dict.fromkeys(values) if v not in known]
        if new:
            instance.add_dynamic_partitions(dimension, new)


def _ranges(instance, keys: list[str]) -> list[list[str]]:
    """``keys`` as ranges of the instance's partitions (pipeline/defs/report/batches.py, ``ranges``), once the instance
    knows them."""
    from pipeline.defs.partitions import CITIES
    from pipeline.defs.report.batches import ranges

    _known(instance, keys)
    return ranges(keys, instance.get_dynamic_partitions(CITIES.name))


def worker_cap() -> tuple[int, str]:
    """How many worker processes this machine can run side by side: no more than its cores (those this process may
    use), nor than its available memory holds at WORKER_MEMORY each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    available = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except OSError:
        pass
    by_memory = max(1, available // WORKER_MEMORY) if available else cores
    memory = f", {available / 2**30:.1f} GiB memory available" if available else ""
    return max(1, min(cores, by_memory)), f"{cores} core(s){memory}, about {WORKER_MEMORY / 2**30:.0f} GiB per worker"


def _watch_parent(parent: int) -> None:
    """In a worker process: end it as soon as the build that started it has gone (killed, or ended by the system for
    lack of memory), so that no orphaned worker goes on publishing profiles the build no longer records."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(70)

    threading.Thread(target=watch, name="watch-build", daemon=True).start()


def _worker_init(parent: int) -> None:
    _watch_parent(parent)
    _worker_start()


def _render(config, todo, profiles, jobs: int | None, done=lambda p, outcome: None) -> list[Outcome]:
    """Render ``profiles`` (in the plan's order of outcomes) in batches, a Dagster run each (``_batches``): in worker
    processes when there are enough of them to pay for starting the workers (a worker imports the pipeline once, about
    3 s), else in this process one batch after the other. ``done`` is called as each profile's outcome arrives. More
    workers than the machine can run (``worker_cap``) are not started: asking for them says so."""
    cap, why = worker_cap()
    if jobs is None:
        jobs = cap if len(profiles) >= MANY else 1
    elif jobs > cap:
        print(f"note    {jobs} worker processes asked for, but this machine runs {cap} side by side ({why}): using {cap}")
        jobs = cap
    jobs = max(1, min(jobs, len(profiles)))
    by_key = {p.key: p for p in profiles}
    batches = _batches(profiles, {p.key: todo.profiles[p][0] == "profile" for p in profiles}, jobs)
    print(f"Rendering {len(profiles)} profile(s) in {len(batches)} batch(es){f' on {jobs} worker processes' if jobs > 1 else ''} ...",
          flush=True)
    outcomes: dict[str, Outcome] = {}

    def arrived(batch: list[Outcome]) -> None:
        for outcome in batch:
            outcomes[outcome.key] = outcome
            _say_done(by_key[outcome.key], outcome)
            done(by_key[outcome.key], outcome)

    if jobs == 1:
        _worker_start()  # this build's configuration (another build in this process may have had another)
        for keys, render_only in batches:
            arrived(render_batch(keys, render_only))
        return [outcomes[p.key] for p in profiles]
    import multiprocessing

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(render_batch, keys, render_only): keys for keys, render_only in batches}
        for future in as_completed(futures):
            try:
                arrived(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker that died: its batch failed, the others go on
                arrived([Outcome(k, False, failures=[("report", f"the worker process failed: {exc}")]) for k in futures[future]])
    return [outcomes[p.key] for p in profiles]


def _batches(profiles, render_only: dict[str, bool], jobs: int) -> list[tuple[list[str], bool]]:
    """The profiles as batches of one edition and one kind of work (render only, or contents and rendering), in the
    order the project's instance lists the districts (so that a batch is one range run; a worker splits what is not),
    of ``batch_size`` (at most 25, as the report assets' backfill policy cuts a backfill from the UI; on several
    workers small enough that each gets several)."""
    from pipeline.defs.report.batches import batch_size

    order: dict[str, int] = {}
    if os.environ.get("DAGSTER_HOME"):
        from pipeline.defs.partitions import CITIES

        order = {c: i for i, c in enumerate(_instance().get_dynamic_partitions(CITIES.name))}
    size = batch_size(len(profiles), jobs)
    groups: dict[tuple[str, bool], list] = {}
    for p in profiles:
        groups.setdefault((p.edition, render_only[p.key]), []).append(p)
    batches = []
    for (_, only), group in groups.items():
        keys = [p.key for p in sorted(group, key=lambda p: order.get(p.city, len(order)))]
        batches += [(keys[i:i + size], only) for i in range(0, len(keys), size)]
    return batches


def _say_done(p, outcome: Outcome) -> None:
    if outcome.success:
        print(f"  done    {p}  ({outcome.seconds:.1f} s)", flush=True)
    else:
        print(f"  FAILED  {p}: {outcome.failures[0][1].splitlines()[0] if outcome.failures else 'the run failed'}", flush=True)
