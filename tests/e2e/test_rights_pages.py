"""Without JavaScript: a resident downloads their data and deletes their account; an admin
previews and saves the notices. axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from consult.demo import DEMO_ACCOUNTS
from tests.e2e.conftest import AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.label == "Admin")
RESIDENT = "e2e.resident@example.org"
LINK = re.compile(r"https://consult\.example(/\S+)")


def emailed_path(server: LiveServer) -> str:
    """The site path of the link in the last email the app sent (the test app keeps them)."""
    outbox = server.app.extensions["mailman"].outbox
    match = LINK.search(outbox[-1].body)
    assert match, "no link in the last email"
    return match.group(1)


def test_resident_downloads_their_data_and_deletes_their_account(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    page = nojs_page
    page.goto(live_server.at("/sign-in/email"))
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_role("button", name="Email me a link").click()
    page.goto(live_server.at(emailed_path(live_server)))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Choose a name").fill("Robin")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    page.get_by_role("link", name="Download everything we hold about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    expect(page.get_by_text("Survey answers are anonymous")).to_be_visible()
    axe.check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("web page you can read")).click()
    assert download.value.suggested_filename.endswith(".html")

    page.goto(live_server.at("/account"))
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    axe.check(page)
    page.get_by_role("button", name="Email me a link to delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe.check(page)

    page.goto(live_server.at(emailed_path(live_server)))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure")
    axe.check(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    axe.check(page)
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_admin_previews_and_saves_the_notices(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    page = nojs_page
    page.goto(live_server.at("/sign-in"))
    page.get_by_label("Email address").fill(ADMIN.email)
    page.get_by_label("Password", exact=True).fill(ADMIN.password)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server.at("/accessibility"))
    page.get_by_role("link", name="Edit the accessibility statement").click()
    axe.check(page)
    page.get_by_label("Who runs the website").fill("Demo Borough Council")
    page.get_by_label("Partially compliant").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.get_by_text("This website is run by Demo Borough Council.")).to_be_visible()
    axe.check(page, posted=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Accessibility statement saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("This website is partially compliant"))).to_be_visible()
    axe.check(page)

    page.goto(live_server.at("/n/demo/privacy"))
    axe.check(page)
    page.get_by_role("link", name="Edit this privacy notice").click()
    page.get_by_label("How to contact us").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how to contact you")
    axe.check(page, posted=True)
    page.get_by_label("How to contact us").fill("Write to the partnership at the library.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Write to the partnership at the library.")).to_be_visible()
    axe.check(page)
