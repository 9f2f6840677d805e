"""The scheduled purge deletes old unsent drafts, every draft of a closed survey and expired
email links, and logs only counts."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.access_models import SurveyEmailLink
from consult.surveys.answering import start_draft
from consult.surveys.models import Draft, Survey
from consult.surveys.services import submit_response
from consult.surveys.tasks import purge_old_drafts
from tests.factories import NeighbourhoodFactory
from tests.survey_steps import access_survey
from worker.schedule import BEAT_SCHEDULE


def draft_of(survey: Survey, age: timedelta, sent: bool = False, text: str = "") -> int:
    draft, _ = start_draft(survey)
    draft.answers = {f"q{survey.questions[3].id}": [text]} if text else {}
    draft.updated_at = utcnow() - age
    if sent:
        draft.response_id = submit_response(survey, {}).id
    db.session.commit()
    return draft.id


def test_purge_deletes_what_nobody_will_send(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    area = NeighbourhoodFactory()
    running = access_survey(area, "open")
    closed = access_survey(area, "open")
    closed.status = "closed"
    past = access_survey(area, "open")
    past.opens_at = utcnow() - timedelta(days=20)
    past.closes_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    keep = {
        draft_of(running, timedelta(days=2), text="Secret words"),
        draft_of(running, timedelta(days=40), sent=True),  # sent: its thank-you page still works
    }
    gone = {
        draft_of(running, timedelta(days=31), text="Secret words"),
        draft_of(closed, timedelta(hours=1)),
        draft_of(closed, timedelta(hours=1), sent=True),
        draft_of(past, timedelta(minutes=1)),
    }
    for expires in (utcnow() - timedelta(seconds=1), utcnow() + timedelta(hours=1)):
        db.session.add(
            SurveyEmailLink(
                token_hash=str(expires.timestamp()),
                survey_id=running.id,
                email_hash="h",
                expires_at=expires,
                used=False,
            )
        )
    db.session.commit()

    counts = purge_old_drafts()

    assert counts == {"stale_drafts": 1, "closed_drafts": 3, "expired_links": 1}
    left = set(db.session.scalars(select(Draft.id)))
    assert left == keep and not left & gone
    assert len(db.session.scalars(select(SurveyEmailLink)).all()) == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "consult.surveys.tasks"]
    assert logged == ["purged 1 stale drafts, 3 drafts of closed surveys, 1 expired email links"]
    assert "Secret words" not in "\n".join(r.getMessage() for r in caplog.records)
    assert purge_old_drafts() == {"stale_drafts": 0, "closed_drafts": 0, "expired_links": 0}


def test_purge_runs_on_the_beat_schedule(app: Flask) -> None:
    names = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert "surveys.purge_drafts" in names
    assert "surveys.purge_drafts" in app.extensions["celery"].tasks
