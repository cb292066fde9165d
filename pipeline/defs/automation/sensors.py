"""The sensors: a new or changed file in raw/ rebuilds the warehouse, and a rebuilt warehouse refreshes the profiles.

``raw_files`` looks at raw/ every 30 seconds: the version of every raw dataset and of the manifest, the same
versions the raw assets record as their data versions and `make report` compares (pipeline/versions.py; a file whose
size and modification time are unchanged is not read again), and the data files the manifest does not list
(pipeline/ingest/watch.py). It compares them with its cursor, the previous look; the first look compares with what
the published warehouse was built from (its record), or without one with the hashes the manifest registered. For
the datasets whose version changed it

- starts one ``build_warehouse`` run of those raw assets and everything downstream of them in the warehouse, tagged
  with the datasets (``cmp/changed-datasets``), so that ``refresh_profiles`` knows which profiles to redo;
- for a file the manifest does not list (or no longer there), or a change of the manifest that touches no dataset,
  starts a ``build_warehouse`` run of raw/sources_manifest, whose check says what is wrong;
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

from pipeline import versions
from pipeline.defs.jobs import build_report, build_warehouse
from pipeline.defs.partitions import EDITIONS, profile_key, sync_partitions
from pipeline.defs.report.assets import PROFILE_KEY
from pipeline.domain.config import Config
from pipeline.domain.editions import editions, touched_editions
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import MANIFEST_NAME, Manifest, load_manifest, sha256_of
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


def look(raw_dir: Path, manifest: Manifest | None) -> watch.Look:
    """raw/ now, in the terms of pipeline/versions.py (a manifest that cannot be read: its own bytes stand for it)."""
    outside = versions.unread_links(raw_dir)
    if manifest is None:
        path = raw_dir / MANIFEST_NAME
        state = f"unreadable:{sha256_of(path)}" if path.is_file() else "missing"
        return watch.Look({versions.MANIFEST_DATASET: state}, [], watch.unread(raw_dir, outside), outside)
    return watch.Look(versions.dataset_versions(manifest), versions.read_files_unlisted(manifest),
                      watch.unread(raw_dir, outside), outside)


def baseline(manifest: Manifest | None, built_from: dict[str, str] | None) -> watch.Look:
    """What a first look compares with: the versions the published warehouse was built from (its record), or else
    what the manifest registered."""
    if built_from:
        return watch.Look(dict(built_from))
    return watch.Look(versions.dataset_versions(manifest, registered=True) if manifest is not None else {})


def plan(raw_dir: Path, cursor: str | None, asset_graph, known_editions: set[str],
         built_from: dict[str, str] | None = None) -> Plan:
    """``built_from``: the datasets' versions of the published warehouse's record (None: no record)."""
    try:
        manifest = load_manifest(raw_dir)
    except RawInputError:
        manifest = None
    previous = watch.load(cursor)
    now = look(raw_dir, manifest)
    first = previous is None
    changes = watch.compare(baseline(manifest, built_from) if first else previous, now, versions.MANIFEST_DATASET, first=first)
    result = Plan(cursor=watch.dump(now), changes=changes)
    if manifest is not None:
        result.new_editions = sorted({str(e.year) for e in editions(manifest)} - known_editions)
    if not changes:
        result.skip = changes.why_nothing(len(now.versions))
        return result

    tag = changes.digest[:16]
    if manifest is None:  # the manifest itself is broken: its asset's check says where
        result.runs.append((build_warehouse.name, [MANIFEST_KEY], f"raw-{tag}-manifest", {}))
        return result
    known = {k.path[-1] for k in asset_graph.get_all_asset_keys() if k.path[0] == "raw"}
    datasets = sorted(d for d in changes.datasets if d in known)
    if changes.unlisted or (changes.manifest and not datasets):
        result.runs.append((build_warehouse.name, [MANIFEST_KEY], f"raw-{tag}-unlisted", {}))
        if not datasets:
            return result
    raw_keys = [dg.AssetKey(["raw", d]) for d in datasets] + [MANIFEST_KEY]
    downstream = dg.AssetSelection.assets(*raw_keys).downstream().resolve(asset_graph)
    report = dg.AssetSelection.groups("report").resolve(asset_graph)
    result.runs.append((build_warehouse.name, sorted(downstream - report), f"raw-{tag}-warehouse",
                        {CHANGED_TAG: json.dumps(datasets)}))
    return result


def built_from(config: Config) -> dict[str, str] | None:
    """The datasets' versions the published warehouse was built from, when its record describes the file on disk."""
    record = versions.read_record(versions.warehouse_record_path(config))
    if record and record.get("warehouse") == versions.identity(config.warehouse_path):
        return record.get("datasets") or None
    return None


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
    result = plan(project.raw_dir, context.cursor, context.repository_def.asset_graph, known,
                  built_from(project) if context.cursor is None else None)
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
