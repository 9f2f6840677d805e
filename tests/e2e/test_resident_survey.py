"""A resident without JavaScript answers the demo survey page by page, gets a page wrong once,
checks the answers and sends them; a family's answers take the skip-logic section too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Answer, Response
from tests.e2e.conftest import AxeChecker, LiveServer, fits_320, on_a_phone
from tests.services import need

pytestmark = pytest.mark.browser

SURVEY = "Our park and green spaces"
VISITS = "How often do you visit the park?"
SAFETY = "I feel safe in the park after dark."
IMPROVEMENTS = "What would make the park better?"
CHILDREN = "Do children under 16 live in your home?"
HOW_MANY = "How many children under 16 live in your home?"
RANKING = "What would children most like in the park?"
POSTCODE = "What is your postcode?"
HEARD = "How did you hear about this survey?"
ANYTHING_ELSE = "Is there anything else you want to tell us?"
TYPED = "Please mend the broken bench by the pond."
REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def open_survey(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    """Home page, the neighbourhood, the survey's start page, then its first section."""
    page.goto(server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say where you live")
    axe.check(page)

    page.get_by_role("link", name="Demo Estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Estate")
    axe.check(page)

    page.get_by_role("link", name=SURVEY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SURVEY)
    expect(page.get_by_role("heading", name="Your privacy")).to_be_visible()
    axe.check(page)

    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Using the park")
    expect(page.get_by_text("Section 1 of 3")).to_be_visible()
    axe.check(page)


def send_unanswered(page: Page, axe: AxeChecker) -> None:
    """Skip the required questions: the page comes back with every problem named."""
    page.get_by_role("group", name=IMPROVEMENTS).get_by_label("Better lighting").check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [
            f"Select an answer to ‘{VISITS}’",
            f"Select an answer to ‘{SAFETY}’",
            f"Select an answer to ‘{CHILDREN}’",
        ]
    )
    # Each question says what is wrong with it too, not only the summary at the top.
    expect(page.get_by_role("group", name=VISITS)).to_contain_text(
        f"Select an answer to ‘{VISITS}’"
    )
    expect(page.get_by_role("group", name=SAFETY)).to_contain_text(
        f"Select an answer to ‘{SAFETY}’"
    )
    # Nothing the resident already gave is lost.
    expect(
        page.get_by_role("group", name=IMPROVEMENTS).get_by_label("Better lighting")
    ).to_be_checked()
    axe.check(page, posted=True)


def answer_first_page(page: Page, children: str) -> None:
    page.get_by_role("group", name=VISITS).get_by_label("Every week").check()
    page.get_by_role("group", name=SAFETY).get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name=CHILDREN).get_by_label(children).check()
    page.get_by_role("button", name="Continue").click()


def send_and_read_reference(page: Page, axe: AxeChecker) -> str:
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Your reference number")
    shown = panel.locator("strong")
    expect(shown).to_have_text(REFERENCE)
    axe.check(page)
    return shown.inner_text().strip()


def test_resident_answers_the_demo_survey_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    page = nojs_page
    open_survey(page, live_server, axe)
    send_unanswered(page, axe)
    answer_first_page(page, children="No")

    # No children: the families' section is skipped.
    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else")
    expect(page.get_by_text("Section 2 of 3")).to_be_visible()
    page.get_by_label(ANYTHING_ELSE).fill(TYPED)
    axe.check(page)
    page.get_by_role("button", name="Continue").click()

    # "About you" is optional: left blank.
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(page.get_by_text("Section 3 of 3")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text(["Every week"])
    expect(page.get_by_text(TYPED)).to_be_visible()
    axe.check(page)

    reference = send_and_read_reference(page, axe)
    # home, area, start, page 1 twice, page 3, about you, check, thank you
    assert len(axe.checked) == 9

    with live_server.app.app_context():
        stored = db.session.scalars(select(Response).where(Response.reference == reference)).all()
        assert len(stored) == 1
        texts = {answer.text for answer in stored[0].answers if answer.text}
        assert texts == {TYPED}
        # one visit, one box ticked, one scale, no children, the text
        assert len(stored[0].answers) == 5


def test_family_takes_the_skip_logic_section_and_changes_an_answer(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    """On a 320 px phone: the families' section, a ranking refused then fixed, a change."""
    need("chromium")
    page = nojs_page
    on_a_phone(page, axe)
    open_survey(page, live_server, axe)
    fits_320(axe)
    answer_first_page(page, children="Yes")

    expect(page.get_by_role("heading", level=1)).to_have_text("Children and young people")
    expect(page.get_by_text("Section 2 of 4")).to_be_visible()
    axe.check(page)
    page.get_by_label(HOW_MANY).fill("2")
    ranking = page.get_by_role("group", name=RANKING)
    ranking.get_by_label("1st choice").select_option(label="A splash pad")
    ranking.get_by_label("2nd choice").select_option(label="A splash pad")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("You chose ‘A splash pad’ more than once")
    expect(page.get_by_label(HOW_MANY)).to_have_value("2")
    axe.check(page, posted=True)
    fits_320(axe)
    page.get_by_role("group", name=RANKING).get_by_label("2nd choice").select_option(
        label="A play area"
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Section 3 of 4")).to_be_visible()
    page.get_by_label(POSTCODE).fill("ls9 7ab")
    page.get_by_role("group", name=HEARD).get_by_label("Somewhere else").check()
    page.get_by_label("If you chose ‘Somewhere else’").fill("The community centre")
    axe.check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-summary-list")
    expect(summary.first).to_contain_text("Every week")
    expect(page.get_by_text("LS9 7 (we keep only this part of your postcode)")).to_be_visible()
    expect(page.get_by_text("Somewhere else: The community centre")).to_be_visible()
    axe.check(page)
    fits_320(axe)

    # Change the postcode: back on its page, then straight back to the check page.
    page.get_by_role("link", name=f"Change your answer to {POSTCODE}").click()
    expect(page.get_by_label(POSTCODE)).to_have_value("ls9 7ab")
    page.get_by_label(POSTCODE).fill("M1 1AE")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    expect(page.get_by_text("M1 1 (we keep only this part of your postcode)")).to_be_visible()

    # Sent from the keyboard.
    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    axe.check(page)
    fits_320(axe)
    reference = page.locator(".govuk-panel strong").inner_text().strip()
    with live_server.app.app_context():
        response = db.session.scalar(select(Response).where(Response.reference == reference))
        answers = db.session.scalars(select(Answer).where(Answer.response_id == response.id))
        by_kind = {(a.rank, a.text, a.number is not None) for a in answers}
        assert (None, "M1 1", False) in by_kind
        assert (None, "The community centre", False) in by_kind
        assert (None, None, True) in by_kind  # the number of children
        assert {rank for rank, _, _ in by_kind if rank} == {1, 2}
