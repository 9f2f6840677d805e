"""A resident who reads Urdu, without JavaScript: the site right to left, signing in by email
link, the idea board and a survey page, each page checked by axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AxeChecker, LiveServer
from tests.idea_factories import LINK_RE, sent_mail
from tests.services import need

pytestmark = pytest.mark.browser

EMAIL = "urdu.reader@example.org"


def is_right_to_left(axe: AxeChecker) -> None:
    """The page axe just checked (the same one the resident sees) runs right to left."""
    assert axe.page.evaluate("document.documentElement.lang") == "ur"
    assert axe.page.evaluate("document.dir") == "rtl"
    direction = axe.page.evaluate("getComputedStyle(document.querySelector('main')).direction")
    assert direction == "rtl"


def choose_urdu(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    page.goto(server.url)
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="اردو").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "جہاں آپ رہتے ہیں، وہاں اپنی رائے دیں"
    )
    expect(page.get_by_role("navigation", name="زبان").get_by_role("link")).to_have_text(
        ["English", "Polski"]
    )
    axe.check(page)
    is_right_to_left(axe)


def sign_in_by_email(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    page.get_by_role("link", name="سائن ان کریں").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("اپنی ای میل سے سائن ان کریں")
    axe.check(page)
    page.get_by_label("ای میل ایڈریس").fill("not an email")
    page.get_by_role("button", name="مجھے لنک ای میل کریں").click()
    expect(page).to_have_title(re.compile(r"^خرابی: "))
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("ایک مسئلہ ہے")
    expect(page.get_by_label("ای میل ایڈریس")).to_have_value("not an email")
    axe.check(page, posted=True)
    page.get_by_label("ای میل ایڈریس").fill(EMAIL)
    page.get_by_role("button", name="مجھے لنک ای میل کریں").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("اپنی ای میل دیکھیں")
    axe.check(page)

    message = sent_mail(server.app)[-1]
    assert message.subject == "consult میں سائن ان کے لیے آپ کا لنک"
    link = LINK_RE.search(message.body)
    assert link, "no sign-in link in the email"
    page.goto(server.at(link.group(1)))
    axe.check(page)
    page.get_by_role("button", name="سائن ان کریں").click()
    name = page.get_by_label("اپنی تجاویز اور تبصروں کے ساتھ دکھانے کے لیے ایک نام چنیں")
    name.fill("ثنا")
    axe.check(page)
    page.get_by_role("button", name="جاری رکھیں").click()
    expect(page.get_by_text("آپ سائن ان ہو گئے ہیں۔")).to_be_visible()
    axe.check(page)


def read_the_idea_board(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    page.goto(server.url)
    page.get_by_role("link", name="Demo Estate").click()
    expect(page.get_by_role("heading", name="سروے جن کا آپ جواب دے سکتے ہیں")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="تجاویز کا بورڈ دیکھیں").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تجاویز")
    count = re.compile(r"^\d+ (تجویز|تجاویز)$")
    expect(page.get_by_role("heading", level=2, name=count)).to_be_visible()
    axe.check(page)
    is_right_to_left(axe)
    # The back link sits at the right-hand edge, its chevron pointing right.
    back = axe.page.locator(".govuk-back-link")
    box, main = back.bounding_box(), axe.page.locator("main").bounding_box()
    assert box and main and box["x"] + box["width"] > main["x"] + main["width"] - 5


def answer_a_survey_page(page: Page, server: LiveServer, axe: AxeChecker) -> None:
    page.goto(server.url)
    page.get_by_role("link", name="Demo Estate").click()
    page.get_by_role("link", name="Our park and green spaces").click()
    expect(page.get_by_role("heading", name="آپ کی رازداری")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="ابھی شروع کریں").click()
    expect(page.get_by_text("حصہ 1 از 3")).to_be_visible()
    axe.check(page)
    is_right_to_left(axe)
    # A radio's circle is drawn at the right-hand end, and its words to the left of it.
    label = axe.page.locator(".govuk-radios__label").first
    words_right, circle_right = label.evaluate(
        "l => [l.getBoundingClientRect().right, getComputedStyle(l, '::before').right]"
    )
    item = axe.page.locator(".govuk-radios__item").first.bounding_box()
    assert item is not None and circle_right == "2px"
    assert words_right <= item["x"] + item["width"] - 40  # the 44 px target is on the right
    page.get_by_role("button", name="جاری رکھیں").click()
    expect(page).to_have_title(re.compile(r"^خرابی: "))
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("ایک مسئلہ ہے")
    axe.check(page, posted=True)
    page.get_by_role("group", name="How often do you visit the park?").get_by_label(
        "Every week"
    ).check()
    page.get_by_role("group", name="I feel safe in the park after dark.").get_by_label(
        "Agree", exact=True
    ).check()
    # consult's own "No" comes in Urdu; the partnership's question is in English.
    page.get_by_role("group", name="Do children under 16 live in your home?").get_by_label(
        "نہیں", exact=True
    ).check()
    page.get_by_role("button", name="جاری رکھیں").click()
    expect(page.get_by_text("حصہ 2 از 3")).to_be_visible()
    axe.check(page)


def test_urdu_reader_uses_the_site_right_to_left_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker
) -> None:
    need("chromium")
    choose_urdu(nojs_page, live_server, axe)
    sign_in_by_email(nojs_page, live_server, axe)
    read_the_idea_board(nojs_page, live_server, axe)
    answer_a_survey_page(nojs_page, live_server, axe)
    assert len(axe.checked) == 13  # every page visited, the refused forms included
