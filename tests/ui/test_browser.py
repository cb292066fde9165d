"""The Dagster UI in a real browser: `make ui`'s server (tests/ui/conftest.py) opened in Debian's Chromium (headless,
driven by Playwright; no browser is downloaded). It shows our asset groups and the report asset,
launches Dortmund's 2024 edition (partition 05913|2024; Dortmund, the default city, is registered before any warehouse
exists) through the webserver's GraphQL endpoint (what the UI's Materialize button calls), waits
for the run to succeed, and finds the PDF. The server is stopped at the end."""

from __future__ import annotations

import time

import pytest

from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, LOCATION

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it where apt-get can)"
)


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

            # what the UI draws as lineage: the contents, whose texts quote the reconciliation, are downstream of it
            node = server.graphql(UPSTREAM, {"path": ["report", "contents"]})["assetNodeOrError"]
            assert ["marts", "reconciliation"] in [k["path"] for k in node["dependencyKeys"]]
            node = server.graphql(UPSTREAM, {"path": ["report", "profile"]})["assetNodeOrError"]
            assert [k["path"] for k in node["dependencyKeys"]] == [["report", "contents"]]
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
            assert status == "SUCCESS", (status, server.log_path.read_text()[-3000:])

            pdf = server.report_dir / "_output" / "city-migration-profile-dortmund-2024.pdf"
            assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")

            # the run is in the UI, and the report asset shows the PDF path in its metadata
            page.goto(f"{server.url}/runs/{run_id}", wait_until="networkidle")
            page.get_by_text("Success").first.wait_for(timeout=30_000)
            page.goto(f"{server.url}/assets/report/profile?partition=05913%7C2024", wait_until="networkidle")
            page.get_by_text("city-migration-profile-dortmund-2024.pdf").first.wait_for(timeout=30_000)
        finally:
            browser.close()
