"""Download your data: everything consult holds about a person, as JSON and as a web page."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.auth.models import Invitation, SignInLink, User
from consult.extensions import db
from consult.rights.export import EXCLUDED, PARTS, covered_columns
from consult.rights.models import AccountDeletionRequest
from tests.conftest import AuthActions
from tests.factories import MembershipFactory, NeighbourhoodFactory, UserFactory
from tests.rights_factories import MARKERS, columns_about_people, one_of_everything, rows_about


def test_every_column_about_people_is_exported_or_excluded_with_a_reason(app: Flask) -> None:
    about_people = {(table, column.name) for table, column in columns_about_people()}
    assert about_people, "the walk found no columns about people"
    missing = sorted(about_people - covered_columns())
    assert not missing, f"add these to a Part in consult/rights/export.py or EXCLUDED: {missing}"
    assert all(reason.strip() for reason in EXCLUDED.values())
    stale = sorted(covered_columns() - about_people)
    assert not stale, f"export covers columns that no longer exist or point at nobody: {stale}"


def _person_with_everything() -> User:
    area = NeighbourhoodFactory(name="Hillside")
    person = UserFactory(email="kept.person@example.org", display_name="Kept Person")
    MembershipFactory(user=person, neighbourhood=area, role="member")
    one_of_everything(person, area)
    return person


def test_download_holds_one_of_everything(app: Flask, client: FlaskClient) -> None:
    person = _person_with_everything()
    # The fixture really does give the person a row through every column about people, so a
    # new table pointing at accounts fails here until the fixture, and the export, cover it.
    empty = [
        f"{table}.{column.name}"
        for table, column in columns_about_people()
        if rows_about(person.id, person.email, column) == 0
    ]
    assert not empty, f"tests/rights_factories.py makes no row through: {empty}"

    AuthActions(client).sign_in(person.email)
    response = client.get("/account/data/download.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert re.fullmatch(
        r'attachment; filename="consult-your-data-\d{4}-\d{2}-\d{2}\.json"',
        response.headers["Content-Disposition"],
    )
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "kept.person@example.org"
    assert data["account"]["display_name"] == "Kept Person"
    assert "anonymous" in data["survey_answers"]
    for part in PARTS:
        assert data[part.key], f"{part.key} is empty in the download"
    text = json.dumps(data)
    for key, marker in MARKERS.items():
        assert marker in text, f"{key}: {marker!r} missing"
    assert data["roles"] == [
        {"neighbourhood": "Hillside", "role": "member", "since": data["roles"][0]["since"]}
    ]
    assert data["supports"][0]["email_me_when_its_status_changes"] is True
    # Whom they invited is the invitee's data, not theirs.
    assert "invitee@example.org" not in text


def test_download_leaves_out_secrets(app: Flask, client: FlaskClient) -> None:
    person = _person_with_everything()
    secrets = [person.password_hash]
    secrets += db.session.scalars(select(Invitation.token_hash)).all()
    secrets += db.session.scalars(select(SignInLink.token_hash)).all()
    secrets += db.session.scalars(select(AccountDeletionRequest.token_hash)).all()
    AuthActions(client).sign_in(person.email)
    for url in ("/account/data/download.json", "/account/data/download.html"):
        body = client.get(url).get_data(as_text=True)
        assert all(secret not in body for secret in secrets), url
        assert "password_hash" not in body and "token_hash" not in body


def test_web_page_download_is_readable_and_self_contained(app: Flask, client: FlaskClient) -> None:
    person = _person_with_everything()
    AuthActions(client).sign_in(person.email)
    response = client.get("/account/data/download.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    html = response.get_data(as_text=True)
    for part in PARTS:
        assert f"<h2>{part.title}</h2>" in html
    for marker in MARKERS.values():
        assert marker in html
    assert "Your survey answers are not in this file" in html
    # Nothing is fetched from anywhere when the file is opened.
    for external in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        assert external not in html, external


def test_downloads_escape_what_people_typed(app: Flask, client: FlaskClient) -> None:
    person = UserFactory(display_name="<script>alert(1)</script>")
    AuthActions(client).sign_in(person.email)
    html = client.get("/account/data/download.html").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_page_explains_what_is_in_the_download(app: Flask, client: FlaskClient) -> None:
    person = UserFactory()
    AuthActions(client).sign_in(person.email)
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in account and 'href="/account/delete"' in account
    page = client.get("/account/data").get_data(as_text=True)
    assert "Survey answers are anonymous" in page
    assert "/account/data/download.json" in page and "/account/data/download.html" in page


def test_signed_out_people_are_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    response = client.get("/account/data/download.json")
    assert response.status_code == 302 and "/sign-in" in response.location
