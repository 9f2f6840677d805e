"""What beat runs, and how often. Only one beat may run at a time."""

from __future__ import annotations

from typing import Any

BEAT_SCHEDULE: dict[str, Any] = {
    # Publishes work that could not reach the broker when its transaction committed.
    "relay-outbox": {"task": "jobs.relay_outbox", "schedule": 30.0},
    # Hands back deliveries whose worker died mid-send, so none is lost.
    "recover-deliveries": {"task": "briefings.recover_deliveries", "schedule": 300.0},
    # Emails members when their moderation queue has waited too long (at most once a day).
    "moderation-queue-alerts": {"task": "moderation.alert_queues", "schedule": 3600.0},
}
