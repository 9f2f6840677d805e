"""Deleting what answering leaves behind: old unsent drafts, drafts of closed surveys, and
verified-email links that have expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, delete, or_, select

from consult.extensions import db
from consult.surveys.access_models import SurveyEmailLink
from consult.surveys.models import Draft, Survey, SurveyStatus


@dataclass(frozen=True)
class Purged:
    stale_drafts: int
    closed_drafts: int
    expired_links: int


def _closed_surveys(now: datetime) -> ScalarSelect[int]:
    """Ids of surveys that take no more answers: closed, or past their closing time."""
    return (
        select(Survey.id)
        .where(
            or_(
                Survey.status == SurveyStatus.CLOSED.value,
                Survey.closes_at.is_not(None) & (Survey.closes_at <= now),
            )
        )
        .scalar_subquery()
    )


def purge_drafts(now: datetime, max_age: timedelta) -> Purged:
    """Delete unsent drafts untouched since ``now - max_age``, every draft of a closed survey
    (sent or not) and expired email links. Flushes; the caller commits."""
    closed = db.session.execute(
        delete(Draft)
        .where(Draft.survey_id.in_(_closed_surveys(now)))
        .execution_options(synchronize_session=False)
    )
    stale = db.session.execute(
        delete(Draft)
        .where(Draft.response_id.is_(None), Draft.updated_at < now - max_age)
        .execution_options(synchronize_session=False)
    )
    links = db.session.execute(
        delete(SurveyEmailLink)
        .where(SurveyEmailLink.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return Purged(
        stale.rowcount,  # type: ignore[attr-defined]
        closed.rowcount,  # type: ignore[attr-defined]
        links.rowcount,  # type: ignore[attr-defined]
    )
