"""Reader for JSON-stat 2.0 datasets, including the variant GENESIS-Online (Destatis) serves: the dataset wrapped in
``{"data": [ ... ]}`` and the category labels in a separate structure file (``variableValues``).

A dataset holds a flat ``value`` array in row-major order over the dimensions listed in ``id`` with sizes ``size``;
each dimension's ``category.index`` gives every category's position. ``status`` (list, mapping or one string) holds
the special symbols; Destatis writes ``e`` for a plain value, ``-`` for exactly zero (value 0) and ``.`` for unknown
(value 0 in the file, which is *not* a zero).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.symbols import MISSING_SYMBOLS, PLAIN, ZERO
from pipeline.ingest.text import read_text

# Destatis status letters -> our status vocabulary (see pipeline.domain.symbols).
STATUS = {"e": PLAIN, "": PLAIN, None: PLAIN, ZERO: ZERO, **{s: s for s in MISSING_SYMBOLS}}


@dataclass
class JsonStatDataset:
    file: str
    dimensions: list[str]
    categories: dict[str, list[str]]  # per dimension, category codes in index order
    frame: pd.DataFrame  # one row per cell: one column per dimension, value_index, value, status


def _load_json(path: Path, file: str) -> Any:
    text = read_text(path, "utf-8", file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RawInputError.single(
            file, "valid JSON", f"not valid JSON: {exc.msg}", line=exc.lineno, column=f"character {exc.colno}"
        ) from None


def structure_labels(path: Path, file: str, language: str = "en") -> dict[str, str]:
    """Category code -> label from a GENESIS-Online structure file (``variableValues``)."""
    doc = _load_json(path, file)
    values = doc.get("variableValues") if isinstance(doc, dict) else None
    if not isinstance(values, dict):
        raise RawInputError.single(file, "structure layout", "no 'variableValues' mapping in the structure file")
    labels = {}
    for code, spec in values.items():
        label = (spec or {}).get("label", {})
        labels[code] = str(label.get(language) or label.get("de") or code)
    return labels


def read_jsonstat(path: Path, file: str) -> JsonStatDataset:
    doc = _load_json(path, file)
    ds = doc
    if isinstance(doc, dict) and "data" in doc and isinstance(doc["data"], list):
        if len(doc["data"]) != 1:
            raise RawInputError.single(file, "one dataset", f"expected one dataset under 'data', found {len(doc['data'])}")
        ds = doc["data"][0]
    if not isinstance(ds, dict):
        raise RawInputError.single(file, "dataset layout", "the file holds no JSON-stat dataset object")
    problems: list[InputProblem] = []
    for key in ("id", "size", "dimension", "value"):
        if key not in ds:
            problems.append(InputProblem(file, "JSON-stat required keys", f"the dataset has no '{key}'"))
    if problems:
        raise RawInputError(problems)
    ids, sizes, dims = ds["id"], ds["size"], ds["dimension"]
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise RawInputError.single(file, "JSON-stat id/size", "'id' and 'size' must be lists of the same length")
    categories: dict[str, list[str]] = {}
    for dim, size in zip(ids, sizes, strict=False):
        spec = dims.get(dim) if isinstance(dims, dict) else None
        if spec is None:
            problems.append(
                InputProblem(
                    file, "JSON-stat dimensions complete", f"dimension '{dim}' is named in 'id' but has no entry in 'dimension'", column=dim
                )
            )
            continue
        index = (spec.get("category") or {}).get("index")
        if isinstance(index, list):
            codes = list(index)
        elif isinstance(index, dict):
            codes = [None] * len(index)
            for code, pos in index.items():
                if not isinstance(pos, int) or not 0 <= pos < len(index) or codes[pos] is not None:
                    problems.append(
                        InputProblem(file, "JSON-stat category index", f"category '{code}' has an invalid position {pos}", column=dim)
                    )
                    break
                codes[pos] = code
        else:
            problems.append(InputProblem(file, "JSON-stat category index", "no category index", column=dim))
            continue
        if len(codes) != size:
            problems.append(InputProblem(file, "JSON-stat sizes agree", f"{len(codes)} categories but size {size}", column=dim))
        categories[dim] = [str(c) for c in codes]
    if problems:
        raise RawInputError(problems)
    total = math.prod(sizes)
    values, status = ds["value"], ds.get("status")
    if isinstance(values, dict):
        dense: list[Any] = [None] * total
        for k, v in values.items():
            dense[int(k)] = v
        values = dense
    if len(values) != total:
        raise RawInputError.single(
            file, "JSON-stat sizes agree", f"{len(values)} values but the dimensions span {total} cells", column="value"
        )
    if status is None or isinstance(status, str):
        status_list = [status] * total
    elif isinstance(status, dict):
        status_list = [status.get(str(i)) for i in range(total)]
    else:
        status_list = list(status)
        if len(status_list) != total:
            raise RawInputError.single(
                file, "JSON-stat sizes agree", f"{len(status_list)} status entries for {total} values", column="status"
            )
    out_values, out_status = [], []
    for i, (v, s) in enumerate(zip(values, status_list, strict=False)):
        if s not in STATUS:
            problems.append(InputProblem(file, "known special symbols", f"status '{s}' is not a known symbol", column=f"status[{i}]"))
            continue
        st = STATUS[s]
        if st in MISSING_SYMBOLS:
            out_values.append(math.nan)
        elif v is None:
            problems.append(InputProblem(file, "values present", "null value without a symbol saying why", column=f"value[{i}]"))
            continue
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            problems.append(InputProblem(file, "numeric values", f"value {v!r} is not a number", column=f"value[{i}]"))
            continue
        else:
            out_values.append(float(v))
        out_status.append(st)
        if len(problems) > 200:
            break
    if problems:
        raise RawInputError(problems)
    grid = list(product(*[categories[d] for d in ids]))
    frame = pd.DataFrame(grid, columns=ids)
    frame["value_index"] = range(total)
    frame["value"] = out_values
    frame["status"] = out_status
    return JsonStatDataset(file=file, dimensions=list(ids), categories=categories, frame=frame)
