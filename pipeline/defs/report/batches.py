"""A report run renders one profile or a batch of them: the run's partitions, a range of districts of one edition
(or, from a backfill that selects as many districts as editions, a range of editions of one district).
`make report` gives each of its worker processes batches of up to ``BATCH``; a backfill from the UI is cut the same
way by the report assets' backfill policy (``BACKFILL_POLICY``: runs of up to ``BATCH`` partitions, Dagster holding
constant the dimension with fewer keys in the selection), which the daemon starts through the run queue. A single
partition materialized from the UI, and `dagster job backfill`, still run one profile per run.

Each asset does its work once per partition of the run and Dagster records one materialization per partition, with
that partition's own metadata (``context.add_asset_metadata(..., partition_key=...)``). In a batch, a profile that
fails does not stop the others: the asset goes on, then fails naming each failed profile and its reason
(``FAILED_METADATA``), so none of the batch is recorded as materialized by that run; `make report` then records the
others in a second run that takes what the first one published instead of rendering it again (``PUBLISHED_BY_TAG``,
pipeline/cli/build.py). A run of one partition fails with the profile's own error, as it always did.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipeline.defs.partitions import split_key

BATCH = 25  # profiles in one run at most (a run writes about 28 events and 2 per profile: 78 for 25; 25 runs of one: 500)
BATCHES_PER_WORKER = 4  # at least this many batches per worker where there are enough profiles
BACKFILL_POLICY = dg.BackfillPolicy.multi_run(max_partitions_per_run=BATCH)
FAILED_METADATA = "failed_profiles"  # the Failure's metadata: [{"partition": key, "reason": text}, ...]
PUBLISHED_BY_TAG = "cmp/published_by"  # a run that records profiles a failed run of the same batch published
SECONDS_METADATA = "seconds"  # one partition's time in its asset


def batch_size(count: int, workers: int) -> int:
    """Profiles per batch: at most ``BATCH``; on several workers small enough that each gets ``BATCHES_PER_WORKER``
    of the ``count`` (so the last ones end together)."""
    return BATCH if workers == 1 else max(1, min(BATCH, -(-count // (workers * BATCHES_PER_WORKER))))


def ranges(keys: list[str], cities: list[str]) -> list[list[str]]:
    """``keys`` as the runs of partitions a range run can take: one edition each, of districts that follow each other
    in ``cities`` (the instance's order; a range run materializes every partition between its first and last key)."""
    position = {c: i for i, c in enumerate(cities)}
    out: list[list[str]] = []
    for key in sorted(keys, key=lambda k: (split_key(k)[1], position[split_key(k)[0]])):
        city, edition = split_key(key)
        last = out[-1][-1] if out else None
        if last is not None and split_key(last)[1] == edition and position[split_key(last)[0]] + 1 == position[city]:
            out[-1].append(key)
        else:
            out.append([key])
    return out


def range_tags(keys: list[str]) -> dict[str, str]:
    """The tags of a run over the range of partitions from ``keys[0]`` to ``keys[-1]`` (Dagster's own)."""
    return {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]}


def reason(exc: BaseException) -> str:
    """What a profile's failure says: a dg.Failure's own description (file, line, column, rule), else the error."""
    if isinstance(exc, dg.Failure) and exc.description:
        return exc.description.strip()
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def each_partition(context: dg.AssetExecutionContext, work: Callable[[str], dict | None]) -> dg.MaterializeResult:
    """Call ``work(partition_key)`` for each partition of the run; its metadata goes to that partition's
    materialization (``None``: nothing to say)."""
    keys = context.partition_keys
    if len(keys) == 1:
        started = time.monotonic()
        metadata = work(keys[0]) or {}
        return dg.MaterializeResult(metadata={**metadata, SECONDS_METADATA: round(time.monotonic() - started, 3)})
    failed = []
    for key in keys:
        started = time.monotonic()
        try:
            metadata = work(key) or {}
        except Exception as exc:  # noqa: BLE001 - one profile's failure; the batch goes on and fails at its end
            context.log.error(f"{context.asset_key.to_user_string()} {key} failed:\n{traceback.format_exc()}")
            failed.append({"partition": key, "reason": reason(exc)})
            continue
        context.add_asset_metadata({**metadata, SECONDS_METADATA: round(time.monotonic() - started, 3)}, partition_key=key)
    if failed:
        raise dg.Failure(
            description=f"{len(failed)} of the {len(keys)} profiles of this run failed: "
            + "; ".join(f"{f['partition']}: {f['reason'].splitlines()[0]}" for f in failed),
            metadata={FAILED_METADATA: dg.MetadataValue.json(failed)},
        )
    return dg.MaterializeResult()
