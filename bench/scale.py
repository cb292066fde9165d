"""Scale: how the cost grows with cities (x the years raw/ has), on synthetic cities (bench/synthetic.py).

For each size (default 1, 10, 50 and 100 cities) a fresh process, in a scratch folder with its own Dagster instance:

1. writes raw/ for that many synthetic cities, in the publishers' layouts (not timed as pipeline work);
2. runs the ``build_warehouse`` job for all of them: ingest, validation, warehouse, reconciliation, marts
   (the profile city is the first; the others come in through CMP_CITIES, as a user would list them);
3. renders one report per city, the newest edition, through the report assets (``dg.materialize`` with that city's
   project configuration): tables, figures and text from the marts, then Quarto's Typst route to PDF and HTML.

Printed: rows, wall time and peak memory of each stage against size, and the fitted growth (least squares,
t = a + b x cities, with R² and the largest residual).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.procmon import measure

PROJECT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}

# goals from the issue (not assertions)
WAREHOUSE_TARGET_100 = 60.0
REPORT_TARGET = 2.0


def _peak_self() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _failures(result) -> str:
    """The error messages of a Dagster run's failed steps."""
    return "\n".join(e.event_specific_data.error.message for e in result.all_events if e.event_type_value == "STEP_FAILURE")[:3000]


def worker(n: int, root: Path, reports: int | None) -> dict:
    """One size, in this process (started fresh by ``run``): generate, build the warehouse, render the reports."""
    from bench.synthetic import generate

    started = time.perf_counter()
    raw = root / "raw"
    cities = generate(PROJECT / "raw", raw, n)
    generated = time.perf_counter() - started
    (root / ".dagster").mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT / ".dagster" / "dagster.yaml", root / ".dagster" / "dagster.yaml")
    (first_ags, first_name), rest = cities[0], cities[1:]
    os.environ.update(
        DAGSTER_HOME=str(root / ".dagster"), CMP_RAW_DIR=str(raw), CMP_WAREHOUSE=str(root / "warehouse" / "profile.duckdb"),
        CMP_REPORT_DIR=str(root / "report"), CMP_CITY_AGS=first_ags, CMP_CITY_NAME=first_name,
        CMP_CITIES=";".join(f"{a}={name}" for a, name in rest),
    )

    import warnings

    warnings.filterwarnings("ignore")
    import dagster as dg
    import duckdb

    from pipeline.definitions import defs
    from pipeline.defs.partitions import sync_partitions
    from pipeline.defs.report.assets import profile_document, report_contents
    from pipeline.defs.resources import project_resources
    from pipeline.domain.config import Config, region_key
    from pipeline.domain.editions import editions_in_raw
    from pipeline.warehouse.tables import table_counts

    imported = time.perf_counter()
    definitions = defs()
    instance = dg.DagsterInstance.get()
    edition = editions_in_raw(raw)[-1]

    t = time.perf_counter()
    result = definitions.resolve_job_def("build_warehouse").execute_in_process(instance=instance, run_config=QUIET, raise_on_error=False)
    warehouse_seconds = time.perf_counter() - t
    if not result.success:
        raise SystemExit(f"{n} cities: the warehouse run failed:\n{_failures(result)}")
    sync_partitions(instance, raw, Path(os.environ["CMP_WAREHOUSE"]))
    warehouse_peak = _peak_self()
    with duckdb.connect(os.environ["CMP_WAREHOUSE"], read_only=True) as con:
        counts = table_counts(con)
        rows = {
            "raw rows (staging)": sum(n for schema, table, n in counts if schema == "staging" and table != "sources"),
            "core.indicators": next(n for schema, table, n in counts if (schema, table) == ("core", "indicators")),
            "marts rows": sum(n for schema, _, n in counts if schema == "marts"),
            "cities in core.profile_cities": next(n for schema, table, n in counts if (schema, table) == ("core", "profile_cities")),
        }
        years = sorted(
            {
                y
                for (y,) in con.execute(
                    "SELECT DISTINCT year(reference_date) FROM core.indicators "
                    "WHERE region_code IN (SELECT region_code FROM core.profile_cities)"
                ).fetchall()
            }
        )

    report_assets = [report_contents, profile_document]
    config = Config.from_env()
    report_seconds = []
    for ags, name in cities[: reports or n]:
        t = time.perf_counter()
        done = dg.materialize(
            report_assets,
            instance=instance,
            partition_key=f"{region_key(ags)}|{edition}",
            run_config=QUIET,
            raise_on_error=False,
            resources=project_resources(config),
        )
        report_seconds.append(time.perf_counter() - t)
        if not done.success:
            raise SystemExit(f"{n} cities: the report of {name} failed:\n{_failures(done)}")
    pdfs = sorted((root / "report" / "_output").glob("*.pdf"))
    return {
        "cities": n,
        "years": years,
        "edition": edition,
        "generate_seconds": generated,
        "import_seconds": imported - started - generated,
        "warehouse_seconds": warehouse_seconds,
        "warehouse_peak_rss": warehouse_peak,
        "report_seconds": report_seconds,
        "pdfs": len(pdfs),
        "rows": rows,
    }


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """Least squares y = a + b x: (a, b, R², largest residual as a share of its y)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    a = my - b * mx
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    worst = max(abs(y - a - b * x) / y for x, y in zip(xs, ys, strict=True) if y)
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0, worst


def run(sizes: list[int], reports: int | None = None) -> dict:
    """Each size in a fresh process (so memory is per size); prints the table, returns the figures."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMP_")}
    env["PYTHONPATH"] = str(PROJECT)
    env["PYTHONWARNINGS"] = "ignore"
    out = []
    for n in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"cmp-scale-{n}-"))
        result_file = root / "result.json"
        measured = measure(
            [sys.executable, "-m", "bench.scale", "--worker", str(n), "--root", str(root), "--out", str(result_file)]
            + (["--reports", str(reports)] if reports else []),
            PROJECT,
            env,
        )
        if measured.returncode != 0:
            raise SystemExit(f"scale run for {n} cities failed:\n{measured.output[-3000:]}")
        figures = json.loads(result_file.read_text())
        figures["process_seconds"], figures["process_peak_rss"] = measured.seconds, measured.peak_rss
        out.append(figures)
        r = figures["report_seconds"]
        print(
            f"  {n:>3} cities: warehouse {figures['warehouse_seconds']:.1f} s, {len(r)} reports median {statistics.median(r):.2f} s, "
            f"peak {measured.peak_rss / MiB:.0f} MiB",
            flush=True,
        )
        shutil.rmtree(root, ignore_errors=True)
    print_table(out)
    return {"sizes": out}


