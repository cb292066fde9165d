"""``python -m pipeline fetch`` (``make fetch`` runs ``--due``): fetch tables from the publishers' web services into
raw/ (pipeline/fetch/).

    python -m pipeline fetch <table> --source <regionalstatistik|genesis|zensus2022|landesdatenbank-nrw> [--year YYYY]
    python -m pipeline fetch --due [--source <...>]

``--due`` takes every table the manifest lists from one of the services and whose dataset reads the service's flat
CSV, and fetches the year after its newest file: first the table's metadata (if the service's newest period is
older than that year: "not published yet", nothing downloaded), then the table for that year. Per table one line:
"new" (with the file, reference date, size and sha256), "up to date", "not published yet", "kept out" (with the
rules it breaks or the figures it contradicts) or "failed" (what the service did). Exit code 0 when nothing failed
or was kept out, 1 otherwise; raw/ changes only for "new".
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass

from pipeline.cli import quiet_warnings


@dataclass(frozen=True)
class Wanted:
    table: str
    source: str
    year: int | None
    skip: str = ""  # why it is not fetched


def due(manifest, only: str | None = None) -> list[Wanted]:
    """Every table the manifest lists from a service, with the year after its newest file (or why it is skipped)."""
    from pipeline.fetch.sources import source_of
    from pipeline.ingest.datasets import DATASETS_BY_NAME, GenesisBuilder

    by_table: dict[tuple[str, str], list] = {}
    for e in manifest.entries:
        src = source_of(e)
        if src is not None and only in (None, src.name):
            by_table.setdefault((src.name, e.table_code), []).append(e)
    out = []
    for (source, table), entries in sorted(by_table.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        newest = max(entries, key=lambda e: e.reference_date)
        year = (newest.period_start or newest.reference_date).year + 1
        dataset = DATASETS_BY_NAME.get(newest.dataset)
        flat = any(e.format == "genesis_ffcsv" for e in entries) or (
            dataset is not None and isinstance(dataset.build, GenesisBuilder) and dataset.build.flat is not None)
        formats = ", ".join(sorted({e.format for e in entries}))
        skip = "" if flat else (f"its dataset {newest.dataset} reads {formats} files, not the service's flat CSV (no FlatSpec in "
                                "pipeline/ingest/datasets.py)")
        out.append(Wanted(table, source, year, skip))
    return out


def newest_year(metadata: dict) -> int | None:
    """The newest year the service's metadata says the table covers ('31.12.2024' -> 2024, 'WS 2023/24' -> 2023)."""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", str((metadata.get("Time") or {}).get("To") or ""))]
    return max(years) if years else None


def fetch(args: argparse.Namespace) -> int:
    quiet_warnings()
    from pipeline.config import Config
    from pipeline.fetch.client import Client, FetchError, Limits, NotPublished
    from pipeline.fetch.land import Outcome, land
    from pipeline.fetch.sources import SOURCES, CredentialsMissing, base_url, credentials
    from pipeline.ingest.errors import RawInputError

    config = Config.from_env()
    if args.due:
        try:
            wanted = due(config.manifest(), args.source)
        except RawInputError as exc:
            print(f"Cannot read raw/sources.yaml: {exc.problems[0].describe()}", file=sys.stderr)
            return 2
    else:
        if not args.table or not args.source:
            print("Name a table and its --source, or use --due.", file=sys.stderr)
            return 2
        if args.source not in SOURCES:
            print(f"Unknown source {args.source!r}: one of {', '.join(SOURCES)}.", file=sys.stderr)
            return 2
        wanted = [Wanted(args.table, args.source, args.year)]
    failed = 0
    for w in wanted:
        src = SOURCES[w.source]
        if w.skip:
            print(f"{w.table} from {w.source}: skipped: {w.skip}")
            continue
        try:
            client = Client(src, base_url(src), credentials(src), Limits.from_env(), say=lambda m: print(f"  {m}", flush=True))
            metadata = client.metadata(w.table)
            latest = newest_year(metadata)
            if w.year is not None and latest is not None and latest < w.year:
                outcome = Outcome(w.table, w.source, "not published yet",
                                  f"the service's newest period is {metadata.get('Time', {}).get('To')}, before {w.year}")
            else:
                outcome = land(config.raw_dir, client.tablefile(w.table, w.year), src, metadata, dt.datetime.now(dt.UTC), config.cities)
        except CredentialsMissing as exc:
            outcome = Outcome(w.table, w.source, "failed", str(exc))
        except NotPublished as exc:
            outcome = Outcome(w.table, w.source, "not published yet", exc.what)
        except FetchError as exc:
            outcome = Outcome(w.table, w.source, "failed", exc.what)
        print(outcome.line(), flush=True)
        for problem in outcome.problems:
            print(f"    {problem}")
        if outcome.status in ("failed", "kept out"):
            failed += 1
    if failed:
        print(f"{failed} table(s) failed or were kept out; raw/ and raw/sources.yaml are unchanged for them.", file=sys.stderr)
    return 1 if failed else 0
