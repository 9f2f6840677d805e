"""A partnership member without JavaScript chooses which questions briefings break down;
axe-core checks the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_SURVEY, AxeChecker, LiveServer

pytestmark = pytest.mark.browser

VISITS = "How often do you visit the park?"


def test_member_chooses_the_questions_broken_down_without_javascript(
    live_server: LiveServer, member_page: Page, axe: AxeChecker
) -> None:
    page = member_page
    page.goto(live_server.at("/n/demo/surveys/"))
    page.get_by_role("link", name="Build survey 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Build: {DEMO_SURVEY}")
    expect(page.get_by_text("Briefings break down every question that can be")).to_be_visible()

    page.get_by_role("link", name="Choose which questions are broken down").click()
    choices = page.get_by_role("group", name="Which questions should briefings break down?")
    expect(choices).to_be_visible()
    axe.check(page)
    visits = choices.get_by_label(VISITS)
    expect(visits).to_be_checked()
    # Only questions that can be broken down are offered: no free text, no "About you" question
    # with a Census key (its day-to-day follow-up has none, so it is offered).
    expect(choices.get_by_role("checkbox")).to_have_count(6)
    visits.uncheck()
    page.get_by_role("button", name="Save breakdowns").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Build: {DEMO_SURVEY}")
    expect(page.get_by_text("Breakdowns saved. The next briefing will use them.")).to_be_visible()
    expect(page.get_by_text("Briefings break down 5 of the 6 questions")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Choose which questions are broken down").click()
    expect(page.get_by_label(VISITS)).not_to_be_checked()
