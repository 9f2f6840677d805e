"""A requested briefing reaches each officer once, by a real worker, over real SMTP.

The path under test is the production one: ``request_briefing`` and a commit publish
``briefings.build`` to Redis through the outbox; a Celery worker builds the briefing, which
publishes one ``briefings.deliver`` per officer; each delivery is sent to an SMTP server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

import pytest
import redis
from flask import Flask
from sqlalchemy import select, update

from config import SMTP_BACKEND
from consult.briefings.delivery import Outcome, deliver
from consult.briefings.models import Briefing, BriefingStatus, Delivery, DeliveryStatus
from consult.briefings.schedules import last_full_week
from consult.briefings.services import build_briefing, request_briefing
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.models import Response
from consult.surveys.services import submit_response
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_disclosure import small_numbers
from tests.worker.conftest import (
    ReceivedMail,
    SMTPServer,
    TaskLog,
    WorkerRunner,
    drained,
    wait_until,
)

BUILD = "briefings.build"
DELIVER = "briefings.deliver"
WEEKLY = "briefings.schedule_weekly"


@dataclass(frozen=True)
class Consultation:
    """A neighbourhood with officers, a member and one survey response."""

    area: Neighbourhood
    name: str
    officer_emails: list[str]
    member_email: str


def consultation(name: str = "Hillside", officers: int = 2) -> Consultation:
    """Officers, a member who must get nothing, and a survey with one response."""
    area = cast(Neighbourhood, NeighbourhoodFactory(name=name))  # factory_boy is untyped
    officer_emails = [staff(area, Role.OFFICER.value).email for _ in range(officers)]
    member_email = staff(area, Role.MEMBER.value).email
    survey = survey_with_questions(area)
    single, _, scale, free = survey.questions
    submit_response(
        survey,
        {single.id: single.options[0].id, scale.id: scale.options[0].id, free.id: "More benches"},
    )
    db.session.commit()
    return Consultation(area, name, officer_emails, member_email)


def request_and_commit(area: Neighbourhood) -> int:
    """Ask for a briefing the way the web view does; the commit publishes its build."""
    briefing_id = request_briefing(area).id
    db.session.commit()
    return briefing_id


def deliveries_of(briefing_id: int) -> list[Delivery]:
    """The ledger as the worker left it (the test's session forgets what it had loaded)."""
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Delivery).where(Delivery.briefing_id == briefing_id).order_by(Delivery.id)
        )
    )


def settle(broker: redis.Redis) -> None:
    wait_until(lambda: drained(broker), "the broker to hold no queued or unacked message")


def assert_one_email_per_officer(mails: list[ReceivedMail], scene: Consultation) -> None:
    assert sorted(mail.message["To"] for mail in mails) == sorted(scene.officer_emails)
    assert sorted(to for mail in mails for to in mail.rcpt_tos) == sorted(scene.officer_emails)


