"""What a build must redo: `make report` rebuilds only what changed since the last build it published.

A build records what it was made from next to what it published:

- ``warehouse/profile.duckdb.state.json``: the code that built the warehouse (a hash of pipeline/ without the report
  package, and of warehouse/sql/), the city, and a version of every raw dataset (its manifest entries' fields and its
  files' actual sha256);
- ``report/_output/.<document>.state.json`` per edition: the same, plus the hash of the report code
  (pipeline/report/) and of the Quarto sources (report/).

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

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.domain.config import PROJECT_DIR, Config
from pipeline.domain.editions import touched_editions
from pipeline.domain.errors import RawInputError
from pipeline.domain.files import replace_atomically
from pipeline.domain.manifest import Manifest, content_fingerprint, entry_fingerprint, load_manifest, sha256_of, unlisted_files
from pipeline.report import imprint, renderer
from pipeline.report.folders import QUARTO_SOURCES, EditionFolder, Published

FORMAT = 2  # 2: a profile's files by checksum (1: by inode, size and mtime)
MANIFEST_DATASET = "sources_manifest"  # the pseudo-dataset of raw/sources.yaml itself (asset raw/sources_manifest)


# -- fingerprints ----------------------------------------------------------------------------------------------------


def tree_hash(paths: list[Path], exclude: tuple[Path, ...] = ()) -> str:
    """One hash over the names and contents of every file under ``paths`` (caches excluded)."""
    h = hashlib.sha256()
    files: list[Path] = []
    for p in paths:
        files += [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
    for f in sorted(set(files)):
        if "__pycache__" in f.parts or f.suffix == ".pyc" or any(x == f or x in f.parents for x in exclude):
            continue
        h.update(f"{f.relative_to(PROJECT_DIR).as_posix()}\0{sha256_of(f)}\n".encode())
    return h.hexdigest()


def code_hashes() -> dict[str, str]:
    pipeline, report_code = PROJECT_DIR / "pipeline", PROJECT_DIR / "pipeline" / "report"
    return {
        "warehouse": tree_hash([pipeline, PROJECT_DIR / "warehouse" / "sql", PROJECT_DIR / "warehouse" / "seeds"], exclude=(report_code,)),
        "report": tree_hash([report_code], exclude=(report_code / "builtin",)),
        # the document's sources and the deployment's publisher (the imprint): a change re-renders every profile
        "text": tree_hash([PROJECT_DIR / "report" / name for name in QUARTO_SOURCES] + [report_code / "builtin"])
        + (f":{sha256_of(imprint.publisher_file())}" if imprint.publisher_file().is_file() else ""),
        "renderer": renderer.identity(),
    }


def dataset_versions(manifest: Manifest) -> dict[str, str]:
    """A version per raw dataset: its manifest entries (every field) and the actual sha256 of their files. And one
    for the manifest as a whole with the list of files raw/ holds, so an unlisted file is a change too."""
    versions: dict[str, str] = {}
    by_dataset: dict[str, list] = {}
    for e in manifest.entries:
        by_dataset.setdefault(e.dataset, []).append(e)
    for name, entries in sorted(by_dataset.items()):
        h = hashlib.sha256()
        for e in sorted(entries, key=lambda e: e.id):
            path = manifest.path(e)
            h.update(f"{entry_fingerprint(e)}\0{content_fingerprint(path) if path.is_file() else 'missing'}\n".encode())
        versions[name] = h.hexdigest()
    listing = json.dumps([[e.id, e.file, e.sha256] for e in manifest.entries] + [["unlisted", f] for f in unlisted_files(manifest)])
    versions[MANIFEST_DATASET] = hashlib.sha256(listing.encode()).hexdigest()
    return versions


def identity(path: Path) -> list[int] | None:
    if not path.exists():
        return None
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def fingerprint(path: Path) -> dict | None:
    """A published file as its record keeps it: checksum and size, and its stat for the quick test."""
    if not path.exists():
        return None
    st = path.stat()
    return {"sha256": sha256_of(path), "size": st.st_size, "stat": [st.st_ino, st.st_size, st.st_mtime_ns]}


def unchanged(recorded: object, path: Path) -> bool:
    """``path`` holds what the record describes: its stat as recorded (nothing touched it), or else the same bytes
    (a copy or a restore: other inode and time, same checksum)."""
    if not isinstance(recorded, dict) or not path.exists():
        return False
    st = path.stat()
    if recorded.get("stat") == [st.st_ino, st.st_size, st.st_mtime_ns]:
        return True
    return st.st_size == recorded.get("size") and sha256_of(path) == recorded.get("sha256")


def _restat(rec: dict, files: dict[str, Path]) -> bool:
    """Bring the record's stat of each file (found unchanged by checksum) up to date; whether any changed."""
    changed = False
    for key, path in files.items():
        st = path.stat()
        now = [st.st_ino, st.st_size, st.st_mtime_ns]
        if rec["files"][key].get("stat") != now:
            rec["files"][key]["stat"], changed = now, True
    return changed


