"""Editing pipeline/reconciliation/rules.yaml marks the profiles' contents stale, naming the marts that quote
the reconciliation as the cause: a real edit, in a scratch copy of the project's code, against a Dagster instance
on disk holding a full build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import dagster as dg
import pytest

from pipeline.domain.config import PROJECT_DIR
from tests.conftest import RAW

# Run in the scratch copy: re-materialise what an edit of the rules reaches in the warehouse (as the UI's "materialize
# downstream" does), then print the stale status of every report asset of the 2024 edition.
AFTER_THE_EDIT = """
import json, warnings
warnings.filterwarnings("ignore")
import dagster as dg
from dagster._core.asset_graph_view.asset_graph_view import AssetGraphView, TemporalContext
from dagster._core.definitions.data_version import CachingStaleStatusResolver
from dagster._time import get_current_datetime
from pipeline.definitions import defs

definitions, instance = defs(), dg.DagsterInstance.get()
graph = definitions.resolve_asset_graph()

def resolver():
    view = AssetGraphView(temporal_context=TemporalContext(effective_dt=get_current_datetime(), last_event_id=None),
                          instance=instance, asset_graph=graph)
    return CachingStaleStatusResolver(instance=instance, asset_graph=graph, loading_context=view)

rules = dg.AssetKey(["reconciliation", "rules"])
out = {"rules": [c.reason for c in resolver().get_stale_causes(rules)]}
reach = (dg.AssetSelection.assets(rules).downstream() - dg.AssetSelection.groups("report")).resolve(graph)
job = definitions.resolve_job_def("build_warehouse")
run = job.execute_in_process(instance=instance, asset_selection=sorted(reach), raise_on_error=False)
assert run.success
check = resolver()
contents = dg.AssetKey(["report", "contents"])
out["status"] = check.get_status(contents, "05913|2024").value
causes = check.get_stale_causes(contents, "05913|2024")
out["causes"] = sorted({c.dependency.asset_key.to_user_string() for c in causes})
print(json.dumps(out))
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the project's code, with its own warehouse, report folder and instance."""
    root = tmp_path / "project"
    for name in ("pipeline", "report", "warehouse/sql"):
        shutil.copytree(PROJECT_DIR / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "_build", "_output", ".quarto"))
    shutil.copy(PROJECT_DIR / "pyproject.toml", root)  # Dagster's defs-folder loader finds the project by it
    (tmp_path / "dagster_home").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "CMP_RAW_DIR": str(RAW),
        "CMP_WAREHOUSE": str(tmp_path / "warehouse" / "profile.duckdb"),
        "CMP_REPORT_DIR": str(tmp_path / "report"),
    }
    return root, env


def test_editing_the_rules_marks_the_contents_that_quote_the_reconciliation_stale(project, monkeypatch):
    root, env = project
    for name in ("DAGSTER_HOME", "CMP_RAW_DIR", "CMP_WAREHOUSE", "CMP_REPORT_DIR"):
        monkeypatch.setenv(name, env[name])
    from pipeline.definitions import defs

    # a full build of the warehouse and of the 2024 edition's contents, recorded in the instance
    definitions, instance = defs(), dg.DagsterInstance.get()
    instance.add_dynamic_partitions("edition", ["2024"])
    instance.add_dynamic_partitions("city", ["05913"])
    assert definitions.resolve_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False).success
    assert (
        definitions.resolve_job_def("build_report")
        .execute_in_process(instance=instance, partition_key="05913|2024", asset_selection=[dg.AssetKey(["report", "contents"])],
                            raise_on_error=False)
        .success
    )
    instance.dispose()

    rules = root / "pipeline" / "reconciliation" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", AFTER_THE_EDIT], env=env, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["rules"] == ["has a new code version"]
    assert result["status"] == "STALE"
    # (the plausibility of the register figures reads the rules' settings too)
    assert result["causes"] == ["marts/plausibility", "marts/reconciliation"]
