"""Many profiles from one warehouse: `make report CITIES=nrw` and `CITIES=all` (2024 edition), timed.

From a built warehouse (the scratch copy's, after the scenarios of bench/run.py), each case renders every profile
anew (report/_output and report/_build emptied first) with `python -m pipeline build --cities <set> --edition 2024
--jobs <n>` in a fresh process, and reports: the number of profiles, the wall time of the whole command, the median
and range of one profile's own time (its Dagster run, from the build's "done" lines: as seen by its worker, so two
workers sharing two cores each see their profile take longer than one alone), the speed-up of two workers over one,
and the peak resident memory of the whole process tree (workers and pandoc included). Nothing is asserted.

On PostgreSQL (``postgres``; deploy/postgres/dagster.yaml against a server of its own, tests/deploy/postgres.py): the
same NRW profiles three ways, each from an empty report folder: `make report`'s batches recorded in PostgreSQL; the
run queue working through batch runs (ranges of districts, as many runs as `make report` would cut) launched by the
daemon two at a time; and the run queue working through a run per profile (what a backfill from the UI submits).
The queue's times run from the daemon's start to the last run's end (bench/queue.py), the daemon's code server and
every run's process included.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import floor
from bench.procmon import measure

MiB = 1024 * 1024
_DONE = re.compile(r"^  done +(.+?) (\d{4})  \((\d+\.\d) s\)$")

# goals of issue 31 (not assertions)
PROFILE_TARGET = 1.0  # s of wall time for one profile in its worker
FLOOR_TARGET = 2.0  # every district's wall time, as a multiple of the floor (bench/floor.py)
MEMORY_TARGET = 1536 * MiB  # peak of the whole process tree


def _fresh(project: Path) -> None:
    shutil.rmtree(project / "report" / "_output", ignore_errors=True)
    shutil.rmtree(project / "report" / "_build", ignore_errors=True)


def case(project: Path, env: dict[str, str], cities: str, jobs: int) -> dict:
    _fresh(project)
    cmd = [sys.executable, "-m", "pipeline", "build", "--cities", cities, "--edition", "2024", "--jobs", str(jobs)]
    result = measure(cmd, project, env)
    if result.returncode != 0:
        raise SystemExit(f"`{' '.join(cmd[2:])}` failed:\n{result.output[-3000:]}")
    seconds = [float(m.group(3)) for line in result.output.splitlines() if (m := _DONE.match(line))]
    return {"cities": cities, "jobs": jobs, "profiles": len(seconds), "wall_seconds": result.seconds,
            "profile_seconds": seconds, "peak_rss_bytes": result.peak_rss, "site_bytes": site_size(project / "report" / "_output")}


def site_size(output: Path) -> dict[str, int]:
    """The published site's bytes by kind of file (what a web server would serve; the hidden records not counted)."""
    sizes: dict[str, int] = {}
    for f in output.rglob("*"):
        if not f.is_file() or any(part.startswith(".") for part in f.relative_to(output).parts) or "archive" in f.parts:
            continue
        kind = ("assets" if "assets" in f.relative_to(output).parts else "CSV ZIP" if f.name.endswith("-csv.zip")
                else f.suffix.lstrip(".").upper() or "other")
        sizes[kind] = sizes.get(kind, 0) + f.stat().st_size
    return dict(sorted(sizes.items()))


@contextlib.contextmanager
def _environ(env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _built_ranges(env: dict[str, str]) -> list[list[str]]:
    """The profiles the instance records as built, as runs of districts that follow each other in its list (a range
    run renders every district between its first and last key, as pipeline/cli/build.py cuts its batches)."""
    import dagster as dg

    from pipeline.defs.partitions import CITIES
    from pipeline.defs.report.batches import ranges

    with _environ(env), dg.DagsterInstance.get() as instance:
        keys = [str(k) for k in instance.get_materialized_partitions(dg.AssetKey(["report", "profile"]))]
        return ranges(keys, instance.get_dynamic_partitions(CITIES.name))


def _dagster(project: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "dagster"), "job", *args, "-m", "pipeline.definitions", "-j",
                           "build_report"], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"`dagster job {args[0]}` failed:\n{done.stderr[-3000:]}")


