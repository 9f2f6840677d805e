"""A partnership member without JavaScript signs in, reads results and asks for a briefing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.briefings.models import Briefing
from consult.extensions import db
from tests.e2e.conftest import DEMO_SURVEY, AxeChecker, LiveServer

pytestmark = pytest.mark.browser


def test_member_reads_results_and_sends_a_briefing_without_javascript(
    live_server: LiveServer, member_page: Page, axe: AxeChecker
) -> None:
    page = member_page

    page.get_by_role("link", name="Demo Estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Estate")
    expect(page.get_by_role("heading", name="For the partnership and officers")).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="Survey results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    axe.check(page)

    page.get_by_role("link", name=DEMO_SURVEY).click()
    expect(page).to_have_url(re.compile(r"/n/demo/surveys/\d+/results$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {DEMO_SURVEY}")
    expect(page.get_by_text("120 responses so far.")).to_be_visible()
    expect(page.get_by_role("table", name="Answers to question 1", exact=True)).to_contain_text(
        "Every day"
    )
    expect(page.get_by_role("table", name="Responses by channel")).to_contain_text("Paper")
    axe.check(page)

    page.get_by_role("link", name="Show answers by channel").click()
    expect(page.get_by_role("table", name="Question 1 by channel")).to_contain_text("Online")
    axe.check(page)
    page.get_by_role("link", name="Hide answers by channel").click()
    expect(page.get_by_role("table", name="Question 1 by channel")).to_have_count(0)

    page.get_by_role("link", name="Neighbourhoods", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say where you live")
    axe.check(page)
    page.get_by_role("link", name="Demo Estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Estate")
    axe.check(page)

    page.get_by_role("link", name="Briefings").click()
    expect(page).to_have_url(live_server.at("/n/demo/briefings/"))
    expect(page.get_by_text("No briefings yet.")).to_be_visible()
    axe.check(page)

    page.get_by_role("button", name="Send briefing now").click()
    expect(page).to_have_url(live_server.at("/n/demo/briefings/"))
    banner = page.get_by_role("alert", name="Success")
    expect(banner).to_contain_text(re.compile(r"Briefing \d+ is being built"))
    axe.check(page, posted=True)

    with live_server.app.app_context():
        briefings = db.session.scalars(select(Briefing)).all()
        assert len(briefings) == 1
        assert f"Briefing {briefings[0].id} is being built" in banner.inner_text()


def test_member_creates_and_revokes_an_api_token_without_javascript(
    live_server: LiveServer, member_page: Page, axe: AxeChecker
) -> None:
    page = member_page
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    axe.check(page)

    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the token")
    axe.check(page, posted=True)

    page.get_by_label("Name the token").fill("Board dashboard")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Token created")).to_be_visible()
    secret = page.locator("code.consult-token").inner_text()
    axe.check(page, posted=True)

    answer = page.request.get(
        live_server.at("/api/v1/surveys/1/results"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200 and answer.json()["responses"]["total"]["count"] == 120

    page.get_by_role("button", name="Revoke Board dashboard").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Revoked")
    axe.check(page)
    again = page.request.get(
        live_server.at("/api/v1/surveys/1/results"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert again.status == 401


def test_every_text_on_a_page_is_in_the_sites_font(member_page: Page, axe: AxeChecker) -> None:
    """GOV.UK Frontend sets its font on its own classes only: the language in use and the
    sign-out button, outside them, were drawn in the browser's serif. Signing out is in the
    navigation, like its links; below a short page's footer, the footer's colour. A member
    finds the moderation queue from the page, and the briefings page's two buttons stand on
    one line."""
    page = member_page
    page.get_by_role("link", name="Demo Estate").click()

    def style(locator: str, prop: str) -> str:
        return str(page.locator(locator).first.evaluate(
            f"element => getComputedStyle(element).{prop}"
        ))  # fmt: skip

    body = style("p.govuk-body", "fontFamily")
    assert "system-ui" in body
    assert style(".consult-languages__current", "fontFamily") == body
    # Signing out is a button in a form, last in the navigation, drawn as its links are.
    sign_out = ".govuk-service-navigation__list .consult-sign-out button"
    link = "a.govuk-service-navigation__link"
    for prop in ("fontFamily", "fontSize", "color", "textDecorationLine"):
        assert style(sign_out, prop) == style(link, prop), prop
    assert style(sign_out, "fontFamily") == body

    page.get_by_role("link", name="Moderation queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    # A short page: what shows below the footer is the footer's colour.
    assert style("html", "backgroundColor") == style(".consult-footer", "backgroundColor")
    axe.check(page)

    page.goto(page.url.replace("/moderation/", "/briefings/"))
    preview = page.get_by_role("link", name="Preview the next briefing").bounding_box()
    send = page.get_by_role("button", name="Send briefing now").bounding_box()
    assert preview is not None and send is not None
    assert abs(preview["y"] - send["y"]) < 1, (preview, send)
    axe.check(page)
