"""The mail server is down, then up: deliveries are retried with backoff and sent once each."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from consult.briefings.models import Delivery
from consult.briefings.services import request_briefing
from consult.extensions import db
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.worker.conftest import SMTPServer, TaskLog, WorkerRunner, wait_until


def _attempts() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Delivery.attempts)))


def _statuses() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Delivery.status)))


@pytest.mark.parametrize(
    "app_overrides", [{"DELIVERY_MAX_RETRIES": 8, "DELIVERY_RETRY_BACKOFF": 1}], ids=["backoff-1s"]
)
def test_mail_server_down_then_up_delivers_each_email_once(
    worker_app: Flask, smtp: SMTPServer, run_worker: WorkerRunner, tasks: TaskLog
) -> None:
    area = NeighbourhoodFactory()
    survey_with_questions(area)
    officers = sorted(staff(area, "officer").email for _ in range(2))
    smtp.stop()
    with run_worker():
        request_briefing(area)
        db.session.commit()
        wait_until(
            lambda: (a := _attempts()) != [] and min(a) >= 2,
            "each delivery to have been tried and retried while the mail server is down",
        )
        deliveries = db.session.scalars(select(Delivery)).all()
        assert {d.status for d in deliveries} <= {"pending", "sending"}
        assert all("Connection" in d.last_error for d in deliveries if d.last_error)
        # The mail server comes back on the same address.
        smtp._controller = Controller(smtp.sink, hostname=smtp.host, port=smtp.port)
        smtp.start()
        received = smtp.wait_for(len(officers))
        wait_until(
            lambda: (
                {d.status for d in db.session.scalars(select(Delivery))} == {"sent"}
                or bool(db.session.expire_all())
            ),
            "both deliveries to be recorded as sent",
        )
    assert sorted(address for mail in received for address in mail.rcpt_tos) == officers
    assert len(smtp.received) == len(officers)
