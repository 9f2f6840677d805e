"""Residents sign in with a one-time link sent by email, and choose a display name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.auth.models import SignInLink, User
from consult.core.time import utcnow
from consult.extensions import db
from tests.conftest import csrf_from, submit
from tests.factories import UserFactory
from tests.idea_factories import link_from_last_email, sent_mail, sign_in_by_link


def test_first_sign_in_creates_a_resident_who_chooses_a_name(
    app: Flask, client: FlaskClient
) -> None:
    response = submit(client, "/sign-in/email", {"email": " New.Person@Example.org "})
    assert response.status_code == 302 and response.location == "/sign-in/email/sent"
    assert "Check your email" in client.get(response.location).get_data(as_text=True)
    message = sent_mail(app)[-1]
    assert message.to == ["new.person@example.org"]
    assert "works once" in message.body
    html = message.alternatives[0][0]
    assert "https://consult.example/sign-in/link/" in html
    link = link_from_last_email(app)

    # Opening the link only shows a button, so mail scanners cannot spend it.
    opened = client.get(link)
    assert opened.status_code == 200 and "Sign in" in opened.get_data(as_text=True)
    assert db.session.scalar(select(SignInLink)).used_at is None
    assert client.get("/account").status_code == 302

    response = submit(client, link, {})
    assert response.status_code == 302 and response.location.startswith("/account/name")
    named = submit(client, response.location, {"display_name": "  Sam  "})
    assert named.status_code == 302
    account = client.get("/account").get_data(as_text=True)
    assert "Signed in as Sam" in account
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.password_hash is None and user.memberships == [] and not user.is_admin


def test_only_a_hash_of_the_token_is_stored(app: Flask, client: FlaskClient) -> None:
    submit(client, "/sign-in/email", {"email": "a@example.org"})
    token = link_from_last_email(app).rsplit("/", 1)[1]
    stored = db.session.scalar(select(SignInLink))
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at - stored.created_at == timedelta(minutes=15)


def test_same_page_whether_or_not_the_email_is_known(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="staff@example.org")  # has a password
    UserFactory(email="known@example.org", password_hash=None)
    pages = []
    for email in ("staff@example.org", "known@example.org", "unknown@example.org"):
        response = submit(client, "/sign-in/email", {"email": email}, follow_redirects=True)
        pages.append(response.get_data(as_text=True).replace(csrf_from_or_empty(response), ""))
    assert pages[0] == pages[1] == pages[2]
    # Staff are told to use their password; no link is made for them.
    assert [m.to for m in sent_mail(app)] == [
        ["staff@example.org"],
        ["known@example.org"],
        ["unknown@example.org"],
    ]
    assert "/sign-in/link/" not in sent_mail(app)[0].body
    assert "password" in sent_mail(app)[0].body
    assert db.session.scalar(select(func.count(SignInLink.id))) == 2


def csrf_from_or_empty(response: object) -> str:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return csrf_from(html) if 'name="csrf_token"' in html else ""


def test_returning_resident_goes_straight_on(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="back@example.org", password_hash=None, display_name="Jo")
    response = sign_in_by_link(app, client, "back@example.org", next_url="/n/hill/ideas/new")
    assert response.location == "/n/hill/ideas/new"


def test_link_works_only_once(app: Flask, client: FlaskClient) -> None:
    sign_in_by_link(app, client, "once@example.org")
    link = link_from_last_email(app)
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    replay = client.get(link)
    assert replay.status_code == 410
    assert "already been used" in replay.get_data(as_text=True)
    assert submit(client, link, {}, form_url="/sign-in/email").status_code == 410
    assert client.get("/account").status_code == 302


def test_expired_link_is_refused(app: Flask, client: FlaskClient) -> None:
    submit(client, "/sign-in/email", {"email": "late@example.org"})
    link = link_from_last_email(app)
    stored = db.session.scalar(select(SignInLink))
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert client.get("/sign-in/link/made-up-token").status_code == 410
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_staff_account_cannot_use_a_link(app: Flask, client: FlaskClient) -> None:
    """A link asked for before the account got a password cannot sign in to it."""
    submit(client, "/sign-in/email", {"email": "later-staff@example.org"})
    link = link_from_last_email(app)
    UserFactory(email="later-staff@example.org")
    response = submit(client, link, {})
    assert response.status_code == 410
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter an email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("<script>@x", "Enter an email address in the correct format"),
    ],
)
def test_bad_email_is_refused_and_kept(
    app: Flask, client: FlaskClient, email: str, message: str
) -> None:
    response = submit(client, "/sign-in/email", {"email": email})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert "<script>@x" not in page
    if email == "<script>@x":
        assert 'value="&lt;script&gt;@x"' in page
    assert sent_mail(app) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name to show"), ("   ", "Enter a name to show"), ("x" * 61, "60 characters")],
)
def test_display_name_is_checked(app: Flask, client: FlaskClient, name: str, message: str) -> None:
    response = sign_in_by_link(app, client, "n@example.org", name=None)
    page = submit(client, response.location, {"display_name": name}).get_data(as_text=True)
    assert message in page and "There is a problem" in page


def test_links_are_rate_limited_per_email(app: Flask, client: FlaskClient) -> None:
    app.config["SIGN_IN_LINK_RATE_LIMIT"] = "2 per 15 minutes"
    codes = []
    for n in range(3):
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        codes.append(submit(client, "/sign-in/email", {"email": "Target@example.org"}).status_code)
    assert codes == [302, 302, 429]
    assert len(sent_mail(app)) == 2


def test_links_are_rate_limited_per_address(app: Flask, client: FlaskClient) -> None:
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    codes = [
        submit(client, "/sign-in/email", {"email": f"p{n}@example.org"}).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]


def test_next_never_leaves_the_site(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="r@example.org", password_hash=None, display_name="R")
    response = sign_in_by_link(app, client, "r@example.org", next_url="//evil.example")
    assert response.location == "/account"


def test_staff_sign_in_page_points_residents_to_the_link(app: Flask, client: FlaskClient) -> None:
    page = client.get("/sign-in?next=/n/hill/ideas/new").get_data(as_text=True)
    assert "/sign-in/email?next=/n/hill/ideas/new" in page
