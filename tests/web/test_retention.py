"""Retention: a survey's raw responses are deleted a set time after it closes; counts are kept.

Time is frozen by passing the moment to the services: the same survey is looked at a day before
and a day after its retention period ends.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.analysis.summary import QuestionSummary, summarise_question
from consult.briefings.content import SurveyAggregates
from consult.core.time import utcnow
from consult.extensions import db
from consult.retention.models import RetainedCount
from consult.retention.services import (
    add_months,
    deletion_due,
    purge_due,
    retained_summary,
    surveys_due,
)
from consult.retention.tasks import purge_due_task
from consult.surveys.access_models import VerifiedRespondent
from consult.surveys.building import add_question
from consult.surveys.models import Answer, Channel, Draft, QuestionKind, Response, Survey
from consult.surveys.services import store_response, submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, answer_row, staff, survey_with_questions
from worker.schedule import BEAT_SCHEDULE

CLOSED = datetime(2025, 3, 31, 23, 0, tzinfo=UTC)


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def live_summary(survey: Survey) -> list[QuestionSummary]:
    """The counts the results page and briefings take from the raw answers, in the shape the
    kept counts are shown in."""
    now = utcnow()
    data = SurveyAggregates(survey, now, now)
    return [
        summarise_question(
            text=q.text,
            kind=q.kind,
            options=[(o.id, o.label) for o in q.options],
            counts=data.options.get(q.id, {}),
            base=data.bases.get(q.id, 0),
            text_answers=data.texts.get(q.id, 0),
        )
        for q in survey.questions
    ]


def closed_survey_with_answers(responses: int = 3) -> Survey:
    """A survey that closed on CLOSED, with answers to every question and a draft left over."""
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    how_many = add_question(survey.sections[0], QuestionKind.NUMBER, "How many children?")
    single, multiple, scale, free = survey.questions[:4]
    for n in range(responses):
        response = submit_response(
            survey,
            {
                single.id: str(single.options[n % 2].id),
                multiple.id: [str(o.id) for o in multiple.options[: n + 1]],
                scale.id: str(scale.options[0].id),
                free.id: f"A written answer {n}",
            },
            Channel.PAPER if n == 0 else Channel.ONLINE,
        )
        db.session.add(Answer(response_id=response.id, question_id=how_many.id, number=n + 1))
    db.session.add(Draft(survey_id=survey.id, token_hash="d" * 64, answers={"q": ["x"]}))
    survey.status, survey.opens_at, survey.closes_at = "closed", CLOSED - timedelta(30), CLOSED
    db.session.commit()
    return survey


def test_months_are_calendar_months() -> None:
    assert add_months(CLOSED, 24) == datetime(2027, 3, 31, 23, 0, tzinfo=UTC)
    assert add_months(datetime(2024, 1, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2024, 12, 5, tzinfo=UTC), 1) == datetime(2025, 1, 5, tzinfo=UTC)


def test_nothing_is_deleted_before_the_retention_period_ends(app: Flask) -> None:
    survey = closed_survey_with_answers()
    due = deletion_due(survey)
    assert due == datetime(2027, 3, 31, 23, 0, tzinfo=UTC)  # the default: 24 months
    assert surveys_due(due - timedelta(days=1)) == []
    assert purge_due(due - timedelta(days=1)) == []
    assert (_count(Response), _count(Draft)) == (3, 1)


def test_raw_answers_go_and_the_counts_stay(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    survey = closed_survey_with_answers()
    before = live_summary(survey)
    after_retention = deletion_due(survey) + timedelta(days=1)  # type: ignore[operator]

    with caplog.at_level(logging.INFO, logger="consult.retention.services"):
        purged = purge_due(after_retention)
        db.session.commit()
    assert [(p.responses, p.answers, p.drafts) for p in purged] == [(3, 3 * 5 + 3, 1)]
    assert (_count(Response), _count(Answer), _count(Draft)) == (0, 0, 0)
    message = caplog.records[-1].getMessage()
    assert "deleted 3 responses, 18 answers, 1 drafts" in message
    assert "written answer" not in message

    kept = retained_summary(survey)
    assert kept is not None
    assert kept.responses == 3 and kept.by_channel == {"online": 2, "paper": 1}
    assert kept.questions[:4] == before[:4]
    numbers = db.session.scalar(
        select(RetainedCount).where(
            RetainedCount.question_id == survey.questions[4].id, RetainedCount.option_id.is_(None)
        )
    )
    assert (numbers.answers, numbers.respondents) == (3, 3)
    assert Decimal(numbers.number_total) == 6
    assert (numbers.number_min, numbers.number_max) == (1, 3)

    # Running again deletes nothing more and changes nothing kept.
    assert purge_due(after_retention + timedelta(days=1)) == []
    db.session.commit()
    assert retained_summary(survey) == kept


def test_a_late_response_is_added_to_the_kept_counts(app: Flask) -> None:
    survey = closed_survey_with_answers(responses=2)
    later = deletion_due(survey) + timedelta(days=1)  # type: ignore[operator]
    purge_due(later)
    single = survey.questions[0]
    store_response(survey, [answer_row(question_id=single.id, option_id=single.options[0].id)])
    db.session.commit()
    purge_due(later + timedelta(days=1))
    db.session.commit()
    kept = retained_summary(survey)
    assert kept is not None and kept.responses == 3
    assert kept.questions[0].base == 3
    assert [o.count for o in kept.questions[0].options] == [2, 1, 0]


def test_a_shorter_period_chosen_by_members_deletes_sooner(app: Flask) -> None:
    survey = closed_survey_with_answers()
    survey.retention_months = 6
    db.session.commit()
    assert surveys_due(add_months(CLOSED, 6) + timedelta(hours=1)) == [survey.id]


def test_the_beat_task_purges_what_is_due(app: Flask) -> None:
    assert any(e["task"] == "retention.purge_due" for e in BEAT_SCHEDULE.values())
    survey = closed_survey_with_answers()
    assert purge_due_task() == 0  # the real clock: years before this survey is due
    survey.closes_at = datetime.now(UTC) - timedelta(days=3 * 365)
    survey.opens_at = survey.closes_at - timedelta(days=30)
    db.session.commit()
    assert purge_due_task() == 3
    assert purge_due_task() == 0
    assert _count(Response) == 0


def test_members_see_what_will_be_deleted_and_when(app: Flask, client: FlaskClient) -> None:
    survey = closed_survey_with_answers()
    member = staff(survey.neighbourhood, "member")
    AuthActions(client).sign_in(member.email)
    assert "When survey answers are deleted" in client.get("/n/hill/").get_data(as_text=True)
    page = client.get("/n/hill/retention").get_data(as_text=True)
    assert "Parks survey" in page and "24 months" in page
    assert "1 April 2027" in page  # 24 months after it closed, in UK time

    purge_due(add_months(CLOSED, 25))
    db.session.commit()
    page = client.get("/n/hill/retention").get_data(as_text=True)
    assert "counts kept" in page
    results = client.get(f"/n/hill/surveys/{survey.id}/results").get_data(as_text=True)
    # The kept counts are published like any others: 3 is below the threshold of 10.
    assert "<strong>hidden</strong> responses in all" in results
    assert "These are the counts kept" in results and "3 answered" not in results
    survey.neighbourhood.disclosure_threshold = 2
    db.session.commit()
    results = client.get(f"/n/hill/surveys/{survey.id}/results").get_data(as_text=True)
    assert "<strong>3</strong> responses in all" in results
    assert "3 answered this question" in results


def test_keyed_email_hashes_go_with_the_responses(app: Flask) -> None:
    survey = closed_survey_with_answers()
    db.session.add(VerifiedRespondent(survey_id=survey.id, email_hash="ab" * 32))
    db.session.commit()
    purged = purge_due(add_months(CLOSED, 25))
    db.session.commit()
    assert [p.respondent_hashes for p in purged] == [1]
    assert _count(VerifiedRespondent) == 0


def test_members_choose_the_period_in_the_survey_details(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    member = staff(area, "member")
    AuthActions(client).sign_in(member.email)
    url = f"/n/hill/surveys/{survey.id}/build/details"
    assert 'name="retention_months" type="text" value="24"' in client.get(url).get_data(
        as_text=True
    )
    refused = submit(client, url, {"title": "Parks survey", "retention_months": "0"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "There is a problem" in html
    assert "Enter a number of months from 1 to 120" in html and 'value="0"' in html
    saved = submit(client, url, {"title": "Parks survey", "retention_months": "6"})
    assert saved.status_code == 302
    db.session.refresh(survey)
    assert survey.retention_months == 6
    submit(client, url, {"title": "Parks survey", "retention_months": ""})
    db.session.refresh(survey)
    assert survey.retention_months == 24
