"""Which real services the tests may use, and what to do when one is missing.

Outside CI a missing PostgreSQL, Redis or Chromium skips the tests that need it, with the reason.
With CONSULT_REQUIRE_SERVICES=1 (set by .ci/run) they fail instead: nothing is skipped in CI.

Under pytest-xdist (``make test`` runs two workers) each worker has its own PostgreSQL database
(``TEST_DATABASE_URL``'s name with ``_gw0``, ``_gw1``... appended, created when missing) and its
own Redis database (``TEST_REDIS_URL``'s number plus the worker's), so no worker ever empties
or locks what another is using.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def services_required() -> bool:
    return os.environ.get("CONSULT_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def xdist_worker() -> str | None:
    """This process's pytest-xdist worker name (``gw0``, ``gw1``...), or None when not one."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    worker = xdist_worker()
    if worker is None:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{worker}"))


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    worker = xdist_worker()
    if worker is None:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or "0") + int(worker.removeprefix("gw"))
    # Redis has databases 0 to 15 unless configured otherwise.
    if number > 15:
        raise ValueError(f"{url} leaves no Redis database for xdist worker {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


def ensure_postgres_database(url: str) -> None:
    """Create the database ``url`` names if the server does not have it yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


def vnu_jar() -> str | None:
    """The Nu HTML Checker, installed by ``npm ci`` (package vnu-jar)."""
    path = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
    return str(path) if path.exists() else None


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    )


@cache
def _available(name: str) -> str | None:
    """None when the service is there; otherwise why not."""
    if name == "postgresql":
        url = postgres_url()
        return None if _reachable(url, 5432) else f"PostgreSQL not reachable at {url}"
    if name == "redis":
        url = redis_url()
        return None if _reachable(url, 6379) else f"Redis not reachable at {url}"
    if name == "chromium":
        return None if chromium_path() else "Chromium not installed (apt-get install chromium)"
    if name == "html-checker":
        if not shutil.which("java"):
            return "Java not installed (apt-get install default-jre-headless)"
        return None if vnu_jar() else "the Nu HTML Checker is missing (npm ci installs it)"
    raise ValueError(name)


def need(name: str) -> None:
    """Skip (or, in CI, fail) the current test unless the named service is available."""
    reason = _available(name)
    if reason is None:
        return
    if services_required():
        pytest.fail(f"{reason}; CI requires it", pytrace=False)
    pytest.skip(reason)
