"""The Celery task that imports a large file of paper responses. It takes the import's id."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from consult.extensions import db
from consult.surveys.imports_jobs import mark_failed, run_queued_import

log = logging.getLogger(__name__)


@shared_task(name="surveys.import_responses", bind=True, max_retries=3)
def import_responses_task(self: Any, import_id: int) -> str:
    """Import a queued file (all rows or none), retrying a breakdown a few times, then failing
    visibly."""
    try:
        return run_queued_import(import_id)
    except Exception as error:
        db.session.rollback()
        # The exception's text may hold the file's values: log only its kind.
        log.warning("survey import %s broke down (%s)", import_id, type(error).__name__)
        if self.request.retries >= self.max_retries:
            mark_failed(import_id)
            db.session.commit()
            return "failed"
        raise self.retry(countdown=5 * 2**self.request.retries) from None
