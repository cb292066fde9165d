"""Every dataset the pipeline builds: the ``DATASET`` of each module under pipeline/sources/<publisher>/, found by
walking the folders (a new table is a new module, nothing to register by hand). In build order: a dataset after
the ones it ``needs``, otherwise by publisher and table name. A module's ``.sql`` beside it, where there is one, is
its branch of core.indicators (``BRANCHES``; assembled by pipeline/warehouse/indicators.py); the code lists a module
states itself (with pipeline/domain/codebook.py's classes) are ``CODE_LISTS``, which the warehouse's vocabulary takes its labels from."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pipeline.sources as _package
from pipeline.domain.codebook import SHARED, CodeList
from pipeline.domain.manifest import Manifest
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import Dataset, build_dataset


def _discover() -> tuple[tuple[Dataset, ...], dict[str, Path], tuple[CodeList, ...]]:
    found: dict[str, Dataset] = {}
    branches: dict[str, Path] = {}
    code_lists: dict[str, CodeList] = {}
    for info in sorted(pkgutil.walk_packages(_package.__path__, _package.__name__ + "."), key=lambda i: i.name):
        if info.ispkg or info.name.count(".") != 3:  # pipeline.sources.<publisher>.<table> only
            continue
        module = importlib.import_module(info.name)
        dataset = getattr(module, "DATASET", None)
        if dataset is None:
            continue
        if dataset.name in found:
            raise ValueError(f"two modules define the dataset {dataset.name!r} ({info.name})")
        found[dataset.name] = dataset
        for value in vars(module).values():
            if isinstance(value, CodeList) and value not in SHARED:  # (the codebook's own lists, imported)
                if code_lists.setdefault(value.kind, value) is not value:
                    raise ValueError(f"two modules state the code list {value.kind!r} ({info.name})")
        branch = Path(module.__file__).with_suffix(".sql")
        if branch.is_file():
            branches[dataset.name] = branch
    ordered: list[Dataset] = []
    done: set[str] = set()

    def visit(d: Dataset, path: tuple[str, ...] = ()) -> None:
        if d.name in done:
            return
        if d.name in path:
            raise ValueError(f"datasets that need each other: {' -> '.join((*path, d.name))}")
        for need in d.needs:
            if need not in found:
                raise ValueError(f"dataset {d.name!r} needs {need!r}, which no module under pipeline/sources/ defines")
            visit(found[need], (*path, d.name))
        done.add(d.name)
        ordered.append(d)

    for d in found.values():
        visit(d)
    return tuple(ordered), {d.name: branches[d.name] for d in ordered if d.name in branches}, tuple(code_lists.values())


DATASETS, BRANCHES, CODE_LISTS = _discover()
DATASETS_BY_NAME = {d.name: d for d in DATASETS}


def context_for(dataset: Dataset, manifest: Manifest) -> BuildContext:
    """A context to build ``dataset`` alone (a new file checked, a test): the datasets it needs, built first."""
    ctx = BuildContext(manifest)
    for d in DATASETS:
        if d.name in _needed(dataset):
            ctx.upstream[d.name] = build_dataset(d, ctx)[0]
    return ctx


def _needed(dataset: Dataset) -> set[str]:
    out: set[str] = set()
    for need in dataset.needs:
        out |= {need} | _needed(DATASETS_BY_NAME[need])
    return out