def profile_files(files: Published) -> dict[str, Path]:
    """The files a published profile consists of, by the name its record gives each."""
    return {"pdf": files.pdf, "html": files.html, "xlsx": files.workbook, "csv": files.csv_zip}


# -- records ---------------------------------------------------------------------------------------------------------


def warehouse_record_path(config: Config) -> Path:
    return config.warehouse_path.with_name(config.warehouse_path.name + ".state.json")


def published(config: Config, name: str, edition: str) -> Published:
    """A profile's PDF and HTML in report/_output/ (by the district's name), and the record beside them."""
    return Published.of(config.report_output, name, edition)


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


def _read(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and record.get("format") == FORMAT else {}


def _write(path: Path, record: dict) -> None:
    replace_atomically(path, json.dumps(record, indent=1, sort_keys=True))


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
    cities = _cities(config)
    result = Plan(None, "", {}, versions, code, manifest)

    record = _read(warehouse_record_path(config))
    if full:
        result.warehouse, result.warehouse_reason = "all", "a full build was asked for"
    elif not record or record.get("warehouse") != identity(config.warehouse_path):
        result.warehouse, result.warehouse_reason = "all", "no record of the last build of this warehouse"
    elif record.get("code", {}).get("warehouse") != code["warehouse"] or record.get("cities") != cities:
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
        rec = _read(files.record)
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


def _cities(config: Config) -> list[list[str]]:
    """The cities the raw tables are checked for (CMP_CITY_AGS, CMP_CITIES), as the record keeps them: the check
    belongs to the warehouse's build, so a changed set rebuilds it."""
    return sorted([c.ags, c.name] for c in config.cities)


def record_warehouse(config: Config, result: Plan) -> None:
    """After a successful warehouse run (or none needed): the published warehouse reflects ``result.versions``."""
    _write(
        warehouse_record_path(config),
        {
            "format": FORMAT,
            "warehouse": identity(config.warehouse_path),
            "cities": _cities(config),
            "code": {"warehouse": result.code["warehouse"]},
            "datasets": result.versions,
        },
    )


def record_profile(config: Config, result: Plan, profile: Profile, headline: dict | None = None) -> None:
    """After a profile was published: what it was made from, and its headline figures for the index page."""
    files = published(config, profile.name, profile.edition)
    _write(
        files.record,
        {
            "format": FORMAT,
            "files": {k: fingerprint(f) for k, f in profile_files(files).items()},
            "city": [profile.city, profile.name],
            "kind": profile.kind,
            "edition": profile.edition,
            "code": result.code,
            "datasets": result.versions,
            "headline": headline or {},
        },
    )


def published_records(config: Config) -> tuple[list[dict], list[str]]:
    """Every profile in report/_output/ whose files are the recorded ones (for the index page), and a line for each
    profile that has a record but a file missing or altered since it was published (not listed; the build says so)."""
    out, problems = [], []
    for files in Published.recorded(config.report_output):
        rec = _read(files.record)
        if not rec or "edition" not in rec:
            continue
        missing = [k.upper() for k, f in profile_files(files).items() if not f.exists()]
        altered = [k.upper() for k, f in profile_files(files).items() if f.exists() and not unchanged(rec.get("files", {}).get(k), f)]
        if missing or altered:
            said = ([f"{'its ' if len(missing) == 1 else ''}{' and '.join(missing)} missing"] if missing else []) + (
                [f"{' and '.join(altered)} altered since it was published"] if altered else [])
            problems.append(f"{files.name}: not listed in the index: {'; '.join(said)} (building its district again republishes it)")
            continue
        if _restat(rec, profile_files(files)):  # a copy that matched by checksum: the quick test holds again next time
            _write(files.record, rec)
        out.append({**rec, "document": files.name})
    return out, problems
