"""``python -m pipeline build`` (what `make report` runs): plan what changed, run the Dagster jobs that redo it
against the project's instance, and say what was built.

The runs go through Dagster against the project's instance (DAGSTER_HOME, .dagster/ when started from the
Makefile), so they appear in the UI's run history like runs launched there.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from pipeline.cli import quiet_warnings


def build(args: argparse.Namespace) -> int:
    quiet_warnings()
    import duckdb

    from pipeline.cli import incremental
    from pipeline.config import PROJECT_DIR, Config
    from pipeline.warehouse.tables import table_counts

    config = Config.from_env()
    started = time.monotonic()
    editions = _editions(config.raw_dir, args.edition)
    todo = incremental.plan(config, editions, full=args.full)
    more = f"; the warehouse also holds {len(config.cities) - 1} further cities (CMP_CITIES)" if len(config.cities) > 1 else ""
    print(f"Building the City Migration Profile for AGS {config.city.ags} ({config.city.name}){more} ...", flush=True)
    print(f"Warehouse: {'rebuild' if todo.warehouse == 'all' else 'update' if todo.warehouse else 'up to date'} ({todo.warehouse_reason})")
    for key, (action, reason) in todo.editions.items():
        print(f"Edition {key}: {'render only' if action == 'profile' else 'rebuild' if action else 'up to date'} ({reason})")
    results = [] if todo.idle else _run(config, todo)
    if todo.warehouse is None or results[0].success:
        incremental.record_warehouse(config, todo)
    edition_runs = results[1:] if todo.warehouse is not None else results
    for key, result in zip([k for k, (action, _) in todo.editions.items() if action], edition_runs, strict=False):
        if result.success:
            incremental.record_edition(config, todo, key)
    elapsed = time.monotonic() - started

    materialized, failures, checks = [], [], []
    for event in (e for r in results for e in r.all_events):
        if event.event_type_value == "ASSET_MATERIALIZATION":
            materialized.append(event.asset_key.to_user_string())
        elif event.event_type_value == "STEP_FAILURE":
            err = event.event_specific_data.error
            cause = err.cause if err is not None and err.cause is not None else err
            message = cause.message.strip() if cause is not None else "unknown error"
            failures.append((event.step_key, message))
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            checks.append(event.event_specific_data)
    def rel(p):
        try:
            return p.resolve().relative_to(PROJECT_DIR)
        except ValueError:
            return p

    if results:
        print(
            f"Materialized {len(materialized)} assets in {elapsed:.1f} s "
            f"({len(results)} run(s): {', '.join(r.run_id[:8] for r in results)})."
        )
    else:
        print(f"Nothing to rebuild ({elapsed:.1f} s); `make report FULL=1` rebuilds everything.")
    warned = [c for c in checks if not c.passed and getattr(c.severity, "value", c.severity) == "WARN"]
    failed_checks = [c for c in checks if not c.passed and c not in warned]
    if results:
        print(f"Checks: {len(checks) - len(failed_checks) - len(warned)} passed, {len(warned)} warned, {len(failed_checks)} failed.")
    for c in warned:
        print(f"  warning, {c.asset_key.to_user_string()} / {c.check_name}: {c.description}")
    if config.warehouse_path.exists():
        with duckdb.connect(str(config.warehouse_path), read_only=True) as con:
            counts = table_counts(con)
            reconciliation = (
                con.execute(
                    "SELECT region_code = 'DG', status, count(*) FROM reconciliation.comparisons GROUP BY ALL ORDER BY ALL"
                ).fetchall()
                if any(s == "reconciliation" and t == "comparisons" for s, t, _ in counts)
                else []
            )
        print(f"Warehouse: {rel(config.warehouse_path)}")
        width = max((len(f"{s}.{t}") for s, t, _ in counts), default=0)
        for schema, table, rows in counts:
            print(f"  {schema + '.' + table:<{width}}  {rows:>9,} rows")
        if reconciliation:
            line = "Reconciliation of state, municipal and profile figures: " + ", ".join(
                f"{n} {s.replace('_', ' ')}" for national, s, n in reconciliation if not national)
            national = ", ".join(f"{n} {s.replace('_', ' ')}" for national, s, n in reconciliation if national)
            print(line + (f"; Germany's migration balance in two tables: {national}" if national else ""))
    pdfs = [p.pdf for p in (incremental.published(config, k) for k in editions) if p.pdf.exists()]
    if failures:
        print(
            f"\n{len(failures)} step(s) failed. A failed run publishes nothing: the tables above and the PDFs in "
            f"{rel(config.report_output)} are the last good ones.",
            file=sys.stderr,
        )
        by_message: dict[str, list[str]] = {}
        for step, message in failures:
            by_message.setdefault(message, []).append(step.replace("__", "/"))
        for message, steps in by_message.items():
            print(f"- {', '.join(steps)}:\n    " + message.replace("\n", "\n    "), file=sys.stderr)
        return 1
    print("Open the Dagster UI with `make ui` to browse the assets, their metadata and checks.")
    for pdf in pdfs:
        print(f"PDF: {rel(pdf)}  (HTML: {rel(pdf.with_suffix('.html'))})")
    return 0


def _run(config, todo) -> list:
    """The Dagster runs the plan asks for: the warehouse (all of it, or what the changed datasets reach), then each
    edition that needs it (all its report assets, or only the rendering). Stops after a failed warehouse run."""
    import dagster as dg

    from pipeline.definitions import defs
    from pipeline.defs.partitions import sync_editions
    from pipeline.ingest.datasets import DATASETS_BY_NAME

    definitions = defs()
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    sync_editions(instance, config.raw_dir)
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}, "progress": {}}}
    tags = {"launched_by": "command line"}
    results = []
    if todo.warehouse is not None:
        selection = None
        if todo.warehouse != "all":
            changed = [dg.AssetKey(["raw", d]) for d in todo.warehouse]
            needed = [dg.AssetKey(["raw", n]) for d in todo.warehouse if d in DATASETS_BY_NAME for n in DATASETS_BY_NAME[d].needs]
            graph = definitions.resolve_asset_graph()
            selection = sorted(
                (dg.AssetSelection.assets(*changed).downstream() - dg.AssetSelection.groups("report")).resolve(graph) | set(needed)
            )
        results.append(
            definitions.resolve_job_def("build_warehouse").execute_in_process(
                instance=instance, raise_on_error=False, run_config=quiet, tags=tags, asset_selection=selection
            )
        )
        if not results[-1].success:
            return results
    for key, (action, _) in todo.editions.items():
        if action is None:
            continue
        print(f"Rendering edition {key} ...", flush=True)
        selection = [dg.AssetKey(["report", "profile"])] if action == "profile" else None
        results.append(
            definitions.resolve_job_def("build_report").execute_in_process(
                instance=instance, raise_on_error=False, run_config=quiet, partition_key=key, tags=tags, asset_selection=selection
            )
        )
    return results


def _editions(raw_dir, wanted: str | None) -> list[str]:
    from pipeline.editions import editions_in_raw

    keys = editions_in_raw(raw_dir)
    if wanted is None:
        return keys
    if wanted not in keys:
        raise SystemExit(f"No edition {wanted}: raw/ holds the editions {', '.join(keys) or 'none'}.")
    return [wanted]
