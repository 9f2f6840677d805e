"""The idea board from end to end, with JavaScript off: a resident proposes, the partnership
answers, and the resident's inbox shows it.

Everything is real: the app serves from a thread on a file SQLite database seeded with the demo
(switched to pre-moderation), email goes over SMTP to aiosmtpd, and the rejection and status
emails are sent by a Celery worker consuming from Redis after the moderation commits.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from celery import Celery
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from config import Config
from consult.demo import DEMO_ACCOUNTS, seed_demo
from consult.extensions import db
from tests.conftest import make_app, migrate_once
from tests.e2e.conftest import TIMEOUT_MS, AxeChecker, LiveServer
from tests.services import need, redis_url
from tests.worker.conftest import ReceivedMail, SMTPServer, wait_until, worker_running

pytestmark = pytest.mark.browser

MEMBER = next(a for a in DEMO_ACCOUNTS if a.email == "member@demo.example.org")
RESIDENT = "jo.resident@example.org"
LINK_RE = re.compile(r"https?://\S+/sign-in/link/\S+")


@pytest.fixture(scope="module")
def board_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, SMTPServer]]:
    need("redis")
    import redis

    broker = redis.Redis.from_url(redis_url())
    broker.flushdb()
    smtp = SMTPServer()
    smtp.start()
    root = tmp_path_factory.mktemp("ideas-e2e")
    url = f"sqlite:///{root / 'ideas.db'}"
    settings: dict[str, Any] = {
        "CELERY": Config.celery_settings(redis_url(), {"visibility_timeout": 3600}),
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": smtp.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_TIMEOUT": 5,
        "SUBMIT_RATE_LIMIT": "1000 per minute",
        "PUBLIC_URL": "",  # links in emails point at this live server
    }
    app = make_app(url, root / "instance", **settings)
    migrate_once(app, url)
    with app.app_context():
        neighbourhood, _ = seed_demo()
        neighbourhood.moderation_mode = "pre"
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="ideas-e2e", daemon=True)
    thread.start()
    celery_app: Celery = app.extensions["celery"]
    try:
        with worker_running(celery_app):
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}/"), smtp
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        smtp.stop()
        celery_app.close()
        broker.flushdb()
        broker.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def mail_to(smtp: SMTPServer, address: str, subject: str) -> list[ReceivedMail]:
    return [m for m in smtp.received if address in m.rcpt_tos and m.message["Subject"] == subject]


def text_of(mail: ReceivedMail) -> str:
    part = mail.message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def share_idea(page: Page, title: str, description: str, category: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Describe your idea").fill(description)
    page.get_by_label("Category").select_option(label=category)
    page.get_by_role("button", name="Continue").click()


def sign_in_by_email(page: Page, smtp: SMTPServer, axe: AxeChecker) -> None:
    """From the 'sign in' page a signed-out resident is sent to: the emailed link, then a name."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your email")
    expect(page.get_by_text("We have kept what you typed")).to_be_visible()
    axe.check(page)
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe.check(page, posted=True)
    subject = "Your link to sign in to consult"
    wait_until(lambda: bool(mail_to(smtp, RESIDENT, subject)), "the sign-in link email")
    link = LINK_RE.search(text_of(mail_to(smtp, RESIDENT, subject)[-1]))
    assert link, "no sign-in link in the email"
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe.check(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Choose a name to show with your ideas and comments").fill("Jo")
    axe.check(page)
    page.get_by_role("button", name="Continue").click()


def resident_posts_two_ideas(
    page: Page, server: LiveServer, smtp: SMTPServer, axe: AxeChecker
) -> None:
    page.goto(server.at("/n/demo/ideas/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas")
    axe.check(page)
    page.get_by_role("button", name="Share an idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share an idea")
    axe.check(page)
    share_idea(
        page,
        "More dog waste bins on the canal path",
        "Dog waste bags are left along the canal path. More bins on the path would help.",
        "Environment and green spaces",
    )
    sign_in_by_email(page, smtp, axe)

    # Back on the form, with what was typed; sending it first shows the similar demo idea.
    expect(page.get_by_role("heading", level=1)).to_have_text("Share an idea")
    expect(page.get_by_label("Title")).to_have_value("More dog waste bins on the canal path")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Bins for dog waste along the canal path")).to_be_visible()
    axe.check(page, posted=True)
    page.get_by_role("button", name="Post my idea").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "waiting for the partnership to check it"
    )
    axe.check(page)

    page.goto(server.at("/n/demo/ideas/new"))
    share_idea(
        page,
        "Paint a mural in the underpass",
        "The underpass under the ring road is grey and gloomy. Local artists could paint it.",
        "Community spaces",
    )
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "waiting for the partnership to check it"
    )


