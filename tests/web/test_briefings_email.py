"""The briefing email: CSV attached, one-click unsubscribe (RFC 8058), members who opt in."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.briefings.delivery import deliver
from consult.briefings.models import BriefingSubscription, Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.briefings.subscriptions import recipients, unsubscribe_token
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions


def send_briefing(area: Neighbourhood) -> list:
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    for delivery in db.session.scalars(select(Delivery).where(Delivery.briefing_id == briefing.id)):
        deliver(delivery.id)
    return [
        m
        for m in app_outbox()
        if m.extra_headers["Message-ID"].startswith(f"<briefing-{briefing.id}.")
    ]


def app_outbox() -> list:
    from flask import current_app

    return list(getattr(current_app.extensions["mailman"], "outbox", []))


def test_email_has_csv_attachment_archive_link_and_one_click_unsubscribe(app: Flask) -> None:
    area = NeighbourhoodFactory(slug="hill", disclosure_threshold=1)
    officer = staff(area, "officer")
    survey = survey_with_questions(area)
    single = survey.questions[0]
    submit_response(survey, {single.id: single.options[0].id})
    db.session.commit()
    (message,) = send_briefing(area)
    token = unsubscribe_token(officer.id, area.id)
    url = f"https://consult.example/n/hill/briefings/unsubscribe/{token}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    ((filename, data, mimetype),) = message.attachments
    assert mimetype == "text/csv" and filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["Survey", "Question", "Answer", "Count", "Percent"]
    assert ["Parks survey", "How often do you visit?", "Daily", "1", "100"] in rows
    html, _ = message.alternatives[0]
    assert (
        "https://consult.example/n/hill/briefings/" in html and "Read this briefing online" in html
    )
    assert 'bgcolor="#1d70b8"' in html  # the bar chart is table cells


def test_a_cookieless_one_click_post_unsubscribes(app: Flask) -> None:
    area = NeighbourhoodFactory(slug="hill")
    officer, other = staff(area, "officer"), staff(area, "officer")
    token = unsubscribe_token(officer.id, area.id)
    client = app.test_client(use_cookies=False)
    page = client.get(f"/n/hill/briefings/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop getting briefings" in page.get_data(as_text=True)
    assert [u.id for u in recipients(area.id)] == [officer.id, other.id]  # a GET only asks
    response = client.post(
        f"/n/hill/briefings/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You will not get briefings" in response.get_data(as_text=True)
    assert [u.id for u in recipients(area.id)] == [other.id]
    assert [m.to for m in send_briefing(area)] == [[other.email]]
    delivery_users = db.session.scalars(select(Delivery.user_id)).all()
    assert delivery_users == [other.id]


def test_forged_or_misplaced_unsubscribe_tokens_are_refused(app: Flask) -> None:
    area = NeighbourhoodFactory(slug="hill")
    NeighbourhoodFactory(slug="vale")
    officer = staff(area, "officer")
    token = unsubscribe_token(officer.id, area.id)
    client = app.test_client(use_cookies=False)
    for url in (
        f"/n/vale/briefings/unsubscribe/{token}",
        f"/n/hill/briefings/unsubscribe/{token[:-2]}xx",
        "/n/hill/briefings/unsubscribe/WzEsMV0.forged",
    ):
        assert client.post(url).status_code == 404, url
    assert db.session.scalar(select(BriefingSubscription)) is None


def test_members_opt_in_and_officers_opt_out_on_the_subscription_page(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    member, officer = staff(area, "member"), staff(area, "officer")
    assert [u.id for u in recipients(area.id)] == [officer.id]
    auth.sign_in(member.email)
    assert "You do not get briefings" in client.get("/n/hill/briefings/").get_data(as_text=True)
    response = submit(client, "/n/hill/briefings/subscription", {})
    assert "Select yes if you want to get briefings" in response.get_data(as_text=True)
    response = submit(client, "/n/hill/briefings/subscription", {"receive": "yes"})
    assert response.status_code == 302
    assert [u.id for u in recipients(area.id)] == [member.id, officer.id]
    auth.sign_out()
    auth.sign_in(officer.email)
    submit(client, "/n/hill/briefings/subscription", {"receive": "no"})
    assert [u.id for u in recipients(area.id)] == [member.id]
    assert sorted(m.to[0] for m in send_briefing(area)) == [member.email]


def test_what_staff_and_residents_typed_is_escaped_in_email_and_archive(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill", disclosure_threshold=1)
    officer = staff(area, "officer")
    survey = survey_with_questions(area)
    survey.title = '<script>alert("x")</script> survey'
    single = survey.questions[0]
    single.options[0].label = "<img src=x onerror=alert(1)>"
    submit_response(survey, {single.id: single.options[0].id})
    db.session.commit()
    (message,) = send_briefing(area)
    html, _ = message.alternatives[0]
    auth.sign_in(officer.email)
    briefing_id = db.session.scalar(select(Delivery.briefing_id))
    page = client.get(f"/n/hill/briefings/{briefing_id}").get_data(as_text=True)
    for markup in (html, page):
        assert "<script>alert" not in markup and "<img src=x" not in markup
        assert "&lt;script&gt;" in markup and "&lt;img src=x" in markup
    assert '<script>alert("x")</script> survey' in message.body  # plain text stays as typed
