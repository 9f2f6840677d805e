"""Briefings that beat asks for: the weekly digest, and a report when a survey closes.

Both are idempotent. A briefing is unique per (neighbourhood, kind, period end) and a
survey-closed report per survey, so a rerun or a redelivered task finds the briefing there and
creates nothing; if two runs race, the database refuses the second one's insert, its task rolls
back and retries, and then finds the briefing there. (No savepoint per briefing: the outbox
publishes on a savepoint's release, before the outer commit, and would lose the message.)
Far-future work is never a countdown (Redis would redeliver it): beat looks every few minutes
for what is due.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from consult.briefings.aggregation import responses_in_neighbourhood
from consult.briefings.models import Briefing, BriefingKind
from consult.briefings.services import Period, request_briefing
from consult.core.templating import LONDON
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Survey, SurveyStatus

# Surveys that closed longer ago than this get no report (say, when the feature is first run).
CLOSED_LOOKBACK = timedelta(days=7)


def last_full_week(now: datetime) -> Period:
    """Monday 00:00 to the next Monday 00:00, Europe/London, of the week before ``now``'s.

    In UTC; a week with a clock change is 167 or 169 hours long, as the calendar says.
    """
    today = now.astimezone(LONDON).date()
    this_monday = today - timedelta(days=today.weekday())
    start = datetime.combine(this_monday - timedelta(days=7), time(0), tzinfo=LONDON)
    end = datetime.combine(this_monday, time(0), tzinfo=LONDON)
    return Period(start.astimezone(UTC), end.astimezone(UTC))


def _exists(neighbourhood_id: int, kind: BriefingKind, period_end: datetime) -> bool:
    return (
        db.session.scalar(
            select(Briefing.id).where(
                Briefing.neighbourhood_id == neighbourhood_id,
                Briefing.kind == kind.value,
                Briefing.period_end == period_end,
            )
        )
        is not None
    )


def schedule_weekly(now: datetime) -> int:
    """Request last week's digest for every neighbourhood where something happened.
    Returns how many were requested. Flushes; the caller commits."""
    period = last_full_week(now)
    requested = 0
    for neighbourhood in db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.id)):
        if _exists(neighbourhood.id, BriefingKind.WEEKLY, period.end):
            continue
        if not responses_in_neighbourhood(neighbourhood.id, period.start, period.end):
            continue  # nothing happened: no digest
        request_briefing(neighbourhood, BriefingKind.WEEKLY, period=period)
        requested += 1
    return requested


def request_survey_closed_reports(now: datetime) -> int:
    """Request one report for each survey whose close time has passed (within the lookback).
    Returns how many were requested. Flushes; the caller commits."""
    reported = select(Briefing.survey_id).where(Briefing.survey_id.is_not(None))
    surveys = db.session.scalars(
        select(Survey)
        .where(
            Survey.status != SurveyStatus.DRAFT.value,
            Survey.closes_at.is_not(None),
            Survey.closes_at <= now,
            Survey.closes_at > now - CLOSED_LOOKBACK,
            Survey.id.not_in(reported),
        )
        .order_by(Survey.closes_at, Survey.id)
    ).all()
    requested = 0
    for survey in surveys:
        assert survey.closes_at is not None  # noqa: S101 (selected for it)
        start = min(survey.opens_at or survey.created_at, survey.closes_at - timedelta(seconds=1))
        end = survey.closes_at
        # Two surveys of a neighbourhood closing at the same instant: a microsecond apart, so
        # each gets its report under the (neighbourhood, kind, period end) constraint.
        while _exists(survey.neighbourhood_id, BriefingKind.SURVEY_CLOSED, end):
            end += timedelta(microseconds=1)
        request_briefing(
            survey.neighbourhood,
            BriefingKind.SURVEY_CLOSED,
            period=Period(start, end),
            survey=survey,
        )
        requested += 1
    return requested
