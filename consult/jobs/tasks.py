"""Housekeeping tasks for background work."""

from __future__ import annotations

from celery import shared_task

from consult.jobs.outbox import relay_unpublished


@shared_task(name="jobs.relay_outbox")
def relay_outbox() -> int:
    """Publish tasks whose publication failed when their transaction committed."""
    return relay_unpublished()
