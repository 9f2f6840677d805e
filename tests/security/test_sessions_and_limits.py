"""Sessions end when they should; rate limits hold across processes through Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from consult.auth.services import set_password
from consult.extensions import db
from tests.conftest import AuthActions, csrf_from, make_app, migrate_once
from tests.factories import UserFactory
from tests.services import need, redis_url


def test_cookie_copied_before_a_password_change_stops_working(
    app: Flask, auth: AuthActions
) -> None:
    user = UserFactory(email="vol@example.org")
    auth.sign_in("vol@example.org")
    stolen = auth.client.get_cookie("session").value
    set_password(user, "a brand new long password")
    db.session.commit()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account").status_code == 302


@pytest.fixture
def redis_limited_apps(tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two app instances (as two gunicorn workers would be) sharing Redis for rate limits."""
    need("redis")
    url = redis_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    database = f"sqlite:///{tmp_path / 'limits.db'}"
    apps = tuple(
        make_app(database, tmp_path / "instance", RATELIMIT_STORAGE_URI=url,
                 SIGN_IN_RATE_LIMIT="4 per minute")
        for _ in range(2)
    )  # fmt: skip
    migrate_once(apps[0], database)
    yield apps  # type: ignore[misc]
    client.flushdb()
    client.close()


def test_sign_in_limit_is_shared_through_redis(redis_limited_apps: tuple[Flask, Flask]) -> None:
    first, second = redis_limited_apps
    codes = []
    for app in (first, second, first, second, first):
        client = app.test_client()
        with app.app_context():
            token = csrf_from(client.get("/sign-in").get_data(as_text=True))
            response = client.post(
                "/sign-in", data={"csrf_token": token, "email": "x@example.org", "password": "no"}
            )
        codes.append(response.status_code)
    assert codes == [200, 200, 200, 200, 429]
