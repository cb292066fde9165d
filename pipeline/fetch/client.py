"""A client for the GENESIS web service (REST, version 2020), as the Regionaldatenbank, GENESIS-Online, the Zensus
2022 database and Landesdatenbank NRW serve it.

Only these calls: ``data/tablefile`` (the table as the flat CSV, ``format=ffcsv``, ``area=all``, ``language=de``),
``metadata/table`` (title and dates), and for a table too large to be served at once the background job: the service
answers ``data/tablefile`` with status 98; the same request with ``job=true`` is answered with status 99, whose text
names the result; ``catalogue/results`` is asked for that name (status 104 while it is not ready, with back-off,
within a bound) until it lists it; then ``data/resultfile`` delivers it. Every call is a POST with form fields;
credentials travel in the ``username`` and ``password`` headers only.

Every way the service says no is recognised and named: a JSON status instead of the ZIP (with its code and text),
an HTML page with HTTP 200, a truncated or corrupt ZIP, a ZIP that does not hold exactly one CSV, a CSV of another
table than the one asked for, credentials refused (HTTP 401/403, or the service's own message), "too many parallel
requests". Only what is transient is retried, with back-off, within a total time bound: timeouts, connections
refused or reset, HTTP 5xx and 429, and the parallel-requests status. Everything else ends the fetch at once with a
``FetchError`` naming the table, the source and what happened. No message ever holds the credentials.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pipeline.fetch.sources import Credentials, Source
from pipeline.ingest.genesis_flat import MAX_MEMBER_BYTES

MAX_BODY_BYTES = MAX_MEMBER_BYTES  # a ZIP larger than what it may unpack to is refused as well
_RESULT_NAME = re.compile(r":\s*(\S+_\d+)\s*$")
_CREDENTIALS = re.compile(r"anmeld|passwort|kennwort|benutzer|login|nutzername|password|user", re.IGNORECASE)
_PARALLEL = re.compile(r"parallel|zu viele|too many", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """How long to wait, how often to try again. Each from the environment (seconds), for slow lines and for tests."""

    timeout: float = 120.0  # one request
    total: float = 600.0  # all tries of one call together
    backoff: float = 2.0  # the first wait before a retry; doubled each time, at most 60 s
    poll: float = 5.0  # the first wait between two looks at a background job; × 1.5 each time, at most 60 s
    job_total: float = 3600.0  # how long a background job may take

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        names = {"timeout": "CMP_FETCH_TIMEOUT", "total": "CMP_FETCH_TOTAL", "backoff": "CMP_FETCH_BACKOFF", "poll": "CMP_FETCH_POLL",
                 "job_total": "CMP_FETCH_JOB_TOTAL"}
        return cls(**{k: float(environ[v]) for k, v in names.items() if environ.get(v)})


class FetchError(RuntimeError):
    """A fetch that failed: which table, from which source, and what happened."""

    def __init__(self, table: str, source: str, what: str):
        super().__init__(f"{table} from {source}: {what}")
        self.table, self.source, self.what = table, source, what


class NotPublished(FetchError):
    """The service has no figures for the year asked for (yet)."""


class _Transient(Exception):
    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict | None:
        if not self.body.lstrip().startswith(b"{"):
            return None
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class Fetched:
    """A table as the service delivered it: the CSV from its ZIP, unchanged, and how it was asked for."""

    table: str
    source: str
    csv_name: str  # the member's name in the ZIP
    csv: bytes
    request_url: str  # the call's address and form fields, without credentials
    result: str | None  # the background job's result name, if the table came through one


def _status(data: dict | None) -> tuple[int | None, str, str]:
    status = (data or {}).get("Status") or {}
    code = status.get("Code")
    return (int(code) if isinstance(code, int | str) and str(code).lstrip("-").isdigit() else None,
            str(status.get("Content") or "").strip(), str(status.get("Type") or ""))


class Client:
    def __init__(self, src: Source, url: str, credentials: Credentials, limits: Limits | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 say: Callable[[str], None] | None = None):
        self.src, self.url, self.credentials = src, url, credentials
        self.limits = limits or Limits()
        self._sleep, self._clock, self._say = sleep, clock, say or (lambda _m: None)

    # -- one call, with retries of what is transient ----------------------------------------------------------------

    def _once(self, path: str, fields: dict[str, str]) -> Answer:
        data = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*", **self.credentials.headers()}
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.limits.timeout) as response:  # noqa: S310 - our own https/http URL
                body = response.read(MAX_BODY_BYTES + 1)
                return Answer(response.status, response.headers.get("Content-Type", ""), body, dict(response.headers.items()))
        except urllib.error.HTTPError as exc:
            body = exc.read(64 * 1024) if exc.fp is not None else b""
            return Answer(exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", body)
        except TimeoutError as exc:
            raise _Transient(f"no answer within {self.limits.timeout:.0f} s") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Transient(f"no answer within {self.limits.timeout:.0f} s") from exc
            raise _Transient(f"could not connect ({reason})") from exc
        except (ConnectionError, OSError) as exc:
            raise _Transient(f"the connection failed ({type(exc).__name__})") from exc

    def _call(self, path: str, fields: dict[str, str], table: str) -> Answer:
        """POST ``path`` and return the answer; transient failures are retried with back-off within the total
        bound, credentials refused and HTTP errors that are not transient raise at once."""
        started, wait, tries = self._clock(), self.limits.backoff, 0
        while True:
            tries += 1
            try:
                answer = self._once(path, fields)
                self._judge_http(answer, table, path)
                return answer
            except _Transient as exc:
                elapsed = self._clock() - started
                if elapsed + wait > self.limits.total:
                    raise FetchError(table, self.src.name, f"{path}: {exc.what}; gave up after {tries} tries in {elapsed:.0f} s "
                                     f"(the bound is {self.limits.total:.0f} s)") from None
                self._say(f"{table} from {self.src.name}: {path}: {exc.what}; trying again in {wait:.0f} s")
                self._sleep(wait)
                wait = min(wait * 2, 60.0)

    def _judge_http(self, answer: Answer, table: str, path: str) -> None:
        if answer.status in (401, 403):
            raise FetchError(table, self.src.name, f"{path}: the service refused the credentials (HTTP {answer.status})")
        if answer.status == 429 or answer.status >= 500:
            raise _Transient(f"HTTP {answer.status}")
        if answer.status != 200:
            raise FetchError(table, self.src.name, f"{path}: HTTP {answer.status} (is {self.url} the service's address?)")
        data = answer.json()
        code, content, kind = _status(data)
        if data is not None and kind in ("Fehler", "Error") and code not in (98,):
            if _PARALLEL.search(content):
                raise _Transient(f"the service reports too many parallel requests (status {code}: {content})")
            if _CREDENTIALS.search(content):
                raise FetchError(table, self.src.name, f"{path}: the service refused the credentials (status {code}: {content})")

    # -- the calls ----------------------------------------------------------------------------------------------------

    def metadata(self, table: str) -> dict:
        """``metadata/table``: the table's object (code, title, time span, last update) and the service's copyright line."""
        answer = self._call("metadata/table", {"name": table, "area": "all", "language": "de"}, table)
        data = answer.json()
        code, content, _ = _status(data)
        if data is None:
            raise FetchError(table, self.src.name, f"metadata/table: {self._not_json(answer)}")
        if code not in (0, 22) or not isinstance(data.get("Object"), dict):
            raise FetchError(table, self.src.name, f"metadata/table: status {code}: {content or 'no table object'}")
        obj = data["Object"]
        if str(obj.get("Code", "")).strip() != table:
            raise FetchError(table, self.src.name, f"metadata/table: the service describes table {obj.get('Code')!r}, not {table}")
        return {**obj, "Copyright": data.get("Copyright") or ""}

    def tablefile(self, table: str, year: int | None = None) -> Fetched:
        """The table as flat CSV; through a background job if the service asks for one."""
        fields = {
            "name": table, "area": "all", "compress": "false", "format": "ffcsv", "language": "de", "quality": "off",
            "startyear": str(year) if year else "", "endyear": str(year) if year else "", "timeslices": "",
            "regionalvariable": "", "regionalkey": "", "stand": "", "job": "false",
        }
        answer = self._call("data/tablefile", fields, table)
        url = self.url + "data/tablefile?" + urllib.parse.urlencode(fields)
        code, content, _ = _status(answer.json())
        if code == 98:  # too large to be served at once: a background job
            self._say(f"{table} from {self.src.name}: too large to be served at once; starting a background job")
            result = self._start_job(table, {**fields, "job": "true"})
            self._wait_for(table, result)
            done = self._call("data/resultfile", {"name": result, "area": "all", "compress": "false", "format": "ffcsv",
                                                  "language": "de"}, table)
            name, csv = self._unzip(done, table, "data/resultfile")
            return Fetched(table, self.src.name, name, csv, url.replace("job=false", "job=true"), result)
        if code == 104 and year is not None:
            raise NotPublished(table, self.src.name, f"no figures for {year} (status 104: {content})")
        name, csv = self._unzip(answer, table, "data/tablefile")
        return Fetched(table, self.src.name, name, csv, url, None)

    def _start_job(self, table: str, fields: dict[str, str]) -> str:
        answer = self._call("data/tablefile", fields, table)
        code, content, _ = _status(answer.json())
        match = _RESULT_NAME.search(content) if code == 99 else None
        if match is None:
            raise FetchError(table, self.src.name, f"data/tablefile with job=true: expected status 99 naming the result, got "
                             f"{'status ' + str(code) + ': ' + content if code is not None else self._not_json(answer)}")
        return match.group(1)

    def _wait_for(self, table: str, result: str) -> None:
        started, wait, looks = self._clock(), self.limits.poll, 0
        while True:
            looks += 1
            answer = self._call("catalogue/results", {"selection": result, "area": "user", "pagelength": "1", "language": "de"}, table)
            data = answer.json()
            code, content, _ = _status(data)
            listed = [str(x.get("Code")) for x in (data or {}).get("List") or [] if isinstance(x, dict)]
            if code == 0 and result in listed:
                self._say(f"{table} from {self.src.name}: result {result} ready after {looks} looks")
                return
            if code not in (0, 104):
                what = content or self._not_json(answer)
                raise FetchError(table, self.src.name, f"catalogue/results for {result}: status {code}: {what}")
            elapsed = self._clock() - started
            if elapsed + wait > self.limits.job_total:
                raise FetchError(table, self.src.name, f"the background job's result {result} was not ready after {looks} looks in "
                                 f"{elapsed:.0f} s (the bound is {self.limits.job_total:.0f} s)")
            self._sleep(wait)
            wait = min(wait * 1.5, 60.0)

    # -- what came back -------------------------------------------------------------------------------------------------

    def _not_json(self, answer: Answer) -> str:
        head = answer.body[:200].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or "html" in answer.content_type.lower():
            return (f"an HTML page instead of data (HTTP {answer.status}, {len(answer.body):,} bytes; the address or the service is "
                    "not what we expect)")
        return f"an answer that is neither the table nor a status ({answer.content_type or 'no content type'}, {len(answer.body):,} bytes)"

    def _unzip(self, answer: Answer, table: str, path: str) -> tuple[str, bytes]:
        data = answer.json()
        if data is not None:
            code, content, _ = _status(data)
            raise FetchError(table, self.src.name, f"{path}: a status message instead of the table (status {code}: {content})")
        if not answer.body.startswith(b"PK"):
            raise FetchError(table, self.src.name, f"{path}: {self._not_json(answer)}")
        if len(answer.body) > MAX_BODY_BYTES:
            raise FetchError(table, self.src.name, f"{path}: the ZIP is larger than {MAX_BODY_BYTES:,} bytes; refused")
        try:
            archive = zipfile.ZipFile(io.BytesIO(answer.body))
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) != 1 or not members[0].filename.endswith(".csv"):
                names = ", ".join(i.filename for i in members) or "nothing"
                raise FetchError(table, self.src.name, f"{path}: the ZIP should hold one CSV, it holds {names}")
            info = members[0]
            if info.file_size > MAX_MEMBER_BYTES:
                raise FetchError(table, self.src.name, f"{path}: {info.filename} unpacks to {info.file_size:,} bytes, more than "
                                 f"{MAX_MEMBER_BYTES:,}; refused")
            csv = archive.read(info)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise FetchError(table, self.src.name, f"{path}: a truncated or corrupt ZIP ({len(answer.body):,} bytes: {exc})") from None
        if not info.filename.startswith(table + "_"):
            raise FetchError(table, self.src.name, f"{path}: the ZIP holds {info.filename}, a table other than {table}")
        return info.filename, csv
