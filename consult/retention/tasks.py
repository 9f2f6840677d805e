"""The retention task, run by beat once a day. It takes no arguments and is safe to re-run."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from consult.core.time import utcnow
from consult.extensions import db
from consult.jobs.failures import run_or_retry
from consult.retention.services import purge_survey, surveys_due


@shared_task(name="retention.purge_due", bind=True, max_retries=3)
def purge_due_task(self: Any) -> int:
    """Delete the raw answers of every survey past its retention period; return how many
    responses went. Each survey commits on its own, so one failure does not hold up others."""

    def purge_each() -> int:
        deleted = 0
        for survey_id in surveys_due(utcnow()):
            deleted += purge_survey(survey_id, utcnow()).responses
            db.session.commit()
        return deleted

    return run_or_retry(self, purge_each, 60 * 2**self.request.retries)
