"""A survey page as a resident first opens it is drawn once and kept (consult.surveys.blank).

Every resident gets the same page but their own CSRF token, which works for them alone; the
kept page is never used where the page differs: a message to show, someone signed in, a
query string, answers already given, another language, a changed survey.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys import blank
from consult.surveys.access import ACCESS_KEY
from consult.surveys.blank import SLOT
from consult.surveys.models import Question, Survey, SurveyStatus
from consult.surveys.structure import kept_structure
from tests.conftest import AuthActions, csrf_from
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.survey_steps import access_survey, base_url, counted, page_answers, responses


@contextmanager
def drawn() -> Iterator[list[str]]:
    """The templates rendered while inside."""
    names: list[str] = []

    def record(sender: Flask, template: object, context: object, **extra: object) -> None:
        names.append(str(getattr(template, "name", "")))

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def first_page(app: Flask, client: FlaskClient | None = None, suffix: str = "", **kw: object):
    """The (only) survey's first section, in a session of its own as a real request has."""
    url = base_url(db.session.scalars(select(Survey)).one())
    db.session.remove()
    response = (client or app.test_client()).get(f"{url}/sections/1{suffix}", **kw)
    db.session.remove()
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_residents_share_the_page_but_not_the_token(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    url = f"{base_url(survey)}/sections/1"
    answers = page_answers(survey)
    first, second = app.test_client(), app.test_client()
    page_one = first_page(app, first)
    with drawn() as rendered:
        page_two = first_page(app, second)
    assert "surveys/section.html" not in rendered  # the kept page
    token_one, token_two = csrf_from(page_one), csrf_from(page_two)
    assert token_one != token_two
    assert page_one.replace(token_one, "") == page_two.replace(token_two, "")
    assert SLOT not in page_two and "\x00" not in page_two
    # Each token is its holder's alone.
    assert second.post(url, data={"csrf_token": token_one, **answers}).status_code == 400
    assert second.post(url, data={"csrf_token": token_two, **answers}).status_code == 302
    assert first.post(url, data={"csrf_token": token_one, **answers}).status_code == 302


def test_a_message_to_show_is_never_left_out(app: Flask, client: FlaskClient) -> None:
    title = survey_with_questions(NeighbourhoodFactory()).title
    first_page(app)  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Some questions on this page still need an answer.")]
    assert "Some questions on this page still need an answer." in first_page(app, client)
    assert title in first_page(app)
    assert "still need an answer" not in first_page(app)


def test_someone_signed_in_gets_their_own_page(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    survey_with_questions(area)
    assert "Your account" not in first_page(app)  # kept, as a resident sees it
    auth.sign_in(staff(area, "member").email)
    page = first_page(app, client)
    assert "Your account" in page and "Sign out" in page


def test_each_language_and_address_has_its_own_page(app: Flask) -> None:
    survey_with_questions(NeighbourhoodFactory())
    english = first_page(app)
    polish = first_page(app, headers={"Accept-Language": "pl"})
    assert '<html lang="pl"' in polish and '<html lang="en"' in english
    assert '<html lang="en"' in first_page(app)
    # The language links lead back to the page as it was asked for, query and all.
    with_query = first_page(app, suffix="?from=letter")
    assert "sections/1?from%3Dletter" in with_query
    assert "from%3Dletter" not in first_page(app)


def test_answers_already_given_are_shown(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    answers = {**page_answers(survey, "Swings for small children"), "save": "later"}
    url = f"{base_url(survey)}/sections/1"
    first_page(app)  # kept, blank
    page = first_page(app, client)
    client.post(url, data={"csrf_token": csrf_from(page), **answers})
    assert "Swings for small children" in first_page(app, client)
    assert "Swings for small children" not in first_page(app)
    assert responses() == 0


def test_a_changed_survey_is_drawn_again(app: Flask) -> None:
    survey_with_questions(NeighbourhoodFactory())
    assert "How often do you visit?" in first_page(app)
    question = db.session.scalars(select(Question).order_by(Question.position)).first()
    assert question is not None
    question.text = "How often do you go there?"
    db.session.commit()
    page = first_page(app)
    assert "How often do you go there?" in page and "How often do you visit?" not in page


def test_only_the_pages_own_address_is_kept(app: Flask) -> None:
    """Other spellings of the address would each keep a page of their own, without end."""
    survey_with_questions(NeighbourhoodFactory())
    first_page(app)
    with drawn() as rendered:
        odd = app.test_client().get(
            f"{base_url(db.session.scalars(select(Survey)).one())}/sections/01"
        )
    assert odd.status_code in (200, 404)
    if odd.status_code == 200:
        assert "surveys/section.html" in rendered  # drawn afresh, not kept
    kept = kept_structure(db.session.scalars(select(Survey)).one())
    assert kept is not None
    assert len([key for key in kept._made if key[0] == "blank page"]) == 1


# Shown again without the database (consult.surveys.blank.recent_page).


def open_page(app: Flask, url: str, client: FlaskClient | None = None) -> tuple[str, list[str]]:
    """GET a page as a new resident (or ``client``): its text and the SQL statements sent."""
    with counted() as statements:
        response = (client or app.test_client()).get(url)
    db.session.remove()
    return response.get_data(as_text=True), statements


def test_a_page_shown_a_moment_ago_is_shown_again_without_the_database(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    url, answers = f"{base_url(survey)}/sections/1", page_answers(survey)
    first, first_statements = open_page(app, url)
    assert first_statements  # read, drawn and kept
    resident = app.test_client()
    page, statements = open_page(app, url, resident)
    assert statements == []
    assert page.replace(csrf_from(page), "") == first.replace(csrf_from(first), "")
    assert resident.post(url, data={"csrf_token": csrf_from(page), **answers}).status_code == 302
    # A resident with a draft of their own is never shown it from there.
    again, statements = open_page(app, url, resident)
    assert statements and "More bins please" in again


def test_a_survey_closed_by_a_member_is_closed_at_once(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    url = f"{base_url(survey)}/sections/1"
    open_page(app, url)
    open_page(app, url)  # shown from memory
    db.session.get_one(Survey, survey.id).status = SurveyStatus.CLOSED
    db.session.commit()
    page, statements = open_page(app, url)
    assert "This survey has closed" in page and statements


def test_a_neighbourhoods_languages_changed_show_at_once(app: Flask) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    url = f"{base_url(survey)}/sections/1"
    assert 'lang="pl"' in open_page(app, url)[0]  # the switcher offers Polish
    db.session.get_one(Neighbourhood, area.id).languages = "en"
    db.session.commit()
    assert 'lang="pl"' not in open_page(app, url)[0]


def test_a_second_later_the_survey_is_read_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    url = f"{base_url(survey)}/sections/1"
    open_page(app, url)
    open_page(app, url)
    real = time.time
    monkeypatch.setattr(blank.time, "time", lambda: real() + blank.RECENT_SECONDS)
    assert open_page(app, url)[1]


def test_never_past_the_survey_closing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blank, "RECENT_SECONDS", 60.0)  # a long while, to show the closing wins
    survey = survey_with_questions(NeighbourhoodFactory())
    survey.closes_at = utcnow() + timedelta(seconds=30)
    db.session.commit()
    url = f"{base_url(survey)}/sections/1"
    open_page(app, url)
    assert open_page(app, url)[1] == []
    real = time.time
    # 40 seconds on: within RECENT_SECONDS of the showing, but after the survey closed.
    monkeypatch.setattr(blank.time, "time", lambda: real() + 40)
    monkeypatch.setattr("consult.surveys.views.utcnow", lambda: utcnow() + timedelta(seconds=40))
    page, statements = open_page(app, url)
    assert statements and "This survey has closed" in page


def test_a_page_needing_a_code_is_never_shown_from_memory(app: Flask) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    url = f"{base_url(survey)}/sections/1"
    with_code = app.test_client()
    with with_code.session_transaction() as session:
        session[ACCESS_KEY] = {str(survey.id): "code-marker"}
    for _ in range(2):
        page, statements = open_page(app, url, with_code)
        assert statements and csrf_from(page)
    assert app.test_client().get(url).status_code == 302  # to the start page, for a code


def test_a_page_that_sends_gives_each_resident_a_token_and_sends_once(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey.send_from_last_page = True
    db.session.commit()
    url, answers = f"{base_url(survey)}/sections/1", page_answers(survey)
    open_page(app, url)
    resident = app.test_client()
    page, statements = open_page(app, url, resident)
    assert statements == [] and "Send my answers" in page
    sent = {"csrf_token": csrf_from(page), **answers}
    assert resident.post(url, data=sent).headers["Location"].endswith("/thank-you")
    assert resident.post(url, data=sent).headers["Location"].endswith("/thank-you")
    assert responses() == 1