def test_briefing_reaches_each_officer_once_over_smtp(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    assert worker_app.extensions["mailman"].backend == SMTP_BACKEND
    scene = consultation("Hillside")

    with run_worker():
        briefing_id = request_and_commit(scene.area)
        mails = smtp.wait_for(2)
        tasks.wait_for(3)  # the build and one delivery per officer
        settle(broker)

    assert [(run.name, run.state, run.retval) for run in tasks.runs()] == [
        (BUILD, "SUCCESS", "built"),
        (DELIVER, "SUCCESS", "sent"),
        (DELIVER, "SUCCESS", "sent"),
    ], tasks.runs()
    assert len(smtp.received) == 2
    assert_one_email_per_officer(mails, scene)
    assert all(scene.member_email not in mail.rcpt_tos for mail in mails)

    deliveries = deliveries_of(briefing_id)
    by_email = {delivery.user.email: delivery for delivery in deliveries}
    briefing_end = deliveries[0].briefing.period_end
    for mail in mails:
        message = mail.message
        delivery = by_email[message["To"]]
        assert message["Message-ID"] == f"<briefing-{briefing_id}.delivery-{delivery.id}@consult>"
        assert scene.name in message["Subject"]
        unsubscribe = message["List-Unsubscribe"].strip()
        assert (
            unsubscribe.startswith("<https://consult.example/n/") and "/unsubscribe/" in unsubscribe
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # multipart/mixed: the alternatives (plain text first, HTML last), then the CSV.
        assert message.get_content_type() == "multipart/mixed"
        alternatives, attachment = message.iter_parts()
        assert alternatives.get_content_type() == "multipart/alternative"
        plain, html = alternatives.iter_parts()
        assert plain.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        assert attachment.get_content_type() == "text/csv"
        assert attachment.get_filename() == f"briefing-{briefing_id}-{briefing_end:%Y-%m-%d}.csv"
        text, markup, tables = plain.get_content(), html.get_content(), attachment.get_content()
        assert "Parks survey" in text
        # One response, and k = 10: the count is hidden in every part, and no number below k.
        assert "Responses: hidden in total, hidden in this period." in text
        assert "<strong>hidden</strong> responses in total" in markup
        assert tables.startswith("Survey,Question,Answer,Count,Percent")
        assert "<svg" not in markup and "<script" not in markup
        for part in (text, markup, tables):
            assert small_numbers(part, 10) == [], part

    briefing = db.session.get(Briefing, briefing_id)
    assert briefing is not None and briefing.status == BriefingStatus.BUILT
    assert sorted(by_email) == sorted(scene.officer_emails)
    assert [(d.status, d.attempts, d.last_error) for d in deliveries] == [
        (DeliveryStatus.SENT, 1, ""),
        (DeliveryStatus.SENT, 1, ""),
    ]


def test_redelivered_messages_send_nothing_twice(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    scene = consultation()
    celery_app = worker_app.extensions["celery"]

    with run_worker():
        briefing_id = request_and_commit(scene.area)
        smtp.wait_for(2)
        tasks.wait_for(3)
        settle(broker)
        delivery_ids = [delivery.id for delivery in deliveries_of(briefing_id)]
        # The broker hands out every message again, the deliveries twice, as after lost acks.
        for delivery_id in delivery_ids:
            for _ in range(2):
                celery_app.send_task(DELIVER, kwargs={"delivery_id": delivery_id})
        celery_app.send_task(BUILD, kwargs={"briefing_id": briefing_id})
        tasks.wait_for(3 + 2 * len(delivery_ids) + 1)
        settle(broker)

    assert [run for run in tasks.runs() if run.state != "SUCCESS"] == []
    assert [run.retval for run in tasks.done(BUILD)] == ["built", "built"]
    assert sorted(run.retval for run in tasks.done(DELIVER)) == ["sent"] * 2 + ["skipped"] * 4
    assert len(smtp.received) == 2
    assert_one_email_per_officer(smtp.received, scene)
    deliveries = deliveries_of(briefing_id)
    assert [d.id for d in deliveries] == delivery_ids
    assert [(d.status, d.attempts) for d in deliveries] == [(DeliveryStatus.SENT, 1)] * 2


def test_duplicate_messages_racing_in_a_threaded_worker_send_once(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    """A duplicated build, then duplicated deliveries, run side by side by four worker threads.

    On PostgreSQL the build's row lock makes the second build wait and find the briefing built.
    SQLite has no row locks: there the losing build may hit the one-delivery-per-recipient
    constraint, roll back and retry, and then find it built. Either way nobody gets two emails.
    (The tight race of two claims on one delivery is the next test's.)
    """
    scene = consultation()
    celery_app = worker_app.extensions["celery"]
    briefing_id = request_and_commit(scene.area)  # nobody consumes yet: the build waits
    celery_app.send_task(BUILD, kwargs={"briefing_id": briefing_id})

    with run_worker(pool="threads", concurrency=4):
        tasks.wait_for(2, BUILD)
        delivery_ids = [delivery.id for delivery in deliveries_of(briefing_id)]
        for delivery_id in delivery_ids:
            celery_app.send_task(DELIVER, kwargs={"delivery_id": delivery_id})
        tasks.wait_for(2 * len(delivery_ids), DELIVER)
        settle(broker)

    retried = [run for run in tasks.runs() if run.state != "SUCCESS"]
    if db.engine.dialect.name == "sqlite":
        assert all(run.name == BUILD and run.state == "RETRY" for run in retried), retried
        # The twin lost the race on the briefing's unique key (only its kind is logged).
        assert all("TaskFailed('IntegrityError')" in str(run.retval) for run in retried), retried
    else:
        assert retried == []
    assert sorted(run.retval for run in tasks.done(BUILD)) == ["built", "built"]
    assert sorted(run.retval for run in tasks.done(DELIVER)) == [
        "sent",
        "sent",
        "skipped",
        "skipped",
    ]
    assert len(smtp.received) == 2
    assert_one_email_per_officer(smtp.received, scene)
    assert [d.status for d in deliveries_of(briefing_id)] == [DeliveryStatus.SENT] * 2


def test_two_simultaneous_claims_of_one_delivery_send_one_email(
    worker_app: Flask, smtp: SMTPServer
) -> None:
    """Two workers given the same delivery at the same instant: one sends, one skips."""
    scene = consultation(officers=1)
    briefing_id = request_and_commit(scene.area)
    build_briefing(briefing_id)
    db.session.commit()
    (delivery,) = deliveries_of(briefing_id)
    delivery_id = delivery.id
    db.session.rollback()

    start = threading.Barrier(2, timeout=10)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with worker_app.app_context():
                start.wait()
                outcomes.append(deliver(delivery_id))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(outcome.value for outcome in outcomes) == ["sent", "skipped"]
    assert [mail.message["To"] for mail in smtp.received] == scene.officer_emails
    ((status, attempts),) = [(d.status, d.attempts) for d in deliveries_of(briefing_id)]
    assert (status, attempts) == (DeliveryStatus.SENT, 1)


@pytest.mark.parametrize(
    "app_overrides", [{"DELIVERY_MAX_RETRIES": 1, "DELIVERY_RETRY_BACKOFF": 0}], ids=["1-retry"]
)
def test_refused_smtp_is_retried_then_recorded_as_failed(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    scene = consultation(officers=1)
    smtp.stop()  # the mail server refuses connections from now on

    with run_worker():
        briefing_id = request_and_commit(scene.area)
        tasks.wait_for(1, DELIVER)
        settle(broker)

    assert [run.state for run in tasks.runs(DELIVER)] == ["RETRY", "SUCCESS"]
    assert tasks.done(DELIVER)[0].retval == Outcome.FAILED.value
    assert smtp.received == []
    ((status, attempts, last_error),) = [
        (d.status, d.attempts, d.last_error) for d in deliveries_of(briefing_id)
    ]
    assert status == DeliveryStatus.FAILED
    assert attempts == 2  # the first try and its one retry
    assert last_error.startswith("ConnectionRefusedError")


def test_beat_weekly_digest_reaches_officers_once(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    """What beat publishes each hour: the first run requests last week's digest, which is built
    and delivered; a second run (or a second beat) requests nothing."""
    scene = consultation("Hillside")
    week = last_full_week(utcnow())
    db.session.execute(update(Response).values(submitted_at=week.start + timedelta(hours=2)))
    db.session.commit()
    celery_app = worker_app.extensions["celery"]

    with run_worker():
        celery_app.send_task(WEEKLY)
        smtp.wait_for(2)
        tasks.wait_for(4)  # the schedule, the build and one delivery per officer
        settle(broker)
        celery_app.send_task(WEEKLY)
        tasks.wait_for(2, WEEKLY)
        settle(broker)

    assert [run.retval for run in tasks.done(WEEKLY)] == [1, 0]
    assert len(smtp.received) == 2
    assert_one_email_per_officer(smtp.received, scene)
    assert all(m.message["Subject"].startswith("Weekly briefing") for m in smtp.received)


def test_two_beats_firing_at_once_make_one_weekly_digest(
    worker_app: Flask,
    smtp: SMTPServer,
    broker: redis.Redis,
    tasks: TaskLog,
    run_worker: WorkerRunner,
) -> None:
    """Two beats publish the same hourly schedule at the same moment, and a threaded worker
    runs both at once: the neighbourhood still gets one digest, each officer one email."""
    scene = consultation("Hillside")
    week = last_full_week(utcnow())
    db.session.execute(update(Response).values(submitted_at=week.start + timedelta(hours=2)))
    db.session.commit()
    celery_app = worker_app.extensions["celery"]
    celery_app.send_task(WEEKLY)
    celery_app.send_task(WEEKLY)

    with run_worker(pool="threads", concurrency=4):
        smtp.wait_for(2)
        tasks.wait_for(2, WEEKLY)
        settle(broker)

    db.session.expire_all()
    weekly = db.session.scalars(select(Briefing).where(Briefing.kind == "weekly")).all()
    assert len(weekly) == 1
    assert len(smtp.received) == 2
    assert_one_email_per_officer(smtp.received, scene)
