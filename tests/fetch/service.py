"""A GENESIS web service on 127.0.0.1 for the tests: a real HTTP server (http.server, in a thread) that answers the
client the users run with recorded answers (tests/fetch/recordings/, the ZIPs from raw/) or with the faults a test
scripts. It records every request: path, headers and form fields."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDINGS = Path(__file__).with_name("recordings")


@dataclass
class Reply:
    body: bytes
    content_type: str = "application/json;charset=UTF-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering (a timeout)
    headers: dict[str, str] = field(default_factory=dict)


def recorded(name: str) -> Reply:
    return Reply((RECORDINGS / name).read_bytes())


def zipped(path: Path, filename: str) -> Reply:
    return Reply(path.read_bytes(), "application/zip", headers={"Content-Disposition": f"attachment; filename={filename}"})


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    form: dict[str, str]


class Service:
    """Routes: path (after /rest/2020/) -> a list of replies, served in turn (the last one again and again), or a
    function of the request."""

    def __init__(self):
        self.routes: dict[str, list[Reply] | Callable[[Request], Reply]] = {}
        self.requests: list[Request] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
                path = self.path.split("/rest/2020/", 1)[-1]
                request = Request(path, {k.lower(): v for k, v in self.headers.items()}, form)
                service.requests.append(request)
                reply = service.answer(request)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                    pass

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/genesisWS/rest/2020/"

    def answer(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(b"<html><body>not found</body></html>", "text/html", 404)
        if callable(route):
            return route(request)
        return route.pop(0) if len(route) > 1 else route[0]

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
