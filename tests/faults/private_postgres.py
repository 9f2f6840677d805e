"""A PostgreSQL server this test run owns, so it can be restarted without touching the shared one.

Built with the machine's own PostgreSQL binaries (``initdb`` and ``pg_ctl``), run as the
``postgres`` system user when the tests run as root (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.services import need

PG_BIN_ROOT = Path("/usr/lib/postgresql")


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder, if any."""
    if not PG_BIN_ROOT.exists():
        return None
    versions = sorted(PG_BIN_ROOT.iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0)
    return versions[-1] / "bin" if versions else None


class PrivatePostgres:
    def __init__(self, workdir: Path, port: int) -> None:
        self.bin = pg_bin()
        self.port = port
        self.data = workdir / "pgdata"
        self.sockets = workdir / "sockets"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        need("postgresql")
        assert self.bin is not None, "PostgreSQL's binaries are not installed"
        for folder in (self.data, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres", "postgres")
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _options(self) -> str:
        return f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"

    @property
    def log(self) -> str:
        # The server writes here, not to our pipes: pg_ctl would otherwise never seem to finish.
        return str(self.data.parent / "postgres.log")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", self.log, "-o", self._options(), "-w",
                  "start")  # fmt: skip

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", self.log, "-o", self._options(),
                  "-m", "fast", "-w", "restart")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
