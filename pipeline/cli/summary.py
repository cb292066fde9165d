"""What `make report` says at the end of a build: the assets materialized, the warnings and failed checks, the
reconciliation's outcome, the revisions and the published files (``finish``), from each run's ``Outcome``."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LOG_ENV = "CMP_BUILD_LOG"  # the build's log file, for its runs here and in its worker processes


@dataclass
class Outcome:
    """What a profile's run did: its events' summary, or the reason it failed."""

    key: str
    success: bool
    materialized: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (step, message)
    checks: list = field(default_factory=list)
    run_id: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # the renderer's (report/profile's metadata render_warnings)
    revisions: list[dict] = field(default_factory=list)  # figures revised since the published build (report/profile's metadata)


def finish(config, todo, outcomes: list[Outcome], profiles, started: float) -> int:
    from pipeline.cli import incremental
    from pipeline.domain.config import PROJECT_DIR

    elapsed = time.monotonic() - started

    def rel(p):
        try:
            return p.resolve().relative_to(PROJECT_DIR)
        except ValueError:
            return p

    checks = [c for o in outcomes for c in o.checks]
    if outcomes:
        runs = len({o.run_id or o.key for o in outcomes})
        print(f"Materialized {sum(len(o.materialized) for o in outcomes)} assets in {elapsed:.1f} s ({runs} run(s)).")
        warned = [c for c in checks if not c.passed and getattr(c.severity, "value", c.severity) == "WARN"]
        failed_checks = [c for c in checks if not c.passed and c not in warned]
        print(f"Checks: {len(checks) - len(failed_checks) - len(warned)} passed, {len(warned)} warned, {len(failed_checks)} failed.")
        for c in warned:
            print(f"  warning, {c.asset_key.to_user_string()} / {c.check_name}: {c.description}")
        for o in outcomes:
            for w in o.warnings:
                print(f"  warning, {o.key} (rendering): {w}")
            for r in o.revisions:
                print(f"  revised, {o.key}: {r['table']}, {r['row']}, {r['column']}: {r['before']} -> {r['after']} (published "
                      f"{r['since']}; the files it replaced are kept in {rel(config.report_output)}/archive/)")
    else:
        print(f"Nothing to rebuild ({elapsed:.1f} s); `make report FULL=1` rebuilds everything.")
    if outcomes and outcomes[0].key == "warehouse" and config.warehouse_path.exists():
        import duckdb  # (only after a warehouse run: a build with nothing to do loads neither DuckDB nor pandas)

        from pipeline.warehouse.tables import table_counts

        with duckdb.connect(str(config.warehouse_path), read_only=True) as con:
            counts = table_counts(con)
            has_comparisons = any(s == "reconciliation" and t == "comparisons" for s, t, _ in counts)
            reconciliation = (
                con.execute(
                    "SELECT region_code = 'DG', status, count(*) FROM reconciliation.comparisons GROUP BY ALL ORDER BY ALL"
                ).fetchall()
                if has_comparisons
                else []
            )
            # differences of concept beyond the percentile of rules.yaml's `unusual` among all districts
            unusual = (
                con.execute("SELECT city_name || ': ' || description FROM reconciliation.comparisons WHERE unusual ORDER BY region_code, "
                            "reference_year, description").fetchall()
                if has_comparisons and "unusual" in [c for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'reconciliation' "
                    "AND table_name = 'comparisons'").fetchall()]
                else []
            )
        print(f"Warehouse: {rel(config.warehouse_path)}")
        width = max((len(f"{s}.{t}") for s, t, _ in counts), default=0)
        for schema, table, rows in counts:
            print(f"  {schema + '.' + table:<{width}}  {rows:>9,} rows")
        if reconciliation:
            line = "Reconciliation of state, municipal and profile figures (every district): " + ", ".join(
                f"{n} {s.replace('_', ' ')}" for national, s, n in reconciliation if not national)
            national = ", ".join(f"{n} {s.replace('_', ' ')}" for national, s, n in reconciliation if national)
            print(line + (f"; Germany's migration balance in two tables: {national}" if national else ""))
        if unusual:
            print(f"Unusual differences of concept ({len(unusual)}, beyond the percentile of pipeline/reconciliation/rules.yaml's "
                  "`unusual` among all districts):")
            for (description,) in unusual[:10]:
                print(f"  {description}")
            if len(unusual) > 10:
                print(f"  ... and {len(unusual) - 10} more (Dagster check concept_differences_usual lists them all)")
    failed = [o for o in outcomes if not o.success]
    if failed:
        if failed[0].key == "warehouse":
            print(f"\nThe warehouse run failed. A failed run publishes nothing: the warehouse and the PDFs in "
                  f"{rel(config.report_output)} are the last good ones.", file=sys.stderr)
        else:
            print(f"\n{len(failed)} of {len([o for o in outcomes if o.key != 'warehouse'])} profile(s) failed; the others were "
                  f"published. A failed profile keeps its last good PDF in {rel(config.report_output)}.", file=sys.stderr)
        for o in failed:
            by_message: dict[str, list[str]] = {}
            for step, message in o.failures or [("run", "the run failed")]:
                by_message.setdefault(message, []).append(step.replace("__", "/"))
            label = "warehouse" if o.key == "warehouse" else o.key
            for message, steps in by_message.items():
                print(f"- {label}, {', '.join(steps)}:\n    " + message.replace("\n", "\n    "), file=sys.stderr)
        if os.environ.get(LOG_ENV):
            print(f"Dagster's full event log of this build, with the tracebacks: {rel(Path(os.environ[LOG_ENV]))}", file=sys.stderr)
        return 1
    print("Open the Dagster UI with `make ui` to browse the assets, their metadata and checks.")
    shown = 0
    for p in profiles:
        files = incremental.published(config, p.name, p.edition)
        if files.pdf.exists():
            if shown < 20:
                print(f"PDF: {rel(files.pdf)}  (HTML: {rel(files.html)})")
                if files.gaps.exists():  # for the maintainer: what is missing and which input would fill it
                    print(f"     what it lacks and which input would fill it: {rel(files.gaps)}")
            shown += 1
    if shown > 20:
        print(f"... and {shown - 20} more PDFs in {rel(config.report_output)}")
    index = config.report_output / "index.html"
    if index.exists():
        print(f"Index of every published profile: {rel(index)}")
    return 0
