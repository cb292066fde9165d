"""Which tables to fetch and how one is fetched: what `python -m pipeline fetch` and the Dagster group ``fetch``
share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.domain.config import Config
from pipeline.fetch.land import Outcome


@dataclass(frozen=True)
class Wanted:
    table: str
    source: str
    year: int | None
    skip: str = ""  # why it is not fetched


def due(manifest, only: str | None = None) -> list[Wanted]:
    """Every table the manifest lists from a service, with the year after its newest file (or why it is skipped)."""
    from pipeline.fetch.sources import source_of
    from pipeline.sources.registry import DATASETS_BY_NAME

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
            dataset is not None and dataset.reads_flat_files)
        formats = ", ".join(sorted({e.format for e in entries}))
        skip = "" if flat else (f"its dataset {newest.dataset} reads {formats} files, not the service's flat CSV (no FlatSpec in "
                                "pipeline/sources/)")
        out.append(Wanted(table, source, year, skip))
    return out


def newest_year(metadata: dict) -> int | None:
    """The newest year the service's metadata says the table covers ('31.12.2024' -> 2024, 'WS 2023/24' -> 2023)."""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", str((metadata.get("Time") or {}).get("To") or ""))]
    return max(years) if years else None


def fetch_one(w: Wanted, config: Config, say: Callable[[str], None] = lambda _m: None) -> Outcome:
    """Fetch one table (metadata first: a year the service does not have yet is "not published yet") and land it."""
    from pipeline.fetch.client import Client, FetchError, Limits, NotPublished
    from pipeline.fetch.land import land
    from pipeline.fetch.sources import SOURCES, CredentialsMissing, base_url, credentials

    src = SOURCES[w.source]
    if w.skip:
        return Outcome(w.table, w.source, "skipped", w.skip)
    try:
        client = Client(src, base_url(src), credentials(src), Limits.from_env(), say=say)
        metadata = client.metadata(w.table)
        latest = newest_year(metadata)
        if w.year is not None and latest is not None and latest < w.year:
            return Outcome(w.table, w.source, "not published yet",
                           f"the service's newest period is {metadata.get('Time', {}).get('To')}, before {w.year}")
        return land(config.raw_dir, client.tablefile(w.table, w.year), src, metadata, dt.datetime.now(dt.UTC), config.cities)
    except CredentialsMissing as exc:
        return Outcome(w.table, w.source, "failed", str(exc))
    except NotPublished as exc:
        return Outcome(w.table, w.source, "not published yet", exc.what)
    except FetchError as exc:
        return Outcome(w.table, w.source, "failed", exc.what)
