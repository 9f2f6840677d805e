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
