"""Background work for surveys."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.housekeeping import purge_drafts

log = logging.getLogger(__name__)


@shared_task(name="surveys.purge_drafts")
def purge_old_drafts() -> dict[str, int]:
    """Delete drafts nobody will send and expired email links; log how many (no content)."""
    purged = purge_drafts(utcnow(), current_app.config["DRAFT_MAX_AGE"])
    db.session.commit()
    log.info(
        "purged %s stale drafts, %s drafts of closed surveys, %s expired email links",
        purged.stale_drafts,
        purged.closed_drafts,
        purged.expired_links,
    )
    return {
        "stale_drafts": purged.stale_drafts,
        "closed_drafts": purged.closed_drafts,
        "expired_links": purged.expired_links,
    }
