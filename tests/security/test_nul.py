"""NUL characters, which PostgreSQL cannot store, never cause a server error."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Answer
from tests.conftest import submit
from tests.factories import NeighbourhoodFactory, survey_with_questions


def test_nul_in_form_data_is_dropped_and_the_rest_kept(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    single, _, scale, free = survey.questions
    answers = {
        f"q{single.id}": str(single.options[0].id),
        f"q{scale.id}": str(scale.options[0].id),
        f"q{free.id}": "more\x00 bins",
    }
    url = f"/n/hill/surveys/{survey.id}"
    assert submit(client, f"{url}/sections/1", answers).status_code == 302
    assert submit(client, f"{url}/check", {}).status_code == 302
    stored = db.session.scalar(select(Answer.text).where(Answer.question_id == free.id))
    assert stored == "more bins"
    signed = submit(client, "/sign-in", {"email": "a\x00@example.org", "password": "x\x00"})
    assert signed.status_code == 200


def test_nul_in_the_address_is_not_found(app: Flask, client: FlaskClient) -> None:
    assert client.get("/n/hi%00ll/").status_code == 404
    assert client.get("/sign-in?next=/x%00y").status_code == 400
