"""The command line, ``python -m pipeline``: ``build`` (pipeline/cli/build.py; what `make report` runs), ``fetch``
(pipeline/cli/fetch.py; what `make fetch` runs), ``manifest`` (pipeline/cli/manifest.py), ``editions`` and ``ui``
(pipeline/cli/ui.py; what `make ui` runs)."""

from __future__ import annotations

import argparse
import os
import sys
import warnings


def quiet_warnings() -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    warnings.filterwarnings("ignore", message=".*is in preview.*")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="The City Migration Profile: build the warehouse and the report, or register the editions raw/ holds.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="materialize every asset and render the profile (what `make report` runs)")
    build_cmd.add_argument("--edition", help="render only this edition (a reference year, e.g. 2024)")
    build_cmd.add_argument("--city", help="the district to build: 8-digit municipal key (05113000), 5-digit district key (05978) or name "
                           "(Essen, 'Kreis Unna'); default: CMP_CITY_AGS (Dortmund)")
    build_cmd.add_argument("--cities", help="several districts: 'nrw' (or another Land's short name or code), 'all', or a "
                           "comma-separated list of keys and names")
    build_cmd.add_argument("--jobs", type=int, default=None,
                           help="worker processes rendering profiles side by side (default: the cores, from 8 profiles on)")
    build_cmd.add_argument("--full", action="store_true", help="rebuild everything, even what has not changed since the last build")
    fetch_cmd = sub.add_parser("fetch", help="fetch a table from the publishers' web service into raw/ (make fetch: --due)")
    fetch_cmd.add_argument("table", nargs="?", help="the table's code, e.g. 12531-0043")
    fetch_cmd.add_argument("--source", help="regionalstatistik, genesis, zensus2022 or landesdatenbank-nrw")
    fetch_cmd.add_argument("--year", type=int, help="the year to fetch (default: what the service serves)")
    fetch_cmd.add_argument("--due", action="store_true", help="every listed table's next year")
    sub.add_parser("editions", help="register the editions raw/ holds and the districts the warehouse holds with the Dagster "
                   "instance (what `make ui` runs first)")
    ui_cmd = sub.add_parser("ui", help="the Dagster UI and its daemon, behind a guard against requests other web pages could "
                            "send (what `make ui` runs)")
    ui_cmd.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: this machine only)")
    ui_cmd.add_argument("--port", type=int, default=3000)
    manifest_cmd = sub.add_parser("manifest", help="check raw/ against raw/sources.yaml, add a new year's file of a listed "
                                  "table, or draft the entry of a new table")
    manifest_cmd.add_argument("action", choices=("check", "add", "draft"))
    manifest_cmd.add_argument("file", nargs="?", help="the raw file (add, draft)")
    args = parser.parse_args(argv)
    if args.command == "manifest":
        from pipeline.cli.manifest import main as manifest_main

        return manifest_main([args.action, *([args.file] if args.file else [])])
    if args.command == "build":
        from pipeline.cli.build import build

        return build(args)
    if args.command == "editions":
        return sync(args)
    if args.command == "fetch":
        from pipeline.cli.fetch import fetch

        return fetch(args)
    if args.command == "ui":
        from pipeline.cli.ui import ui

        sync(args)
        return ui(args)
    return 2


def sync(args: argparse.Namespace) -> int:
    quiet_warnings()
    import dagster as dg

    from pipeline.defs.partitions import cities_in_warehouse, sync_partitions
    from pipeline.domain.config import Config
    from pipeline.domain.editions import editions_in_raw

    config = Config.from_env()
    if not os.environ.get("DAGSTER_HOME"):
        print("DAGSTER_HOME is not set; nothing to register (the Makefile sets it to .dagster/).", file=sys.stderr)
        return 2
    added, cities = sync_partitions(dg.DagsterInstance.get(), config.raw_dir, config.warehouse_path,
                                    tuple(c.region_code for c in config.default_cities))
    held_editions = ", ".join(editions_in_raw(config.raw_dir)) or "none"
    print(f"Editions in raw/: {held_editions}" + (f" (newly registered: {', '.join(added)})" if added else ""))
    held = cities_in_warehouse(config.warehouse_path)
    print(f"Districts in the warehouse: {len(held) or 'none yet (make report builds it)'}"
          + (f" ({len(cities)} newly registered)" if cities else ""))
    return 0
