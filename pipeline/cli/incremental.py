"""What a build must redo: `make report` rebuilds only what changed since the last build it published.

What was built is recorded next to what was published (the versions and records: pipeline/versions.py):

- ``warehouse/profile.duckdb.state.json``, written here after a warehouse run: the code that built the warehouse (a
  hash of pipeline/ without the report package, and of warehouse/sql/), the city, and a version of every raw dataset
  (its manifest entries' fields and its files' actual sha256);
- ``report/_output/.<document>.state.json`` per edition, written by the asset report/profile as it publishes (so a
  profile rendered from the UI or by the sensor is as up to date for `make report` as one it rendered itself): the
  same, plus the hash of the report code (pipeline/report/) and of the Quarto sources (report/).

Each record also holds the identity of the files it describes, so a warehouse or PDF that something else replaced
since (a run from the UI) is never mistaken for the recorded one: then everything is rebuilt. The warehouse's
identity is its inode, size and modification time; a profile's files (PDF, HTML, workbook, CSV ZIP) are identified by
their checksum (sha256) and size, with their inode, size and modification time kept only as a quick test: a copied,
restored or synced report/_output/ (new inodes, new times, same bytes) still lists and skips its profiles, and a file
altered or missing is named in `make report`'s summary, never dropped silently.
Records are written after the files they describe were published; a build killed in between finds an old record
and redoes more than needed, never less.

The plan compares the records with the present:

- warehouse: nothing recorded, other code or another city: everything. Otherwise the raw datasets whose version
  changed, the raw datasets they read, and everything downstream of them in the warehouse; nothing if none changed.
  A raw file that changed without its manifest entry counts as changed (and its run then says what is wrong).
- each edition: nothing recorded, other code, a replaced PDF, or a changed dataset whose figures the edition shows
  (the editions the raw-file sensor would refresh): the whole edition. Only the Quarto sources changed: only
  ``report/profile``, the rendering. Otherwise nothing.

This module reads files and hashes them; it imports neither Dagster nor pandas, so a build with nothing to do
costs little more than starting Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.domain.config import Config
from pipeline.domain.editions import touched_editions
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import Manifest, load_manifest
from pipeline.report.folders import EditionFolder, Published
from pipeline.versions import (
    MANIFEST_DATASET,
    checked_cities,
    code_hashes,
    dataset_versions,
    identity,
    profile_files,
    published,
    read_record,
    restat,
    unchanged,
    warehouse_record_path,
    write_record,
)
from pipeline.versions import (
    record_warehouse as record_published_warehouse,
)


@dataclass(frozen=True)
class Profile:
    """One district's edition: its key in the warehouse (05913), its name and kind, the edition."""

    city: str
    name: str
    edition: str
    kind: str = "city"

    @property
    def key(self) -> str:
        """The Dagster partition key (city|edition)."""
        return f"{self.city}|{self.edition}"

    def __str__(self) -> str:
        return f"{self.name} {self.edition}"


