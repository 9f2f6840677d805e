"""Members and officers key in residents' responses: channel, event and who keyed it are
recorded; their own drafts are untouched; the resident access mode does not apply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Response
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff
from tests.survey_steps import access_survey, base_url, page_answers, responses

ASSISTED = "/assisted"


def choose(client: FlaskClient, survey, channel: str, event: str = ""):
    return submit(
        client, f"{base_url(survey)}{ASSISTED}", {"channel": channel, "event_name": event}
    )


def key_in(client: FlaskClient, survey, text: str = "Paper answer") -> None:
    url = f"{base_url(survey)}{ASSISTED}/sections/1"
    page = client.get(url).get_data(as_text=True)
    assert "Keying in a response" in page and "Save and come back later" not in page
    saved = submit(client, url, page_answers(survey, text))
    assert saved.headers["Location"].endswith(f"{ASSISTED}/check")


def store(client: FlaskClient, survey):
    return submit(client, f"{base_url(survey)}{ASSISTED}/check", {})


@pytest.mark.parametrize("role", ["member", "officer"])
def test_staff_key_in_a_paper_response(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    person = staff(area, role)
    auth.sign_in(person.email)
    chosen = choose(client, survey, "paper")
    assert chosen.headers["Location"].endswith(f"{ASSISTED}/sections/1")
    key_in(client, survey)
    check = client.get(f"{base_url(survey)}{ASSISTED}/check").get_data(as_text=True)
    assert "Check the answers before sending them" in check and "Paper answer" in check
    stored = store(client, survey)
    assert stored.headers["Location"].endswith(f"{ASSISTED}/sent")
    sent = client.get(stored.headers["Location"]).get_data(as_text=True)
    response = db.session.scalar(select(Response))
    assert response.reference in sent and "Enter another response" in sent
    assert (response.channel, response.event_name, response.keyed_by_id) == (
        "paper",
        None,
        person.id,
    )
    # "Enter another": the channel is remembered, and a new draft starts.
    again = client.get(f"{base_url(survey)}{ASSISTED}").get_data(as_text=True)
    assert 'value="paper" checked' in again
    choose(client, survey, "phone")
    key_in(client, survey, "Phoned in")
    store(client, survey)
    channels = sorted(db.session.scalars(select(Response.channel)))
    assert channels == ["paper", "phone"]


def test_event_needs_its_name(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    officer = staff(area, "officer")
    auth.sign_in(officer.email)
    refused = choose(client, survey, "event")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "There is a problem" in html
    assert "Enter the name of the event" in html and 'value="event" checked' in html
    wrong = choose(client, survey, "carrier pigeon")
    assert "There is a problem" in wrong.get_data(as_text=True)
    choose(client, survey, "event", "Summer fair, 12 July")
    key_in(client, survey)
    store(client, survey)
    response = db.session.scalar(select(Response))
    assert (response.channel, response.event_name) == ("event", "Summer fair, 12 July")
    assert response.keyed_by_id == officer.id


def test_resident_access_mode_does_not_apply(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    auth.sign_in(staff(area, "member").email)
    for mode in ("household_codes", "verified_email"):
        survey = access_survey(area, mode)
        choose(client, survey, "doorstep")
        key_in(client, survey)
        assert store(client, survey).headers["Location"].endswith("/sent")
    assert responses() == 2


def test_assisted_entry_never_mixes_with_the_staff_members_own_draft(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    auth.sign_in(staff(area, "member").email)
    own = f"{base_url(survey)}/sections/1"
    submit(client, own, page_answers(survey, "My own view"))
    choose(client, survey, "paper")
    assisted_page = client.get(f"{base_url(survey)}{ASSISTED}/sections/1").get_data(as_text=True)
    assert "My own view" not in assisted_page
    key_in(client, survey, "Resident's view")
    store(client, survey)
    mine = client.get(f"{base_url(survey)}/check").get_data(as_text=True)
    assert "My own view" in mine and "Resident&#39;s view" not in mine
    stored = db.session.scalar(select(Response))
    assert {a.text for a in stored.answers if a.text} == {"Resident's view"}


def test_double_store_keeps_one(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    auth.sign_in(staff(area, "member").email)
    choose(client, survey, "paper")
    key_in(client, survey)
    url = f"{base_url(survey)}{ASSISTED}/check"
    token = csrf_from(client.get(url).get_data(as_text=True))
    first = client.post(url, data={"csrf_token": token})
    second = client.post(url, data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"]
    assert responses() == 1


def test_pages_need_a_channel_first_and_an_open_survey(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "open")
    auth.sign_in(staff(area, "officer").email)
    for path in ("/sections/1", "/check", "/sent"):
        location = client.get(f"{base_url(survey)}{ASSISTED}{path}").headers["Location"]
        assert location.endswith(f"{base_url(survey)}{ASSISTED}")
    survey.opens_at = utcnow() - timedelta(days=9)
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"{base_url(survey)}{ASSISTED}").get_data(as_text=True)
    assert "This survey has closed" in page


def test_other_neighbourhoods_staff_get_not_found(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    survey = access_survey(NeighbourhoodFactory(), "open")
    auth.sign_in(staff(NeighbourhoodFactory(), "member").email)
    assert client.get(f"{base_url(survey)}{ASSISTED}").status_code == 404
