"""What every build is made from, in one place: the versions of the code and of every raw dataset, the fingerprints of
published files, and the records that keep them beside what was published.

- ``code_hashes``: one hash per part of the code (the warehouse's: pipeline/ without the report package, with
  warehouse/sql/ and warehouse/seeds/; the report's: pipeline/report/; the document's sources in report/ and the
  deployment's publisher; the renderer);
- ``dataset_versions``: one version per raw dataset (every field of its manifest entries and the sha256 of their files)
  and one for the manifest with the list of files raw/ holds: the raw assets' data versions, what `make report`'s
  plan compares and what the raw-file sensor watches (pipeline/defs/automation/sensors.py);
- ``asset_code_version``: the code version of an asset defined by files (a SQL asset's SQL, a seed, the
  reconciliation rules, the code lists);
- the records: ``warehouse/profile.duckdb.state.json`` (written by the run that publishes a whole warehouse, whoever
  ran it, and by `make report` after its runs, which may rebuild a part) and
  ``report/_output/.<document>.state.json``, written by the asset ``report/profile`` as it publishes a profile,
  whoever ran it (`make report`, the UI, the sensor, the run queue): the datasets and warehouse code it shows are
  those of the warehouse record (none when the warehouse on disk is not the recorded one: the next `make report`
  then renders the profile again), the report's code is the code that rendered it.

`make report`'s plan (pipeline/cli/incremental.py) compares these records with the present. It imports neither
Dagster nor pandas.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from pipeline.domain.config import PROJECT_DIR, Config
from pipeline.domain.files import replace_atomically
from pipeline.domain.manifest import Manifest, content_fingerprint, entry_fingerprint, sha256_of, unlisted_files
from pipeline.report import imprint, renderer
from pipeline.report.folders import QUARTO_SOURCES, Published

FORMAT = 2  # 2: a profile's files by checksum (1: by inode, size and mtime)
DATASET_VERSION = "dataset_version"  # the raw assets' metadata entry holding the version they ingested
MANIFEST_DATASET = "sources_manifest"  # the pseudo-dataset of raw/sources.yaml itself (asset raw/sources_manifest)


# -- versions and fingerprints -----------------------------------------------------------------------------------------


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


@functools.cache
def _loaded_code() -> tuple[str, str]:
    """The hashes of the warehouse's and the report's code, once per process: a process runs the code it imported,
    so a later edit is not what it builds with (and hashing the tree for every profile a worker records cost ~20 ms)."""
    pipeline, report_code = PROJECT_DIR / "pipeline", PROJECT_DIR / "pipeline" / "report"
    return (tree_hash([pipeline, PROJECT_DIR / "warehouse" / "sql", PROJECT_DIR / "warehouse" / "seeds"], exclude=(report_code,)),
            tree_hash([report_code], exclude=(report_code / "builtin",)))


def warehouse_code() -> str:
    """The hash of the warehouse's code this process loaded (``code_hashes()['warehouse']`` without the others)."""
    return _loaded_code()[0]


def code_hashes() -> dict[str, str]:
    report_code = PROJECT_DIR / "pipeline" / "report"
    warehouse, report = _loaded_code()
    return {
        "warehouse": warehouse,
        "report": report,
        # the document's sources and the deployment's publisher (the imprint): a change re-renders every profile
        "text": tree_hash([PROJECT_DIR / "report" / name for name in QUARTO_SOURCES] + [report_code / "builtin"])
        + (f":{sha256_of(imprint.publisher_file())}" if imprint.publisher_file().is_file() else ""),
        "renderer": renderer.identity(),
    }


