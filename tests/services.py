"""Which real services the tests may use, and what to do when one is missing.

Outside CI a missing PostgreSQL, Redis or Chromium skips the tests that need it, with the reason.
With CONSULT_REQUIRE_SERVICES=1 (set by .ci/run) they fail instead: nothing is skipped in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

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


def postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)


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
