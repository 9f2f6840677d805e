"""Without JavaScript: a resident answers with the household code from a letter; a member keys
in a response taken at an event; the printed letters put one code on each A4 page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.auth.services import find_user
from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.models import Neighbourhood, Survey
from consult.surveys.access import generate_codes
from consult.surveys.access_models import HouseholdCode
from consult.surveys.building import add_question, add_section
from consult.surveys.models import QuestionKind, Response
from tests.e2e.conftest import DEMO_SURVEY, MEMBER, AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

TITLE = "Bins and recycling"
BINS = "How often are your bins emptied?"


def coded_survey(server: LiveServer) -> tuple[int, str]:
    """A household-code survey in the demo neighbourhood, with one batch of codes."""
    with server.app.app_context():
        area = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == DEMO_SLUG))
        survey = Survey(
            neighbourhood_id=area.id, title=TITLE, status="open", access_mode="household_codes"
        )
        db.session.add(survey)
        section = add_section(survey, "Your bins")
        add_question(
            section, QuestionKind.SINGLE_CHOICE, BINS, ["Weekly", "Fortnightly"], required=True
        )
        add_question(section, QuestionKind.FREE_TEXT, "Anything else?", max_length=500)
        db.session.flush()
        generate_codes(survey, 2)
        db.session.commit()
        code = db.session.scalar(
            select(HouseholdCode.code).where(HouseholdCode.survey_id == survey.id)
        )
        return survey.id, code


def test_resident_answers_with_a_household_code(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    survey_id, code = coded_survey(live_server)
    page = nojs_page
    page.goto(live_server.at(f"/s/{survey_id}"))  # the short address on the letter
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="Enter your household code")).to_be_visible()
    axe.check(page)

    page.get_by_label("Household code").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("We cannot find that code for this survey")
    expect(page.get_by_label("Household code")).to_have_value("ZZZZ-ZZZZ")
    axe.check(page, posted=True)

    page.get_by_label("Household code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Section 1 of 1")).to_be_visible()
    expect(page.get_by_role("button", name="Save and come back later")).to_be_visible()
    axe.check(page)
    page.get_by_role("group", name=BINS).get_by_label("Fortnightly").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    axe.check(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    axe.check(page)

    with live_server.app.app_context():
        used = db.session.scalar(select(HouseholdCode.used).where(HouseholdCode.code == code))
        stored = db.session.scalars(select(Response).where(Response.survey_id == survey_id)).all()
        assert used and len(stored) == 1


def test_member_keys_in_an_event_response_and_prints_letters(
    live_server: LiveServer, member_page: Page, axe: AxeChecker
) -> None:
    survey_id, _ = coded_survey(live_server)
    page = member_page
    page.goto(live_server.at(f"/n/{DEMO_SLUG}/surveys/"))
    page.get_by_role("link", name=DEMO_SURVEY).click()
    page.get_by_role("link", name=re.compile("Key in a response")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key in a response for a resident")
    axe.check(page)

    page.get_by_label("At an event").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the event")
    expect(page.get_by_label("At an event")).to_be_checked()
    axe.check(page, posted=True)
    page.get_by_label("Name of the event").fill("Summer fair")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Keying in a response")).to_be_visible()
    expect(page.get_by_role("button", name="Save and come back later")).to_have_count(0)
    axe.check(page)
    page.get_by_role("group", name="How often do you visit the park?").get_by_label(
        "Every week"
    ).check()
    page.get_by_role("group", name="I feel safe in the park after dark.").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("group", name="Do children under 16 live in your home?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the answers before sending them"
    )
    axe.check(page)
    page.get_by_role("button", name="Store this response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Response stored")
    expect(page.get_by_role("button", name="Enter another response")).to_be_visible()
    axe.check(page)

    with live_server.app.app_context():
        keyed = db.session.scalars(select(Response).where(Response.event_name.is_not(None))).all()
        member_id = find_user(MEMBER.email).id
        assert [(r.channel, r.event_name, r.keyed_by_id) for r in keyed] == [
            ("event", "Summer fair", member_id)
        ]

    page.goto(live_server.at(f"/n/{DEMO_SLUG}/surveys/{survey_id}/codes"))
    expect(page.get_by_text("0 of 2 codes used")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=re.compile("Print")).click()
    expect(page.locator(".consult-code")).to_have_count(2)
    axe.check(page)
    # Printed: only the letters, each on its own A4 page.
    axe.page.emulate_media(media="print")
    header = axe.page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-template__header')).display"
    )
    breaks = axe.page.evaluate(
        "[...document.querySelectorAll('.consult-code-sheet')]"
        ".map(s => getComputedStyle(s).breakAfter)"
    )
    assert header == "none"
    assert breaks == ["page", "auto"]
    axe.page.emulate_media(media="screen")
