"""A survey set to send from its last page: "Send my answers" there, no check page after it.

The answers stored are those the check page would have stored; a second press (one after the
other, or at the same moment on PostgreSQL) sends once; a page shown after sending starts a
new response; staff keying in a response still check it first.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.surveys.building import add_question, add_section
from consult.surveys.models import Draft, QuestionKind, Response, Survey
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.survey_steps import REFERENCE, base_url, page_answers, responses


def sent_from_page(survey: Survey) -> Survey:
    survey.send_from_last_page = True
    db.session.commit()
    return survey


def stored_rows() -> set[tuple[int, int | None, str | None]]:
    stored = db.session.scalars(select(Response)).one()
    return {(a.question_id, a.option_id, a.text) for a in stored.answers}


def test_the_page_sends_and_shows_the_reference(app: Flask, client: FlaskClient) -> None:
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    page = client.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "Now send your answers" in page and "Send my answers" in page
    assert "Continue" not in page
    assert db.session.scalar(select(func.count(Draft.id))) == 0  # showing it writes nothing

    reply = submit(client, f"{base_url(survey)}/sections/1", page_answers(survey))
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/thank-you")
    assert "consult_answered=" in reply.headers.get("Set-Cookie", "")
    single, multiple, scale, free = survey.questions
    assert stored_rows() == {
        (single.id, single.options[1].id, None),
        (multiple.id, multiple.options[0].id, None),
        (scale.id, scale.options[0].id, None),
        (free.id, None, "More bins please"),
    }
    thanks = client.get(reply.headers["Location"]).get_data(as_text=True)
    match = REFERENCE.search(thanks)
    assert match is not None
    assert match.group(1) == db.session.scalar(select(Response.reference))


def test_a_taken_reference_writes_nothing_and_is_drawn_again(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Response, answers and draft are written together (one statement on PostgreSQL): when
    the reference drawn is taken, none of them is written, and all are, once, with the next."""
    from consult.surveys import services

    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    earlier = services.submit_response(survey, {})
    db.session.commit()
    drawn = iter([earlier.reference, "ZZZZ-3333"])
    monkeypatch.setattr(services, "new_reference", lambda: next(drawn))

    reply = submit(client, f"{base_url(survey)}/sections/1", page_answers(survey))
    assert reply.headers["Location"].endswith("/thank-you")
    sent = db.session.scalars(select(Response).where(Response.reference == "ZZZZ-3333")).one()
    assert len(sent.answers) == 4 and earlier.answers == []
    assert db.session.scalars(select(Draft.response_id)).all() == [sent.id]
    assert "ZZZZ-3333" in client.get(reply.headers["Location"]).get_data(as_text=True)


def test_the_same_answers_are_stored_as_through_the_check_page(
    app: Flask, client: FlaskClient
) -> None:
    checked = survey_with_questions(NeighbourhoodFactory())
    assert submit(client, f"{base_url(checked)}/sections/1", page_answers(checked)).status_code
    submit(client, f"{base_url(checked)}/check", {})
    by_check = {(a.question_id, a.option_id, a.text) for a in db.session.scalars(
        select(Response)).one().answers}  # fmt: skip
    db.session.execute(Response.__table__.delete())
    db.session.commit()

    sent = sent_from_page(checked)  # the same survey, now sent from its page
    other = app.test_client()
    assert submit(other, f"{base_url(sent)}/sections/1", page_answers(sent)).status_code == 302
    assert stored_rows() == by_check


def test_pressing_send_twice_sends_once(app: Flask, client: FlaskClient) -> None:
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    url = f"{base_url(survey)}/sections/1"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, **page_answers(survey)}
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/thank-you")
    assert responses() == 1


def test_a_page_shown_after_sending_starts_a_new_response(app: Flask, client: FlaskClient) -> None:
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    url = f"{base_url(survey)}/sections/1"
    submit(client, url, page_answers(survey))
    page = client.get(url).get_data(as_text=True)
    assert "More bins please" not in page  # a blank page, not the sent answers
    reply = client.post(url, data={"csrf_token": csrf_from(page), **page_answers(survey, "Again")})
    assert reply.headers["Location"].endswith("/thank-you")
    assert responses() == 2


def test_a_rejected_page_keeps_the_answers_and_sends_nothing(
    app: Flask, client: FlaskClient
) -> None:
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    single, multiple, scale, free = survey.questions
    answers = page_answers(survey, "x" * 201)  # over the 200-character limit
    reply = submit(client, f"{base_url(survey)}/sections/1", answers)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "There is a problem" in page
    assert "Your answer to ‘Anything else?’ must be 200 characters or fewer" in page
    assert "x" * 201 in page
    assert re.search(rf'value="{multiple.options[0].id}"\s+checked', page)
    assert "Send my answers" in page
    assert responses() == 0


def test_save_and_come_back_later_keeps_the_answers_unsent(app: Flask, client: FlaskClient) -> None:
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    url = f"{base_url(survey)}/sections/1"
    reply = submit(client, url, {**page_answers(survey), "save": "later"})
    assert reply.headers["Location"].endswith("/save")
    assert responses() == 0
    page = client.get(url).get_data(as_text=True)
    assert "More bins please" in page
    assert submit(client, url, page_answers(survey)).headers["Location"].endswith("/thank-you")
    assert responses() == 1
    assert db.session.scalar(select(func.count(Draft.id))) == 1  # the saved draft was sent


def two_page_survey(survey: Survey) -> Survey:
    later = add_section(survey, "Anything more")
    add_question(later, QuestionKind.FREE_TEXT, "Any more ideas?", max_length=100, required=True)
    db.session.commit()
    return sent_from_page(survey)