def print_table(out: list[dict]) -> None:
    years = out[0]["years"]
    print()
    print(
        f"Scale: synthetic cities (bench/synthetic.py) x {len(years)} reference years ({', '.join(map(str, years))}); "
        f"one report per city (edition {out[0]['edition']}); each size in a fresh process"
    )
    header = (
        f"{'cities':>6} {'city-years':>10} {'raw rows':>9} {'indicators':>10} {'marts rows':>10} {'ingest→marts s':>14} "
        f"{'peak MiB':>8} {'report s (median, range)':>25} {'all reports s':>13} {'process peak MiB':>16}"
    )
    print(header)
    print("-" * len(header))
    for f in out:
        r = f["report_seconds"]
        print(
            f"{f['cities']:>6} {f['cities'] * len(years):>10} {f['rows']['raw rows (staging)']:>9,} {f['rows']['core.indicators']:>10,} "
            f"{f['rows']['marts rows']:>10,} {f['warehouse_seconds']:>14.1f} {f['warehouse_peak_rss'] / MiB:>8.0f} "
            f"{statistics.median(r):>8.2f} ({min(r):.2f}–{max(r):.2f}){'':>5} {sum(r):>13.1f} {f['process_peak_rss'] / MiB:>16.0f}"
        )
    if len(out) >= 2:
        xs = [float(f["cities"]) for f in out]
        print()
        for label, ys in (
            ("ingest→marts", [f["warehouse_seconds"] for f in out]),
            ("one report (median)", [statistics.median(f["report_seconds"]) for f in out]),
            ("peak memory MiB", [f["warehouse_peak_rss"] / MiB for f in out]),
            ("core.indicators rows", [float(f["rows"]["core.indicators"]) for f in out]),
        ):
            a, b, r2, worst = fit(xs, ys)
            print(f"  {label:<22} = {a:9.2f} + {b:8.3f} x cities   (R² {r2:.4f}, largest residual {worst:.1%})")
    last = out[-1]
    print()
    print(
        f"Goals at {last['cities']} cities: ingest→marts ≤ {WAREHOUSE_TARGET_100:.0f} s "
        f"{'met' if last['warehouse_seconds'] <= WAREHOUSE_TARGET_100 else 'MISSED'} ({last['warehouse_seconds']:.1f} s); "
        f"one report per city ≤ {REPORT_TARGET:.0f} s {'met' if statistics.median(last['report_seconds']) <= REPORT_TARGET else 'MISSED'} "
        f"(median {statistics.median(last['report_seconds']):.2f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", default="1,10,50,100", help="sizes, comma-separated (default 1,10,50,100)")
    parser.add_argument("--reports", type=int, help="render only this many reports per size (default: one per city)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.out.write_text(json.dumps(worker(args.worker, args.root, args.reports)), encoding="utf-8")
        return 0
    figures = run([int(x) for x in args.cities.split(",")], args.reports)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
