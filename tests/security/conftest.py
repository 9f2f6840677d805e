"""A small world with objects in two neighbourhoods and six kinds of person, for route walks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from consult.ideas.models import Comment
from consult.surveys.access import generate_codes
from consult.surveys.imports_models import SurveyImport
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, csrf_from
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions
from tests.idea_factories import IdeaFactory

PEOPLE = ["anonymous", "resident", "member_a", "officer_a", "member_b", "admin"]


@dataclass
class World:
    """Values for every URL variable, and each person's sign-in email."""

    values: dict[str, Any]
    emails: dict[str, str]


@pytest.fixture
def world(app: Flask) -> World:
    a, b = NeighbourhoodFactory(slug="a"), NeighbourhoodFactory(slug="b")
    survey = survey_with_questions(a)
    single, _, scale, _ = survey.questions
    submit_response(
        survey, {single.id: str(single.options[0].id), scale.id: str(scale.options[0].id)}
    )
    batch = generate_codes(survey, 2)
    idea = IdeaFactory(neighbourhood=a)
    comment = Comment(idea_id=idea.id, author_id=idea.author_id, body="A comment.")
    db.session.add(comment)
    briefing = request_briefing(a)
    build_briefing(briefing.id)
    survey_import = SurveyImport(survey_id=survey.id, filename="paper.csv", status="refused")
    db.session.add(survey_import)
    db.session.commit()
    emails = {
        "resident": UserFactory().email,
        "member_a": staff(a, "member").email,
        "officer_a": staff(a, "officer").email,
        "member_b": staff(b, "member").email,
        "admin": UserFactory(is_admin=True).email,
    }
    values = {
        "slug": "a",
        "survey_id": survey.id,
        # Survey pages and the builder: the first section and question; moving the first
        # question up and publishing an open survey change nothing.
        "number": 1,
        "section_id": survey.sections[0].id,
        "question_id": survey.questions[0].id,
        "what": "questions",
        "item_id": survey.questions[0].id,
        "change": "up",
        "status_change": "publish",
        "batch": batch,
        "briefing_id": briefing.id,
        # No delivery has failed: "Retry" finds nothing to send again and says so.
        "delivery_id": 1,
        "token": "not-a-real-token",
        "filename": "images/favicon.svg",
        "idea_id": idea.id,
        "comment_id": comment.id,
        "category_id": idea.category_id,
        "code": "pl",
        "import_id": survey_import.id,
        "locale": "pl",
    }
    return World(values, emails)


def routes(app: Flask) -> list[tuple[str, str, set[str]]]:
    """(endpoint, rule, methods) for every route of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        found.append((rule.endpoint, rule.rule, methods))
    return sorted(found)


def build_url(rule: str, values: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        assert name in values, f"add a test value for <{name}> in tests/security/conftest.py"
        return str(values[name])

    return re.sub(r"<([^>]+)>", fill, rule)


def client_for(app: Flask, person: str, world: World) -> FlaskClient:
    client = app.test_client()
    if person != "anonymous":
        response = AuthActions(client).sign_in(world.emails[person])
        assert response.status_code == 302, f"{person} could not sign in"
    return client


def csrf_token(client: FlaskClient, person: str) -> str:
    page = "/sign-in" if person == "anonymous" else "/account"
    return csrf_from(client.get(page).get_data(as_text=True))
