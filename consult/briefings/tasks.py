"""Celery tasks for briefings. They take ids, call a service and commit."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from flask import current_app

from consult.briefings.delivery import Outcome, deliver, recover_stale
from consult.briefings.schedules import request_survey_closed_reports, schedule_weekly
from consult.briefings.services import build_briefing
from consult.core.time import utcnow
from consult.jobs.failures import run_or_retry


@shared_task(name="briefings.build", bind=True, max_retries=5)
def build(self: Any, briefing_id: int) -> str:
    """Build a briefing and queue one delivery per recipient (once, however often run)."""
    briefing = run_or_retry(
        self, lambda: build_briefing(briefing_id), min(60, 5 * 2**self.request.retries)
    )
    return "missing" if briefing is None else briefing.status


@shared_task(name="briefings.deliver", bind=True, max_retries=None)
def deliver_task(self: Any, delivery_id: int) -> str:
    """Email one briefing to one recipient, retrying with backoff, never twice."""
    outcome = deliver(delivery_id)
    if outcome is Outcome.RETRY:
        base = current_app.config["DELIVERY_RETRY_BACKOFF"]
        raise self.retry(countdown=min(600, base * 2**self.request.retries))
    return outcome.value


@shared_task(name="briefings.recover_deliveries")
def recover_deliveries() -> int:
    return recover_stale()


@shared_task(name="briefings.schedule_weekly", bind=True, max_retries=3)
def schedule_weekly_task(self: Any) -> int:
    """Request last week's digests (beat; safe to run any number of times)."""
    return run_or_retry(self, lambda: schedule_weekly(utcnow()), 30 * 2**self.request.retries)


@shared_task(name="briefings.request_survey_closed", bind=True, max_retries=3)
def request_survey_closed_task(self: Any) -> int:
    """Request a report for each survey that has just closed (beat; idempotent)."""
    return run_or_retry(
        self, lambda: request_survey_closed_reports(utcnow()), 30 * 2**self.request.retries
    )
