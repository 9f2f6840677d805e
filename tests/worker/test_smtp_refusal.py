"""A mail server that refuses a recipient quotes the address in its reply: that text is personal
data, and neither the delivery ledger nor the logs may keep it. Staff still see what went wrong
(the kind of error), and one refused address does not keep an email from the others."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text

from consult.auth.models import SignInLink
from consult.briefings.models import Delivery
from consult.briefings.services import request_briefing
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import IdeaCategory
from consult.moderation.tasks import alert_queues
from tests.conftest import database_at, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.idea_factories import IdeaFactory, board
from tests.worker.conftest import MailSink, SMTPServer, TaskLog, WorkerRunner

REFUSED = "refused.canary@example.org"
# aiosmtpd's own log is the test's mail server talking, not consult.
SERVER_LOGGERS = ("mail.log",)


class RefusingSink(MailSink):
    """Accepts every recipient but one, whose refusal quotes the address, as real servers do."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == REFUSED:
            self.refused.append(address)
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    """The mail server of ``worker_app``: one that refuses ``REFUSED``."""
    server = SMTPServer(RefusingSink())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def refusals(smtp: SMTPServer) -> list[str]:
    sink = smtp.sink
    assert isinstance(sink, RefusingSink)
    return sink.refused


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything consult and Celery logged, messages and any tracebacks."""
    formatter = logging.Formatter()
    parts = []
    for record in caplog.records:
        if record.name.startswith(SERVER_LOGGERS):
            continue
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


@pytest.mark.parametrize("app_overrides", [{"DELIVERY_MAX_RETRIES": 0}], ids=["no-retries"])
def test_a_refused_briefing_keeps_the_kind_of_error_and_not_the_address(
    worker_app: Flask,
    smtp: SMTPServer,
    run_worker: WorkerRunner,
    tasks: TaskLog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # production's level
    area = NeighbourhoodFactory()
    survey_with_questions(area)
    officer = staff(area, "officer")
    officer.email = REFUSED
    db.session.commit()
    with run_worker():
        request_briefing(area)
        db.session.commit()
        tasks.wait_for(1, "briefings.deliver")
    assert refusals(smtp) == [REFUSED], "the mail server was never asked: the test proves nothing"
    db.session.expire_all()
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.status == "failed"
    assert delivery.last_error == "SMTPRecipientsRefused"
    assert delivery.error_class == "SMTPRecipientsRefused"  # what the briefing page shows
    text_logged = logged(caplog)
    assert "SMTPRecipientsRefused" in text_logged
    assert REFUSED not in text_logged and "refused.canary" not in text_logged


def test_a_refused_sign_in_email_is_logged_without_the_address(
    worker_app: Flask, smtp: SMTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client = worker_app.test_client()
    response = submit(client, "/sign-in/email", {"email": REFUSED})
    assert "We could not send the email" in response.get_data(as_text=True)
    assert refusals(smtp) == [REFUSED]
    assert db.session.scalars(select(SignInLink)).all(), "no link was made: nothing was sent"
    text_logged = logged(caplog)
    assert "sign-in email could not be sent (SMTPRecipientsRefused)" in text_logged
    assert "refused.canary" not in text_logged


def test_a_refused_member_does_not_keep_the_queue_alert_from_the_others(
    worker_app: Flask, smtp: SMTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    area = board(queue_alert_hours=48)
    category = db.session.scalar(
        select(IdeaCategory.id).where(IdeaCategory.neighbourhood_id == area.id)
    )
    waiting = utcnow() - timedelta(hours=50)
    IdeaFactory(neighbourhood=area, category_id=category, state="pending", created_at=waiting)
    staff(area, "member").email = REFUSED
    other = staff(area, "member")
    db.session.commit()
    assert alert_queues() == 1
    assert refusals(smtp) == [REFUSED]
    assert [mail.rcpt_tos for mail in smtp.received] == [[other.email]]
    text_logged = logged(caplog)
    assert "not sent (SMTPRecipientsRefused)" in text_logged
    assert "refused.canary" not in text_logged


def test_the_migration_keeps_only_the_kind_of_stored_errors(tmp_path: Path) -> None:
    application, engine = database_at(tmp_path, "perf0001")
    stored = [
        f"SMTPRecipientsRefused: {{'{REFUSED}': (550, b'5.1.1 <{REFUSED}>: rejected')}}",
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "",
    ]
    when = "2026-11-01 00:00:00"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO briefing (id, neighbourhood_id, kind, status, period_start, "
                "period_end, subject, text_body, html_body, created_at) VALUES (1, 1, "
                "'on_demand', 'built', '2026-10-01 00:00:00', :when, 'S', '', '', :when)"
            ),
            {"when": when},
        )
        for number, error in enumerate(stored, start=1):
            connection.execute(
                text(
                    "INSERT INTO user (id, email, display_name, is_admin, active, "
                    "session_version, created_at) VALUES (:id, :email, '', 0, 1, 1, :when)"
                ),
                {"id": number, "email": f"officer{number}@example.org", "when": when},
            )
            connection.execute(
                text(
                    "INSERT INTO delivery (id, briefing_id, user_id, status, attempts, "
                    "last_error, created_at) VALUES (:id, 1, :id, 'failed', 4, :error, :when)"
                ),
                {"id": number, "error": error, "when": when},
            )
    with application.app_context():
        upgrade(revision="privacy0001")
    with engine.connect() as connection:
        kept = connection.scalars(text("SELECT last_error FROM delivery ORDER BY id")).all()
    engine.dispose()
    assert kept == ["SMTPRecipientsRefused", "ConnectionRefusedError", ""]
