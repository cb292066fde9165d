"""Command line: ``python -m pipeline build`` runs the whole pipeline (what `make report` does) and says what it built.

The run goes through Dagster against the project's instance (DAGSTER_HOME, .dagster/ when started from the
Makefile), so it appears in the UI's run history like a run launched there.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings


def _quiet_warnings() -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    warnings.filterwarnings("ignore", message=".*is in preview.*")


def build(args: argparse.Namespace) -> int:
    _quiet_warnings()
    import duckdb

    from pipeline import incremental
    from pipeline.settings import PROJECT_DIR, Settings
    from pipeline.warehouse import table_counts

    settings = Settings.from_env()
    started = time.monotonic()
    editions = _editions(settings.raw_dir, args.edition)
    todo = incremental.plan(settings, editions, full=args.full)
    more = f"; the warehouse also holds {len(settings.cities) - 1} further cities (CMP_CITIES)" if len(settings.cities) > 1 else ""
    print(f"Building the City Migration Profile for AGS {settings.city_ags} ({settings.city_name}){more} ...", flush=True)
    print(f"Warehouse: {'rebuild' if todo.warehouse == 'all' else 'update' if todo.warehouse else 'up to date'} ({todo.warehouse_reason})")
    for key, (action, reason) in todo.editions.items():
        print(f"Edition {key}: {'render only' if action == 'profile' else 'rebuild' if action else 'up to date'} ({reason})")
    results = [] if todo.idle else _run(settings, todo)
    if todo.warehouse is None or results[0].success:
        incremental.record_warehouse(settings, todo)
    edition_runs = results[1:] if todo.warehouse is not None else results
    for key, result in zip([k for k, (action, _) in todo.editions.items() if action], edition_runs):
        if result.success:
            incremental.record_edition(settings, todo, key)
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
        print(f"Materialized {len(materialized)} assets in {elapsed:.1f} s ({len(results)} run(s): {', '.join(r.run_id[:8] for r in results)}).")
    else:
        print(f"Nothing to rebuild ({elapsed:.1f} s); `make report FULL=1` rebuilds everything.")
    warned = [c for c in checks if not c.passed and getattr(c.severity, "value", c.severity) == "WARN"]
    failed_checks = [c for c in checks if not c.passed and c not in warned]
    if results:
        print(f"Checks: {len(checks) - len(failed_checks) - len(warned)} passed, {len(warned)} warned, {len(failed_checks)} failed.")
    for c in warned:
        print(f"  warning, {c.asset_key.to_user_string()} / {c.check_name}: {c.description}")
    if settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            counts = table_counts(con)
            reconciliation = (
                con.execute("SELECT status, count(*) FROM reconciliation.comparisons GROUP BY status ORDER BY status").fetchall()
                if any(s == "reconciliation" and t == "comparisons" for s, t, _ in counts)
                else []
            )
        print(f"Warehouse: {rel(settings.warehouse_path)}")
        width = max((len(f"{s}.{t}") for s, t, _ in counts), default=0)
        for schema, table, rows in counts:
            print(f"  {schema + '.' + table:<{width}}  {rows:>9,} rows")
        if reconciliation:
            print("Reconciliation of state, municipal and profile figures: " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in reconciliation))
    pdfs = [pdf for pdf, _ in (incremental.published(settings, k) for k in editions) if pdf.exists()]
    if failures:
        print(f"\n{len(failures)} step(s) failed. A failed run publishes nothing: the tables above and the PDFs in "
              f"{rel(settings.report_output)} are the last good ones.", file=sys.stderr)
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


def _run(settings, todo) -> list:
    """The Dagster runs the plan asks for: the warehouse (all of it, or what the changed datasets reach), then each
    edition that needs it (all its report assets, or only the rendering). Stops after a failed warehouse run."""
    import dagster as dg

    from pipeline.defs.partitions import sync_editions
    from pipeline.definitions import defs
    from pipeline.ingest.datasets import DATASETS_BY_NAME

    definitions = defs()
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    sync_editions(instance, settings.raw_dir)
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}, "progress": {}}}
    tags = {"launched_by": "command line"}
    results = []
    if todo.warehouse is not None:
        selection = None
        if todo.warehouse != "all":
            changed = [dg.AssetKey(["raw", d]) for d in todo.warehouse]
            needed = [dg.AssetKey(["raw", n]) for d in todo.warehouse if d in DATASETS_BY_NAME for n in DATASETS_BY_NAME[d].needs]
            graph = definitions.resolve_asset_graph()
            selection = sorted((dg.AssetSelection.assets(*changed).downstream() - dg.AssetSelection.groups("report")).resolve(graph) | set(needed))
        results.append(definitions.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance, raise_on_error=False, run_config=quiet, tags=tags, asset_selection=selection))
        if not results[-1].success:
            return results
    for key, (action, _) in todo.editions.items():
        if action is None:
            continue
        print(f"Rendering edition {key} ...", flush=True)
        selection = [dg.AssetKey(["report", "profile"])] if action == "profile" else None
        results.append(definitions.resolve_job_def("build_report").execute_in_process(
            instance=instance, raise_on_error=False, run_config=quiet, partition_key=key, tags=tags, asset_selection=selection))
    return results


def _editions(raw_dir, wanted: str | None) -> list[str]:
    from pipeline.report.editions import editions_in_raw

    keys = editions_in_raw(raw_dir)
    if wanted is None:
        return keys
    if wanted not in keys:
        raise SystemExit(f"No edition {wanted}: raw/ holds the editions {', '.join(keys) or 'none'}.")
    return [wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="materialize every asset and render the profile (what `make report` runs)")
    build_cmd.add_argument("--edition", help="render only this edition (a reference year, e.g. 2024)")
    build_cmd.add_argument("--full", action="store_true", help="rebuild everything, even what has not changed since the last build")
    sub.add_parser("editions", help="register the editions raw/ holds with the Dagster instance (what `make ui` runs first)")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args)
    if args.command == "editions":
        return sync(args)
    return 2


def sync(args: argparse.Namespace) -> int:
    _quiet_warnings()
    import dagster as dg

    from pipeline.defs.partitions import sync_editions
    from pipeline.report.editions import editions_in_raw
    from pipeline.settings import Settings

    raw_dir = Settings.from_env().raw_dir
    if not os.environ.get("DAGSTER_HOME"):
        print("DAGSTER_HOME is not set; nothing to register (the Makefile sets it to .dagster/).", file=sys.stderr)
        return 2
    added = sync_editions(dg.DagsterInstance.get(), raw_dir)
    print(f"Editions in raw/: {', '.join(editions_in_raw(raw_dir)) or 'none'}" + (f" (newly registered: {', '.join(added)})" if added else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
