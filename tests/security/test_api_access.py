"""The read API's access matrix with personal tokens, and the results XSS corpus in the CSV
files and the API.

Routes with the ``api_token`` policy open to nobody by session cookie (the main matrix checks
that); here each kind of person calls them with their own token, and the ``staff`` rule must
hold: members and officers of that neighbourhood and admins get in, others get 404, and
without a token everyone gets 401. All as JSON.
"""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.api.tokens import create_token
from consult.auth.services import find_user
from consult.extensions import db
from consult.surveys.models import Channel
from consult.surveys.services import store_response
from tests.conftest import AuthActions
from tests.factories import NeighbourhoodFactory, answer_row, staff, survey_with_questions
from tests.security.conftest import World, build_url, routes
from tests.security.policy import ROUTE_POLICY
from tests.security.test_access_matrix import ALLOWED
from tests.security.test_attack import XSS_CORPUS, assert_escaped

TOKEN_HOLDERS = ["member_a", "officer_a", "member_b", "admin"]


def api_token_routes(app: Flask) -> list[str]:
    return [rule for endpoint, rule, _ in routes(app) if ROUTE_POLICY[endpoint] == "api_token"]


def test_every_api_token_route_follows_the_staff_rule_by_token(app: Flask, world: World) -> None:
    urls = [build_url(rule, world.values) for rule in api_token_routes(app)]
    assert urls, "no route has the api_token policy: this test would prove nothing"
    client = app.test_client()
    wrong = []
    for person in TOKEN_HOLDERS:
        secret = create_token(find_user(world.emails[person]), "matrix").secret
        db.session.commit()
        for url in urls:
            response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
            expected = 200 if person in ALLOWED["staff"] else 404
            assert response.mimetype == "application/json", url
            if response.status_code != expected:
                wrong.append(f"{person} {url}: {response.status_code}")
    for url in urls:
        assert client.get(url).status_code == 401, url
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("person", ["anonymous", "resident"])
def test_people_without_a_role_have_no_token_page(app: Flask, world: World, person: str) -> None:
    client = app.test_client()
    if person != "anonymous":
        AuthActions(client).sign_in(world.emails[person])
    response = client.get("/account/api-tokens")
    assert response.status_code == (302 if person == "anonymous" else 404)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_user_text_is_inert_in_results_csv_files_and_api(
    app: Flask, client: FlaskClient, auth: AuthActions, payload: str
) -> None:
    area = NeighbourhoodFactory(slug="x", disclosure_threshold=1)
    survey = survey_with_questions(area)
    single, _, _, free = survey.questions
    single.options[0].label = f"Option {payload}"
    single.text = f"Question {payload}"
    db.session.commit()
    response = store_response(
        survey,
        [
            answer_row(question_id=single.id, option_id=single.options[0].id),
            answer_row(question_id=free.id, text=payload),
        ],
        Channel.EVENT,
    )
    response.event_name = payload
    officer = staff(area, "officer")
    secret = create_token(officer, payload).secret
    db.session.commit()
    auth.sign_in(officer.email)

    for url in (
        f"/n/x/surveys/{survey.id}/results",
        f"/n/x/surveys/{survey.id}/results?by=channel",
        "/account/api-tokens",
    ):
        assert_escaped(client.get(url).get_data(as_text=True), payload, url)

    for url in (f"/n/x/surveys/{survey.id}/responses.csv", f"/n/x/surveys/{survey.id}/results.csv"):
        answer = client.get(url)
        assert answer.mimetype == "text/csv", url  # never rendered as a page
        cells = [c for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], url

    api = app.test_client().get(
        f"/api/v1/surveys/{survey.id}/results", headers={"Authorization": f"Bearer {secret}"}
    )
    body = api.get_data(as_text=True)
    assert api.mimetype == "application/json"
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert not set("<>&\u202e") & set(body), body
    assert api.get_json()["questions"][0]["options"][0]["label"] == f"Option {payload}"
