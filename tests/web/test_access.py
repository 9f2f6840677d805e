"""Roles are per neighbourhood: a member of A can see nothing of B's staff pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.briefings.models import Briefing
from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from tests.conftest import AuthActions, csrf_from
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions


@pytest.fixture
def areas(app: Flask) -> dict:
    a, b = NeighbourhoodFactory(slug="a"), NeighbourhoodFactory(slug="b")
    survey_b = survey_with_questions(b)
    briefing_b = request_briefing(b)
    build_briefing(briefing_b.id)
    db.session.commit()
    return {"a": a, "b": b, "survey_b": survey_b.id, "briefing_b": briefing_b.id}


def staff_urls(areas: dict, slug: str) -> list[str]:
    """B's survey results and briefing, reached through neighbourhood ``slug``."""
    return [
        f"/n/{slug}/surveys/",
        f"/n/{slug}/surveys/{areas['survey_b']}/results",
        f"/n/{slug}/briefings/",
        f"/n/{slug}/briefings/{areas['briefing_b']}",
    ]


@pytest.mark.parametrize("role", ["member", "officer"])
def test_staff_of_a_are_refused_b(
    app: Flask, client: FlaskClient, auth: AuthActions, areas: dict, role: str
) -> None:
    user = staff(areas["a"], role)
    auth.sign_in(user.email)
    for url in staff_urls(areas, "b"):
        assert client.get(url).status_code == 404, url
    # B's objects through A's address are not found either.
    for url in staff_urls(areas, "a")[1:2] + staff_urls(areas, "a")[3:]:
        assert client.get(url).status_code == 404, url
    token = csrf_from(client.get("/n/a/briefings/").get_data(as_text=True))
    before = db.session.scalar(select(func.count(Briefing.id)))
    assert client.post("/n/b/briefings/send", data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(select(func.count(Briefing.id))) == before


@pytest.mark.parametrize("role", ["member", "officer"])
def test_staff_of_b_see_b(
    app: Flask, client: FlaskClient, auth: AuthActions, areas: dict, role: str
) -> None:
    user = staff(areas["b"], role)
    auth.sign_in(user.email)
    for url in staff_urls(areas, "b"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"


def test_admin_sees_every_neighbourhood(
    app: Flask, client: FlaskClient, auth: AuthActions, areas: dict
) -> None:
    UserFactory(email="admin@example.org", is_admin=True)
    auth.sign_in("admin@example.org")
    for url in staff_urls(areas, "b"):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in(
    app: Flask, client: FlaskClient, areas: dict
) -> None:
    for url in staff_urls(areas, "b"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/sign-in?next=")


def test_person_without_a_role_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, areas: dict
) -> None:
    UserFactory(email="nobody@example.org")
    auth.sign_in("nobody@example.org")
    for url in staff_urls(areas, "b"):
        assert client.get(url).status_code == 404, url
