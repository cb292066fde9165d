"""The benchmark behind `make bench`: what a refresh of the profile costs, measured, never asserted.

Every scenario runs `python -m pipeline build` (what `make report` runs, with the copy's own Dagster instance in
.dagster/) in a fresh process, in a scratch copy of the project (so the project's own warehouse, report, sources
and run history are never touched), several times:

- cold: no warehouse, no report: everything is built, both editions rendered;
- warm: again, with nothing changed (nothing should be recomputed);
- text only: a sentence of report/profile.qmd changed (only the rendering should run);
- one raw file: the city's register file changed (a citation) and re-registered in the manifest (only what reads it
  should run: its raw and staging assets, the conformed table, marts and reconciliation, the editions it touches).

Beside them, measured in the same run, the floor: starting Python and importing the libraries the pipeline uses,
plus Typst alone compiling the final .typ of an edition. Each scenario's median is given as a multiple of it.
Wall time and peak resident memory of the whole process tree (pandoc included), median and range.

Then many profiles from the warehouse the scenarios built (bench/profiles.py): every district of NRW on one and on
two workers, every district of Germany on two; and the scale part (bench/scale.py): synthetic cities, 1 to 100, from
raw files to marts and one report per city.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import profiles, scale
from bench.procmon import Measured, measure
from pipeline.domain.manifest import register_sha256

PROJECT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".dagster", "__pycache__", "_build", "_output", "*.duckdb", "*.duckdb.*", ".*.runs", "bench-results*"
)
LIBRARIES = "import dagster, pandas, pandera.pandas, duckdb, yaml, typst, pypandoc, matplotlib.pyplot, pypdf"
MiB = 1024 * 1024

# goals from the issue, for the table (not assertions)
TARGETS = {"cold": 20.0, "warm": 5.0, "text only": 5.0, "one raw file": None}
FLOOR_FACTOR = 5.0
MEMORY_TARGET = 1024 * MiB


@dataclass
class Result:
    name: str
    runs: list[Measured]

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def peaks(self) -> list[int]:
        return [r.peak_rss for r in self.runs]


def scratch_copy() -> Path:
    root = Path(tempfile.mkdtemp(prefix="cmp-bench-"))
    target = root / "project"
    shutil.copytree(PROJECT, target, ignore=IGNORE, symlinks=True)
    (target / ".dagster").mkdir()
    shutil.copy2(PROJECT / ".dagster" / "dagster.yaml", target / ".dagster" / "dagster.yaml")
    return target


def environment(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMP_")}
    env["PYTHONPATH"] = str(project)  # the copy's pipeline, not the installed one
    env["DAGSTER_HOME"] = str(project / ".dagster")  # a persistent instance, as `make report` has
    env["PYTHONWARNINGS"] = "ignore"
    return env


def build(project: Path) -> Measured:
    result = measure([sys.executable, "-m", "pipeline", "build"], project, environment(project))
    if result.returncode != 0:
        raise SystemExit(f"the build failed in {project}:\n{result.output[-3000:]}")
    return result


def change_text(project: Path, i: int) -> None:
    qmd = project / "report" / "profile.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + f"\n<!-- benchmark edit {i} -->\n", encoding="utf-8")


def change_raw_file(project: Path, i: int) -> None:
    rel = "city/dortmund_register_figures.csv"
    path = project / "raw" / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"page 'Bevölkerungsstand' \(2023 edition\)( \[benchmark \d+\])?", f"page 'Bevölkerungsstand' (2023 edition) [benchmark {i}]", text
    )
    path.write_text(text, encoding="utf-8")
    register_sha256(project / "raw", rel)


def reset(project: Path) -> None:
    for p in (project / "warehouse").glob("profile.duckdb*"):
        p.unlink()
    shutil.rmtree(project / "warehouse" / ".profile.duckdb.runs", ignore_errors=True)
    shutil.rmtree(project / "report" / "_output", ignore_errors=True)
    shutil.rmtree(project / "report" / "_build", ignore_errors=True)


def floor(project: Path, repeat: int) -> tuple[list[float], list[float]]:
    env = environment(project)
    imports = [measure([sys.executable, "-c", LIBRARIES], project, env).seconds for _ in range(repeat)]
    typ = project / "report" / "_build" / "05913-2024" / "profile.typ"
    script = (
        "import sys, time, typst\n"
        f"c = typst.Compiler({str(typ)!r}, root={str(typ.parent)!r}, font_paths=[{str(typ.parent / 'fonts')!r}], "
        "ignore_system_fonts=True)\n"
        "t = time.perf_counter(); c.compile(output='/dev/null'); print(time.perf_counter() - t)\n"
    )
    compiles = []
    for _ in range(repeat):
        out = measure([sys.executable, "-c", script], project, env)
        compiles.append(float(out.output.strip().splitlines()[-1]))
    return imports, compiles


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--cities", default="1,10,50,100", help="sizes of the scale part, in synthetic cities (default 1,10,50,100; 0 skips it)"
    )
    parser.add_argument("--profiles", default="nrw,all,postgres",
                        help="many profiles: nrw, all, postgres (NRW on the PostgreSQL deployment), a list (default: all "
                        "three); 0 skips them")
    args = parser.parse_args(argv)

    project = scratch_copy()
    # the copy holds a warehouse and up to 400 profiles (GBs): removed however the run ends, not only when it succeeds
    atexit.register(shutil.rmtree, project.parent, ignore_errors=True)
    print(f"Benchmark in a scratch copy of the project: {project}", flush=True)
    results: dict[str, Result] = {name: Result(name, []) for name in ("cold", "warm", "text only", "one raw file")}
    for i in range(args.repeat):
        reset(project)
        results["cold"].runs.append(build(project))
        results["warm"].runs.append(build(project))
        change_text(project, i)
        results["text only"].runs.append(build(project))
        change_raw_file(project, i)
        results["one raw file"].runs.append(build(project))
        print(f"  round {i + 1}/{args.repeat}: " + ", ".join(f"{n} {r.runs[-1].seconds:.1f} s" for n, r in results.items()), flush=True)
    imports, compiles = floor(project, args.repeat)
    base = statistics.median(imports) + statistics.median(compiles)

    cores = os.cpu_count()
    print()
    print(
        f"City Migration Profile benchmark, {dt.date.today().isoformat()}, {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}, {args.repeat} runs per scenario"
    )
    print(
        f"Floor: Python start + imports {statistics.median(imports):.2f} s (range {spread(imports)}), Typst compile of "
        f"the 2024 edition {statistics.median(compiles):.2f} s (range {spread(compiles)}): {base:.2f} s"
    )
    header = f"{'scenario':<14} {'median s':>9} {'range s':>12} {'peak MiB':>9} {'× floor':>8}  goal"
    print(header)
    print("-" * len(header))
    figures = {
        "date": dt.date.today().isoformat(),
        "cores": cores,
        "machine": platform.machine(),
        "python": platform.python_version(),
        "floor": {"imports": imports, "typst_compile": compiles, "total": base},
        "scenarios": {},
    }
    for name, r in results.items():
        median = statistics.median(r.seconds)
        peak = statistics.median(r.peaks)
        target = TARGETS[name]
        goals = []
        if target is not None:
            goals.append(f"≤ {target:.0f} s {'met' if median <= target else 'MISSED'}")
        goals.append(f"≤ {FLOOR_FACTOR:.0f}× floor {'met' if median <= FLOOR_FACTOR * base else 'MISSED'}")
        goals.append(f"≤ 1 GiB {'met' if max(r.peaks) <= MEMORY_TARGET else 'MISSED'}")
        print(f"{name:<14} {median:>9.2f} {spread(r.seconds):>12} {peak / MiB:>9.0f} {median / base:>8.1f}  {'; '.join(goals)}")
        figures["scenarios"][name] = {"seconds": r.seconds, "peak_rss_bytes": r.peaks}
    print()
    print("Where the cold build's time goes (steps' own time by layer, from its progress lines; the rest is starting")
    print("Python, importing, loading the definitions and Dagster's bookkeeping between steps):")
    cold = results["cold"].runs[-1]
    layers = stage_times(cold.output)
    for layer, seconds in layers.items():
        print(f"  {layer:<28} {seconds:6.2f} s")
    print(f"  {'everything else':<28} {cold.seconds - sum(layers.values()):6.2f} s")
    figures["cold_profile"] = layers
    raw_steps = sorted(((m.group(1), float(m.group(2))) for line in cold.output.splitlines()
                        if (m := _STEP.match(line)) and m.group(1).startswith("raw/")), key=lambda x: -x[1])
    print("What each raw table costs (read and checked, the cold build's step time), the ten slowest:")
    for step, seconds in raw_steps[:10]:
        print(f"  {step:<52} {seconds:6.2f} s")
    figures["raw_steps"] = dict(raw_steps)
    what_ran = {name: _ran(r.runs[-1].output) for name, r in results.items()}
    print()
    for name, ran in what_ran.items():
        print(f"{name}: {ran}")
    if args.profiles != "0":
        print()
        print("Many profiles from one warehouse (bench/profiles.py), edition 2024 ...", flush=True)
        figures["profiles"] = profiles.run(project, environment(project), args.profiles.split(","))
    shutil.rmtree(project.parent, ignore_errors=True)
    if args.cities != "0":
        print()
        print("Scale part (bench/scale.py): synthetic cities, ingest to marts for all of them, one report per city ...", flush=True)
        figures["scale"] = scale.run([int(x) for x in args.cities.split(",")])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


_STEP = re.compile(r"^  done +(.+?)  \((\d+\.\d) s\)$")


def stage_times(output: str) -> dict[str, float]:
    """Seconds the steps of a build took, summed by layer (report/profile, the rendering, on its own)."""
    layers: dict[str, float] = {}
    for line in output.splitlines():
        if m := _STEP.match(line):
            step, seconds = m.group(1), float(m.group(2))
            # a warehouse step is 'layer/name'; a profile ('Dortmund 2024') is one run of its tables, figures, text and rendering
            layer = step.split("/")[0] if "/" in step else "report: profiles (their runs)"
            layers[layer] = layers.get(layer, 0.0) + seconds
    return layers


def _ran(output: str) -> str:
    steps = [m.group(1) for line in output.splitlines() if (m := _STEP.match(line))]
    plan = [line for line in output.splitlines() if line.startswith("Warehouse: ") or re.match(r"^\S.* \d{4}: ", line)][:3]
    return (
        f"{len(steps)} steps ran"
        + (f" ({', '.join(steps[:12])}{', ...' if len(steps) > 12 else ''})" if steps else "")
        + "; "
        + " / ".join(plan)
    )


if __name__ == "__main__":
    raise SystemExit(main())
