"""Save and come back later: the link travels over real SMTP, reopens the draft in another
browser, expires, and says so clearly when the answers were already sent."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.access import generate_codes
from consult.surveys.access_models import HouseholdCode
from consult.surveys.answering import find_draft
from consult.surveys.models import Survey
from consult.surveys.resume import make_resume_token
from tests.conftest import csrf_from, submit
from tests.factories import NeighbourhoodFactory
from tests.survey_steps import (
    access_survey,
    answer_page,
    base_url,
    post_with_token,
    responses,
    send,
    two_page_survey,
)
from tests.web.test_survey_access import assert_email_stored_nowhere
from tests.worker.conftest import SMTPServer

RESUME = re.compile(r"https://consult\.example(/n/[^/\s]+/surveys/\d+/resume/[A-Za-z0-9_.\-]+)")
EMAIL = "saver.person@example.org"


@pytest.fixture
def smtp(app: Flask) -> Iterator[SMTPServer]:
    """A real SMTP server on loopback, and the app's mail sent to it."""
    server = SMTPServer()
    server.start()
    mail = app.extensions["mailman"]
    mail.backend, mail.server, mail.port = "smtp", server.host, server.port
    mail.use_tls = mail.use_ssl = False
    try:
        yield server
    finally:
        server.stop()


def save_for_later(client: FlaskClient, survey: Survey, data: dict[str, str]) -> str:
    """Press "Save and come back later" on page 1, then give an email address."""
    url = f"{base_url(survey)}/sections/1"
    saved = post_with_token(client, url, url, {**data, "save": "later"})
    assert saved.headers["Location"].endswith("/save")
    sent = submit(client, f"{base_url(survey)}/save", {"email": EMAIL})
    assert sent.headers["Location"].endswith("/save/sent")
    return sent.headers["Location"]


def resume_path(smtp: SMTPServer) -> str:
    mail = smtp.wait_for(1)[-1]
    assert mail.rcpt_tos == [EMAIL]
    text = mail.message.get_body(("plain",)).get_content()
    match = RESUME.search(text)
    assert match, text
    return match.group(1)


def test_saved_answers_reopen_in_another_browser_and_are_sent_once(
    app: Flask, client: FlaskClient, smtp: SMTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    survey = two_page_survey(NeighbourhoodFactory())
    choice, free = survey.questions
    page = client.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "Save and come back later" in page and "Section 1 of 2" in page
    save_for_later(client, survey, {f"q{choice.id}": str(choice.options[1].id)})
    assert "We did not keep your email address" in client.get(
        f"{base_url(survey)}/save/sent"
    ).get_data(as_text=True)
    path = resume_path(smtp)

    phone = app.test_client()
    opened = phone.get(path)
    assert opened.headers["Location"].endswith(f"{base_url(survey)}/sections/2")  # page 1 done
    first = phone.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert re.search(rf'value="{choice.options[1].id}"\s+checked', first)
    second = phone.get(f"{base_url(survey)}/sections/2").get_data(as_text=True)
    assert "Section 2 of 2" in second
    url = f"{base_url(survey)}/sections/2"
    post_with_token(phone, url, url, {f"q{free.id}": "Wider pavements"})
    assert send(phone, survey).headers["Location"].endswith("/thank-you")
    assert responses() == 1

    replay = app.test_client().get(path)
    assert replay.status_code == 410
    assert "These answers have already been sent" in replay.get_data(as_text=True)
    assert responses() == 1

    assert_email_stored_nowhere(EMAIL)
    # Our own logs (aiosmtpd, standing in for the mail server, logs its recipients).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("consult"))
    assert "resume link sent" in logged
    assert "saver.person" not in logged and "/resume/" not in logged


def test_expired_and_forged_resume_links(app: Flask, client: FlaskClient) -> None:
    survey = two_page_survey(NeighbourhoodFactory())
    answer = {f"q{survey.questions[0].id}": str(survey.questions[0].options[0].id)}
    url = f"{base_url(survey)}/sections/1"
    post_with_token(client, url, url, {**answer, "save": "later"})
    with client.session_transaction() as session:
        draft_token = session["survey_drafts"][str(survey.id)]
    with app.test_request_context():
        old, _ = make_resume_token(survey, draft_token, None, utcnow() - timedelta(days=31))
        fresh, _ = make_resume_token(survey, draft_token, None, utcnow())
    expired = app.test_client().get(f"{base_url(survey)}/resume/{old}")
    assert expired.status_code == 410
    assert "This link has expired" in expired.get_data(as_text=True)
    forged = app.test_client().get(f"{base_url(survey)}/resume/{fresh[:-3]}xyz")
    assert forged.status_code == 404
    assert "This link is not valid" in forged.get_data(as_text=True)
    other = two_page_survey(survey.neighbourhood)
    elsewhere = app.test_client().get(f"{base_url(other)}/resume/{fresh}")
    assert elsewhere.status_code == 404
    assert app.test_client().get(f"{base_url(survey)}/resume/{fresh}").status_code == 302


def test_resume_link_expires_when_the_survey_closes(app: Flask, client: FlaskClient) -> None:
    survey = two_page_survey(NeighbourhoodFactory())
    survey.closes_at = utcnow() + timedelta(days=3)
    db.session.commit()
    with app.test_request_context():
        token, expires = make_resume_token(survey, "t", None, utcnow())
    assert expires == survey.closes_at
    survey.opens_at = utcnow() - timedelta(days=10)
    survey.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get(f"{base_url(survey)}/resume/{token}").get_data(as_text=True)
    assert "This survey has closed" in page and "closed on" in page


def test_a_household_code_travels_with_the_resume_link(
    app: Flask, client: FlaskClient, smtp: SMTPServer
) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    generate_codes(survey, 1)
    db.session.commit()
    code = db.session.scalar(select(HouseholdCode.code))
    url = base_url(survey)
    post_with_token(client, f"{url}/code", url, {"code": code})
    single = survey.questions[0]
    save_for_later(client, survey, {f"q{single.id}": str(single.options[0].id)})
    phone = app.test_client()
    assert phone.get(resume_path(smtp)).status_code == 302
    answer_page(phone, survey)
    assert send(phone, survey).headers["Location"].endswith("/thank-you")
    assert db.session.scalar(select(HouseholdCode.used))


def test_save_page_needs_a_draft_and_a_real_email(app: Flask, client: FlaskClient) -> None:
    survey = two_page_survey(NeighbourhoodFactory())
    assert client.get(f"{base_url(survey)}/save").headers["Location"].endswith(base_url(survey))
    url = f"{base_url(survey)}/sections/1"
    post_with_token(client, url, url, {"save": "later"})  # nothing answered yet: still saved
    with client.session_transaction() as session:
        token = session["survey_drafts"][str(survey.id)]
    assert find_draft(survey, token) is not None
    refused = submit(client, f"{base_url(survey)}/save", {"email": "nope@"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "There is a problem" in html
    assert 'value="nope@"' in html
    token = csrf_from(client.get(f"{base_url(survey)}/save").get_data(as_text=True))
    assert token
