"""What changed in raw/ since the last look: the logic behind the raw-file sensor, kept free of Dagster so it can be
tested and reasoned about on its own.

A look holds what the build is made of, in the terms every part of the project uses: the version of every raw
dataset and of the manifest (pipeline/versions.py: ``dataset_versions``, the raw assets' data versions and what
`make report` compares), with the data files the manifest does not list. Comparing two looks gives the datasets
whose version changed, and the unlisted files that came or went. Beside them a look notes what no version covers,
only so that a skip can name it:

- **ignored files**: hidden files (editor and lock files such as ``.~lock.x.csv#``) and README.md files, which the
  pipeline never reads (their size and modification time, never their contents);
- **links out of raw/**: a symbolic link whose target lies outside raw/ is never followed or read.

Only files inside raw/ are read; nothing is executed or evaluated.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.domain.manifest import MANIFEST_NAME, is_data_file


@dataclass
class Look:
    versions: dict[str, str]  # dataset (and the manifest's pseudo-dataset) -> version
    unlisted: list[str] = field(default_factory=list)  # data files the manifest does not list
    ignored: dict[str, list[int]] = field(default_factory=dict)  # hidden and README files -> [size, mtime_ns]
    outside: list[str] = field(default_factory=list)  # links out of raw/


def unread(raw_dir: Path, outside: list[str]) -> dict[str, list[int]]:
    """The files under raw/ the pipeline never reads (hidden and README files), by size and modification time."""
    skip = set(outside)
    found: dict[str, list[int]] = {}
    for folder, dirs, files in os.walk(raw_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if (Path(folder) / d).relative_to(raw_dir).as_posix() not in skip)
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(raw_dir).as_posix()
            if rel in skip or is_data_file(rel) or rel == MANIFEST_NAME or not path.is_file():
                continue
            st = path.stat()
            found[rel] = [st.st_size, st.st_mtime_ns]
    return found


def dump(look: Look) -> str:
    return json.dumps({"versions": look.versions, "unlisted": look.unlisted, "ignored": look.ignored, "outside": look.outside},
                      sort_keys=True, separators=(",", ":"))


def load(cursor: str | None) -> Look | None:
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
        return Look(dict(data["versions"]), list(data["unlisted"]), dict(data["ignored"]), list(data["outside"]))
    except (ValueError, TypeError, KeyError):
        return None  # a cursor from an older layout (file by file): start again from the published warehouse


@dataclass
class Changes:
    datasets: dict[str, str] = field(default_factory=dict)  # dataset -> "added" | "changed" | "removed"
    unlisted: dict[str, str] = field(default_factory=dict)  # file the manifest does not list -> "added" | "removed"
    manifest: bool = False  # the manifest's version changed: its entries, or the files it does not list
    ignored: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    digest: str = ""  # identifies the new versions: the same contents give the same digest

    def __bool__(self) -> bool:
        return bool(self.datasets or self.unlisted or self.manifest)

    def describe(self) -> str:
        said = [f"raw dataset {d} ({how})" for d, how in sorted(self.datasets.items())]
        said += [f"raw/{f} ({how}, not in the manifest)" for f, how in sorted(self.unlisted.items())]
        if self.manifest and not said:
            said.append("raw/sources.yaml (changed)")
        return ", ".join(said)

    def why_nothing(self, watched: int) -> str:
        reasons = [f"No data file in raw/ was added, changed or removed since the last look ({watched} datasets watched)."]
        if self.ignored:
            reasons.append("Ignored, because the pipeline does not read them (hidden or README files): "
                           + ", ".join(f"raw/{f}" for f in self.ignored) + ".")
        if self.outside:
            reasons.append("Ignored, because they link outside raw/: " + ", ".join(f"raw/{f}" for f in self.outside) + ".")
        return " ".join(reasons)


def compare(before: Look, now: Look, manifest_key: str, first: bool = False) -> Changes:
    """The differences between two looks. ``manifest_key``: the manifest's pseudo-dataset in ``versions``;
    ``first``: ``before`` is no earlier look but what the warehouse was built from (or the manifest's registration),
    so the files the pipeline never reads are not news."""
    out = Changes()
    for name in sorted((set(before.versions) | set(now.versions)) - {manifest_key}):
        b, n = before.versions.get(name), now.versions.get(name)
        if b != n:
            out.datasets[name] = "added" if b is None else ("removed" if n is None else "changed")
    for f in sorted(set(before.unlisted) ^ set(now.unlisted)):
        out.unlisted[f] = "added" if f in now.unlisted else "removed"
    out.manifest = before.versions.get(manifest_key) != now.versions.get(manifest_key)
    if not first:
        out.ignored = sorted(f for f, seen in now.ignored.items() if before.ignored.get(f) != seen)
    out.outside = sorted(set(now.outside) - set(before.outside))
    digest = hashlib.sha256()
    for name in sorted(out.datasets) + [manifest_key]:
        digest.update(f"{name}\0{now.versions.get(name, '-')}\n".encode())
    for f in sorted(now.unlisted):
        digest.update(f"unlisted\0{f}\n".encode())
    out.digest = digest.hexdigest()
    return out
