"""Staff sign-in, sign-out and invitations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.auth.models import Invitation, User
from consult.auth.views import GENERIC_SIGN_IN_ERROR
from consult.core.time import utcnow
from consult.extensions import db
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import PASSWORD, NeighbourhoodFactory, UserFactory, staff


def sent_mail(app: Flask) -> list:
    return getattr(app.extensions["mailman"], "outbox", [])


def test_sign_in_and_out(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    user = UserFactory(email="vol@example.org")
    response = auth.sign_in("VOL@example.org ", PASSWORD)
    assert response.status_code == 302 and response.location == "/account"
    page = client.get("/account")
    assert "Signed in as" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert db.session.get(User, user.id).last_signed_in_at is not None
    auth.sign_out()
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("vol@example.org", "wrong password!!"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_email_or_password_gets_one_generic_message(
    app: Flask, auth: AuthActions, email: str, password: str
) -> None:
    UserFactory(email="vol@example.org")
    response = auth.sign_in(email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GENERIC_SIGN_IN_ERROR in page
    assert "There is a problem" in page
    assert f'value="{email}"' in page  # the email typed is kept
    assert PASSWORD not in page and "wrong password!!" not in page


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(app: Flask, client: FlaskClient, target: str) -> None:
    UserFactory(email="vol@example.org")
    response = submit(
        client,
        f"/sign-in?next={target}",
        {"email": "vol@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location == "/account"


def test_next_within_the_site_is_followed(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="vol@example.org")
    response = submit(
        client, "/sign-in?next=/n/x/briefings/", {"email": "vol@example.org", "password": PASSWORD}
    )
    assert response.location == "/n/x/briefings/"


def test_cookie_copied_before_sign_out_stops_working(app: Flask, auth: AuthActions) -> None:
    UserFactory(email="vol@example.org")
    auth.sign_in("vol@example.org", PASSWORD)
    stolen = auth.client.get_cookie("session").value
    auth.sign_out()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account").status_code == 302


def test_sign_in_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    codes = [
        client.post(
            "/sign-in",
            data={"csrf_token": token, "email": "a@example.org", "password": "nope"},
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert "Too many tries" in client.post("/sign-in", data={"csrf_token": token}).get_data(
        as_text=True
    )


def test_sign_out_needs_a_post_with_csrf(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    UserFactory(email="vol@example.org")
    auth.sign_in("vol@example.org", PASSWORD)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/account").status_code == 200


def _invite(app: Flask, client: FlaskClient, auth: AuthActions, email: str, role: str) -> str:
    """An admin invites someone; returns the link from the email."""
    area = NeighbourhoodFactory(slug="hill", name="Hillside")
    UserFactory(email="admin@example.org", is_admin=True)
    auth.sign_in("admin@example.org")
    response = submit(client, "/n/hill/people", {"email": email, "role": role})
    assert response.status_code == 302
    assert area.id
    message = sent_mail(app)[-1]
    assert message.to == [email.lower()]
    link = next(w for w in message.body.split() if "/invitations/" in w)
    assert link.startswith("https://consult.example/invitations/")
    auth.sign_out()
    return link.removeprefix("https://consult.example")


def test_invitation_sets_password_and_role_once(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    path = _invite(app, client, auth, "Officer@Example.org", "officer")
    stored = db.session.scalar(select(Invitation))
    assert path.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is stored
    response = submit(
        client,
        path,
        {
            "display_name": "Olu",
            "password": "a long new password",
            "confirm": "a long new password",
        },
    )
    assert response.status_code == 302 and response.location == "/n/hill/"
    user = db.session.scalar(select(User).where(User.email == "officer@example.org"))
    assert {m.role for m in user.memberships} == {"officer"}
    auth.sign_out()
    assert auth.sign_in("officer@example.org", "a long new password").status_code == 302
    auth.sign_out()
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)


def test_invitation_form_errors_keep_what_was_typed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    path = _invite(app, client, auth, "m@example.org", "member")
    response = submit(
        client, path, {"display_name": "Mo", "password": "short", "confirm": "different"}
    )
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Password must be between 12 and 200 characters" in page
    assert 'value="Mo"' in page


def test_expired_invitation_is_refused(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    path = _invite(app, client, auth, "m@example.org", "member")
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/invitations/not-a-real-token").status_code == 410


def test_only_admins_invite(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = NeighbourhoodFactory()
    member = staff(area, "member")
    auth.sign_in(member.email)
    assert client.get(f"/n/{area.slug}/people").status_code == 404
    assert client.get("/admin/").status_code == 404