def asset_code_version(*parts: str | bytes) -> str:
    """The code version of an asset defined by files rather than by Python (its SQL, a seed's rows and DDL, the
    reconciliation rules, the code lists): a hash of what they hold. Python code counts in ``code_hashes``."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


_seen: dict[tuple, str] = {}  # (path, inode, size, mtime) -> content fingerprint: a long-lived process (the sensor's) reads a file once


def _content(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in _seen:
        _seen[key] = content_fingerprint(path)
    return _seen[key]


def dataset_version(manifest: Manifest, name: str, registered: bool = False) -> str:
    """The version of one raw dataset: every field of its manifest entries (its structure files' included) and the
    actual sha256 of their files (``registered``: the sha256 the manifest registered instead, what the files should
    hold). What the raw asset records as its data version, `make report` compares and the raw-file sensor watches."""
    h = hashlib.sha256()
    for e in sorted(manifest.for_dataset(name), key=lambda e: e.id):
        path = manifest.path(e)
        content = e.sha256 if registered else _content(path) if path.is_file() else "missing"
        h.update(f"{entry_fingerprint(e)}\0{content}\n".encode())
    return h.hexdigest()


def unread_links(raw_dir: Path) -> list[str]:
    """The links under raw/ that point outside it: never followed or read, and no part of any version."""
    root = raw_dir.resolve()
    found = []
    for folder, dirs, files in os.walk(raw_dir, followlinks=False):
        for name in sorted(files) + sorted(dirs):
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                if target != root and root not in target.parents:
                    found.append(path.relative_to(raw_dir).as_posix())
    return sorted(found)


def read_files_unlisted(manifest: Manifest) -> list[str]:
    """The data files raw/ holds that the manifest does not list (links out of raw/ left out: they are never read)."""
    outside = set(unread_links(manifest.raw_dir))
    return [f for f in unlisted_files(manifest) if f not in outside and not any(f.startswith(o + "/") for o in outside)]


def manifest_version(manifest: Manifest, registered: bool = False) -> str:
    """The version of the manifest as a whole with the list of files raw/ holds, so an unlisted file is a change too
    (``registered``: the manifest alone, as if raw/ held exactly what it lists)."""
    unlisted = [] if registered else read_files_unlisted(manifest)
    listing = json.dumps([[e.id, e.file, e.sha256] for e in manifest.entries] + [["unlisted", f] for f in unlisted])
    return hashlib.sha256(listing.encode()).hexdigest()


def dataset_versions(manifest: Manifest, registered: bool = False) -> dict[str, str]:
    """A version per raw dataset (``dataset_version``) and one for the manifest (``manifest_version``)."""
    versions = {name: dataset_version(manifest, name, registered) for name in sorted({e.dataset for e in manifest.entries})}
    versions[MANIFEST_DATASET] = manifest_version(manifest, registered)
    return versions


def identity(path: Path) -> list[int] | None:
    """A file's inode, size and modification time (None: there is none), the quick test that nothing touched it."""
    if not path.exists():
        return None
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def fingerprint(path: Path) -> dict | None:
    """A published file as its record keeps it: checksum and size, and its stat for the quick test."""
    stat = identity(path)
    return None if stat is None else {"sha256": sha256_of(path), "size": stat[1], "stat": stat}


def unchanged(recorded: object, path: Path) -> bool:
    """``path`` holds what the record describes: its stat as recorded (nothing touched it), or else the same bytes
    (a copy or a restore: other inode and time, same checksum)."""
    stat = identity(path)
    if not isinstance(recorded, dict) or stat is None:
        return False
    if recorded.get("stat") == stat:
        return True
    return stat[1] == recorded.get("size") and sha256_of(path) == recorded.get("sha256")


def restat(rec: dict, files: dict[str, Path]) -> bool:
    """Bring the record's stat of each file (found unchanged by checksum) up to date; whether any changed."""
    changed = False
    for key, path in files.items():
        now = identity(path)
        if rec["files"][key].get("stat") != now:
            rec["files"][key]["stat"], changed = now, True
    return changed


def profile_files(files: Published) -> dict[str, Path]:
    """The files a published profile consists of, by the name its record gives each."""
    return {"pdf": files.pdf, "html": files.html, "xlsx": files.workbook, "csv": files.csv_zip}


# -- records ---------------------------------------------------------------------------------------------------------


def warehouse_record_path(config: Config) -> Path:
    return config.warehouse_path.with_name(config.warehouse_path.name + ".state.json")


def checked_cities(config: Config) -> list[list[str]]:
    """The cities the raw tables are checked for (CMP_CITY_AGS, CMP_CITIES), as the record keeps them: the check
    belongs to the warehouse's build, so a changed set rebuilds it."""
    return sorted([c.ags, c.name] for c in config.cities)


def record_warehouse(config: Config, code: str, datasets: dict[str, str]) -> Path:
    """After a warehouse was published: the code (``code_hashes()['warehouse']``) and the datasets' versions it was
    built from. Written by the run that published it (pipeline/defs/resources.py: a run that built all of it) and by
    `make report` after its own runs, which may build a part (pipeline/cli/build.py)."""
    path = warehouse_record_path(config)
    write_record(path, {"format": FORMAT, "warehouse": identity(config.warehouse_path), "cities": checked_cities(config),
                        "code": {"warehouse": code}, "datasets": datasets})
    return path


def published(config: Config, name: str, edition: str) -> Published:
    """A profile's PDF and HTML in report/_output/ (by the district's name), and the record beside them."""
    return Published.of(config.report_output, name, edition)


def read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and record.get("format") == FORMAT else {}


def write_record(path: Path, record: dict) -> None:
    replace_atomically(path, json.dumps(record, indent=1, sort_keys=True))


def record_profile(config: Config, values: dict, edition: str, run_id: str = "") -> Path:
    """After a profile was published (by report/profile, in whatever run): what it was made from, and its headline
    figures for the index page. ``values``: the edition's variables as rendered; ``run_id``: the Dagster run that
    published it (a batch that failed elsewhere has its profiles recorded by a second run, pipeline/cli/build.py)."""
    city = values["city"]
    files = published(config, city["name"], edition)
    warehouse = read_record(warehouse_record_path(config))
    current = bool(warehouse) and warehouse.get("warehouse") == identity(config.warehouse_path)
    code = code_hashes()
    write_record(
        files.record,
        {
            "format": FORMAT,
            "files": {k: fingerprint(f) for k, f in profile_files(files).items()},
            "city": [city["key"], city["name"]],
            "kind": city.get("kind", "city"),
            "edition": edition,
            "run": run_id,
            # the data and the warehouse code it shows are the recorded warehouse's (unknown: none, so it is redone)
            "code": {**code, "warehouse": warehouse.get("code", {}).get("warehouse") if current else None},
            "datasets": warehouse.get("datasets", {}) if current else {},
            # the headline figures, and what the index filters and dates the profile by
            "headline": {**values.get("headline", {}), **values.get("listing", {}), "as_of": values.get("data", {}).get("as_of", ""),
                         "built": values.get("build", {}).get("date", "")},
        },
    )
    return files.record


_loaded_code()  # at import: the code this process loaded, not what the tree holds when it first records something
