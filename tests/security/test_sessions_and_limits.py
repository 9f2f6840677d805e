"""Sessions end when they should; rate limits hold across processes through Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from consult.auth.services import set_password
from consult.extensions import db
from tests.conftest import AuthActions, csrf_from, make_app, migrate_once
from tests.factories import PASSWORD, NeighbourhoodFactory, UserFactory, survey_with_questions
from tests.services import need, redis_url
from tests.survey_steps import base_url


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


def sign_in_remembered(app: Flask, auth: AuthActions) -> str:
    """Sign in with "Remember me"; the remember-me cookie's value."""
    UserFactory(email="vol@example.org")
    page = auth.client.get("/sign-in")
    auth.client.post("/sign-in", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "email": "vol@example.org",
        "password": PASSWORD, "remember": "y",
    })  # fmt: skip
    cookie = auth.client.get_cookie("remember_token")
    assert cookie is not None
    return cookie.value


def test_remember_me_keeps_a_person_signed_in_page_after_page(
    app: Flask, auth: AuthActions
) -> None:
    """The browser comes back after its session ended, with only the remember-me cookie (and
    after a page with a form has put a CSRF token in a new session)."""
    remembered = sign_in_remembered(app, auth)
    browser = app.test_client()
    browser.set_cookie("remember_token", remembered)
    browser.get("/sign-in")
    pages = [browser.get("/account") for _ in range(3)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert {page.headers["Cache-Control"] for page in pages} == {"no-store"}
    assert browser.get_cookie("remember_token") is not None


def test_a_remembered_person_is_signed_in_on_a_page_kept_for_residents(
    app: Flask, auth: AuthActions
) -> None:
    """A survey's first page is kept as residents see it (consult.surveys.blank); the
    remember-me cookie alone, with no session, still makes it the signed-in person's own."""
    remembered = sign_in_remembered(app, auth)
    url = f"{base_url(survey_with_questions(NeighbourhoodFactory()))}/sections/1"
    db.session.remove()
    assert "Sign out" not in app.test_client().get(url).get_data(as_text=True)  # now kept
    browser = app.test_client()
    browser.set_cookie("remember_token", remembered)
    page = browser.get(url)
    assert "Sign out" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_a_restored_session_is_still_bound_to_its_browser(app: Flask, auth: AuthActions) -> None:
    remembered = sign_in_remembered(app, auth)
    browser = app.test_client()
    browser.set_cookie("remember_token", remembered)
    restored = browser.get("/account")  # the remember-me cookie alone, no session
    assert restored.status_code == 200 and restored.headers["Cache-Control"] == "no-store"
    session_cookie = browser.get_cookie("session")
    assert session_cookie is not None
    thief = app.test_client()  # the session cookie alone, from another browser
    thief.set_cookie("session", session_cookie.value)
    assert thief.get("/account", headers={"User-Agent": "Other/1.0"}).status_code == 302


def test_a_residents_session_is_not_rewritten_on_every_page(
    app: Flask, client: FlaskClient
) -> None:
    """An anonymous session (a CSRF token) is set once; later pages neither rewrite it nor
    send the deletion of a remember-me cookie."""
    first = client.get("/sign-in")
    assert any(c.startswith("session=") for c in first.headers.getlist("Set-Cookie"))
    again = client.get("/sign-in")
    assert again.headers.getlist("Set-Cookie") == []


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


@pytest.mark.parametrize(
    ("page", "extra"),
    [("/sign-in", {"password": "no"}), ("/sign-in/email", {})],
)
def test_the_limit_store_never_holds_a_typed_address(
    redis_limited_apps: tuple[Flask, Flask], page: str, extra: dict[str, str]
) -> None:
    """Limits per email address are kept under the address's digest, not the address."""
    app = redis_limited_apps[0]
    client = app.test_client()
    with app.app_context():
        token = csrf_from(client.get(page).get_data(as_text=True))
        client.post(
            page, data={"csrf_token": token, "email": "Canary.Resident@Example.org", **extra}
        )
    store = redis.Redis.from_url(redis_url())
    keys = [key.decode() for key in store.scan_iter("*")]
    store.close()
    assert keys, "nothing was counted"
    assert not [key for key in keys if "canary" in key.lower() or "@" in key], keys


def test_reads_are_counted_only_where_a_limit_covers_them(app: Flask) -> None:
    """Flask-Limiter's bookkeeping is skipped for reads of views limited only on POST (a
    survey page), never for the API's reads, which have a limit of their own."""
    from flask_limiter.util import get_qualified_name

    from consult.api import views as api_views
    from consult.extensions import limiter
    from consult.surveys import views as survey_views

    assert get_qualified_name(api_views.surveys) in limiter.limiting_reads
    assert get_qualified_name(survey_views.section) not in limiter.limiting_reads
    app.config["SUBMIT_RATE_LIMIT"] = "2 per minute"
    app.config["API_RATE_LIMIT"] = "2 per minute"
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    client = app.test_client()
    page = f"/n/hill/surveys/{survey.id}/sections/1"
    assert [client.get(page).status_code for _ in range(4)] == [200] * 4
    token = csrf_from(client.get(page).get_data(as_text=True))
    sent = [client.post(page, data={"csrf_token": token}).status_code for _ in range(3)]
    assert sent == [200, 200, 429]
    api = "/api/v1/neighbourhoods/hill/surveys"
    assert [client.get(api).status_code for _ in range(3)] == [200, 200, 429]


def test_limits_set_outside_views_still_hold(tmp_path: Path) -> None:
    """The pass before views (skipped while consult sets no limits outside views) runs once
    such a limit is set: an application-wide limit counts reads of the sign-in page (whose own
    limit is on sending it) and stops the attempt after them, although that page's own limit
    would allow it."""
    from consult.extensions import limiter

    database = f"sqlite:///{tmp_path / 'application-limit.db'}"
    app = make_app(database, tmp_path / "instance", RATELIMIT_APPLICATION="3 per minute",
                   SIGN_IN_RATE_LIMIT="100 per minute")  # fmt: skip
    try:
        migrate_once(app, database)
        client = app.test_client()
        with app.app_context():
            token = csrf_from(client.get("/sign-in").get_data(as_text=True))
            read = client.get("/sign-in").status_code
            data = {"csrf_token": token, "email": "x@example.org", "password": "no"}
            codes = [client.post("/sign-in", data=data).status_code for _ in range(2)]
    finally:
        # The limiter is one object for every app in the process: the next app must not
        # inherit this app's limit.
        limiter.limit_manager.set_application_limits([])
    assert (read, codes) == (200, [200, 429])


def test_session_cookies_are_those_flask_signs(app: Flask) -> None:
    """consult's session interface (built once, OpenSSL's SHA-1) reads and writes the very
    cookies Flask's own does, so a deployment signs nobody out; a key moved to the fallbacks
    still opens the cookies it signed."""
    from flask.sessions import SecureCookieSessionInterface

    from consult.core.sessions import ConsultSessionInterface

    ours, flasks = ConsultSessionInterface(), SecureCookieSessionInterface()
    data = {"csrf_token": "abc", "survey_drafts": {"7": "token"}}
    with app.test_request_context():
        mine = ours.get_signing_serializer(app)
        theirs = flasks.get_signing_serializer(app)
        assert mine is not None and theirs is not None
        assert mine.loads(theirs.dumps(data)) == data
        assert theirs.loads(mine.dumps(data)) == data
        assert ours.get_signing_serializer(app) is mine  # built once
        # Flask compresses what shrinks (a leading "."); consult writes it plain, reads both.
        repetitive = {"note": "the same words " * 20}
        assert theirs.dumps(repetitive).startswith(".")
        assert not mine.dumps(repetitive).startswith(".")
        assert mine.loads(theirs.dumps(repetitive)) == repetitive
        assert theirs.loads(mine.dumps(repetitive)) == repetitive
        signed = mine.dumps(data)
        app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
        app.secret_key = "a new key"
        rotated = ours.get_signing_serializer(app)
        assert rotated is not None and rotated is not mine
        assert rotated.loads(signed) == data
