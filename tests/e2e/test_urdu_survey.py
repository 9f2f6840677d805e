"""An Urdu reader answers a survey the partnership has partly translated, without JavaScript:
translated texts in Urdu, the rest in English marked as English, a mistake explained in Urdu,
and every page clean under axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Survey
from consult.surveys.translations import save_translations, source_texts, stored_translations
from tests.e2e.conftest import AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

URDU = {
    "Our park and green spaces": "ہمارا پارک اور سبزہ زار",
    "Using the park": "پارک کا استعمال",
    "How often do you visit the park?": "آپ کتنی بار پارک جاتے ہیں؟",
    "Every day": "ہر روز",
    "Every week": "ہر ہفتے",
    "Every month": "ہر مہینے",
    "Less often": "اس سے کم",
    "Never": "کبھی نہیں",
}


def translate_the_demo_survey(server: LiveServer) -> str:
    """Members' Urdu for the title, the first page's title and its first question only."""
    with server.app.app_context():
        survey = db.session.scalars(select(Survey)).first()
        assert survey is not None
        # As the translations page sends them: the stored ones (consult's own "About you",
        # "Yes", "No"...) as they were, with the member's typed beside them.
        typed = {key: row.text for key, row in stored_translations(survey.id, "ur").items()}
        typed |= {t.key: URDU[t.english] for t in source_texts(survey) if t.english in URDU}
        save_translations(survey, "ur", typed, set())
        db.session.commit()
        return f"n/{survey.neighbourhood.slug}/surveys/{survey.id}"


def test_urdu_reader_answers_a_translated_survey_page_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    path = translate_the_demo_survey(live_server)
    page = nojs_page
    page.goto(live_server.at(f"/language/ur?next=/{path}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ہمارا پارک اور سبزہ زار")
    axe.check(page)
    page.get_by_role("button", name="ابھی شروع کریں").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("پارک کا استعمال")
    first = page.get_by_role("group", name="آپ کتنی بار پارک جاتے ہیں؟")
    expect(first.get_by_label("ہر ہفتے")).to_be_visible()
    # Not translated: shown in English, marked as English for screen readers.
    english = page.locator('legend [lang="en"]', has_text="What would make the park better?")
    expect(english).to_have_count(1)
    axe.check(page)
    page.get_by_role("button", name="جاری رکھیں").click()
    expect(page).to_have_title(re.compile(r"^خرابی: "))
    expect(page.get_by_role("alert").get_by_role("link").first).to_have_text(
        "‘آپ کتنی بار پارک جاتے ہیں؟’ کا جواب منتخب کریں"
    )
    axe.check(page, posted=True)
    answer_the_first_page(page)
    expect(page.get_by_text("حصہ 2 از 3")).to_be_visible()
    axe.check(page)


def answer_the_first_page(page: Page) -> None:
    """Its required answers: the first question in Urdu, then English ones, then consult's own
    "No" in Urdu."""
    page.get_by_role("group", name="آپ کتنی بار پارک جاتے ہیں؟").get_by_label("ہر ہفتے").check()
    page.get_by_role("group", name="I feel safe in the park after dark.").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("group", name="Do children under 16 live in your home?").get_by_label(
        "نہیں", exact=True
    ).check()
    page.get_by_role("button", name="جاری رکھیں").click()


def test_urdu_reader_answers_about_you_in_urdu_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    """No member translated "About you": consult's own words come in Urdu all the same."""
    need("chromium")
    path = translate_the_demo_survey(live_server)
    page = nojs_page
    page.goto(live_server.at(f"/language/ur?next=/{path}/sections/1"))
    answer_the_first_page(page)
    page.get_by_role("button", name="جاری رکھیں").click()  # "Anything else", left blank

    expect(page.get_by_role("heading", level=1)).to_have_text("آپ کے بارے میں")
    expect(page.get_by_text("حصہ 3 از 3")).to_be_visible()
    age = page.get_by_role("group", name="آپ کی عمر کیا ہے؟")
    expect(age).to_contain_text("تاکہ ہمیں معلوم ہو کہ ہر عمر کے لوگوں کی بات سنی گئی ہے یا نہیں۔")
    expect(age.get_by_label("نہیں بتانا چاہتے")).to_be_visible()
    expect(page.locator('main [lang="en"]')).to_have_count(0)  # nothing left in English
    axe.check(page)
    age.get_by_label("16 سے 24 سال").check()
    page.get_by_role("group", name="آپ کا نسلی گروہ کیا ہے؟").get_by_label(
        "ایشیائی یا ایشیائی برطانوی: پاکستانی"
    ).check()
    page.get_by_role("button", name="جاری رکھیں").click()

    answers = page.locator("main")
    expect(answers).to_contain_text("16 سے 24 سال")
    expect(answers).to_contain_text("ایشیائی یا ایشیائی برطانوی: پاکستانی")
    axe.check(page)
