"""Access modes: open (softly once per browser), household codes (once per code) and verified
email (once per email, kept only as a keyed hash apart from the answers)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.access import generate_codes
from consult.surveys.access_models import HouseholdCode, SurveyEmailLink, VerifiedRespondent
from consult.surveys.models import Survey
from tests.conftest import csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff
from tests.survey_steps import (
    access_survey,
    answer_page,
    base_url,
    post_with_token,
    responses,
    send,
)

LINK = re.compile(r"https://consult\.example(/n/[^/]+/surveys/\d+/email/[A-Za-z0-9_\-]+)")
EMAIL = "Resident.One@example.org"


def enter_code(client: FlaskClient, survey: Survey, code: str):
    url = base_url(survey)
    return post_with_token(client, f"{url}/code", url, {"code": code})


def one_code(survey: Survey) -> str:
    generate_codes(survey, 3)
    db.session.commit()
    return db.session.scalars(select(HouseholdCode.code)).first()


# --- open ---------------------------------------------------------------------------------------


def test_open_survey_says_when_this_browser_has_already_answered(
    app: Flask, client: FlaskClient
) -> None:
    survey = access_survey(NeighbourhoodFactory(), "open")
    assert "Start now" in client.get(base_url(survey)).get_data(as_text=True)
    answer_page(client, survey)
    assert send(client, survey).status_code == 302
    again = client.get(base_url(survey)).get_data(as_text=True)
    assert "You have already answered from this device" in again
    assert "someone else in your household wants to answer" in again
    assert "Answer as someone else" in again and "Start now" not in again
    # Softly: another household member on this browser can still answer.
    answer_page(client, survey)
    assert send(client, survey).status_code == 302
    assert responses() == 2
    assert "Start now" in app.test_client().get(base_url(survey)).get_data(as_text=True)


def test_the_marker_remembers_every_survey_answered_here_and_follows_the_key(
    app: Flask, client: FlaskClient
) -> None:
    """The marker's value is kept once signed (the same surveys give the same value): a second
    survey joins the first, and under a new secret key the marker is signed with that key."""
    area = NeighbourhoodFactory()
    first, second = access_survey(area, "open"), access_survey(area, "open")
    for survey in (first, second):
        answer_page(client, survey)
        assert send(client, survey).status_code == 302
    for survey in (first, second):
        page = client.get(base_url(survey)).get_data(as_text=True)
        assert "You have already answered from this device" in page
    app.config["SECRET_KEY"] = "a key rotated in"
    assert "Start now" in client.get(base_url(first)).get_data(as_text=True)
    answer_page(client, first)
    assert send(client, first).status_code == 302
    assert "You have already answered" in client.get(base_url(first)).get_data(as_text=True)
    assert "Start now" in client.get(base_url(second)).get_data(as_text=True)


def test_open_marker_cookie_cannot_be_forged(app: Flask, client: FlaskClient) -> None:
    survey = access_survey(NeighbourhoodFactory(), "open")
    client.set_cookie("consult_answered", f"[{survey.id}]")
    assert "Start now" in client.get(base_url(survey)).get_data(as_text=True)


# --- household codes ----------------------------------------------------------------------------


def test_household_code_opens_the_survey_once(app: Flask, client: FlaskClient) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    code = one_code(survey)
    start = client.get(base_url(survey)).get_data(as_text=True)
    assert "Enter your household code" in start and "Start now" not in start
    # Without a code the pages send the resident back to the start.
    for path in ("/sections/1", "/check"):
        assert client.get(base_url(survey) + path).headers["Location"].endswith(base_url(survey))
    typed = code.lower().replace("-", " ")  # read aloud or typed loosely, it still matches
    assert enter_code(client, survey, typed).headers["Location"].endswith("/sections/1")
    answer_page(client, survey)
    assert send(client, survey).headers["Location"].endswith("/thank-you")
    assert responses() == 1
    assert db.session.scalar(select(HouseholdCode.used).where(HouseholdCode.code == code))

    other = app.test_client()
    page = enter_code(other, survey, code)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "There is a problem" in html
    assert "This code has already been used to answer this survey" in html


@pytest.mark.parametrize("forged", ["ZZZZ-ZZZZ", "1' OR '1'='1", "0000-0000", "<b>x</b>"])
def test_forged_codes_are_refused_with_the_typed_code_kept(
    app: Flask, client: FlaskClient, forged: str
) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    one_code(survey)
    page = enter_code(client, survey, forged)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "There is a problem" in html
    assert "We cannot find that code for this survey" in html
    assert forged not in html or "<" not in forged
    assert client.get(f"{base_url(survey)}/sections/1").status_code == 302


def test_code_of_another_survey_does_not_open_this_one(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "household_codes")
    other = access_survey(area, "household_codes")
    one_code(survey)
    generate_codes(other, 1)
    db.session.commit()
    foreign = db.session.scalar(
        select(HouseholdCode.code).where(HouseholdCode.survey_id == other.id)
    )
    html = enter_code(client, survey, foreign).get_data(as_text=True)
    assert "We cannot find that code for this survey" in html


def test_two_browsers_with_one_code_store_one_response(app: Flask) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    code = one_code(survey)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        enter_code(client, survey, code)
        answer_page(client, survey)
    assert send(first, survey).status_code == 302
    refused = send(second, survey)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Your answers were not sent" in html and "already been used" in html
    assert responses() == 1


def test_double_submit_with_a_code_stores_once(app: Flask, client: FlaskClient) -> None:
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    enter_code(client, survey, one_code(survey))
    answer_page(client, survey)
    token = csrf_from(client.get(f"{base_url(survey)}/check").get_data(as_text=True))
    first = client.post(f"{base_url(survey)}/check", data={"csrf_token": token})
    second = client.post(f"{base_url(survey)}/check", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith("/thank-you")
    assert responses() == 1


def test_codes_are_rate_limited_against_guessing(app: Flask, client: FlaskClient) -> None:
    app.config["ACCESS_CODE_RATE_LIMIT"] = "3 per minute"
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    one_code(survey)
    codes = [enter_code(client, survey, f"ABCD-EFG{n}").status_code for n in range(2, 6)]
    assert codes == [200, 200, 200, 429]


def test_code_tables_hold_nothing_that_joins_to_a_response(app: Flask) -> None:
    columns = {c.name for c in inspect(HouseholdCode).columns}
    assert columns == {"survey_id", "code", "batch", "used", "created_at"}
    assert {c.name for c in inspect(VerifiedRespondent).columns} == {"survey_id", "email_hash"}
    for model in (HouseholdCode, VerifiedRespondent):
        targets = {fk.column.table.name for fk in model.__table__.foreign_keys}
        assert targets == {"survey"}


# --- verified email -----------------------------------------------------------------------------


def ask_for_link(client: FlaskClient, survey: Survey, email: str = EMAIL):
    url = base_url(survey)
    return post_with_token(client, f"{url}/email", url, {"email": email})


def link_in(app: Flask) -> str:
    message = app.extensions["mailman"].outbox[-1]
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def use_link(client: FlaskClient, path: str):
    return post_with_token(client, path, path, {})


def test_verified_email_end_to_end(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    survey = access_survey(NeighbourhoodFactory(), "verified_email")
    start = client.get(base_url(survey)).get_data(as_text=True)
    assert "Confirm your email address" in start and "Start now" not in start
    assert client.get(f"{base_url(survey)}/sections/1").status_code == 302
    asked = ask_for_link(client, survey)
    assert asked.headers["Location"].endswith("/email/sent")
    path = link_in(app)
    # Opening the link (as a mail scanner would) does not spend it.
    assert "Start the survey" in client.get(path).get_data(as_text=True)
    assert use_link(client, path).headers["Location"].endswith("/sections/1")
    answer_page(client, survey)
    assert send(client, survey).headers["Location"].endswith("/thank-you")
    assert responses() == 1

    # Replayed, the link says it was used.
    replay = app.test_client().get(path)
    assert replay.status_code == 410
    assert "This link has already been used" in replay.get_data(as_text=True)

    # The same email again: the same page, and an email saying it has answered; no new link.
    again = ask_for_link(app.test_client(), survey, EMAIL.lower())
    assert again.headers["Location"].endswith("/email/sent")
    last = app.extensions["mailman"].outbox[-1]
    assert "already been used to answer the survey" in last.body
    assert not LINK.search(last.body)

    assert_email_stored_nowhere(EMAIL)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert EMAIL.lower() not in logged.lower()
    assert db.session.scalar(select(VerifiedRespondent.email_hash)) is not None
    assert db.session.scalar(select(SurveyEmailLink.email_hash)) is None  # wiped when used


def assert_email_stored_nowhere(email: str) -> None:
    """No text column of any table holds the address (or its local part)."""
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for value in row.values():
                if isinstance(value, str | dict | list):
                    assert email.split("@")[0].lower() not in str(value).lower(), table.name


def test_two_links_for_one_email_store_one_response(app: Flask) -> None:
    survey = access_survey(NeighbourhoodFactory(), "verified_email")
    first, second = app.test_client(), app.test_client()
    ask_for_link(first, survey)
    path_one = link_in(app)
    ask_for_link(second, survey)
    path_two = link_in(app)
    for client, path in ((first, path_one), (second, path_two)):
        use_link(client, path)
        answer_page(client, survey)
    assert send(first, survey).status_code == 302
    refused = send(second, survey)
    assert refused.status_code == 409
    assert "This email address has already been used" in refused.get_data(as_text=True)
    assert responses() == 1


def test_expired_and_forged_email_links(app: Flask, client: FlaskClient) -> None:
    survey = access_survey(NeighbourhoodFactory(), "verified_email")
    ask_for_link(client, survey)
    path = link_in(app)
    link = db.session.scalar(select(SurveyEmailLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(path)
    assert expired.status_code == 410
    assert "This link has expired" in expired.get_data(as_text=True)
    assert post_with_token(client, path, base_url(survey), {}).status_code == 410
    forged = client.get(path[:-4] + "abcd")
    assert forged.status_code == 404
    assert "This link is not valid" in forged.get_data(as_text=True)


def test_link_requests_are_limited_per_email(app: Flask) -> None:
    app.config["SIGN_IN_LINK_RATE_LIMIT"] = "2 per 15 minutes"
    survey = access_survey(NeighbourhoodFactory(), "verified_email")
    codes = [ask_for_link(app.test_client(), survey).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ask_for_link(app.test_client(), survey, "someone.else@example.org").status_code == 302


def test_bad_email_is_refused_and_kept(app: Flask, client: FlaskClient) -> None:
    survey = access_survey(NeighbourhoodFactory(), "verified_email")
    page = ask_for_link(client, survey, "not-an-email")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in html
    assert 'value="not-an-email"' in html
    assert not getattr(app.extensions["mailman"], "outbox", [])


# --- choosing the mode ----------------------------------------------------------------------------


def test_member_chooses_the_access_mode_in_the_details(
    app: Flask, client: FlaskClient, auth
) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    member = staff(area, "member")
    auth.sign_in(member.email)
    url = f"{base_url(survey)}/build/details"
    response = submit(client, url, {"title": survey.title, "access_mode": "household_codes"})
    assert response.status_code == 302
    db.session.refresh(survey)
    assert survey.access_mode == "household_codes"
    build = client.get(f"{base_url(survey)}/build").get_data(as_text=True)
    assert "Make and print household codes" in build
    wrong = submit(client, url, {"title": survey.title, "access_mode": "everyone'--"})
    assert wrong.status_code == 200 and "There is a problem" in wrong.get_data(as_text=True)
    assert db.session.execute(text("SELECT access_mode FROM survey")).scalar() == "household_codes"
