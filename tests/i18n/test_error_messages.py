"""A refused form speaks the page's language: the screen-reader "Error:" before each message,
the error summary, the page title, and the texts GOV.UK Frontend's own components add."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from consult.core.i18n import COOKIE
from tests.conftest import submit
from tests.idea_factories import board
from tests.survey_steps import base_url, two_page_survey

ERROR_PREFIX = re.compile(
    r'class="govuk-error-message"[^>]*>\s*<span class="govuk-visually-hidden">([^<]*)</span>'
)

REFUSED = {
    "en": ("Error:", "There is a problem"),
    "pl": ("Błąd:", "Wystąpił problem"),
    "ur": ("خرابی:", "ایک مسئلہ ہے"),
}


def prefixes(page: str) -> list[str]:
    """The visually hidden text at the start of each field's error message."""
    return [prefix.strip() for prefix in ERROR_PREFIX.findall(page)]


def assert_refused_in(page: str, code: str, fields: int) -> None:
    prefix, summary = REFUSED[code]
    assert prefixes(page) == [prefix] * fields
    assert summary in page
    assert re.search(rf"<title>{re.escape(prefix)} ", page), "the title does not start with it"
    if code != "en":
        assert "Error:" not in page and "There is a problem" not in page


@pytest.mark.parametrize("code", ["en", "pl", "ur"])
def test_a_refused_idea_shows_errors_in_the_page_language(client: FlaskClient, code: str) -> None:
    """The idea form is drawn by GOV.UK's own macros (through our widgets)."""
    board()
    client.set_cookie(COOKIE, code)
    response = submit(client, "/n/hill/ideas/new", {"title": "", "description": ""})
    assert response.status_code == 200
    assert_refused_in(response.get_data(as_text=True), code, fields=3)


@pytest.mark.parametrize("code", ["en", "pl", "ur"])
def test_a_refused_survey_page_shows_errors_in_the_page_language(
    client: FlaskClient, code: str
) -> None:
    """Survey questions are drawn by our own macros (templates/macros/fields.html)."""
    survey = two_page_survey(board())
    client.set_cookie(COOKIE, code)
    response = submit(client, f"{base_url(survey)}/sections/1", {})
    assert response.status_code == 200
    assert_refused_in(response.get_data(as_text=True), code, fields=1)


@pytest.mark.parametrize(
    ("code", "limit", "counts"),
    [
        (
            "en",
            "You can enter up to 2000 characters",
            {"one": "You have %{count} character remaining"},
        ),
        (
            "pl",
            "Możesz wpisać najwyżej 2000 znaków",
            {
                "one": "Pozostał Ci %{count} znak",
                "few": "Pozostały Ci %{count} znaki",
                "many": "Pozostało Ci %{count} znaków",
                "other": "Pozostało Ci %{count} znaków",
            },
        ),
        (
            "ur",
            "آپ زیادہ سے زیادہ 2000 حروف لکھ سکتے ہیں",
            {
                "one": "آپ %{count} حرف اور لکھ سکتے ہیں",
                "other": "آپ %{count} حروف اور لکھ سکتے ہیں",
            },
        ),
    ],
)
def test_the_character_count_speaks_the_page_language(
    client: FlaskClient, code: str, limit: str, counts: dict[str, str]
) -> None:
    """The limit is drawn on the server; the running count by GOV.UK's JavaScript, which picks
    a text by the CLDR plural category of the page's language."""
    board()
    client.set_cookie(COOKIE, code)
    page = client.get("/n/hill/ideas/new").get_data(as_text=True)
    assert limit in page
    for category, text in counts.items():
        assert f'data-i18n.characters-under-limit.{category}="{text}"' in page
    assert "You can enter up to" not in page or code == "en"
