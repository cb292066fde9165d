"""``python -m pipeline ui`` (what `make ui` runs): Dagster's UI and its daemon, with a guard in front of the webserver.

`dagster dev` serves Dagster's webserver as it comes, and that webserver runs a GraphQL mutation sent by GET (or by
a form's POST) and answers any Host header: any web page the user opens could launch runs, start sensors or wipe
materializations through ``http://127.0.0.1:3000/graphql?query=mutation{...}`` (a GET needs no CORS preflight), and a
page whose name is rebound to 127.0.0.1 (DNS rebinding) could read the answers. So this command serves the same
webserver app (``dagster_webserver``'s own ``create_app_from_workspace_process_context``) with uvicorn behind
:class:`Guard`, and starts the daemon (schedules, sensors, the run queue) beside it as `dagster dev` does.

The guard lets through only requests for the host the UI serves (``Host`` one of :func:`allowed_hosts`), refuses a
request that a browser sends from another origin (an ``Origin`` header naming another host, on a POST or a
websocket), and takes GraphQL mutations only by POST with a JSON body (a cross-origin page can send that only after a
CORS preflight, which the webserver does not grant). A GET of /graphql may still read (the GraphiQL page, queries).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipeline.cli import quiet_warnings

LOCATION = "city_migration_profile"
MODULE = "pipeline.definitions"


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host headers the UI answers: the loopback names with the port; the address it listens on, if it is a
    name or a particular address; for 0.0.0.0 (every interface) the machine's own names; and ``extra``
    (CMP_UI_ALLOWED_HOSTS: names a proxy or the network uses, with or without a port)."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::"):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    else:
        names.add(f"[{host}]" if ":" in host else host.lower())
    hosts = {f"{n}:{port}" for n in names}
    for e in extra:
        e = e.strip().lower()
        if e:
            hosts.add(e if ":" in e.rsplit("]", 1)[-1] else f"{e}:{port}")
    return frozenset(hosts)


def is_mutation(query: str) -> bool | None:
    """Whether a GraphQL document holds a mutation or a subscription (None: it does not parse)."""
    from graphql import GraphQLError, OperationType, parse
    from graphql.language import OperationDefinitionNode

    try:
        document = parse(query)
    except GraphQLError:
        return None
    return any(isinstance(d, OperationDefinitionNode) and d.operation != OperationType.QUERY for d in document.definitions)


class Guard:
    """ASGI middleware in front of Dagster's webserver app (see the module's description)."""

    def __init__(self, app, hosts: frozenset[str]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            refusal = self.refusal(scope)
            if refusal is not None:
                status, reason = refusal
                if scope["type"] == "websocket":  # closed before it is accepted: the client sees HTTP 403
                    await send({"type": "websocket.close", "code": 1008, "reason": reason[:120]})
                    return
                body = (reason + "\n").encode()
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def refusal(self, scope) -> tuple[int, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return 421, f"this Dagster UI answers only for {', '.join(sorted(self.hosts))}, not for the host {host or '(none)'!r}"
        origin = headers.get("origin")
        method = scope.get("method", "GET")
        if origin is not None and (scope["type"] == "websocket" or method not in ("GET", "HEAD")):
            if urlsplit(origin).netloc.lower() not in self.hosts:
                return 403, f"a request from another site ({origin}) is refused"
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith("/graphql"):
            if method == "POST":
                ctype = headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype != "application/json":
                    return 415, "GraphQL requests are taken by POST with a JSON body (Content-Type: application/json) only"
            elif method in ("GET", "HEAD"):
                queries = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("query", [])
                for q in queries:
                    verdict = is_mutation(q)
                    if verdict is None:
                        return 400, "the GraphQL query does not parse"
                    if verdict:
                        return 405, "a GraphQL mutation is taken by POST with a JSON body only, never by GET"
        return None


def ui(args: argparse.Namespace) -> int:
    quiet_warnings()
    import dagster as dg
    import uvicorn
    import yaml
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget
    from dagster_webserver import __version__
    from dagster_webserver.app import create_app_from_workspace_process_context

    from pipeline.cli.runs import mark_dead_runs
    from pipeline.domain.config import PROJECT_DIR

    if not os.environ.get("DAGSTER_HOME"):
        print("DAGSTER_HOME is not set (the Makefile sets it to .dagster/).", file=sys.stderr)
        return 2
    instance = dg.DagsterInstance.get()
    for line in mark_dead_runs(instance):
        print(line)
    extra = os.environ.get("CMP_UI_ALLOWED_HOSTS", "").split(",")
    hosts = allowed_hosts(args.host, args.port, extra)
    # one workspace file for the webserver and the daemon, so both name the code location alike (the sensors and
    # schedules the UI starts are the ones the daemon runs), as `dagster dev` writes one from pyproject.toml
    workspace = Path(os.environ["DAGSTER_HOME"]) / "workspace.yaml"
    workspace.write_text(yaml.safe_dump({"load_from": [{"python_module": {
        "module_name": MODULE, "working_directory": str(PROJECT_DIR), "location_name": LOCATION}}]}), encoding="utf-8")
    # the daemon: schedules, sensors and the run queue, as `dagster dev` starts it (each loads the code itself)
    daemon = subprocess.Popen([sys.executable, "-m", "dagster._daemon", "run", "-w", str(workspace)], cwd=PROJECT_DIR)
    try:
        target = WorkspaceFileTarget([str(workspace)])
        with WorkspaceProcessContext(instance, version=__version__, read_only=False, workspace_load_target=target) as context:
            app = create_app_from_workspace_process_context(context, "")
            print(f"Dagster UI on http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port} "
                  f"(answers for {', '.join(sorted(hosts))}); Ctrl-C to stop", flush=True)
            uvicorn.run(Guard(app, hosts), host=args.host, port=args.port, log_level="warning")
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
    return 0
