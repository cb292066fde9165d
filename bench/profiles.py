"""Many profiles from one warehouse: `make report CITIES=nrw` and `CITIES=all` (2024 edition), timed.

From a built warehouse (the scratch copy's, after the scenarios of bench/run.py), each case renders every profile
anew (report/_output and report/_build emptied first) with `python -m pipeline build --cities <set> --edition 2024
--jobs <n>` in a fresh process, and reports: the number of profiles, the wall time of the whole command, the median
and range of one profile's own time (its Dagster run, from the build's "done" lines: as seen by its worker, so two
workers sharing two cores each see their profile take longer than one alone), the speed-up of two workers over one,
and the peak resident memory of the whole process tree (workers and pandoc included). Nothing is asserted.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
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
    report(cases)
    return cases


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
