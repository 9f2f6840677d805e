"""Attacks a real adversary tries: script injection, forged Host headers, weak cookies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult import create_app
from consult.auth.services import create_invitation
from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from consult.mail.invitations import send_invitation
from consult.neighbourhoods.models import Role
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, csrf_from
from tests.factories import (
    PASSWORD,
    NeighbourhoodFactory,
    UserFactory,
    staff,
    survey_with_questions,
)

XSS_CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "\u202e<script>evil()</script>",
    "{{ 7*7 }}<b>{% raw %}",
]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_user_text_is_escaped_in_pages_and_emails(
    app: Flask, client: FlaskClient, auth: AuthActions, payload: str
) -> None:
    area = NeighbourhoodFactory(slug="x", name=f"Area {payload}", description=payload)
    survey = survey_with_questions(area)
    survey.title = f"Survey {payload}"
    survey.questions[0].text = f"Question {payload}"
    survey.questions[0].options[0].label = f"Option {payload}"
    db.session.commit()
    single, _, scale, free = survey.questions
    submit_response(
        survey,
        {
            single.id: str(single.options[0].id),
            scale.id: str(scale.options[0].id),
            free.id: payload,
        },
    )
    officer = staff(area, "officer")
    officer.display_name = payload
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    auth.sign_in(officer.email)
    pages = [
        "/",
        "/n/x/",
        f"/n/x/surveys/{survey.id}",
        "/n/x/surveys/",
        f"/n/x/surveys/{survey.id}/results",
        "/n/x/briefings/",
        f"/n/x/briefings/{briefing.id}",
        "/account",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert_escaped(html, payload, url)
    assert_escaped(briefing.edition().html_body, payload, "briefing email HTML")
    assert "{{" not in briefing.edition().text_body.replace(
        payload, ""
    )  # no template ran on user text


def assert_escaped(html: str, payload: str, where: str) -> None:
    """The payload appears only escaped: never as markup, never as a link, never evaluated."""
    if any(ch in payload for ch in "<>\"'"):
        assert payload not in html, f"{payload!r} unescaped in {where}"
    assert 'href="javascript:' not in html, f"javascript: link in {where}"
    if "{{ 7*7 }}" in payload:
        assert "Area 49" not in html and "Survey 49" not in html, f"template ran in {where}"


def test_a_forged_host_never_reaches_a_link_in_an_email(app: Flask) -> None:
    area = NeighbourhoodFactory(slug="hill")
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    with app.test_request_context("/n/hill/people", base_url="http://evil.example", headers=forged):
        new = create_invitation(area, "new@example.org", Role.MEMBER, None)
        db.session.commit()
        send_invitation(new)
    message = app.extensions["mailman"].outbox[-1]
    body = message.body + message.alternatives[0][0]
    assert "evil.example" not in body
    assert "https://consult.example/invitations/" in body


def production_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Flask:
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/14")
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    return create_app(
        "production", {"INSTANCE_PATH": tmp_path, "RATELIMIT_STORAGE_URI": "memory://"}
    )


def test_production_cookies_and_headers(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    app = production_app(monkeypatch, tmp_path)
    with app.app_context():
        db.create_all()
        UserFactory(email="vol@example.org")
        client = app.test_client()
        page = client.get("/sign-in", base_url="https://consult.example")
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        signed_in = client.post(
            "/sign-in",
            base_url="https://consult.example",
            data={
                "csrf_token": csrf_from(page.get_data(as_text=True)),
                "email": "vol@example.org",
                "password": PASSWORD,
                "remember": "y",
            },
            headers={"Referer": "https://consult.example/sign-in"},
        )
        db.session.remove()
    assert signed_in.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in signed_in.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = cookies[name].lower()
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, name
    expires = cookies["remember_token"].split("Expires=")[1].split(";")[0]
    lasts = parsedate_to_datetime(expires) - datetime.now(UTC)
    assert lasts <= timedelta(days=30, minutes=1)
