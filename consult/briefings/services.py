"""Briefings: ask for one, build it from the database, record who should receive it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from consult.auth.models import User
from consult.briefings import wording
from consult.briefings.charts import Chart, charts
from consult.briefings.content import anything_hidden, survey_content
from consult.briefings.ideas import idea_board
from consult.briefings.models import (
    Briefing,
    BriefingChart,
    BriefingEdition,
    BriefingKind,
    BriefingStatus,
    Delivery,
)
from consult.briefings.narrative import caveats, changes
from consult.briefings.population import load_profile
from consult.briefings.subscriptions import recipients
from consult.briefings.tables import briefing_csv
from consult.core.i18n import DEFAULT, LANGUAGES
from consult.core.time import utcnow
from consult.core.urls import external_url
from consult.extensions import db
from consult.jobs.outbox import enqueue
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Survey, SurveyStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def request_briefing(
    neighbourhood: Neighbourhood,
    kind: BriefingKind = BriefingKind.ON_DEMAND,
    requested_by: User | None = None,
    now: datetime | None = None,
    period: Period | None = None,
    survey: Survey | None = None,
) -> Briefing:
    """Record a briefing and queue its build (published only once the caller commits).

    Without ``period`` it covers everything since the neighbourhood's last briefing, up to now.
    """
    period = period or Period(last_briefing_end(neighbourhood), now or utcnow())
    briefing = Briefing(
        neighbourhood_id=neighbourhood.id,
        kind=kind.value,
        period_start=period.start,
        period_end=period.end,
        survey_id=survey.id if survey else None,
        requested_by_id=requested_by.id if requested_by else None,
    )
    db.session.add(briefing)
    db.session.flush()
    enqueue("briefings.build", briefing_id=briefing.id)
    return briefing


def last_briefing_end(neighbourhood: Neighbourhood) -> datetime:
    """Where the next briefing starts: the end of the last one, or the neighbourhood's start."""
    last_end = db.session.scalar(
        select(Briefing.period_end)
        .where(Briefing.neighbourhood_id == neighbourhood.id)
        .order_by(Briefing.period_end.desc())
        .limit(1)
    )
    return last_end or neighbourhood.created_at


def reported_surveys(neighbourhood_id: int, survey_id: int | None = None) -> list[Survey]:
    """The surveys a briefing covers: every one that is not a draft, or just one."""
    query = select(Survey).where(
        Survey.neighbourhood_id == neighbourhood_id, Survey.status != SurveyStatus.DRAFT.value
    )
    if survey_id is not None:
        query = query.where(Survey.id == survey_id)
    return list(db.session.scalars(query.order_by(Survey.id)))


def previous_content(neighbourhood_id: int, before: datetime) -> dict[str, Any] | None:
    """The content of the last built briefing that ended by ``before``."""
    return db.session.scalar(
        select(Briefing.content)
        .where(
            Briefing.neighbourhood_id == neighbourhood_id,
            Briefing.status == BriefingStatus.BUILT.value,
            Briefing.period_end <= before,
        )
        .order_by(Briefing.period_end.desc(), Briefing.id.desc())
        .limit(1)
    )


def briefing_content(
    neighbourhood: Neighbourhood, period: Period, survey_id: int | None = None
) -> dict[str, Any]:
    """What residents said in ``period`` and up to its end, with every small number hidden."""
    k = neighbourhood.disclosure_threshold
    profile = load_profile(neighbourhood.id)
    surveys = [
        survey_content(survey, period.start, period.end, k, profile)
        for survey in reported_surveys(neighbourhood.id, survey_id)
    ]
    previous = previous_content(neighbourhood.id, period.start)
    return {
        "k": k,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "surveys": surveys,
        "changes": changes(surveys, previous, neighbourhood.name),
        "caveats": caveats(surveys, k, bool(profile), neighbourhood.name),
        "ideas": idea_board(neighbourhood, period.start, period.end),
        "suppression_note": {"k": k} if anything_hidden(surveys) else None,
    }


def render_bodies(
    neighbourhood: Neighbourhood,
    period: Period,
    content: dict[str, Any],
    archive_url: str,
    subject: str,
    charts: dict[int, Chart] | None = None,
) -> tuple[str, str]:
    """The plain-text and HTML bodies (HTML escaped by our autoescaping template); the HTML
    shows each question's chart (by ``cid:``) where it has one."""
    context = {
        "subject": subject,
        "charts": charts or {},
        "neighbourhood": neighbourhood,
        "period": period,
        "content": content,
        "archive_url": archive_url,
    }
    return (
        render_template("emails/briefing.txt", **context),
        render_template("emails/briefing.html", **context),
    )


def subject_for(kind: BriefingKind, neighbourhood: Neighbourhood, survey_id: int | None) -> str:
    """The briefing's subject line in the current language."""
    survey = db.session.get(Survey, survey_id) if survey_id else None
    return wording.subject(kind, neighbourhood.name, survey.title if survey else "")


def language_of(user: User) -> str:
    """The language a person's emails are written in: the one they last used here."""
    return user.locale if user.locale in LANGUAGES else DEFAULT


def write_editions(briefing: Briefing, locales: set[str], drawn: dict[int, Chart]) -> None:
    """Render the briefing's email once per language (English always, as the fallback)."""
    neighbourhood = briefing.neighbourhood
    period = Period(briefing.period_start, briefing.period_end)
    content = briefing.content or {}
    archive_url = external_url("briefings.show", slug=neighbourhood.slug, briefing_id=briefing.id)
    for locale in sorted(locales | {DEFAULT}):
        with force_locale(locale):
            subject = subject_for(BriefingKind(briefing.kind), neighbourhood, briefing.survey_id)
            text_body, html_body = render_bodies(
                neighbourhood, period, content, archive_url, subject, drawn
            )
            tables = briefing_csv(content)
        briefing.editions.append(
            BriefingEdition(
                locale=locale,
                subject=subject,
                text_body=text_body,
                html_body=html_body,
                tables_csv=tables,
            )
        )


def build_briefing(briefing_id: int) -> Briefing | None:
    """Build a pending briefing once: content, charts, the email in each recipient's language,
    one delivery row per recipient.

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
    period = Period(briefing.period_start, briefing.period_end)
    briefing.content = briefing_content(neighbourhood, period, briefing.survey_id)
    drawn = {chart.question_id: chart for chart in charts(briefing.content)}
    briefing.charts = [BriefingChart(name=chart.name, png=chart.png) for chart in drawn.values()]
    people = recipients(neighbourhood.id)
    write_editions(briefing, {language_of(user) for user in people}, drawn)
    briefing.status = BriefingStatus.BUILT.value
    briefing.built_at = utcnow()
    for user in people:
        delivery = Delivery(briefing_id=briefing.id, user_id=user.id, locale=language_of(user))
        db.session.add(delivery)
        db.session.flush()
        enqueue("briefings.deliver", delivery_id=delivery.id)
    db.session.flush()
    log.info("briefing %s built", briefing.id)
    return briefing