def member_signs_in(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    page.goto(server.at("/sign-in"))
    page.get_by_label("Email address").fill(MEMBER.email)
    page.get_by_label("Password", exact=True).fill(MEMBER.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def moderate(page: Page, title: str, action: str, axe: AxeChecker, reason: str = "") -> None:
    page.get_by_role("link", name=f"Idea: {title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate an idea")
    axe.check(page)
    page.get_by_label(action).check()
    if reason:
        page.get_by_label("Reason for rejecting").select_option(label=reason)
        page.get_by_label("Note (optional)").fill("Thank you. The council already plans this.")
    page.get_by_role("button", name="Save").click()


def test_a_resident_proposes_and_the_partnership_answers_without_javascript(
    board_server: tuple[LiveServer, SMTPServer], browser: Browser, axe_for_board: AxeChecker
) -> None:
    server, smtp = board_server
    axe = axe_for_board
    resident_context = browser.new_context(java_script_enabled=False)
    member_context = browser.new_context(java_script_enabled=False)
    for context in (resident_context, member_context):
        context.set_default_timeout(TIMEOUT_MS)
    try:
        resident_posts_two_ideas(resident_context.new_page(), server, smtp, axe)

        page = member_context.new_page()
        member_signs_in(page, server, axe)
        page.goto(server.at("/n/demo/moderation/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
        axe.check(page)
        moderate(page, "Paint a mural in the underpass", "Reject it", axe, reason=REJECT_REASON)
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
        axe.check(page, posted=True)
        moderate(page, "More dog waste bins on the canal path", "Approve it", axe)

        page.goto(server.at("/n/demo/ideas/"))
        page.get_by_role("link", name="More dog waste bins on the canal path").click()
        page.get_by_role("link", name="Give a status and answer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Give a status and answer")
        axe.check(page)
        page.get_by_label("New status").select_option(label="Shortlisted")
        page.get_by_label("The partnership's answer").fill(
            "We will ask the council for two more bins at the next meeting."
        )
        page.get_by_role("button", name="Publish the answer").click()
        expect(page.get_by_text("We will ask the council for two more bins")).to_be_visible()
        axe.check(page)
    finally:
        resident_context.close()
        member_context.close()

    rejected = "Your idea or comment was not published"
    news = "News about an idea you follow"
    wait_until(
        lambda: bool(mail_to(smtp, RESIDENT, rejected) and mail_to(smtp, RESIDENT, news)),
        "the rejection and the status emails, sent by the worker",
    )
    assert len(mail_to(smtp, RESIDENT, rejected)) == 1
    assert len(mail_to(smtp, RESIDENT, news)) == 1
    assert "Paint a mural in the underpass" in text_of(mail_to(smtp, RESIDENT, rejected)[0])
    assert "two more bins" in text_of(mail_to(smtp, RESIDENT, news)[0])


REJECT_REASON = "It is not something the partnership can act on"


@pytest.fixture
def axe_for_board(
    browser: Browser, board_server: tuple[LiveServer, SMTPServer]
) -> Iterator[AxeChecker]:
    context = browser.new_context(java_script_enabled=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield AxeChecker(context, board_server[0])
    finally:
        context.close()
