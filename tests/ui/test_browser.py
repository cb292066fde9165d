"""The Dagster UI in a real browser: `dagster dev` on 127.0.0.1 against a temporary DAGSTER_HOME, opened in Debian's
Chromium (headless, driven by Playwright; no browser is downloaded). It shows our asset groups and the report asset,
launches Dortmund's 2024 edition (partition 05913|2024; Dortmund, the default city, is registered before any warehouse
exists) through the webserver's GraphQL endpoint (what the UI's Materialize button calls), waits
for the run to succeed, and finds the PDF. The server is stopped at the end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.config import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCATION = "city_migration_profile"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it where apt-get can)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home = root / "dagster_home"
        home.mkdir()
        shutil.copy(PROJECT_DIR / ".dagster" / "dagster.yaml", home / "dagster.yaml")  # the project's run queue
        self.report_dir = root / "report"
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "CMP_WAREHOUSE": str(root / "warehouse.duckdb"),
            "CMP_REPORT_DIR": str(self.report_dir),
        }
        self.log = (root / "dagster-dev.log").open("w")
        bin_dir = Path(sys.executable).parent
        subprocess.run([sys.executable, "-m", "pipeline", "editions"], env=self.env, cwd=PROJECT_DIR, check=True, capture_output=True)
        self.proc = subprocess.Popen(
            [str(bin_dir / "dagster"), "dev", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=PROJECT_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "dagster dev exited"
            try:
                with urllib.request.urlopen(f"{self.url}/server_info", timeout=2) as r:
                    if r.status == 200 and self.location_loaded():
                        return
            except OSError:
                pass
            time.sleep(1)
        raise TimeoutError("the webserver did not come up")

    def location_loaded(self) -> bool:
        data = self.graphql("{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }")
        entries = data["workspaceOrError"]["locationEntries"]
        return any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries)

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        req = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            out = json.load(r)
        assert "errors" not in out, out["errors"]
        return out["data"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    try:
        s.wait_until_up()
        yield s
    finally:
        s.stop()
    assert s.proc.poll() is not None


LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidSubsetError { message }
  }
}"""

STATUS = "query Status($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
UPSTREAM = "query Up($path: [String!]!) { assetNodeOrError(assetKey: {path: $path}) { ... on AssetNode { dependencyKeys { path } } } }"


def test_ui_lists_the_groups_and_materialises_an_edition(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{server.url}/asset-groups", wait_until="networkidle")
            page.get_by_text("reconciliation").first.wait_for(timeout=30_000)
            text = page.inner_text("body")
            for group in ("raw", "staging", "core", "marts", "reconciliation", "report"):
                assert group in text.split("\n"), group

            # what the UI draws as lineage: the texts that quote the reconciliation are downstream of it
            for name in ("executive_summary", "conclusions"):
                node = server.graphql(UPSTREAM, {"path": ["report", name]})["assetNodeOrError"]
                assert ["marts", "reconciliation"] in [k["path"] for k in node["dependencyKeys"]], name
            up = server.graphql(UPSTREAM, {"path": ["marts", "reconciliation"]})["assetNodeOrError"]
            assert [k["path"] for k in up["dependencyKeys"]] == [["reconciliation", "comparisons"]]

            page.goto(f"{server.url}/assets/report/profile", wait_until="networkidle")
            page.get_by_text("The profile of one district's edition as PDF and HTML").wait_for(timeout=30_000)
            assert "Materialize" in page.inner_text("body")

            params = {
                "selector": {"repositoryLocationName": LOCATION, "repositoryName": "__repository__", "jobName": "refresh_edition"},
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "05913|2024"},
                                               {"key": "dagster/partition/city", "value": "05913"},
                                               {"key": "dagster/partition/edition", "value": "2024"}]},
                "runConfigData": {},
                "mode": "default",
            }
            launched = server.graphql(LAUNCH, {"params": params})["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]

            deadline, status = time.monotonic() + 300, None
            while time.monotonic() < deadline:
                status = server.graphql(STATUS, {"id": run_id})["runOrError"]["status"]
                if status in ("SUCCESS", "FAILURE", "CANCELED"):
                    break
                time.sleep(2)
            assert status == "SUCCESS", (status, (server.report_dir.parent / "dagster-dev.log").read_text()[-3000:])

            pdf = server.report_dir / "_output" / "city-migration-profile-dortmund-2024.pdf"
            assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")

            # the run is in the UI, and the report asset shows the PDF path in its metadata
            page.goto(f"{server.url}/runs/{run_id}", wait_until="networkidle")
            page.get_by_text("Success").first.wait_for(timeout=30_000)
            page.goto(f"{server.url}/assets/report/profile?partition=05913%7C2024", wait_until="networkidle")
            page.get_by_text("city-migration-profile-dortmund-2024.pdf").first.wait_for(timeout=30_000)
        finally:
            browser.close()
