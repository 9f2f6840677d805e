"""Canary personal data never reaches the logs, in the web app or in the worker's tasks."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.auth.services import create_invitation
from consult.briefings.delivery import deliver
from consult.briefings.models import Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from consult.mail.invitations import send_invitation
from consult.neighbourhoods.models import Role
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions

CANARY_EMAIL = "canary.person@example.org"
CANARY_PASSWORD = "canary-password-7731"
CANARY_TEXT = "Canary Freetext 07700 900123 LS9 7AB"


def test_no_personal_data_in_logs(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # production's level
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    single, _, scale, free = survey.questions
    submit(
        client,
        f"/n/hill/surveys/{survey.id}/sections/1",
        {
            f"q{single.id}": str(single.options[0].id),
            f"q{scale.id}": str(scale.options[0].id),
            f"q{free.id}": CANARY_TEXT,
        },
    )
    submit(client, f"/n/hill/surveys/{survey.id}/check", {})
    UserFactory(email=CANARY_EMAIL)
    auth = AuthActions(client)
    auth.sign_in(CANARY_EMAIL, CANARY_PASSWORD)  # wrong password
    auth.sign_in(CANARY_EMAIL)  # right password
    auth.sign_out()
    new = create_invitation(area, "canary.invitee@example.org", Role.MEMBER, None)
    db.session.commit()
    send_invitation(new)
    submit(
        client,
        f"/invitations/{new.token}",
        {"display_name": "Canary Name", "password": CANARY_PASSWORD, "confirm": CANARY_PASSWORD},
    )
    officer = staff(area, "officer")
    officer.email = "canary.officer@example.org"
    db.session.commit()
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    for delivery in db.session.query(Delivery).all():
        deliver(delivery.id)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    canaries = [CANARY_EMAIL, CANARY_PASSWORD, CANARY_TEXT, "07700", "LS9 7AB", new.token,
                "canary.invitee", "canary.officer", "Canary Name"]  # fmt: skip
    leaked = [canary for canary in canaries if canary in logged]
    assert not leaked, f"personal data in the logs: {leaked}"


@pytest.mark.parametrize(
    "task_name",
    ["briefings.build", "briefings.schedule_weekly", "retention.purge_due"],
)
def test_a_failing_task_logs_the_kind_of_error_only(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, task_name: str
) -> None:
    """A database error's text quotes what it was sent; a task retrying after one, and
    failing for good, logs neither that text nor a traceback carrying it."""
    from sqlalchemy.exc import IntegrityError

    from consult.briefings import tasks as briefing_tasks
    from consult.retention import tasks as retention_tasks

    def failing(*_: object) -> None:
        raise IntegrityError("INSERT ...", {"email": CANARY_EMAIL, "text": CANARY_TEXT}, None)

    monkeypatch.setattr(briefing_tasks, "build_briefing", failing)
    monkeypatch.setattr(briefing_tasks, "schedule_weekly", failing)
    monkeypatch.setattr(retention_tasks, "surveys_due", failing)
    caplog.set_level(logging.INFO)
    task = app.extensions["celery"].tasks[task_name]
    result = task.apply(args=[1] if task_name == "briefings.build" else [])  # retries run at once
    assert result.failed()
    assert "IntegrityError" in repr(result.result)  # the kind of error is kept
    for seen in (caplog.text, result.traceback or "", repr(result.result)):
        assert CANARY_EMAIL not in seen and "Canary" not in seen


def test_an_unhandled_error_is_logged_without_its_text_or_the_address(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import IntegrityError

    from consult.surveys import views

    def failing(*_: object) -> None:
        try:
            raise ValueError(CANARY_TEXT)
        except ValueError as error:
            raise IntegrityError("INSERT ...", {"email": CANARY_EMAIL}, error) from error

    monkeypatch.setattr(views, "survey_for_answering", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as served: the error page, and the log
    caplog.set_level(logging.INFO)
    token = "canary-token-5512"
    page = app.test_client().get(f"/n/hill/surveys/1/sections/1?t={token}")
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.get_data(as_text=True)
    logged = caplog.text
    assert "Unhandled IntegrityError from ValueError on GET /n/<slug>/surveys/" in logged
    assert "failing" in logged  # where it happened
    assert CANARY_EMAIL not in logged and "Canary" not in logged and token not in logged
