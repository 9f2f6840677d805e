"""Briefings beat asks for: last week's digest (skipped when nothing happened) and a report when
a survey closes, each requested once however often beat runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select, update

from consult.briefings.models import Briefing
from consult.briefings.schedules import (
    last_full_week,
    request_survey_closed_reports,
    schedule_weekly,
)
from consult.briefings.services import build_briefing
from consult.extensions import db
from consult.surveys.models import Response
from consult.surveys.services import submit_response
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from worker.schedule import BEAT_SCHEDULE


def test_the_last_full_week_is_monday_to_monday_in_london_across_clock_changes() -> None:
    # Clocks went forward on Sunday 29 March 2026: that week is 167 hours long.
    week = last_full_week(datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert week.start == datetime(2026, 3, 23, 0, tzinfo=UTC)  # GMT
    assert week.end == datetime(2026, 3, 29, 23, tzinfo=UTC)  # midnight BST
    assert week.end - week.start == timedelta(hours=167)
    # Monday 00:30 BST is still Sunday in UTC, but the week just ended is the one reported.
    summer = last_full_week(datetime(2026, 6, 28, 23, 30, tzinfo=UTC))
    assert summer.end == datetime(2026, 6, 28, 23, tzinfo=UTC)


def test_weekly_digest_once_per_neighbourhood_and_none_when_nothing_happened(app: Flask) -> None:
    now = datetime.now(UTC)
    week = last_full_week(now)
    busy, quiet = NeighbourhoodFactory(), NeighbourhoodFactory()
    staff(busy, "officer")
    survey = survey_with_questions(busy)
    single = survey.questions[0]
    response = submit_response(survey, {single.id: single.options[0].id})
    quiet_survey = survey_with_questions(quiet)
    old = submit_response(quiet_survey, {quiet_survey.questions[0].id: single.options[0].id})
    db.session.execute(
        update(Response)
        .where(Response.id == response.id)
        .values(submitted_at=week.start + timedelta(hours=1))
    )
    db.session.execute(
        update(Response)
        .where(Response.id == old.id)
        .values(submitted_at=week.start - timedelta(hours=1))
    )
    db.session.commit()
    assert schedule_weekly(now) == 1
    db.session.commit()
    assert schedule_weekly(now) == 0  # a second beat, or a rerun, creates nothing
    db.session.commit()
    (briefing,) = db.session.scalars(select(Briefing)).all()
    assert (briefing.neighbourhood_id, briefing.kind) == (busy.id, "weekly")
    assert (briefing.period_start, briefing.period_end) == (week.start, week.end)
    build_briefing(briefing.id)
    db.session.commit()
    assert briefing.edition().subject.startswith("Weekly briefing for")
    assert briefing.content["surveys"][0]["in_period"]["display"] == "hidden"


def test_a_closed_survey_gets_one_report(app: Flask) -> None:
    now = datetime.now(UTC)
    area = NeighbourhoodFactory(disclosure_threshold=1)
    staff(area, "officer")
    closed = survey_with_questions(area)
    closed.opens_at, closed.closes_at = now - timedelta(days=2), now - timedelta(minutes=3)
    still_open = survey_with_questions(area)
    still_open.closes_at = now + timedelta(days=3)
    long_ago = survey_with_questions(area)
    long_ago.opens_at = now - timedelta(days=60)
    long_ago.closes_at = now - timedelta(days=30)
    single = closed.questions[0]
    response = submit_response(closed, {single.id: single.options[0].id})
    response.submitted_at = now - timedelta(hours=1)
    db.session.commit()
    assert request_survey_closed_reports(now) == 1
    db.session.commit()
    assert request_survey_closed_reports(now + timedelta(minutes=5)) == 0
    db.session.commit()
    (report,) = db.session.scalars(select(Briefing)).all()
    assert (report.kind, report.survey_id, report.period_end) == (
        "survey_closed",
        closed.id,
        closed.closes_at,
    )
    build_briefing(report.id)
    db.session.commit()
    assert (
        report.edition().subject == f"Parks survey has closed: what residents said in {area.name}"
    )
    assert [s["id"] for s in report.content["surveys"]] == [closed.id]
    assert report.content["surveys"][0]["total"]["count"] == 1
    assert db.session.scalar(select(func.count(Briefing.id))) == 1


def test_surveys_closing_at_the_same_moment_each_get_a_report(app: Flask) -> None:
    now = datetime.now(UTC)
    area = NeighbourhoodFactory()
    first, second = survey_with_questions(area), survey_with_questions(area)
    for survey in (first, second):
        survey.opens_at, survey.closes_at = now - timedelta(days=2), now - timedelta(minutes=1)
    db.session.commit()
    assert request_survey_closed_reports(now) == 2
    db.session.commit()
    reports = db.session.scalars(select(Briefing).order_by(Briefing.id)).all()
    assert [r.survey_id for r in reports] == [first.id, second.id]


def test_beat_runs_the_schedules() -> None:
    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {"briefings.schedule_weekly", "briefings.request_survey_closed"} <= tasks