def test_a_longer_survey_sends_from_its_last_page(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    answers = page_answers(survey)
    two_page_survey(survey)
    first = submit(client, f"{base_url(survey)}/sections/1", answers)
    assert first.headers["Location"].endswith("/sections/2")
    assert responses() == 0
    last = survey.questions[-1]
    reply = submit(client, f"{base_url(survey)}/sections/2", {f"q{last.id}": "A bench"})
    assert reply.headers["Location"].endswith("/thank-you")
    assert (last.id, None, "A bench") in stored_rows()
    assert len(stored_rows()) == 5


def test_the_last_page_sends_nothing_until_earlier_pages_are_answered(
    app: Flask, client: FlaskClient
) -> None:
    survey = two_page_survey(survey_with_questions(NeighbourhoodFactory()))
    last = survey.questions[-1]
    reply = submit(client, f"{base_url(survey)}/sections/2", {f"q{last.id}": "A bench"})
    assert reply.headers["Location"].endswith("/sections/1")
    assert responses() == 0
    assert "Some questions on this page still need an answer." in client.get(
        reply.headers["Location"]
    ).get_data(as_text=True)
    # What the last page had is kept: once the first page is answered, the draft is complete.
    draft = db.session.scalars(select(Draft)).one()
    assert draft.answers[f"q{last.id}"] == ["A bench"]


def test_staff_keying_in_a_response_still_check_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    survey = sent_from_page(survey_with_questions(area))
    auth.sign_in(staff(area, "member").email)
    start = f"{base_url(survey)}/assisted"
    submit(client, start, {"channel": "paper"})
    page = client.get(f"{start}/sections/1").get_data(as_text=True)
    assert "Send my answers" not in page and "Continue" in page
    reply = submit(client, f"{start}/sections/1", page_answers(survey))
    assert reply.headers["Location"].endswith("/assisted/check")


def test_the_builder_sets_it_and_the_preview_shows_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area, status="draft")
    auth.sign_in(staff(area, "member").email)
    details = f"{base_url(survey)}/build/details"
    build = client.get(f"{base_url(survey)}/build").get_data(as_text=True)
    assert "After a check-your-answers page" in build
    form = {"title": survey.title, "access_mode": "open", "send_from_last_page": "y"}
    assert submit(client, details, form).status_code == 302
    db.session.refresh(survey)
    assert survey.send_from_last_page is True
    assert "From the last page" in client.get(f"{base_url(survey)}/build").get_data(as_text=True)
    preview = client.get(f"{base_url(survey)}/preview/1").get_data(as_text=True)
    assert "Send my answers" in preview
    assert submit(client, details, {"title": survey.title, "access_mode": "open"}).status_code
    db.session.refresh(survey)
    assert survey.send_from_last_page is False


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_two_presses_at_the_same_moment_send_once(app: Flask) -> None:
    """Both requests write the page's draft under the one token the page gave out; PostgreSQL
    makes the second wait on the unique token and then refuse it: that press is shown the
    first's thank-you page, and one response is stored."""
    survey = sent_from_page(survey_with_questions(NeighbourhoodFactory()))
    url = f"{base_url(survey)}/sections/1"
    first = app.test_client()
    token = csrf_from(first.get(url).get_data(as_text=True))
    second = app.test_client()
    cookie = first.get_cookie("session")
    assert cookie is not None
    second.set_cookie("session", cookie.value)
    data = {"csrf_token": token, **page_answers(survey)}
    both_writing = threading.Barrier(2, timeout=20)

    def wait_for_the_other(session: Session, *_: Any) -> None:
        if any(isinstance(added, Draft) for added in session.new):
            both_writing.wait()

    locations: list[str] = []

    def press(browser: FlaskClient) -> None:
        with app.app_context():
            locations.append(browser.post(url, data=data).headers.get("Location", ""))
            db.session.remove()

    event.listen(Session, "before_flush", wait_for_the_other)
    try:
        threads = [threading.Thread(target=press, args=(b,)) for b in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        event.remove(Session, "before_flush", wait_for_the_other)
    assert len(locations) == 2 and all(loc.endswith("/thank-you") for loc in locations)
    assert responses() == 1


def walk_every_kind(app: Flask, survey_id: int) -> set[tuple[object, ...]]:
    """Answer every page of the every-kind survey (each page given all the answers), send
    them whichever way the survey sends, and return what was stored."""
    from tests.web.test_survey_fields import answers

    survey = db.session.get_one(Survey, survey_id)
    data = answers(survey, "answered")
    assert data is not None
    base = base_url(survey)
    browser = app.test_client()
    url = f"{base}/sections/1"
    for _ in range(len(survey.sections) + 1):
        token = csrf_from(browser.get(url).get_data(as_text=True))
        reply = browser.post(url, data={"csrf_token": token, **data.to_dict(flat=False)})
        assert reply.status_code == 302, reply.get_data(as_text=True)[:300]
        url = reply.headers["Location"]
        if url.endswith("/thank-you"):
            break
    assert url.endswith("/thank-you")
    stored = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
    assert stored is not None
    return {(a.question_id, a.option_id, a.text, a.number, a.rank) for a in stored.answers}


def test_every_kind_is_stored_alike_from_the_last_page(app: Flask) -> None:
    from tests.factories import survey_of_every_kind

    survey = survey_of_every_kind(NeighbourhoodFactory())
    survey_id = survey.id
    by_check = walk_every_kind(app, survey_id)
    sent_from_page(db.session.get_one(Survey, survey_id))
    from_page = walk_every_kind(app, survey_id)
    assert from_page == by_check
    assert len(by_check) >= 9
    assert responses() == 2
