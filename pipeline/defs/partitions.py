"""Editions as Dagster partitions.

The report assets are partitioned by edition, a reference year (see pipeline/editions.py). The set of
editions is not written in code: it is what raw/ holds. It is a dynamic partitions definition named ``edition``,
kept in step with raw/ by ``sync_editions``, which the raw-file sensor, the annual schedule, `make ui` and
`python -m pipeline build` call. Dropping next year's files into raw/ (with their manifest entries) therefore adds
the edition the next time any of them runs.

The key is the year alone. A second city would become a second dimension (a MultiPartitionsDefinition of
``city`` and ``edition``); the partition key of the report's assets is read only by ``edition_key`` below.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.editions import editions_in_raw

EDITIONS = dg.DynamicPartitionsDefinition(name="edition")


def sync_editions(instance: dg.DagsterInstance, raw_dir: Path) -> list[str]:
    """Register every edition raw/ holds with the instance; returns the ones that were new. Editions are never
    removed here: their run history stays browsable after a file leaves raw/."""
    new = missing_editions(instance, raw_dir)
    if new:
        instance.add_dynamic_partitions(EDITIONS.name, new)
    return new


def missing_editions(instance: dg.DagsterInstance, raw_dir: Path) -> list[str]:
    known = set(instance.get_dynamic_partitions(EDITIONS.name))
    return [e for e in editions_in_raw(raw_dir) if e not in known]


def edition_key(partition_key: str) -> str:
    return partition_key