def _queue(project: Path, env: dict[str, str], label: str, launched: int) -> dict:
    """Time the daemon working through the queued runs tagged ``cmp/bench=label``."""
    result = measure([sys.executable, "-m", "bench.queue"], project, env)
    runs = [r for r in json.loads(result.output.strip().splitlines()[-1] or "[]") if r["tags"].get("cmp/bench") == label] \
        if result.output.strip() else []
    ok = sum(1 for r in runs if r["status"] == "SUCCESS")
    if result.returncode != 0 or ok != launched:
        raise SystemExit(f"the run queue ({label}): {ok} of {launched} runs succeeded:\n{result.output[-3000:]}")
    return {"label": label, "runs": launched, "wall_seconds": result.seconds, "peak_rss_bytes": result.peak_rss,
            "run_seconds": sorted(r["end"] - r["start"] for r in runs)}


def on_postgres(project: Path, env: dict[str, str], cities: str = "nrw", jobs: int = 2) -> dict:
    """The fan-out on the PostgreSQL deployment (see the module's docstring); {} with a reason where it cannot run."""
    from pipeline.defs.report.batches import batch_size, range_tags
    from tests.deploy import postgres

    why = postgres.why_not() or (None if importlib.util.find_spec("dagster_postgres") else "dagster-postgres is not installed")
    if why:
        print(f"  on PostgreSQL: skipped ({why})", flush=True)
        return {"skipped": why}
    home = Path(tempfile.mkdtemp(prefix="cmp-bench-dagster-"))
    shutil.copy(project / "deploy" / "postgres" / "dagster.yaml", home / "dagster.yaml")
    out: dict = {}
    try:
        with postgres.Server() as server:
            pg = {**env, **server.env(), "DAGSTER_HOME": str(home)}
            out["make report"] = case(project, pg, cities, jobs)
            print(f"  on PostgreSQL, make report's batches: {out['make report']['profiles']} profiles in "
                  f"{out['make report']['wall_seconds']:.1f} s", flush=True)
            ranges = _built_ranges(pg)
            keys = [k for r in ranges for k in r]
            # batch runs through the queue, cut as make report cuts them
            size = batch_size(len(keys), jobs)
            batches = [r[i:i + size] for r in ranges for i in range(0, len(r), size)]
            _fresh(project)
            for batch in batches:
                _dagster(project, pg, "launch", "--tags", json.dumps({**range_tags(batch), "cmp/bench": "batches"}))
            out["queue, batches"] = _queue(project, pg, "batches", len(batches))
            print(f"  on PostgreSQL, the run queue, {len(batches)} batch runs: {out['queue, batches']['wall_seconds']:.1f} s", flush=True)
            _fresh(project)
            _dagster(project, pg, "backfill", "--noprompt", "--partitions", ",".join(keys), "--tags", json.dumps({"cmp/bench": "each"}))
            out["queue, a run per profile"] = _queue(project, pg, "each", len(keys))
            print(f"  on PostgreSQL, the run queue, a run per profile: {out['queue, a run per profile']['wall_seconds']:.1f} s", flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return out


def run(project: Path, env: dict[str, str], which: list[str]) -> list[dict]:
    cases = []
    if "nrw" in which:
        for jobs in (1, 2):
            cases.append(case(project, env, "nrw", jobs))
            _say(cases[-1])
    if "all" in which:
        cases.append(case(project, env, "all", 2))
        _say(cases[-1])
        print("  the floor: one pandoc per format and one Typst compile of each profile built, one after the other ...", flush=True)
        cases[-1]["floor"] = floor.measure(project / "report" / "_build", project, env)
    if "postgres" in which:
        print("  on PostgreSQL (deploy/postgres/dagster.yaml, a server of its own) ...", flush=True)
        postgres = on_postgres(project, env)
        report_postgres(postgres, next((c for c in cases if (c["cities"], c["jobs"]) == ("nrw", 2)), None))
        cases.append({"cities": "nrw", "jobs": 2, "instance": "postgres", **postgres})
    report([c for c in cases if "instance" not in c])
    return cases


def report_postgres(pg: dict, sqlite: dict | None) -> None:
    if not pg or "skipped" in pg:
        return
    print()
    print("The fan-out on both instances (NRW, edition 2024, two at a time):")
    rows = []
    if sqlite:
        rows.append(("make report, embedded (SQLite)", sqlite["profiles"], sqlite["wall_seconds"], sqlite["peak_rss_bytes"], ""))
    mr = pg["make report"]
    rows.append(("make report, PostgreSQL", mr["profiles"], mr["wall_seconds"], mr["peak_rss_bytes"], ""))
    for label in ("queue, batches", "queue, a run per profile"):
        q = pg[label]
        runs = q["run_seconds"]
        rows.append((f"run queue, PostgreSQL: {label.split(', ', 1)[1]}", mr["profiles"], q["wall_seconds"], q["peak_rss_bytes"],
                     f"{q['runs']} runs, each {statistics.median(runs):.1f} s (median)"))
    for name, n, wall, peak, note in rows:
        print(f"  {name:<44} {n:>4} profiles {wall:>7.1f} s {wall / max(1, n):>6.2f} s/profile {peak / MiB:>6.0f} MiB  {note}")


def _say(c: dict) -> None:
    print(f"  {c['cities']}, {c['jobs']} worker(s): {c['profiles']} profiles in {c['wall_seconds']:.1f} s", flush=True)
    sizes = c.get("site_bytes") or {}
    if sizes:
        parts = ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in sizes.items())
        print(f"  the site (report/_output/): {sum(sizes.values()) / 2**20:.1f} MiB for {c['profiles']} profiles ({parts})", flush=True)


