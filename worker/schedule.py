"""What beat runs, and how often. Only one beat may run at a time."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, Any] = {
    # Publishes work that could not reach the broker when its transaction committed.
    "relay-outbox": {"task": "jobs.relay_outbox", "schedule": 30.0},
    # Hands back deliveries whose worker died mid-send, so none is lost.
    "recover-deliveries": {"task": "briefings.recover_deliveries", "schedule": 300.0},
    # Emails members when their moderation queue has waited too long (at most once a day).
    "moderation-queue-alerts": {"task": "moderation.alert_queues", "schedule": 3600.0},
    # Last week's digests, from Monday 07:00 (Celery's timezone is Europe/London). Hourly
    # through the day, so a beat that was down at 07:00 catches up; a rerun creates nothing.
    "weekly-briefings": {
        "task": "briefings.schedule_weekly",
        "schedule": crontab(minute=0, hour="7-20"),
    },
    # Unsent drafts past DRAFT_MAX_AGE and every draft of a closed survey are deleted.
    "purge-survey-drafts": {"task": "surveys.purge_drafts", "schedule": 3600.0},
    # Surveys whose close time has passed get their report within five minutes.
    "survey-closed-reports": {"task": "briefings.request_survey_closed", "schedule": 300.0},
    # Deletes raw survey answers past each survey's retention period, keeping the counts.
    # Daily in the small hours; a rerun finds nothing left to delete.
    "retention-purge": {"task": "retention.purge_due", "schedule": crontab(minute=30, hour=3)},
}
