"""A resident without JavaScript answers the demo survey, gets it wrong once, then sends it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Response
from tests.e2e.conftest import AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

SURVEY = "Our park and green spaces"
VISITS = "How often do you visit the park?"
SAFETY = "I feel safe in the park after dark."
IMPROVEMENTS = "What would make the park better?"
ANYTHING_ELSE = "Is there anything else you want to tell us?"
TYPED = "Please mend the broken bench by the pond."
REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def open_survey(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    """Home page, then the neighbourhood, then the survey, checking each page on the way."""
    page.goto(server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say where you live")
    axe.check(page)

    page.get_by_role("link", name="Demo Estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Estate")
    axe.check(page)

    page.get_by_role("link", name=SURVEY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SURVEY)
    axe.check(page)


def send_unanswered(page: Page, axe: AxeChecker) -> None:
    """Skip both required questions: the form comes back with every problem named."""
    page.get_by_label(ANYTHING_ELSE).fill(TYPED)
    page.get_by_role("group", name=IMPROVEMENTS).get_by_label("Better lighting").check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [f"Select an answer to ‘{VISITS}’", f"Select an answer to ‘{SAFETY}’"]
    )
    # Each question says what is wrong with it too, not only the summary at the top.
    expect(page.get_by_role("group", name=VISITS)).to_contain_text(
        f"Select an answer to ‘{VISITS}’"
    )
    expect(page.get_by_role("group", name=SAFETY)).to_contain_text(
        f"Select an answer to ‘{SAFETY}’"
    )
    # Nothing the resident already gave is lost.
    expect(page.get_by_label(ANYTHING_ELSE)).to_have_value(TYPED)
    expect(
        page.get_by_role("group", name=IMPROVEMENTS).get_by_label("Better lighting")
    ).to_be_checked()
    axe.check(page, posted=True)


def test_resident_answers_the_demo_survey_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    page = nojs_page
    open_survey(page, live_server, axe)
    send_unanswered(page, axe)

    page.get_by_role("group", name=VISITS).get_by_label("Every week").check()
    page.get_by_role("group", name=SAFETY).get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Your reference number")
    shown = panel.locator("strong")
    expect(shown).to_have_text(REFERENCE)
    reference = shown.inner_text().strip()
    axe.check(page)
    assert len(axe.checked) == 5  # home, neighbourhood, survey, rejected survey, thank you

    with live_server.app.app_context():
        stored = db.session.scalars(select(Response).where(Response.reference == reference)).all()
        assert len(stored) == 1
        texts = {answer.text for answer in stored[0].answers if answer.text}
        assert texts == {TYPED}
        assert len(stored[0].answers) == 4  # one visit, one box ticked, one scale, the text
