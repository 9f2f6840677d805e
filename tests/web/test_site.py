"""Site-wide behaviour: health checks, security headers, the schema matching the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import Client

from consult.core.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, SecurityHeaders
from consult.extensions import db


def test_health_and_readiness(app: Flask, client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_readiness_reports_an_unreachable_broker(app: Flask, client: FlaskClient) -> None:
    celery_app = app.extensions["celery"]
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["broker"] == "unreachable"


def test_every_page_carries_security_headers(app: Flask, client: FlaskClient) -> None:
    for url in ("/", "/sign-in", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_a_security_header_the_app_sets_itself_is_kept() -> None:
    """The middleware adds only what a response lacks: never a second, contradicting value."""

    def own_frame_option(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("x-frame-options", "SAMEORIGIN")])
        return [b""]

    client = Client(SecurityHeaders(own_frame_option, list(SECURITY_HEADERS)))
    headers = client.get("/").headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script(app: Flask, client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert "<script>" not in page and "onclick" not in page


def test_not_found_page_is_plain_english(app: Flask, client: FlaskClient) -> None:
    response = client.get("/n/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_oversized_request_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_migrations_match_the_models(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
