"""The raw-file sensor: a new or changed file in raw/ starts a run for what it affects.

Every 30 seconds it looks at raw/ (pipeline/ingest/watch.py: sha256 per file, files whose size and mtime are
unchanged are not read again) and compares with its cursor, the previous look; the first look compares with the
hashes the manifest registered. For the data files that changed it finds the datasets that read them, and

- starts one run of ``refresh_edition`` per edition the change touches (the edition whose window holds the
  files' reference year, and the next one, whose "what changed" section compares with it): the first run also
  rebuilds the changed raw assets and everything downstream in the warehouse, later runs only the report;
- for a file the manifest does not list, starts a ``build_warehouse`` run of raw/sources_manifest, whose check
  says what to add;
- registers an edition raw/ now holds that the instance does not know yet.

Run keys are derived from the new files' hashes, so the same files never start a second run. When nothing
relevant changed, the skip reason says so, and names files it ignored (hidden, README, links out of raw/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipeline.config import Config
from pipeline.defs.jobs import build_warehouse, refresh_edition
from pipeline.defs.partitions import EDITIONS
from pipeline.editions import editions, touched_editions
from pipeline.ingest import watch
from pipeline.ingest.errors import RawInputError
from pipeline.ingest.manifest import load_manifest

MANIFEST_KEY = dg.AssetKey(["raw", "sources_manifest"])


@dataclass
class Plan:
    """What one evaluation decided: runs to request (job, edition or None, asset keys, run key) or why none."""

    runs: list[tuple[str, str | None, list[dg.AssetKey], str]] = field(default_factory=list)
    skip: str = ""
    cursor: str = ""
    new_editions: list[str] = field(default_factory=list)
    changes: watch.Changes | None = None


def plan(raw_dir: Path, cursor: str | None, asset_graph, known_editions: set[str]) -> Plan:
    try:
        manifest = load_manifest(raw_dir)
    except RawInputError:
        manifest = None
    previous = watch.load(cursor)
    now = watch.look(raw_dir, manifest, previous)
    first = previous is None
    changes = watch.compare(watch.baseline_from_manifest(manifest) if first else previous, now, first=first)
    result = Plan(cursor=watch.dump(now), changes=changes)
    if manifest is not None:
        result.new_editions = sorted({str(e.year) for e in editions(manifest)} - known_editions)
    if not changes:
        result.skip = changes.why_nothing(len(now))
        return result

    tag = changes.digest[:16]
    if manifest is None:  # the manifest itself is broken: its asset's check says where
        result.runs.append((build_warehouse.name, None, [MANIFEST_KEY], f"raw-{tag}-manifest"))
        return result
    datasets, unknown = watch.affected_datasets(manifest, list(changes.data))
    if unknown:
        result.runs.append((build_warehouse.name, None, [MANIFEST_KEY], f"raw-{tag}-unlisted"))
        if not datasets:
            return result
    raw_keys = [dg.AssetKey(["raw", d]) for d in sorted(datasets)] + [MANIFEST_KEY]
    downstream = dg.AssetSelection.assets(*raw_keys).downstream().resolve(asset_graph)
    report = dg.AssetSelection.groups("report").resolve(asset_graph)
    touched = touched_editions(manifest, datasets)
    if not touched:  # figures of a year no edition shows: the warehouse still takes them
        result.runs.append((build_warehouse.name, None, sorted(downstream - report), f"raw-{tag}-warehouse"))
        return result
    for i, e in enumerate(touched):
        keys = sorted(downstream) if i == 0 else sorted(report)
        result.runs.append((refresh_edition.name, e.key, keys, f"raw-{tag}-edition-{e.key}"))
    return result


@dg.sensor(
    name="raw_files",
    jobs=[refresh_edition, build_warehouse],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a run for what a new or changed file in raw/ affects; registers new editions.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, project: dg.ResourceParam[Config]):
    known = set(context.instance.get_dynamic_partitions(EDITIONS.name))
    result = plan(project.raw_dir, context.cursor, context.repository_def.asset_graph, known)
    if result.changes:
        context.log.info(f"changed: {result.changes.describe()}")
    requests = [
        dg.RunRequest(
            run_key=run_key,
            job_name=job,
            partition_key=edition,
            asset_selection=keys,
            tags={"trigger": "raw-file sensor", **({"edition": edition} if edition else {})},
        )
        for job, edition, keys, run_key in result.runs
    ]
    partitions = [EDITIONS.build_add_request(result.new_editions)] if result.new_editions else []
    if not requests:
        skip = result.skip
        if result.new_editions:
            skip += f" New edition(s) registered: {', '.join(result.new_editions)}."
        return dg.SensorResult(skip_reason=dg.SkipReason(skip), cursor=result.cursor, dynamic_partitions_requests=partitions)
    return dg.SensorResult(run_requests=requests, cursor=result.cursor, dynamic_partitions_requests=partitions)

