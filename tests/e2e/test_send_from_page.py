"""A short survey sent from its page: without JavaScript, on a 320 px phone, a resident leaves
a required question out, is told, answers and sends; every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.models import Neighbourhood
from consult.surveys.models import Response
from tests.e2e.conftest import AxeChecker, LiveServer, fits_320, on_a_phone
from tests.factories import survey_with_questions
from tests.services import need

pytestmark = pytest.mark.browser


def short_survey(server: LiveServer) -> str:
    """A one-page survey of the demo neighbourhood, sent from its page; its address."""
    with server.app.app_context():
        area = db.session.scalars(
            select(Neighbourhood).where(Neighbourhood.slug == DEMO_SLUG)
        ).one()
        survey = survey_with_questions(area)
        survey.title = "Quick park poll"
        survey.send_from_last_page = True
        db.session.commit()
        address = f"/n/{DEMO_SLUG}/surveys/{survey.id}"
        db.session.remove()
    return address


def test_a_short_survey_is_sent_from_its_page(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    page = nojs_page
    on_a_phone(page, axe)
    page.goto(live_server.at(short_survey(live_server)))
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    expect(page.get_by_role("heading", name="Now send your answers")).to_be_visible()
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    axe.check(page)

    page.get_by_role("group", name="What would help?").get_by_label("Lights").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text(
        "Select an answer to ‘How often do you visit?’"
    )
    expect(
        page.get_by_role("group", name="What would help?").get_by_label("Lights")
    ).to_be_checked()
    axe.check(page, posted=True)

    page.get_by_role("group", name="How often do you visit?").get_by_label("Weekly").check()
    page.get_by_role("group", name="I feel safe there.").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    reference = page.locator(".govuk-panel strong").inner_text().strip()
    axe.check(page)
    fits_320(axe)

    with live_server.app.app_context():
        stored = db.session.scalars(select(Response).where(Response.reference == reference)).one()
        assert len(stored.answers) == 3  # weekly, lights, agree
        db.session.remove()
