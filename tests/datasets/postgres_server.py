"""A real PostgreSQL server for tests: initdb into a temporary folder, started on 127.0.0.1.

Debian's `postgresql` package puts its programs in /usr/lib/postgresql/<version>/bin. initdb
refuses to run as root, so as root the server's programs run as the unprivileged `postgres`
user (`runuser`), in a folder that user owns. The tests that use it are skipped, saying why, only
when no PostgreSQL programs are installed (`.ci/run` installs them).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "postgres"  # Debian's package makes it; the server's files belong to it


@dataclass(frozen=True, slots=True)
class Server:
    port: int

    def url(self, database: str = "postgres") -> str:
        """An SQLAlchemy URL (psycopg 3) of the trusted `gitcron` role: no password."""
        return f"postgresql+psycopg://gitcron@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=gitcron dbname={database}"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: the newest Debian install, else the PATH's."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if installed:
        return installed[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def missing_reason() -> str | None:
    """Why the server cannot start here, or None."""
    if binaries() is None:
        return "no PostgreSQL programs (initdb, pg_ctl) installed: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(USER)
        except KeyError:
            return f"running as root, and there is no '{USER}' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root without runuser to start the server as another user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running() -> Iterator[Server]:
    """A fresh cluster on a free loopback port, trusted for the `gitcron` role; removed after."""
    folder = Path(tempfile.mkdtemp(prefix="gitcron-pg-"))
    bin_dir = binaries()
    assert bin_dir is not None
    if os.geteuid() == 0:
        entry = pwd.getpwnam(USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, log, port = folder / "data", folder / "server.log", _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "gitcron", "-A",
                         "trust", "-E", "UTF8", "--locale=C", "--no-sync"]),
        **run,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
        **run,
    )
    try:
        yield Server(port)
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(folder, ignore_errors=True)
