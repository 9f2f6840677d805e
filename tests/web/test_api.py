"""The read API: personal tokens from create to revoke, results with the page's suppression,
JSON errors, rate limits and the OpenAPI document."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.api.serialise import results_json
from consult.api.tokens import create_token
from consult.auth.models import User
from consult.core.security import token_digest
from consult.extensions import db
from consult.neighbourhoods.models import Membership
from consult.surveys.results import survey_results
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions
from tests.results_data import K, results_survey

SECRET_RE = re.compile(r'<code class="consult-token">([^<]+)</code>')


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_secret(user: User, name: str = "Dashboard") -> str:
    secret = create_token(user, name).secret
    db.session.commit()
    return secret


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"]["status"] == status
    return body


def test_token_lifecycle_create_use_revoke(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    survey = results_survey()
    officer = staff(survey.neighbourhood, "officer")
    auth.sign_in(officer.email)
    assert "API tokens" in client.get("/account").get_data(as_text=True)
    created = submit(client, "/account/api-tokens", {"name": "Council dashboard"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and "Token created" in html
    secret = SECRET_RE.search(html).group(1)
    token = db.session.scalar(select(ApiToken))
    # Stored hashed, named; shown once only.
    assert token.token_hash == token_digest(secret) and secret not in token.token_hash
    assert token.name == "Council dashboard" and token.last_used_at is None
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Council dashboard" in listing and secret not in listing and "Never" in listing

    api = app.test_client()  # no cookies: the token alone
    used = api.get(f"/api/v1/surveys/{survey.id}/results", headers=bearer(secret))
    assert used.status_code == 200 and used.get_json()["threshold"] == K
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert "Never" not in client.get("/account/api-tokens").get_data(as_text=True)

    revoked = submit(
        client, "/account/api-tokens/revoke", {"token_id": str(token.id)}, "/account/api-tokens"
    )
    assert revoked.status_code == 302
    after = api.get(f"/api/v1/surveys/{survey.id}/results", headers=bearer(secret))
    assert_json_error(after, 401)
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    flashed = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Revoked “Council dashboard”" in flashed and "You have no tokens." in flashed


def test_a_token_stops_when_its_owner_loses_their_role(app: Flask, client: FlaskClient) -> None:
    survey = results_survey()
    member = staff(survey.neighbourhood, "member")
    secret = new_secret(member)
    url = f"/api/v1/surveys/{survey.id}/results"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    for membership in db.session.scalars(select(Membership)).all():
        db.session.delete(membership)
    db.session.commit()
    body = assert_json_error(client.get(url, headers=bearer(secret)), 403)
    assert "no longer has a role" in body["error"]["message"]
    member.active = False
    db.session.commit()
    assert_json_error(client.get(url, headers=bearer(secret)), 401)


def test_a_token_sees_only_its_owners_neighbourhoods(app: Flask, client: FlaskClient) -> None:
    survey = results_survey()
    elsewhere = staff(NeighbourhoodFactory(slug="elsewhere"), "member")
    admin = UserFactory(is_admin=True)
    url = f"/api/v1/surveys/{survey.id}/results"
    assert_json_error(client.get(url, headers=bearer(new_secret(elsewhere))), 404)
    assert client.get(url, headers=bearer(new_secret(admin))).status_code == 200
    missing = "/api/v1/surveys/999999/results"
    assert_json_error(client.get(missing, headers=bearer(new_secret(admin, "x"))), 404)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer consult_not-a-real-token", "x" * 300],
)
def test_results_need_a_valid_token_and_a_session_is_not_one(
    app: Flask, client: FlaskClient, auth: AuthActions, header: str | None
) -> None:
    survey = results_survey()
    auth.sign_in(staff(survey.neighbourhood, "officer").email)  # a session cookie opens nothing
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(f"/api/v1/surveys/{survey.id}/results", headers=headers)
    body = assert_json_error(response, 401)
    assert body["error"]["code"] == "unauthorised"


def test_api_results_are_the_pages_numbers_with_suppressed_markers(
    app: Flask, client: FlaskClient
) -> None:
    survey = results_survey()
    secret = new_secret(staff(survey.neighbourhood, "officer"))
    body = client.get(f"/api/v1/surveys/{survey.id}/results", headers=bearer(secret)).get_json()
    assert body == json.loads(json.dumps(results_json(survey_results(survey))))
    assert body["threshold"] == K and str(K) in body["suppression_rule"]
    assert body["responses"]["total"] == {"count": 12, "suppressed": False}
    single = body["questions"][0]
    options = {o["label"]: o for o in single["options"]}
    assert options["Daily"]["count"] == 6 and options["Daily"]["percent"] == {
        "value": 50.0,
        "suppressed": False,
    }
    assert options["Never"]["count"] is None and options["Never"]["suppressed"] is True
    assert options["Never"]["percent"] == {"value": None, "suppressed": True}
    assert body["questions"][2]["mean"] == {"value": 2.58, "suppressed": False}
    assert body["questions"][4]["number"]["median"] == {"value": 6.5, "suppressed": False}
    assert [d["suppressed"] for d in body["responses"]["by_day"]] == [True, True]

    def counts(data: Any) -> list[int]:
        if isinstance(data, dict):
            found = [data["count"]] if isinstance(data.get("count"), int) else []
            return found + [c for v in data.values() for c in counts(v)]
        if isinstance(data, list):
            return [c for v in data for c in counts(v)]
        return []

    assert counts(body) and not [c for c in counts(body) if 0 < c < K]


def test_published_surveys_are_listed_to_anyone(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="pub")
    open_survey = survey_with_questions(area, status="open")
    closed = survey_with_questions(area, status="closed")
    survey_with_questions(area, status="draft")
    response = client.get("/api/v1/neighbourhoods/pub/surveys")
    assert response.status_code == 200 and response.mimetype == "application/json"
    listed = response.get_json()["surveys"]
    assert [(s["id"], s["status"]) for s in listed] == [
        (open_survey.id, "open"),
        (closed.id, "closed"),
    ]
    assert listed[0]["results"] == f"/api/v1/surveys/{open_survey.id}/results"
    assert "count" not in json.dumps(listed)  # no numbers without a token
    assert_json_error(client.get("/api/v1/neighbourhoods/nowhere/surveys"), 404)


def test_errors_are_json_not_html(app: Flask, client: FlaskClient) -> None:
    assert_json_error(client.get("/api/v1/no-such-thing"), 404)
    assert_json_error(client.get("/api/v1/surveys/not-a-number/results"), 404)
    assert_json_error(client.post("/api/v1/openapi.json"), 405)
    assert client.get("/no-such-page").mimetype == "text/html"  # pages stay pages


def test_the_api_is_rate_limited_with_a_json_429(app: Flask, client: FlaskClient) -> None:
    app.config["API_RATE_LIMIT"] = "3 per minute"
    NeighbourhoodFactory(slug="lim")
    answers = [client.get("/api/v1/neighbourhoods/lim/surveys") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert_json_error(answers[3], 429)
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60


def test_json_holds_no_raw_markup_and_is_not_sniffed(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="x", name="<b>Area</b>")
    survey = survey_with_questions(area)
    survey.title = "</script><script>alert(1)</script> & \u202e"
    db.session.commit()
    response = client.get("/api/v1/neighbourhoods/x/surveys")
    body = response.get_data(as_text=True)
    assert "<" not in body and ">" not in body and "&" not in body and "\u202e" not in body
    assert "\\u003c/script\\u003e" in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["surveys"][0]["title"] == survey.title


def api_rules(app: Flask) -> set[str]:
    """The app's /api/v1 routes in OpenAPI's spelling: <int:survey_id> becomes {survey_id}."""
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    return {re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", r.removeprefix("/api/v1")) for r in rules}


def test_openapi_document_matches_the_routes(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    document = response.get_json()
    assert response.status_code == 200 and document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api/v1"}]
    assert set(document["paths"]) == api_rules(app)
    for path, operations in document["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, path
            for answer in operation["responses"].values():
                ref = answer["content"]["application/json"]["schema"].get("$ref", "")
                assert not ref or ref.split("/")[-1] in document["components"]["schemas"]
    results = document["paths"]["/surveys/{survey_id}/results"]["get"]
    assert results["security"] == [{"bearerToken": []}]
    assert {"401", "403", "404", "429"} <= set(results["responses"])
