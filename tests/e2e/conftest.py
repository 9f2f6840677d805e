"""A live consult server with the demo data, Chromium, and an axe-core check for every page.

The app runs on a file SQLite database (the server thread and the test share it), migrated and
seeded with the demo neighbourhood. Pages are browsed with JavaScript disabled, as the service
must work without it; axe-core needs JavaScript, so each page is checked again in a second,
JavaScript-enabled context (see :class:`AxeChecker`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import make_server

from consult.demo import DEMO_ACCOUNTS, seed_demo
from consult.extensions import db
from tests.conftest import make_app, migrate_once
from tests.services import chromium_path, need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 10_000
# The demo's partnership member, and the survey the demo comes with.
MEMBER = next(a for a in DEMO_ACCOUNTS if a.email == "member@demo.example.org")
DEMO_SURVEY = "Our park and green spaces"


@dataclass(frozen=True)
class LiveServer:
    """The running app and the address it answers on."""

    app: Flask
    url: str

    def at(self, path: str) -> str:
        return urljoin(self.url, path)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the seeded demo app on a free local port for the tests of one module."""
    root = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{root / 'e2e.db'}"
    app = make_app(url, root / "instance")
    # One browser answers and signs in many times from 127.0.0.1; keep the limiter out of it.
    app.config["SUBMIT_RATE_LIMIT"] = "1000 per minute"
    migrate_once(app, url)
    with app.app_context():
        seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; skipped (or, in CI, failed) when it is not installed.

    One Chromium serves every browser test of this package: starting it took seconds per
    test. Tests never share what they see: each works in browser contexts of its own (fresh
    cookies, storage and cache), opened and closed by the test or its fixtures.
    """
    need("chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def nojs_page(browser: Browser) -> Iterator[Page]:
    """A tab with JavaScript switched off: the resident's view of the service."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


class AxeChecker:
    """Run axe-core on what a JavaScript-less page shows, in a JavaScript-enabled context.

    axe hangs in a context without JavaScript, so each page is checked in this second context:
    a GET page is loaded again from its URL (with the first context's cookies, so signed-in
    and session-dependent pages look the same); a page that answered a POST cannot be
    fetched again, so its HTML is copied over with ``set_content`` into a tab that is already
    on the server's origin, where the page's relative links and CSS resolve. (Its scripts do
    not run there, so axe sees exactly the page the resident without JavaScript got.)
    """

    def __init__(self, context: BrowserContext, server: LiveServer) -> None:
        self.context = context
        self.server = server
        self.page = context.new_page()
        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, seen: Page, *, posted: bool = False) -> None:
        """Assert that axe finds no violations on the page ``seen`` is showing."""
        self.context.clear_cookies()
        self.context.add_cookies(seen.context.cookies())
        if posted:
            html = seen.content()
            self.page.goto(self.server.url)
            self.page.set_content(html)
        else:
            self.page.goto(seen.url)
        assert self.page.title() == seen.title(), "the axe tab is not showing the same page"
        results = self.axe.run(self.page)
        self.checked.append(seen.url)
        assert results.violations_count == 0, f"{seen.url}\n{results.generate_report()}"


@pytest.fixture
def axe(browser: Browser, live_server: LiveServer) -> Iterator[AxeChecker]:
    """The accessibility check every test runs on every page it visits."""
    context = browser.new_context(java_script_enabled=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield AxeChecker(context, live_server)
    finally:
        context.close()


def sign_in(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    """Sign in as the demo member from the link in the navigation, as staff would."""
    page.goto(server.url)
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your email")
    axe.check(page)
    page.get_by_role("link", name="sign in with your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe.check(page)

    page.get_by_label("Email address").fill(MEMBER.email)
    page.get_by_label("Password", exact=True).fill(MEMBER.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    axe.check(page)


@pytest.fixture
def member_page(live_server: LiveServer, nojs_page: Page, axe: AxeChecker) -> Page:
    """A tab without JavaScript, signed in as the demo's partnership member and showing their
    account page (axe has checked each sign-in page on the way)."""
    sign_in(nojs_page, live_server, axe)
    return nojs_page


PHONE = {"width": 320, "height": 640}


def on_a_phone(page: Page, axe: AxeChecker) -> None:
    """Show pages (and axe's copies of them) at 320 px wide, an old phone's screen."""
    page.set_viewport_size(PHONE)
    axe.page.set_viewport_size(PHONE)


def fits_320(axe: AxeChecker) -> None:
    """The page axe just checked (at 320 px wide) needs no sideways scrolling."""
    width = axe.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{axe.page.url} is {width}px wide at 320px"
