"""Briefings: ask for one, build it from the database, record who should receive it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import render_template
from sqlalchemy import select

from consult.auth.models import User
from consult.briefings.models import Briefing, BriefingKind, BriefingStatus, Delivery
from consult.core.time import utcnow
from consult.core.urls import external_url
from consult.extensions import db
from consult.jobs.outbox import enqueue
from consult.neighbourhoods.models import Membership, Neighbourhood, Role
from consult.surveys.models import Survey, SurveyStatus
from consult.surveys.services import count_responses, summarise_survey

log = logging.getLogger(__name__)


def request_briefing(
    neighbourhood: Neighbourhood,
    kind: BriefingKind = BriefingKind.ON_DEMAND,
    requested_by: User | None = None,
    now: datetime | None = None,
) -> Briefing:
    """Record a briefing covering everything since the last one, and queue its build.

    The build task is published only once the caller commits.
    """
    now = now or utcnow()
    last_end = db.session.scalar(
        select(Briefing.period_end)
        .where(Briefing.neighbourhood_id == neighbourhood.id)
        .order_by(Briefing.period_end.desc())
        .limit(1)
    )
    briefing = Briefing(
        neighbourhood_id=neighbourhood.id,
        kind=kind.value,
        period_start=last_end or neighbourhood.created_at,
        period_end=now,
        requested_by_id=requested_by.id if requested_by else None,
    )
    db.session.add(briefing)
    db.session.flush()
    enqueue("briefings.build", briefing_id=briefing.id)
    return briefing


def briefing_content(briefing: Briefing) -> dict[str, Any]:
    """What residents said, as JSON-safe data: totals, since last time, per question."""
    surveys = db.session.scalars(
        select(Survey)
        .where(
            Survey.neighbourhood_id == briefing.neighbourhood_id,
            Survey.status != SurveyStatus.DRAFT,
        )
        .order_by(Survey.id)
    ).all()
    sections = []
    for survey in surveys:
        summaries = summarise_survey(survey, until=briefing.period_end)
        sections.append(
            {
                "title": survey.title,
                "status": survey.status,
                "total": count_responses(survey, until=briefing.period_end),
                "in_period": count_responses(
                    survey, since=briefing.period_start, until=briefing.period_end
                ),
                "questions": [
                    {
                        "text": s.text,
                        "kind": s.kind,
                        "base": s.base,
                        "text_answers": s.text_answers,
                        "options": [
                            {"label": o.label, "count": o.count, "percent": o.percent}
                            for o in s.options
                        ],
                    }
                    for s in summaries
                ],
            }
        )
    return {"surveys": sections}


def recipients(neighbourhood_id: int) -> list[User]:
    """The officers of one neighbourhood whose accounts are active."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.neighbourhood_id == neighbourhood_id,
                Membership.role == Role.OFFICER.value,
                User.active.is_(True),
            )
            .order_by(User.id)
            .distinct()
        )
    )


def build_briefing(briefing_id: int) -> Briefing | None:
    """Build a pending briefing once: content, email bodies, one delivery row per recipient.

    Running it again for a built briefing changes nothing and queues nothing. The row is locked
    (on PostgreSQL) so that two workers given the same message cannot both build it.
    """
    briefing = db.session.scalar(
        select(Briefing).where(Briefing.id == briefing_id).with_for_update()
    )
    if briefing is None:
        log.warning("briefing %s not found", briefing_id)
        return None
    if briefing.status == BriefingStatus.BUILT:
        return briefing
    neighbourhood = briefing.neighbourhood
    content = briefing_content(briefing)
    context = {
        "neighbourhood": neighbourhood,
        "briefing": briefing,
        "content": content,
        "archive_url": external_url(
            "briefings.show", slug=neighbourhood.slug, briefing_id=briefing.id
        ),
    }
    briefing.content = content
    briefing.subject = f"Briefing for {neighbourhood.name}: what residents said"
    briefing.text_body = render_template("emails/briefing.txt", **context)
    briefing.html_body = render_template("emails/briefing.html", **context)
    briefing.status = BriefingStatus.BUILT.value
    briefing.built_at = utcnow()
    for user in recipients(neighbourhood.id):
        delivery = Delivery(briefing_id=briefing.id, user_id=user.id)
        db.session.add(delivery)
        db.session.flush()
        enqueue("briefings.deliver", delivery_id=delivery.id)
    db.session.flush()
    log.info("briefing %s built", briefing.id)
    return briefing
