"""Fixtures for tests that run a real Celery worker against Redis, a database and SMTP.

The worker runs in a thread of the test process (``celery.contrib.testing.worker``) and consumes
from a dedicated Redis database; the briefings it sends travel over SMTP to an aiosmtpd server on
127.0.0.1, so a test sees exactly what the officers' mail server would receive. Nothing is eager:
tasks reach the worker only through the outbox's after-commit publish or ``send_task``.
"""

from __future__ import annotations

import email
import email.policy
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from celery import Celery, signals
from celery.contrib.testing.worker import start_worker
from flask import Flask

from config import SMTP_BACKEND, Config
from consult.extensions import db
from tests.conftest import clean_tables, make_app, migrate_once
from tests.services import need, postgres_url, redis_url

# How long a test waits for the worker before it fails; never a fixed sleep.
DEADLINE = 30.0
# The queue Celery publishes to by default, and kombu's Redis hash of delivered, unacked messages.
QUEUE_KEY = "celery"
UNACKED_KEY = "unacked"
TERMINAL_STATES = frozenset({"SUCCESS", "FAILURE"})


def wait_until(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    """Poll ``condition`` until it holds; fail, naming ``what``, if the deadline passes first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}", pytrace=False)
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class MailSink:
    """aiosmtpd handler that accepts and keeps every message (called from aiosmtpd's thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[ReceivedMail] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        raw = envelope.original_content or b""
        message = cast(EmailMessage, email.message_from_bytes(raw, policy=email.policy.default))
        mail_from = envelope.mail_from or ""
        with self._lock:
            self._received.append(ReceivedMail(mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def received(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._received)


class SMTPServer:
    """A running aiosmtpd server on 127.0.0.1 and the messages it has received."""

    def __init__(self, sink: MailSink | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.sink = sink or MailSink()
        self._controller = Controller(self.sink, hostname=self.host, port=self.port)
        self._running = False

    def start(self) -> None:
        self._controller.start()
        self._running = True

    def stop(self) -> None:
        """Stop listening: from now on connections to the port are refused."""
        if self._running:
            self._controller.stop()
            self._running = False

    @property
    def received(self) -> list[ReceivedMail]:
        return self.sink.received

    def wait_for(self, count: int) -> list[ReceivedMail]:
        wait_until(lambda: len(self.received) >= count, f"{count} email(s) over SMTP")
        return self.received


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The test Redis database, empty at the start and the end of the test."""
    need("redis")
    client = redis.Redis.from_url(redis_url())
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


def drained(broker: redis.Redis) -> bool:
    """True once no message waits in the queue and none is delivered but unacknowledged."""
    return broker.llen(QUEUE_KEY) == 0 and broker.hlen(UNACKED_KEY) == 0


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Extra settings for ``worker_app``; a test overrides it with ``pytest.mark.parametrize``."""
    return {}


def _worker_database(backend: str, root: Path) -> str:
    if backend == "postgresql":
        need("postgresql")
        return postgres_url()
    # A file, not ``sqlite://``: the worker thread needs its own connection to the same data.
    return f"sqlite:///{root / 'consult-worker.db'}"


@pytest.fixture(params=["postgresql", "sqlite"])
def worker_app(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    smtp: SMTPServer,
    broker: redis.Redis,
    app_overrides: dict[str, Any],
) -> Iterator[Flask]:
    """The app as the worker runs it: Redis broker, real SMTP, a migrated, empty database."""
    root = tmp_path_factory.getbasetemp()
    url = _worker_database(request.param, root)
    celery_settings = Config.celery_settings(redis_url(), {"visibility_timeout": 3600})
    settings: dict[str, Any] = {
        "CELERY": celery_settings,
        # Explicit, so that Flask-Mailman does not fall back to locmem because app.testing.
        "MAIL_BACKEND": SMTP_BACKEND,
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": smtp.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_TIMEOUT": 5,
    }
    settings.update(app_overrides)
    application = make_app(url, root / "instance", **settings)
    migrate_once(application, url)
    celery_app: Celery = application.extensions["celery"]
    with application.app_context():
        clean_tables()
        yield application
        db.session.rollback()
        clean_tables()
        db.session.remove()
        db.engine.dispose()
    celery_app.close()


@dataclass(frozen=True)
class FinishedTask:
    """One run of a task as the worker's ``task_postrun`` signal reported it."""

    name: str
    kwargs: dict[str, Any]
    state: str
    retval: Any


class TaskLog:
    """Every task run the worker finished, in order (recorded from the worker's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: list[FinishedTask] = []

    def record(
        self,
        sender: Any = None,
        task: Any = None,
        kwargs: dict[str, Any] | None = None,
        retval: Any = None,
        state: str | None = None,
        **extra: Any,
    ) -> None:
        run = FinishedTask(task.name, dict(kwargs or {}), state or "", retval)
        with self._lock:
            self._runs.append(run)

    def runs(self, name: str | None = None) -> list[FinishedTask]:
        with self._lock:
            return [run for run in self._runs if name is None or run.name == name]

    def done(self, name: str | None = None) -> list[FinishedTask]:
        """Runs that ended the task (not those that asked for a retry)."""
        return [run for run in self.runs(name) if run.state in TERMINAL_STATES]

    def wait_for(self, count: int, name: str | None = None) -> list[FinishedTask]:
        what = f"{count} finished {name or 'task'} run(s)"
        wait_until(lambda: len(self.done(name)) >= count, what)
        return self.done(name)


@pytest.fixture
def tasks() -> Iterator[TaskLog]:
    log = TaskLog()
    signals.task_postrun.connect(log.record, weak=False)
    try:
        yield log
    finally:
        signals.task_postrun.disconnect(log.record)


def _leave_logging_alone(**kwargs: Any) -> None:
    """A ``setup_logging`` receiver: Celery then keeps its hands off pytest's log capture."""


WorkerRunner = Callable[..., AbstractContextManager[Any]]


@contextmanager
def worker_running(celery_app: Celery, pool: str = "solo", concurrency: int = 1) -> Iterator[Any]:
    """A real worker consuming from ``celery_app``'s broker for the ``with`` block."""
    signals.setup_logging.connect(_leave_logging_alone, weak=False)
    try:
        with start_worker(
            celery_app,
            pool=pool,
            concurrency=concurrency,
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=15.0,
        ) as worker:
            yield worker
    finally:
        signals.setup_logging.disconnect(_leave_logging_alone)
        # Celery's log setup sends warnings to logging for the rest of the process.
        logging.captureWarnings(False)


@pytest.fixture
def run_worker(worker_app: Flask) -> WorkerRunner:
    """Start a real worker for the ``with`` block: ``with run_worker(pool="threads", ...):``."""
    celery_app: Celery = worker_app.extensions["celery"]

    def run(pool: str = "solo", concurrency: int = 1) -> AbstractContextManager[Any]:
        return worker_running(celery_app, pool, concurrency)

    return run
