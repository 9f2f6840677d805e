"""The worker process is SIGKILLed in the middle of building and of delivering a briefing.

Real processes throughout: a private PostgreSQL and Redis (so the shared servers are never
disturbed), an aiosmtpd server, and ``celery -A worker.celery_app worker`` started as
``make run`` would, configured from the environment. After the kill a new worker starts; the
briefing is built once and each officer receives exactly one email.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from config import Config, redis_transport_options
from consult.briefings.delivery import recover_stale
from consult.briefings.models import Briefing, Delivery
from consult.briefings.services import request_briefing
from consult.extensions import db
from tests.conftest import make_app
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.faults.private_postgres import PrivatePostgres
from tests.worker.conftest import MailSink, SMTPServer, free_port, wait_until
from tests.worker.test_broker_outage import PrivateRedis

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_SECONDS = 3
STALE_SECONDS = 2


class StallingSink(MailSink):
    """Accepts mail, but while ``stall`` is set it holds every session at RCPT TO."""

    def __init__(self) -> None:
        super().__init__()
        self.stall = threading.Event()
        self.stalled = threading.Event()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        while self.stall.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def services() -> Iterator[tuple[PrivatePostgres, PrivateRedis, SMTPServer, StallingSink]]:
    workdir = Path(tempfile.mkdtemp(prefix="consult-faults-"))
    workdir.chmod(0o755)
    postgres = PrivatePostgres(workdir, free_port())
    redis_server = PrivateRedis(workdir)
    smtp = SMTPServer()
    sink = StallingSink()
    smtp.sink = sink
    smtp._controller.handler = sink
    try:
        postgres.init()
        postgres.start()
        redis_server.start()
        smtp.start()
        yield postgres, redis_server, smtp, sink
    finally:
        smtp.stop()
        redis_server.stop()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


class WorkerProcess:
    """``celery -A worker.celery_app worker`` in its own process group."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        celery = str(Path(sys.executable).parent / "celery")
        self.process = subprocess.Popen(
            [celery, "-A", "worker.celery_app", "worker", "--pool", "solo", "--loglevel", "INFO"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


@pytest.fixture
def setting(
    services: tuple[PrivatePostgres, PrivateRedis, SMTPServer, StallingSink], tmp_path: Path
) -> Iterator[tuple[Flask, WorkerProcess]]:
    postgres, redis_server, smtp, _ = services
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "TEST_"))}
    env.update(
        CONSULT_ENV="development",
        CONSULT_INSTANCE_PATH=str(tmp_path / "instance"),
        PYTHONPATH=str(ROOT),
        DATABASE_URL=postgres.url,
        REDIS_URL=redis_server.url,
        MAIL_SERVER=smtp.host,
        MAIL_PORT=str(smtp.port),
        MAIL_USE_TLS="false",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS),
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "consult"), "db", "upgrade"],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    app = make_app(
        postgres.url,
        tmp_path / "instance",
        CELERY=Config.celery_settings(
            redis_server.url, redis_transport_options(VISIBILITY_SECONDS)
        ),
    )
    app.config["DELIVERY_STALE_AFTER"] = timedelta(seconds=STALE_SECONDS)
    worker = WorkerProcess(env)
    with app.app_context():
        yield app, worker
        worker.stop()
        db.session.remove()
        db.engine.dispose()


def _neighbourhood_with_two_officers() -> list[str]:
    area = NeighbourhoodFactory(slug="hill")
    survey_with_questions(area)
    return sorted(staff(area, "officer").email for _ in range(2))


def _recipients(smtp: SMTPServer) -> list[str]:
    return sorted(address for mail in smtp.received for address in mail.rcpt_tos)


def test_worker_killed_mid_delivery(
    services: tuple[PrivatePostgres, PrivateRedis, SMTPServer, StallingSink],
    setting: tuple[Flask, WorkerProcess],
) -> None:
    _, redis_server, smtp, sink = services
    app, worker = setting
    officers = _neighbourhood_with_two_officers()
    sink.stall.set()
    worker.start()
    briefing = request_briefing(_area())
    db.session.commit()
    wait_until(sink.stalled.is_set, "the worker to be in the middle of sending")
    worker.kill()
    sink.stall.clear()
    worker.start()
    wait_until(lambda: _stale_recovered(), "the dead worker's delivery to be handed back")
    wait_until(lambda: len(smtp.received) >= 2, "both officers' emails")
    _settle(redis_server, briefing.id)
    assert _recipients(smtp) == officers


def test_worker_killed_mid_build(
    services: tuple[PrivatePostgres, PrivateRedis, SMTPServer, StallingSink],
    setting: tuple[Flask, WorkerProcess],
) -> None:
    postgres, redis_server, smtp, _ = services
    app, worker = setting
    officers = _neighbourhood_with_two_officers()
    briefing = request_briefing(_area())
    db.session.commit()
    locker = create_engine(postgres.url)
    with locker.connect() as connection:
        # Hold the briefing's row: the worker's build waits on it, mid-task.
        connection.execute(text("SELECT id FROM briefing WHERE id = :id FOR UPDATE"),
                           {"id": briefing.id})  # fmt: skip
        worker.start()
        wait_until(lambda: _build_waiting(postgres), "the worker's build to be waiting")
        worker.kill()
        connection.rollback()
    locker.dispose()
    worker.start()
    wait_until(lambda: len(smtp.received) >= 2, "both officers' emails")
    _settle(redis_server, briefing.id)
    assert _recipients(smtp) == officers
    assert db.session.scalar(select(func.count(Briefing.id))) == 1


def _area() -> Any:
    from consult.neighbourhoods.models import Neighbourhood

    return db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == "hill"))


def _build_waiting(postgres: PrivatePostgres) -> bool:
    engine = create_engine(postgres.url)
    with engine.connect() as connection:
        waiting = connection.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        )
    engine.dispose()
    return bool(waiting)


def _stale_recovered() -> bool:
    """What beat's ``briefings.recover_deliveries`` does, run here so the test need not wait."""
    db.session.expire_all()
    recover_stale()
    db.session.expire_all()
    statuses = db.session.scalars(select(Delivery.status)).all()
    return bool(statuses) and "sending" not in statuses


def _settle(redis_server: PrivateRedis, briefing_id: int) -> None:
    """Wait until every delivery is sent and the broker holds nothing, not even the messages
    the dead worker had taken (they come back after the visibility timeout and run)."""

    def all_sent() -> bool:
        db.session.expire_all()
        statuses = db.session.scalars(
            select(Delivery.status).where(Delivery.briefing_id == briefing_id)
        ).all()
        return len(statuses) == 2 and set(statuses) == {"sent"}

    wait_until(all_sent, "both deliveries to be recorded as sent")
    client = redis.Redis.from_url(redis_server.url)
    wait_until(
        lambda: client.llen("celery") == 0 and client.hlen("unacked") == 0,
        "the broker to be drained",
    )
    client.close()
