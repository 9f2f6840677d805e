"""Celery tasks for moderation emails. They take ids, call a service and commit."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from flask import current_app

from consult.moderation.alerts import alert_slow_queues
from consult.moderation.notifications import deliver


@shared_task(name="moderation.send_notification", bind=True, max_retries=None)
def send_notification(self: Any, notification_id: int) -> str:
    """Email one author or supporter about one event, retrying with backoff, never twice."""
    outcome = deliver(notification_id)
    if outcome == "retry":
        base = current_app.config["DELIVERY_RETRY_BACKOFF"]
        raise self.retry(countdown=min(600, base * 2**self.request.retries))
    return outcome


@shared_task(name="moderation.alert_queues")
def alert_queues() -> int:
    """Run by beat: tell members about items waiting too long (once a day at most)."""
    return alert_slow_queues()
