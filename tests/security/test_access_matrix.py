"""Every route × every kind of person, against the policy in ``policy.py``.

Objects exist in two neighbourhoods (``a`` and ``b``); people are: anonymous, a resident (an
account with no role), a member and an officer of ``a``, a member of ``b``, and an admin.
Routes are found by walking ``app.url_map``, so a new route without a policy fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.security.conftest import PEOPLE, World, build_url, client_for, csrf_token, routes
from tests.security.policy import CSRF_EXEMPT, ROUTE_POLICY

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")

# Who gets in (2xx or 3xx that is not the sign-in page) under each policy.
ALLOWED: dict[str, set[str]] = {
    "public": set(PEOPLE),
    "signed_in": set(PEOPLE) - {"anonymous"},
    "staff": {"member_a", "officer_a", "admin"},
    "member": {"member_a", "admin"},
    "admin": {"admin"},
    "token": set(),
    "staff_anywhere": {"member_a", "officer_a", "member_b", "admin"},
    "api_token": set(),
}


def got_in(response: Any) -> bool:
    """Let in: the page, a redirect that is not to sign-in, or the form refusing the input
    (which only someone allowed to use the form gets to see)."""
    if response.status_code == 400 and "There is a problem" in response.get_data(as_text=True):
        return True
    if response.status_code >= 400:
        return False
    location = response.headers.get("Location", "")
    return "/sign-in" not in location


def test_every_route_has_a_policy(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    missing = sorted(endpoints - ROUTE_POLICY.keys())
    assert not missing, f"routes without an access policy in tests/security/policy.py: {missing}"


@pytest.mark.parametrize("person", PEOPLE)
def test_access_matrix(app: Flask, world: World, person: str) -> None:
    client = client_for(app, person, world)
    wrong: list[str] = []
    for endpoint, rule, methods in routes(app):
        policy = ROUTE_POLICY[endpoint]
        url = build_url(rule, world.values)
        expected = person in ALLOWED[policy]
        if "GET" in methods:
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf_token(client, person)})
        response.close()  # static files are streamed from an open file
        missing = [h for h in SECURITY_HEADERS if h not in response.headers]
        assert not missing, f"{url} answered {person} without {missing}"
        if person != "anonymous" and endpoint != "auth.sign_out":
            # Signed in: nothing shown to them stays in a shared computer's cache.
            assert response.headers.get("Cache-Control") == "no-store", (url, person)
        if got_in(response) != expected:
            wrong.append(f"{sorted(methods)} {url} ({policy}): {response.status_code}")
        if not expected and response.status_code < 400:
            # Refused people are sent to sign in, never shown the page.
            assert "/sign-in" in response.headers.get("Location", ""), url
        client = client_for(app, person, world) if endpoint == "auth.sign_out" else client
    assert not wrong, f"{person} got the wrong answer from: " + "; ".join(wrong)


def test_staff_of_another_neighbourhood_get_not_found(app: Flask, world: World) -> None:
    client = client_for(app, "member_b", world)
    for endpoint, rule, methods in routes(app):
        if ROUTE_POLICY[endpoint] in {"staff", "member"} and "GET" in methods:
            url = build_url(rule, world.values)
            assert client.get(url).status_code == 404, url


def test_every_state_changing_route_needs_a_csrf_token(app: Flask, world: World) -> None:
    client = client_for(app, "admin", world)
    checked = 0
    for endpoint, rule, methods in routes(app):
        if not methods & {"POST", "PUT", "PATCH", "DELETE"} or endpoint in CSRF_EXEMPT:
            continue
        url = build_url(rule, world.values)
        for method in sorted(methods & {"POST", "PUT", "PATCH", "DELETE"}):
            response = client.open(url, method=method, data={"anything": "x"})
            assert response.status_code == 400, f"{method} {url} accepted a request without CSRF"
            wrong = client.open(url, method=method, data={"csrf_token": "forged"})
            assert wrong.status_code == 400, f"{method} {url} accepted a forged CSRF token"
            checked += 1
    assert checked >= 5


def test_only_token_authenticated_routes_skip_csrf(app: Flask) -> None:
    csrf = app.extensions["csrf"]
    exempt_endpoints = set()
    for endpoint, view in app.view_functions.items():
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
            exempt_endpoints.add(endpoint)
    assert exempt_endpoints <= CSRF_EXEMPT
    assert not csrf._exempt_blueprints
