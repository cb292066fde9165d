"""What changed in raw/ since the last look: the logic behind the raw-file sensor, kept free of Dagster so it can be
tested and reasoned about on its own.

A look at raw/ records, for every file, its sha256 with the size and mtime it had when hashed (a file whose size and
mtime are unchanged is not read again). Comparing two looks gives the files added, changed or removed. They are
sorted into

- **data files and the manifest**: what the pipeline reads; these start runs;
- **ignored files**: hidden files (editor and lock files such as ``.~lock.x.csv#``) and README.md files, which the
  pipeline never reads;
- **links out of raw/**: a symbolic link whose target lies outside raw/ is never followed or read.

A file larger than any table we ingest (manifest.MAX_FILE_BYTES) is not read either: its size and mtime stand in
for its hash, and the run it starts refuses it by its size.

Only files inside raw/ are read; nothing is executed or evaluated.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.domain.manifest import MANIFEST_NAME, Manifest, content_fingerprint, entry_fingerprint, is_data_file

OUTSIDE = "outside raw/"


@dataclass(frozen=True)
class Seen:
    sha256: str
    size: int
    mtime_ns: int


Look = dict[str, Seen]


def look(raw_dir: Path, manifest: Manifest | None, previous: Look | None = None) -> Look:
    """Every file under raw_dir with its sha256, and the manifest's entries (``manifest``: raw_dir's manifest, or
    None when it cannot be read); a link pointing outside raw_dir is recorded, never read."""
    previous = previous or {}
    root = raw_dir.resolve()
    seen: Look = entry_fingerprints(manifest)
    for folder, dirs, files in os.walk(raw_dir, followlinks=False):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(folder, d))):
            path = Path(folder) / name
            rel = path.relative_to(raw_dir).as_posix()
            target = path.resolve()
            if target != root and root not in target.parents:
                seen[rel] = Seen(OUTSIDE, 0, 0)
                continue
            if not target.is_file():
                continue
            st = target.stat()
            before = previous.get(rel)
            if before is not None and before.size == st.st_size and before.mtime_ns == st.st_mtime_ns and before.sha256 != OUTSIDE:
                seen[rel] = before
            else:  # a file too large to be a table is never read: the raw asset refuses it by its size, and says so
                seen[rel] = Seen(content_fingerprint(target), st.st_size, st.st_mtime_ns)
    return seen


def entry_fingerprints(manifest: Manifest | None) -> Look:
    """One pseudo-file per manifest entry, ``sources.yaml#<id>``, whose hash covers the entry's fields: a change to
    the manifest then affects only the datasets whose entries changed. Empty when the manifest cannot be read."""
    if manifest is None:
        return {}
    out = {}
    for e in manifest.entries:
        out[f"{MANIFEST_NAME}#{e.id}"] = Seen(hashlib.sha256(entry_fingerprint(e).encode()).hexdigest(), 0, 0)
    return out


def baseline_from_manifest(manifest: Manifest | None) -> Look:
    """What the manifest registered: the comparison for a first look, when no earlier look exists."""
    if manifest is None:
        return {}
    return {e.file: Seen(e.sha256, -1, -1) for e in manifest.entries} | entry_fingerprints(manifest)


def dump(state: Look) -> str:
    return json.dumps({k: [v.sha256, v.size, v.mtime_ns] for k, v in sorted(state.items())}, separators=(",", ":"))


def load(cursor: str | None) -> Look | None:
    if not cursor:
        return None
    try:
        return {k: Seen(*v) for k, v in json.loads(cursor).items()}
    except (ValueError, TypeError):
        return None  # a cursor from an older layout: start again from the manifest


@dataclass
class Changes:
    data: dict[str, str] = field(default_factory=dict)  # file -> "added" | "changed" | "removed"
    ignored: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    digest: str = ""  # identifies the new contents of the changed data files: the same files give the same digest

    def __bool__(self) -> bool:
        return bool(self.data)

    def describe(self) -> str:
        def name(f: str) -> str:
            return f"raw/{MANIFEST_NAME}, entry {f.split('#', 1)[1]}" if "#" in f else f"raw/{f}"

        return ", ".join(f"{name(f)} ({how})" for f, how in sorted(self.data.items()))

    def why_nothing(self, watched: int) -> str:
        reasons = [f"No data file in raw/ was added, changed or removed since the last look ({watched} files watched)."]
        if self.ignored:
            reasons.append("Ignored, because the pipeline does not read them (hidden or README files): "
                           + ", ".join(f"raw/{f}" for f in self.ignored) + ".")
        if self.outside:
            reasons.append("Ignored, because they link outside raw/: " + ", ".join(f"raw/{f}" for f in self.outside) + ".")
        return " ".join(reasons)


def compare(before: Look, now: Look, first: bool = False) -> Changes:
    """The differences between two looks. ``first``: ``before`` is the manifest's registration, which lists data
    files only, so files it does not list are new only if they are data files."""
    out = Changes()
    for rel in sorted(set(before) | set(now)):
        b, n = before.get(rel), now.get(rel)
        if b is not None and n is not None and b.sha256 == n.sha256:
            continue
        if n is not None and n.sha256 == OUTSIDE:
            out.outside.append(rel)
            continue
        if rel == MANIFEST_NAME and (any(k.startswith(MANIFEST_NAME + "#") for k in now) or first):
            continue  # a readable manifest is compared entry by entry (the sources.yaml#<id> pseudo-files)
        if not is_data_file(rel) and rel != MANIFEST_NAME and not rel.startswith(MANIFEST_NAME + "#"):
            if not first:
                out.ignored.append(rel)
            continue
        out.data[rel] = "added" if b is None else ("removed" if n is None else "changed")
    digest = hashlib.sha256()
    for rel in sorted(out.data):
        digest.update(f"{rel}\0{now[rel].sha256 if rel in now else '-'}\n".encode())
    out.digest = digest.hexdigest()
    return out


def affected_datasets(manifest: Manifest, files: list[str]) -> tuple[set[str], bool]:
    """The datasets that read any of ``files``, and whether any file is unknown to the manifest (then only the
    manifest check can say what is wrong) or the manifest itself changed (then every dataset may be affected)."""
    wanted = set(files)
    datasets: set[str] = set()
    by_id = {e.id: e for e in manifest.entries}
    for f in files:
        if f.startswith(MANIFEST_NAME + "#") and f.split("#", 1)[1] in by_id:
            datasets.add(by_id[f.split("#", 1)[1]].dataset)
    for e in manifest.entries:
        structure = by_id.get(str(e.extra.get("structure", "")))
        if e.file in wanted or (structure is not None and structure.file in wanted):
            datasets.add(e.dataset)
    listed = {e.file for e in manifest.entries}
    unknown = any(f != MANIFEST_NAME and not f.startswith(MANIFEST_NAME + "#") and f not in listed for f in files)
    if MANIFEST_NAME in wanted:
        datasets |= {e.dataset for e in manifest.entries}
    return datasets, unknown