def report(cases: list[dict]) -> None:
    print()
    header = f"{'profiles':<22} {'count':>5} {'wall s':>8} {'per profile s (median, range)':>30} {'s/profile':>9} {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    for c in cases:
        s = c["profile_seconds"]
        med = statistics.median(s) if s else float("nan")
        spread = f"{med:.2f} ({min(s):.2f}–{max(s):.2f})" if s else "–"
        label = f"{c['cities']}, {c['jobs']} worker(s)"
        print(f"{label:<22} {c['profiles']:>5} {c['wall_seconds']:>8.1f} {spread:>30} {c['wall_seconds'] / max(1, c['profiles']):>9.2f} "
              f"{c['peak_rss_bytes'] / MiB:>9.0f}")
    by = {(c["cities"], c["jobs"]): c for c in cases}
    if ("nrw", 1) in by and ("nrw", 2) in by:
        one, two = by[("nrw", 1)], by[("nrw", 2)]
        print(f"Speed-up of two workers over one (NRW, {one['profiles']} profiles): {one['wall_seconds'] / two['wall_seconds']:.2f}×")
        alone = statistics.median(one["profile_seconds"])
        print(f"One profile alone (one worker, median): {alone:.2f} s; goal ≤ {PROFILE_TARGET:.0f} s "
              f"{'met' if alone <= PROFILE_TARGET else 'MISSED'}")
    if ("all", 2) in by:
        c = by[("all", 2)]
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        rows = c.get("floor") or []
        work = sum(t + h + y for _, t, h, y in rows)
        floor_s = work / cores
        ratio = c["wall_seconds"] / floor_s if floor_s else float("nan")
        c["floor_seconds"], c["floor_ratio"] = floor_s, ratio
        if rows:
            typ, html, comp = (sum(r[i] for r in rows) for i in (1, 2, 3))
            print(f"The floor ({len(rows)} profiles): pandoc to Typst {typ:.0f} s, to HTML {html:.0f} s, Typst {comp:.0f} s; "
                  f"{work:.0f} s of work / {cores} cores = {floor_s:.0f} s")
        peak = c["peak_rss_bytes"]
        print(f"Every district of Germany ({c['profiles']} profiles) on two workers: {c['wall_seconds']:.0f} s = {ratio:.1f} × the "
              f"floor; goal ≤ {FLOOR_TARGET:.0f} × {'met' if ratio <= FLOOR_TARGET else 'MISSED'}; peak memory {peak / MiB:.0f} MiB, "
              f"goal ≤ {MEMORY_TARGET / MiB:.0f} MiB {'met' if peak <= MEMORY_TARGET else 'MISSED'}")
    if ("nrw", 2) in by and ("all", 2) in by:
        a, b = by[("nrw", 2)], by[("all", 2)]
        slope = (b["wall_seconds"] - a["wall_seconds"]) / (b["profiles"] - a["profiles"])
        fixed = a["wall_seconds"] - slope * a["profiles"]
        print(f"Growth with the number of profiles (two workers): {fixed:.1f} s + {slope:.3f} s × profiles (from the two sizes)")
