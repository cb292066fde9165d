"""The UI refuses what another web page could make the user's browser send (pipeline/cli/ui.py): tried with plain HTTP
requests against `make ui`'s server. A GraphQL mutation sent by GET or by a form's POST, a request for another host
(DNS rebinding), a POST or a websocket from another site: each refused, and nothing launched."""

from __future__ import annotations

import base64
import http.client
import json
import os
import urllib.parse

import pytest

from pipeline.cli.ui import allowed_hosts, is_mutation

LAUNCH = "mutation { launchPartitionBackfill(backfillParams: {allPartitions: true}) { __typename } }"
WIPE = "mutation { wipeAssets(assetPartitionRanges: []) { __typename } }"
COUNT = "{ runsOrError { ... on Runs { count } } }"


def request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        con.request(method, path, body=body, headers=headers or {})
        r = con.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        con.close()


def runs(server) -> int:
    return server.graphql(COUNT)["runsOrError"]["count"]


@pytest.mark.parametrize("query", [LAUNCH, WIPE, "mutation{launchRun(executionParams:{}){__typename}}",
                                   "subscription { pipelineRunLogs(runId: \"x\") { __typename } }"])
def test_a_mutation_by_get_is_refused(server, query):
    before = runs(server)
    status, text = request(server, "GET", "/graphql?" + urllib.parse.urlencode({"query": query}))
    assert status == 405 and "never by GET" in text
    assert runs(server) == before


def test_a_query_by_get_still_reads(server):
    status, text = request(server, "GET", "/graphql?" + urllib.parse.urlencode({"query": "{ version }"}))
    assert status == 200 and json.loads(text)["data"]["version"]


@pytest.mark.parametrize("ctype", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", None])
def test_a_post_without_a_json_body_is_refused(server, ctype):
    """What a form or a 'simple' cross-site request can send: the webserver would read the query from the URL."""
    before = runs(server)
    headers = {"Content-Type": ctype} if ctype else {}
    status, text = request(server, "POST", "/graphql?" + urllib.parse.urlencode({"query": LAUNCH}), b"x=1", headers)
    assert status == 415 and "JSON body" in text
    assert runs(server) == before


def test_a_post_from_another_site_is_refused_and_from_the_ui_itself_taken(server):
    body = json.dumps({"query": "{ version }"}).encode()
    json_type = {"Content-Type": "application/json"}
    status, text = request(server, "POST", "/graphql", body, json_type | {"Origin": "http://evil.example"})
    assert status == 403 and "another site" in text
    status, _ = request(server, "POST", "/graphql", body, json_type | {"Origin": server.url})
    assert status == 200


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{3000}", "127.0.0.2:3000", ""])
def test_a_request_for_another_host_is_refused(server, host):
    """DNS rebinding: a name of the attacker's that resolves to 127.0.0.1 arrives with its own Host header."""
    for method, path, body in (("GET", "/server_info", None), ("POST", "/graphql", json.dumps({"query": COUNT}).encode())):
        status, text = request(server, method, path, body, {"Host": host, "Content-Type": "application/json"})
        assert status == 421 and "answers only for" in text, (method, host)


def test_a_websocket_from_another_site_is_refused(server):
    def upgrade(origin: str) -> int:
        key = base64.b64encode(os.urandom(16)).decode()
        status, _ = request(server, "GET", "/graphql", headers={
            "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Protocol": "graphql-ws", "Origin": origin})
        return status

    assert upgrade("http://evil.example") == 403
    assert upgrade(server.url) == 101


def test_what_the_guard_takes_for_a_mutation_and_a_host():
    assert is_mutation(LAUNCH) and is_mutation("subscription { x }") and is_mutation("query a { x } mutation b { y }")
    assert is_mutation("{ version }") is False and is_mutation("query { x }") is False
    assert is_mutation("mutation {") is None
    assert allowed_hosts("127.0.0.1", 3000) == {"127.0.0.1:3000", "localhost:3000", "[::1]:3000"}
    assert "stats.example.org:443" in allowed_hosts("127.0.0.1", 3000, ["stats.example.org:443", " "])
    assert "ui.example.org:3000" in allowed_hosts("0.0.0.0", 3000, ["ui.example.org"])
