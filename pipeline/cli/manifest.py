"""``python -m pipeline manifest``: the sources manifest (raw/sources.yaml) against raw/.

``check`` compares raw/ with the manifest; ``add raw/<folder>/<file>`` registers a new year's file of a table listed
already (the entry derived from the previous year's, appended and checked: pipeline/sources/new_year.py); ``draft
raw/<folder>/<file>`` prints a ready-to-edit entry for a new table (docs/adding-a-table.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.domain.config import Config
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import Manifest, check_all, draft_entry, load_manifest
from pipeline.sources.new_year import add


def main(argv: list[str]) -> int:
    raw_dir = Config.from_env().raw_dir
    if len(argv) >= 1 and argv[0] == "check":
        try:
            manifest = load_manifest(raw_dir)
        except RawInputError as exc:
            print(exc.summary(), file=sys.stderr)
            return 1
        problems = check_all(manifest)
        for p in problems:
            print(p.describe(), file=sys.stderr)
        print(f"{len(manifest.entries)} files listed, {len(problems)} problem(s)")
        return 1 if problems else 0
    if len(argv) == 2 and argv[0] == "add":
        try:
            added = add(raw_dir, Path(argv[1]))
        except RawInputError as exc:
            print(exc.summary(), file=sys.stderr)
            return 1
        print(added.message, file=sys.stdout if added.entry else sys.stderr)
        return 0 if added.entry else 1
    if len(argv) == 2 and argv[0] == "draft":
        try:
            manifest: Manifest | None = load_manifest(raw_dir)
        except RawInputError:
            manifest = None
        print(draft_entry(manifest, Path(argv[1]), raw_dir))
        return 0
    print(__doc__)
    return 2
