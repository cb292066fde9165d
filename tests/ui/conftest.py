"""`make ui`'s server for the UI tests: `python -m pipeline ui` (the Dagster webserver behind its guard, and the daemon)
on 127.0.0.1 against a temporary DAGSTER_HOME, in its own process group, started once for the tests of tests/ui/ and
stopped at the end."""

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

from pipeline.domain.config import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCATION = "city_migration_profile"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = root / "dagster_home"
        self.home.mkdir()
        shutil.copy(PROJECT_DIR / ".dagster" / "dagster.yaml", self.home / "dagster.yaml")  # the project's run queue
        self.report_dir = root / "report"
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(self.home),
            "CMP_WAREHOUSE": str(root / "warehouse.duckdb"),
            "CMP_REPORT_DIR": str(self.report_dir),
        }
        self.log_path = root / "ui.log"
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "ui", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=PROJECT_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the UI exited:\n" + self.log_path.read_text()[-3000:]
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


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("ui"))
    try:
        s.wait_until_up()
        yield s
    finally:
        s.stop()
    assert s.proc.poll() is not None
