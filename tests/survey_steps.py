"""Steps through a survey as a resident or a member of staff, shared by the access tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from consult.extensions import db
from consult.models import Neighbourhood, Survey
from consult.surveys.building import add_question, add_section
from consult.surveys.models import QuestionKind, Response
from tests.conftest import csrf_from, submit
from tests.factories import survey_with_questions

REFERENCE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


def base_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}"


def access_survey(neighbourhood: Neighbourhood, mode: str) -> Survey:
    survey = survey_with_questions(neighbourhood)
    survey.access_mode = mode
    db.session.commit()
    return survey


def two_page_survey(neighbourhood: Neighbourhood) -> Survey:
    """An open survey of two sections: a required choice, then a free text."""
    survey = Survey(
        neighbourhood_id=neighbourhood.id, title="Streets survey", status="open", access_mode="open"
    )
    db.session.add(survey)
    first = add_section(survey, "Getting about")
    add_question(
        first, QuestionKind.SINGLE_CHOICE, "How do you travel?", ["Walk", "Bus"], required=True
    )
    second = add_section(survey, "Anything else")
    add_question(second, QuestionKind.FREE_TEXT, "Anything else?", max_length=500)
    db.session.commit()
    return survey


def page_answers(survey: Survey, text: str = "More bins please") -> dict[str, Any]:
    """Valid answers for the one page of ``survey_with_questions``."""
    single, multiple, scale, free = survey.questions
    return {
        f"q{single.id}": str(single.options[1].id),
        f"q{multiple.id}": [str(multiple.options[0].id)],
        f"q{scale.id}": str(scale.options[0].id),
        f"q{free.id}": text,
    }


def answer_page(client: FlaskClient, survey: Survey, prefix: str = "") -> Any:
    url = f"{base_url(survey)}{prefix}/sections/1"
    return submit(client, url, page_answers(survey))


def send(client: FlaskClient, survey: Survey, prefix: str = "", **kwargs: Any) -> Any:
    """Press the send button on the check page."""
    return submit(client, f"{base_url(survey)}{prefix}/check", {}, **kwargs)


def post_with_token(client: FlaskClient, url: str, token_from: str, data: dict[str, Any]) -> Any:
    token = csrf_from(client.get(token_from).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def responses() -> int:
    return db.session.scalar(select(func.count(Response.id))) or 0


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements sent while inside, from a fresh session as each real request has."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
