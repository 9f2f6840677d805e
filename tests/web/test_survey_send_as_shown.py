"""A page that sends, posted just after this process showed it: stored without reading the
survey first, by one statement that stores nothing if the survey changed meanwhile.

PostgreSQL only (elsewhere every page reads its survey). "Meanwhile" is another process's
change: made here on a connection of its own, outside the test's session, so this process's
own forgetting of shown pages on a change (consult.surveys.blank) does not hide the check.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Draft, Response, Survey
from tests.conftest import csrf_from
from tests.factories import NeighbourhoodFactory, answer_row, survey_with_questions
from tests.survey_steps import base_url, counted, page_answers, responses

pytestmark = pytest.mark.parametrize("app", ["postgresql"], indirect=True)


def sending_survey() -> Survey:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey.send_from_last_page = True
    db.session.commit()
    return survey


def shown(client: FlaskClient, survey: Survey) -> tuple[str, dict[str, Any]]:
    """The page that sends, shown to this client: its address and a valid filling-in."""
    url = f"{base_url(survey)}/sections/1"
    page = client.get(url).get_data(as_text=True)
    return url, {"csrf_token": csrf_from(page), **page_answers(survey)}


def changed_elsewhere(survey_id: int, **values: Any) -> None:
    """Change the survey's row as another process would: not through this session."""
    with db.engine.begin() as connection:
        connection.execute(update(Survey).where(Survey.id == survey_id).values(**values))


def test_sending_a_page_just_shown_reads_nothing_first(app: Flask, client: FlaskClient) -> None:
    survey = sending_survey()
    url, data = shown(client, survey)
    with counted() as statements:
        reply = client.post(url, data=data)
    assert reply.headers["Location"].endswith("/thank-you")
    # One statement stores the response, its answers and the draft, checking the survey.
    assert len(statements) == 1, statements
    assert statements[0].lstrip().startswith("WITH unchanged AS")
    assert responses() == 1
    assert db.session.scalar(select(Draft.response_id)) is not None
    reference = db.session.scalar(select(Response.reference))
    assert reference in client.get(reply.headers["Location"]).get_data(as_text=True)


# What each change leads to, the page read afresh: the status and where it points, if anywhere.
CHANGES: list[tuple[dict[str, Any], int, str]] = [
    ({"status": "closed"}, 200, ""),  # the survey's closed page
    ({"closes_at": utcnow() - timedelta(minutes=1), "opens_at": None}, 200, ""),
    ({"opens_at": utcnow() + timedelta(days=1)}, 200, ""),
    ({"access_mode": "household_codes"}, 302, "/surveys/{id}"),  # its start page asks for one
    ({"send_from_last_page": False}, 302, "/check"),  # saved, to be checked first
    ({"structure_stamp": "changed"}, 302, "/thank-you"),  # checked again as it is now, sent
]


@pytest.mark.parametrize(
    ("change", "status", "to"), CHANGES, ids=[next(iter(c[0])) for c in CHANGES]
)
def test_a_survey_changed_meanwhile_is_read_afresh(
    app: Flask, client: FlaskClient, change: dict[str, Any], status: int, to: str
) -> None:
    """Nothing is stored as the page saw it; the page is then handled as usual, the survey
    read afresh."""
    survey = sending_survey()
    survey_id = survey.id
    url, data = shown(client, survey)
    changed_elsewhere(survey_id, **change)
    with counted() as statements:
        reply = client.post(url, data=data)
    assert statements[0].lstrip().startswith("WITH unchanged AS")  # tried first
    assert reply.status_code == status
    assert reply.headers.get("Location", "").endswith(to.format(id=survey_id))
    expected = 1 if to == "/thank-you" else 0
    assert responses() == expected
    sent = select(func.count(Draft.id)).where(Draft.response_id.is_not(None))
    assert db.session.scalar(sent) == expected


def test_a_draft_already_written_is_read_as_usual(app: Flask, client: FlaskClient) -> None:
    """A resident who saved the page for later has a draft under the page's token: the
    statement finds the token taken, stores nothing, and the page reads and sends that draft."""
    survey = sending_survey()
    url, data = shown(client, survey)
    assert client.post(url, data={**data, "save": "later"}).headers["Location"].endswith("/save")
    app.test_client().get(url)  # another resident opens the page: this process shows it afresh
    reply = client.post(url, data=data)
    assert reply.headers["Location"].endswith("/thank-you")
    assert responses() == 1
    drafts = db.session.scalars(select(Draft)).all()
    assert len(drafts) == 1 and drafts[0].response_id is not None  # the saved one, now sent


def different(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if value is None:
        return utcnow()
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    return value + (1000 if isinstance(value, int) else "x")


def test_the_statement_stores_nothing_unless_every_column_is_as_seen(app: Flask) -> None:
    survey = sending_survey()
    seen = {name: getattr(survey, name) for name in services.UNCHANGED_COLUMNS}
    rows = [answer_row(question_id=survey.questions[3].id, text="Kept")]
    for name in services.UNCHANGED_COLUMNS:
        other = {**seen, name: different(seen[name])}
        with pytest.raises(services.SurveyChangedError):
            services.store_response(survey, rows, as_seen=other)
        db.session.rollback()
        assert responses() == 0, name
    stored = services.store_response(survey, rows, as_seen=seen)
    assert stored not in db.session  # detached: nothing for the commit to expire
    db.session.commit()
    assert [a.text for a in db.session.get_one(Response, stored.id).answers] == ["Kept"]
