"""The sensors: a new or changed file in raw/ rebuilds the warehouse, and a rebuilt warehouse refreshes the profiles.

``raw_files`` looks at raw/ every 30 seconds (pipeline/ingest/watch.py: sha256 per file, files whose size and mtime
are unchanged are not read again) and compares with its cursor, the previous look; the first look compares with the
hashes the manifest registered. For the data files that changed it finds the datasets that read them, and

- starts one ``build_warehouse`` run of those raw assets and everything downstream of them in the warehouse, tagged
  with the datasets (``cmp/changed-datasets``), so that ``refresh_profiles`` knows which profiles to redo;
- for a file the manifest does not list, starts a ``build_warehouse`` run of raw/sources_manifest, whose check
  says what to add;
- registers an edition raw/ now holds that the instance does not know yet.

``refresh_profiles`` watches for a ``build_warehouse`` run that succeeded with that tag (from this sensor, or a run
launched with the tag by hand: ``["*"]`` means the newest edition of every built profile) and starts one
``build_report`` run per profile the new figures touch: for every edition the changed datasets reach (the edition
whose window holds their years, and the next, whose "what changed" section compares with it), every registered
district that has the edition and whose profile was built before, plus the default cities (CMP_CITY_AGS). A
district-specific input (its register, its MC2CM profile) touches that district only. The report runs read the
published warehouse and run side by side (``max_concurrent_runs`` in .dagster/dagster.yaml).

Run keys are derived from the new files' hashes and the warehouse run's id, so the same change never starts a second
run. When nothing relevant changed, the skip reason says so, and names files it ignored (hidden, README, links out of
raw/).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipeline.defs.jobs import build_report, build_warehouse
from pipeline.defs.partitions import EDITIONS, profile_key, sync_partitions
from pipeline.defs.report.assets import PROFILE_KEY
from pipeline.domain.config import Config
from pipeline.domain.editions import editions, touched_editions
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import load_manifest
from pipeline.ingest import watch
from pipeline.warehouse.directory import read_directory

MANIFEST_KEY = dg.AssetKey(["raw", "sources_manifest"])
CHANGED_TAG = "cmp/changed-datasets"  # JSON list of the datasets a warehouse run took in; ["*"]: the newest edition, everywhere


@dataclass
class Plan:
    """What one evaluation decided: runs to request (job, asset keys, run key, tags) or why none."""

    runs: list[tuple[str, list[dg.AssetKey], str, dict[str, str]]] = field(default_factory=list)
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
        result.runs.append((build_warehouse.name, [MANIFEST_KEY], f"raw-{tag}-manifest", {}))
        return result
    datasets, unknown = watch.affected_datasets(manifest, list(changes.data))
    if unknown:
        result.runs.append((build_warehouse.name, [MANIFEST_KEY], f"raw-{tag}-unlisted", {}))
        if not datasets:
            return result
    raw_keys = [dg.AssetKey(["raw", d]) for d in sorted(datasets)] + [MANIFEST_KEY]
    downstream = dg.AssetSelection.assets(*raw_keys).downstream().resolve(asset_graph)
    report = dg.AssetSelection.groups("report").resolve(asset_graph)
    result.runs.append((build_warehouse.name, sorted(downstream - report), f"raw-{tag}-warehouse",
                        {CHANGED_TAG: json.dumps(sorted(datasets))}))
    return result


@dg.sensor(
    name="raw_files",
    jobs=[build_warehouse],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Rebuilds what a new or changed file in raw/ affects in the warehouse (refresh_profiles then renders the "
    "profiles it touches); registers new editions.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, project: dg.ResourceParam[Config]):
    known = set(context.instance.get_dynamic_partitions(EDITIONS.name))
    result = plan(project.raw_dir, context.cursor, context.repository_def.asset_graph, known)
    if result.changes:
        context.log.info(f"changed: {result.changes.describe()}")
    requests = [
        dg.RunRequest(run_key=run_key, job_name=job, asset_selection=keys, tags={"trigger": "raw-file sensor", **tags})
        for job, keys, run_key, tags in result.runs
    ]
    partitions = [EDITIONS.build_add_request(result.new_editions)] if result.new_editions else []
    if not requests:
        skip = result.skip
        if result.new_editions:
            skip += f" New edition(s) registered: {', '.join(result.new_editions)}."
        return dg.SensorResult(skip_reason=dg.SkipReason(skip), cursor=result.cursor, dynamic_partitions_requests=partitions)
    return dg.SensorResult(run_requests=requests, cursor=result.cursor, dynamic_partitions_requests=partitions)


# -- after the warehouse: the profiles ------------------------------------------------------------------------------


def profiles_to_refresh(config: Config, changed: list[str], built: set[str]) -> list[str]:
    """The partition keys (city|edition) to re-render after the warehouse took in ``changed`` datasets: the touched
    editions of every district that has a built profile of that edition, or is a default city."""
    manifest = config.manifest()
    years = ({d.key: [int(y) for y in d.editions] for d in read_directory(config.warehouse_path)}
             if config.warehouse_path.exists() else {})
    defaults = {c.region_code for c in config.default_cities}
    keys = []
    for city, own in sorted(years.items()):
        if changed == ["*"]:  # everything: the newest edition
            touched = [str(own[-1])] if own else []
        else:
            touched = [e.key for e in touched_editions(manifest, set(changed), own, city)]
        for edition in touched:
            key = profile_key(city, edition)
            if str(key) in built or city in defaults:
                keys.append(str(key))
    return keys


@dg.run_status_sensor(
    name="refresh_profiles",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[build_warehouse],
    request_job=build_report,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="After a build_warehouse run that took in changed raw files (the raw_files sensor): one "
    "build_report run per profile the change touches (built before, or a default city); registers new districts.",
)
def refresh_profiles(context: dg.RunStatusSensorContext):
    changed = context.dagster_run.tags.get(CHANGED_TAG)
    if not changed:
        return dg.SkipReason(f"run {context.dagster_run.run_id[:8]} carries no {CHANGED_TAG} tag: no profile to refresh")
    config = Config.from_env()
    sync_partitions(context.instance, config.raw_dir, config.warehouse_path)  # the districts a new file lists
    built = {str(k) for k in context.instance.get_materialized_partitions(PROFILE_KEY)}
    keys = profiles_to_refresh(config, json.loads(changed), built)
    if not keys:
        return dg.SkipReason(f"the datasets {changed} touch no built profile")
    return [
        dg.RunRequest(run_key=f"{context.dagster_run.run_id}-{key}", partition_key=key,
                      tags={"trigger": "refresh_profiles", "warehouse_run": context.dagster_run.run_id})
        for key in keys
    ]
