"""A partnership member without JavaScript builds a two-section survey with skip logic,
previews it and publishes it; axe-core checks every builder page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AxeChecker, LiveServer

pytestmark = pytest.mark.browser

TITLE = "Street lighting"
DARK = "Is your street too dark at night?"
WHERE = "Which street is too dark?"


def test_member_builds_previews_and_publishes_a_survey(
    live_server: LiveServer, member_page: Page, axe: AxeChecker
) -> None:
    page = member_page
    page.goto(live_server.at("/n/demo/surveys/"))
    page.get_by_role("link", name="Create a survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a survey")
    axe.check(page)

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Privacy notice").fill("Kept until the lights are fixed.")
    page.get_by_label("Opens on (optional)").fill("31/2/2027")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the opening date as a real date")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    axe.check(page, posted=True)
    page.get_by_label("Opens on (optional)").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Build: {TITLE}")
    axe.check(page)

    page.get_by_role("link", name="Add a question to section ‘Section 1’").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a question")
    axe.check(page)
    page.get_by_label("Question", exact=True).fill(DARK)
    page.get_by_role("group", name="Kind of question").get_by_label("Yes or no").check()
    page.get_by_label("Residents must answer this question").check()
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text(DARK, exact=True)).to_be_visible()

    page.get_by_role("link", name="Add a section").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a section")
    axe.check(page)
    page.get_by_label("Section title").fill("The dark street")
    page.get_by_label("Show this section").select_option(
        label=f"Only if ‘{DARK}’ is answered ‘Yes’"
    )
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text(f"Shown only if ‘{DARK}’ is answered ‘Yes’.")).to_be_visible()

    page.get_by_role("link", name="Add a question to section ‘The dark street’").click()
    page.get_by_label("Question", exact=True).fill(WHERE)
    page.get_by_role("group", name="Kind of question").get_by_label("Free text").check()
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text(WHERE, exact=True)).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="Preview the survey as residents see it").click()
    expect(page.get_by_text("Preview: this is how residents see this page")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Select an answer to ‘{DARK}’")
    page.get_by_role("group", name=DARK).get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The dark street")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That was the last section of the preview")).to_be_visible()

    page.get_by_role("button", name="Add the ‘About you’ section").click()
    expect(page.get_by_text("The ‘About you’ section has been added at the end.")).to_be_visible()
    page.goto(page.url.replace("/build", "/preview/3"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    axe.check(page)
    page.go_back()

    page.get_by_role("button", name="Publish the survey").click()
    expect(page.get_by_text("Survey published.")).to_be_visible()
    axe.check(page)

    page.goto(live_server.at("/n/demo/"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Kept until the lights are fixed.")).to_be_visible()