# -- the plan --------------------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What to run: the warehouse (None: nothing; "all"; or the raw datasets to redo with everything downstream),
    and per profile "all", "profile" (only the rendering) or None, each with the reason."""

    warehouse: str | list[str] | None
    warehouse_reason: str
    profiles: dict[Profile, tuple[str | None, str]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    code: dict[str, str] = field(default_factory=dict)
    manifest: Manifest | None = None

    @property
    def idle(self) -> bool:
        return self.warehouse is None and all(action is None for action, _ in self.profiles.values())

    @property
    def to_render(self) -> list[Profile]:
        return [p for p, (action, _) in self.profiles.items() if action]


def _changed(before: dict[str, str], now: dict[str, str]) -> set[str]:
    return {k for k in set(before) | set(now) if before.get(k) != now.get(k)}


def plan(config: Config, full: bool = False) -> Plan:
    """What the warehouse needs. The profiles are planned once the warehouse says which districts and editions
    exist (``plan_profiles``)."""
    code = code_hashes()
    try:
        manifest = load_manifest(config.raw_dir)
    except RawInputError:
        # the manifest cannot be read: run everything, so raw/sources_manifest says what is wrong
        return Plan("all", "raw/sources.yaml cannot be read", {}, {}, code)
    versions = dataset_versions(manifest)
    result = Plan(None, "", {}, versions, code, manifest)

    record = read_record(warehouse_record_path(config))
    if full:
        result.warehouse, result.warehouse_reason = "all", "a full build was asked for"
    elif not record or record.get("warehouse") != identity(config.warehouse_path):
        result.warehouse, result.warehouse_reason = "all", "no record of the last build of this warehouse"
    elif record.get("code", {}).get("warehouse") != code["warehouse"] or record.get("cities") != checked_cities(config):
        result.warehouse, result.warehouse_reason = "all", "the pipeline's code (or the checked cities, CMP_CITY_AGS) changed"
    else:
        changed = _changed(record.get("datasets", {}), versions)
        if changed - set(versions):  # a dataset left the manifest: its table must go, which only a full build does
            result.warehouse, result.warehouse_reason = "all", f"dataset(s) {', '.join(sorted(changed - set(versions)))} no longer in raw/"
        elif changed:
            result.warehouse = sorted(changed)
            result.warehouse_reason = "changed in raw/: " + ", ".join(sorted(changed))
        else:
            result.warehouse_reason = "nothing in raw/ or in the code changed since the last build"
    return result


def plan_profiles(config: Config, result: Plan, profiles: list[Profile], years: dict[str, list[int]]) -> None:
    """Decide for each profile what to redo (into ``result.profiles``); ``years``: each district's edition years."""
    code = result.code
    for p in profiles:
        files = published(config, p.name, p.edition)
        rec = read_record(files.record)
        generated = EditionFolder.of(config.report_build, p.city, p.edition).generated
        changed = _changed(rec.get("datasets", {}), result.versions) - {MANIFEST_DATASET}
        if result.warehouse == "all" or result.manifest is None:
            result.profiles[p] = ("all", "the warehouse is rebuilt")
        elif not rec or not all(unchanged(rec.get("files", {}).get(k), f) for k, f in profile_files(files).items()) \
                or not generated.is_dir():
            result.profiles[p] = ("all", "no record of the last build of this profile")
        elif any(rec.get("code", {}).get(part) != code[part] for part in ("report", "warehouse")) or rec.get("city") != [p.city, p.name]:
            result.profiles[p] = ("all", "the report's code changed")
        elif p.edition in {e.key for e in touched_editions(result.manifest, changed, years.get(p.city), p.city)}:
            result.profiles[p] = ("all", "figures it shows changed")
        elif rec.get("code", {}).get("text") != code["text"]:
            result.profiles[p] = ("profile", "only the Quarto sources in report/ (or the publisher) changed")
        elif rec.get("code", {}).get("renderer") != code["renderer"]:
            was = rec.get("code", {}).get("renderer") or "not recorded"
            result.profiles[p] = ("profile", f"the renderer changed: {was}, now {code['renderer']}")
        else:
            result.profiles[p] = (None, "nothing it shows changed")


def record_warehouse(config: Config, result: Plan) -> None:
    """After a successful warehouse run of this build (or none needed): the published warehouse reflects
    ``result.versions`` (a run that built the whole warehouse has written the same already)."""
    record_published_warehouse(config, result.code["warehouse"], result.versions)


def published_records(config: Config) -> tuple[list[dict], list[str]]:
    """Every profile in report/_output/ whose files are the recorded ones (for the index page), and a line for each
    profile that has a record but a file missing or altered since it was published (not listed; the build says so)."""
    out, problems = [], []
    for files in Published.recorded(config.report_output):
        rec = read_record(files.record)
        if not rec or "edition" not in rec:
            continue
        paths = profile_files(files)
        missing = [k.upper() for k, f in paths.items() if not f.exists()]
        altered = [k.upper() for k, f in paths.items() if f.exists() and not unchanged(rec.get("files", {}).get(k), f)]
        if missing or altered:
            said = ([f"{'its ' if len(missing) == 1 else ''}{' and '.join(missing)} missing"] if missing else []) + (
                [f"{' and '.join(altered)} altered since it was published"] if altered else [])
            problems.append(f"{files.name}: not listed in the index: {'; '.join(said)} (building its district again republishes it)")
            continue
        if restat(rec, paths):  # a copy that matched by checksum: the quick test holds again next time
            write_record(files.record, rec)
        out.append({**rec, "document": files.name})
    return out, problems
