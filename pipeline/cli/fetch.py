"""``python -m pipeline fetch`` (``make fetch`` runs ``--due``): fetch tables from the publishers' web services into
raw/ (pipeline/fetch/).

    python -m pipeline fetch <table> --source <regionalstatistik|genesis|zensus2022|landesdatenbank-nrw> [--year YYYY]
    python -m pipeline fetch --due [--source <...>]

``--due`` takes every table the manifest lists from one of the services and whose dataset reads the service's flat
CSV, and fetches the year after its newest file: first the table's metadata (if the service's newest period is
older than that year: "not published yet", nothing downloaded), then the table for that year. Per table one line:
"new" (with the file, reference date, size and sha256), "up to date", "not published yet", "kept out" (with the
rules it breaks or the figures it contradicts), "failed" (what the service did) or "skipped" (why). Exit code 0
when nothing failed or was kept out, 1 otherwise; raw/ changes only for "new".
"""

from __future__ import annotations

import argparse
import sys

from pipeline.cli import quiet_warnings


def fetch(args: argparse.Namespace) -> int:
    quiet_warnings()
    from pipeline.domain.config import Config
    from pipeline.domain.errors import RawInputError
    from pipeline.fetch.plan import Wanted, due, fetch_one
    from pipeline.fetch.sources import SOURCES

    config = Config.from_env()
    if args.source is not None and args.source not in SOURCES:
        print(f"Unknown source {args.source!r}: one of {', '.join(SOURCES)}.", file=sys.stderr)
        return 2
    if args.due:
        try:
            wanted = due(config.manifest(), args.source)
        except RawInputError as exc:
            print(f"Cannot read raw/sources.yaml: {exc.problems[0].describe()}", file=sys.stderr)
            return 2
    elif not args.table or not args.source:
        print("Name a table and its --source, or use --due.", file=sys.stderr)
        return 2
    else:
        wanted = [Wanted(args.table, args.source, args.year)]
    failed = 0
    for w in wanted:
        outcome = fetch_one(w, config, say=lambda m: print(f"  {m}", flush=True))
        print(outcome.line(), flush=True)
        for problem in outcome.problems:
            print(f"    {problem}")
        if outcome.status in ("failed", "kept out"):
            failed += 1
    if failed:
        print(f"{failed} table(s) failed or were kept out; raw/ and raw/sources.yaml are unchanged for them.", file=sys.stderr)
    return 1 if failed else 0
