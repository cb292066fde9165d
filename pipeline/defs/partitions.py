"""Profiles as Dagster partitions: one per district and edition.

The report assets are partitioned two ways (a ``MultiPartitionsDefinition``):

- ``city``: the district, by its key in the warehouse (``05913`` Dortmund, ``05978`` Kreis Unna, ``11`` Berlin);
  the set is the directory the warehouse builds from the files (marts.cities: every district of the nationwide
  table that defines the editions), so a district a new file lists appears without a code change;
- ``edition``: a reference year raw/ holds (pipeline/domain/editions.py).

Both are dynamic partition sets, kept in step with raw/ and the warehouse by ``sync_partitions``, which
`make ui`, `python -m pipeline build`, the raw-file sensor and the annual schedule call. Not every pair is a
profile: a district has only the editions marts.editions lists for it (the 2018 edition is Dortmund's, from the
MC2CM profile); for any other pair report/contents writes nothing, saying why (Dagster records it as materialized,
empty), and report/profile fails naming the missing edition.

A key reads ``05913|2024`` (Dagster writes the dimensions in alphabetical order: city, then edition). In the UI,
the asset's Partitions tab shows the grid of districts and editions; a backfill of every district of NRW for 2024
selects the edition 2024 and the city keys from 05111 to 05978 (NRW's keys start with 05).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.domain.editions import editions_in_raw

EDITIONS = dg.DynamicPartitionsDefinition(name="edition")
CITIES = dg.DynamicPartitionsDefinition(name="city")
PROFILES = dg.MultiPartitionsDefinition({"city": CITIES, "edition": EDITIONS})


def profile_key(city: str, edition: str) -> dg.MultiPartitionKey:
    """The partition key of one district's edition (``city``: its key in the warehouse, e.g. 05913)."""
    return dg.MultiPartitionKey({"city": city, "edition": edition})


def split_key(partition_key: str) -> tuple[str, str]:
    """(city, edition) of a report partition key."""
    keys = PROFILES.get_partition_key_from_str(partition_key).keys_by_dimension if "|" in partition_key else {}
    if set(keys) != {"city", "edition"}:
        raise ValueError(f"not a profile partition key (city|edition, e.g. 05913|2024): {partition_key!r}")
    return keys["city"], keys["edition"]


def cities_in_warehouse(warehouse: Path) -> list[str]:
    """The district keys the published warehouse's directory (marts.cities) holds; none before its first build."""
    import duckdb

    if not warehouse.exists():
        return []
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return [r[0] for r in con.execute("SELECT region_code FROM marts.cities ORDER BY region_code").fetchall()]
    except duckdb.Error:  # a warehouse built before the directory existed, or not yet complete
        return []


def sync_partitions(instance: dg.DagsterInstance, raw_dir: Path, warehouse: Path,
                    defaults: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Register every edition raw/ holds and every district the warehouse's directory holds, and the default cities'
    keys (``defaults``, so a first profile can be launched from the UI before any warehouse exists); returns the new
    ones (editions, cities). Nothing is removed here: the run history of a partition stays browsable after its files
    leave raw/."""
    editions = [e for e in editions_in_raw(raw_dir) if e not in set(instance.get_dynamic_partitions(EDITIONS.name))]
    known = set(instance.get_dynamic_partitions(CITIES.name))
    # in the order of their keys (the default cities among them), so that a range of keys in the UI's grid or in a
    # batch run (05111 to 05978: NRW) holds the districts between them, Dortmund included
    cities = sorted(c for c in {*defaults, *cities_in_warehouse(warehouse)} if c not in known)
    if editions:
        instance.add_dynamic_partitions(EDITIONS.name, editions)
    if cities:
        instance.add_dynamic_partitions(CITIES.name, cities)
    return editions, cities
