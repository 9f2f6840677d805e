"""Redis stops while residents answer and members ask for a briefing: nothing is lost.

A private redis-server on a free port (so the shared one is never stopped) is the broker.
While it is down, every submission is stored and "Send briefing now" works without an error;
the build task waits in the outbox. When Redis is back, the relay publishes it once and the
officers get exactly one email each.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from config import Config
from consult.extensions import db
from consult.jobs.models import OutboxMessage
from consult.jobs.outbox import relay_unpublished
from consult.surveys.models import Response
from tests.conftest import AuthActions, clean_tables, make_app, migrate_once, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.services import need, postgres_url
from tests.worker.conftest import SMTPServer, free_port, wait_until, worker_running


class PrivateRedis:
    """A redis-server this test owns: it can be stopped and started on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        wait_until(lambda: _pings(client), "the private Redis to start", timeout=10)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    need("redis")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["postgresql", "sqlite"])
def outage_app(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    private_redis: PrivateRedis,
    smtp: SMTPServer,
) -> Iterator[Flask]:
    root = tmp_path_factory.getbasetemp()
    if request.param == "postgresql":
        need("postgresql")
        url = postgres_url()
    else:
        url = f"sqlite:///{root / 'consult-outage.db'}"
    settings: dict[str, Any] = {
        "CELERY": Config.celery_settings(private_redis.url, {"visibility_timeout": 3600}),
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": smtp.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_TIMEOUT": 5,
        "OUTBOX_RELAY_AFTER": timedelta(0),
        "SUBMIT_RATE_LIMIT": "1000 per minute",
        # As in production: the rate limits' counters live in the same Redis.
        "RATELIMIT_STORAGE_URI": private_redis.url,
    }
    application = make_app(url, root / "instance", **settings)
    migrate_once(application, url)
    with application.app_context():
        clean_tables()
        yield application
        db.session.rollback()
        clean_tables()
        db.session.remove()
        db.engine.dispose()
    application.extensions["celery"].close()


def test_nothing_is_lost_while_redis_is_down(
    outage_app: Flask, private_redis: PrivateRedis, smtp: SMTPServer
) -> None:
    # k = 5, so the five responses are counted in the open (disclosure control hides fewer).
    area = NeighbourhoodFactory(slug="hill", disclosure_threshold=5)
    survey = survey_with_questions(area)
    officers = [staff(area, "officer"), staff(area, "officer")]
    member = staff(area, "member")
    single, _, scale, _ = survey.questions
    answers = {f"q{single.id}": str(single.options[0].id), f"q{scale.id}": str(scale.options[0].id)}

    private_redis.stop()
    client = outage_app.test_client()
    url = f"/n/hill/surveys/{survey.id}"
    codes = []
    for _ in range(5):
        # A resident answers the one section and then sends from the check page.
        codes.append(submit(client, f"{url}/sections/1", answers).status_code)
        codes.append(submit(client, f"{url}/check", {}).status_code)
    assert codes == [302] * 10
    assert db.session.scalar(select(func.count(Response.id))) == 5
    assert client.get("/readyz").status_code == 503
    staff_client = outage_app.test_client()
    AuthActions(staff_client).sign_in(member.email)
    sent = submit(staff_client, "/n/hill/briefings/send", {}, form_url="/n/hill/briefings/")
    assert sent.status_code == 302
    waiting = db.session.scalar(select(OutboxMessage))
    assert waiting.task_name == "briefings.build" and waiting.published_at is None

    private_redis.start()
    assert relay_unpublished() == 1
    assert relay_unpublished() == 0  # published once, never again
    with worker_running(outage_app.extensions["celery"]):
        received = smtp.wait_for(len(officers))
    assert sorted(m.message["To"] for m in received) == sorted(o.email for o in officers)
    assert all("5 in total" in m.message.get_body(("plain",)).get_content() for m in received)


def test_rate_limits_hold_in_memory_while_redis_is_down(
    outage_app: Flask, private_redis: PrivateRedis
) -> None:
    """Without its store the limiter does not fail the request (a 500 on every form) nor stop
    limiting: each process counts for itself until Redis is back."""
    private_redis.stop()
    client = outage_app.test_client()
    codes = [
        submit(client, "/sign-in", {"email": "x@example.org", "password": "wrong"}).status_code
        for _ in range(11)
    ]
    assert codes == [200] * 10 + [429]  # SIGN_IN_RATE_LIMIT: 10 a minute per address
