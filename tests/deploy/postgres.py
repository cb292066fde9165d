"""A PostgreSQL server of the test's own: Debian's package (postgresql, /usr/lib/postgresql/<version>/bin), a new
cluster in a temporary data directory, listening on 127.0.0.1 at a free port and on a socket in that directory, with
trust authentication for local connections only. Started as the test's own child process and stopped (and its
directory removed with the test's) at the end. PostgreSQL refuses to run as root: as root, it runs as the
package's ``postgres`` user."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin/ folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def why_not() -> str | None:
    """Why no server can be started here (None: it can)."""
    if binaries() is None:
        return "PostgreSQL is not installed (make test installs Debian's postgresql where apt-get runs as root)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and the postgres user does not exist"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The server's folder is a new directory directly in the system's temporary folder (pytest's tmp_path is
    private to root, and the postgres user must reach its folder), removed when the server stops."""

    def __init__(self, db: str = "dagster"):
        self.bin = binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="cmp-postgres-"))
        self.db, self.port, self.user = db, _free_port(), "dagster"
        self.data, self.log = self.folder / "data", self.folder / "server.log"

    def _as_owner(self, *cmd: str | Path) -> subprocess.CompletedProcess:
        args = [str(c) for c in cmd]
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", *args]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[args.index('--') + 1] if '--' in args else args[0]).name} failed "
                               f"({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
        return done

    def start(self) -> Server:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            shutil.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self.folder.chmod(0o700)
        self._as_owner(self.bin / "initdb", "-D", self.data, "-U", self.user, "--auth=trust", "--encoding=UTF8",
                       "--locale=C", "--no-instructions")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c max_connections=100"
        self._as_owner(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")
        self._as_owner(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, self.db)
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._as_owner(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """The variables deploy/postgres/dagster.yaml reads."""
        return {"DAGSTER_PG_USERNAME": self.user, "DAGSTER_PG_PASSWORD": "trust-auth-ignores-it",
                "DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(self.port), "DAGSTER_PG_DB": self.db}

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
