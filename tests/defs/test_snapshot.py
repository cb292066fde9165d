"""A snapshot of what the code location defines: asset keys with their groups and partitioning, the lineage (each
asset's upstream assets), checks, jobs, schedules and sensors. A rename, a removal or a new dependency changes it,
so it has to be a visible decision in the diff:
regenerate with `UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/defs/test_snapshot.py`."""

import os
from pathlib import Path

import dagster as dg
import pytest

SNAPSHOT = Path(__file__).with_name("definitions.snapshot")


def describe(defs: dg.Definitions) -> str:
    graph = defs.resolve_asset_graph()
    lines = ["# assets: key, group, partitions"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parts = node.partitions_def
        if isinstance(parts, dg.MultiPartitionsDefinition):
            dims = " x ".join(f"{d.name} ({d.partitions_def.name})" for d in parts.partitions_defs)
            lines.append(f"{key.to_user_string()}  [{node.group_name}]  partitioned by {dims}")
        else:
            lines.append(f"{key.to_user_string()}  [{node.group_name}]" + (f"  partitioned by {parts.name}" if parts is not None else ""))
    lines.append("# lineage: asset <- its upstream assets")
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        parents = sorted(k.to_user_string() for k in graph.get(key).parent_keys)
        if parents:
            lines.append(f"{key.to_user_string()} <- {', '.join(parents)}")
    lines.append("# checks")
    lines += sorted(f"{c.asset_key.to_user_string()}: {c.name}" for c in graph.asset_check_keys)
    lines.append("# jobs")
    lines += sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__"))
    lines.append("# schedules")
    lines += sorted(f"{s.name}: {s.cron_schedule} {s.execution_timezone} ({s.default_status.value})" for s in defs.schedules or [])
    lines.append("# sensors")
    lines += sorted(f"{s.name}: every {s.minimum_interval_seconds} s ({s.default_status.value})" for s in defs.sensors or [])
    return "\n".join(lines) + "\n"


def test_definitions_match_the_snapshot(monkeypatch, tmp_path):
    monkeypatch.setenv("CMP_WAREHOUSE", str(tmp_path / "w.duckdb"))
    from pipeline.definitions import defs

    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    now = describe(definitions)
    if os.environ.get("UPDATE_SNAPSHOT"):
        # writing the snapshot is not a comparison: the run says so instead of passing
        changed = not SNAPSHOT.exists() or SNAPSHOT.read_text(encoding="utf-8") != now
        SNAPSHOT.write_text(now, encoding="utf-8")
        pytest.skip(f"UPDATE_SNAPSHOT: {SNAPSHOT.name} {'rewritten, review its diff' if changed else 'unchanged'}")
    assert now == SNAPSHOT.read_text(encoding="utf-8"), (
        "definitions changed: review, then regenerate the snapshot (see the module docstring)"
    )
