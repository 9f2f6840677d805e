"""Members translate a survey's own texts; residents see them in their language, text by text,
and answers given in every language count together."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.models import Survey
from consult.surveys.results import survey_results
from consult.surveys.translation_models import SurveyTranslation
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.survey_steps import base_url, page_answers, send


def translations_url(survey: Survey, locale: str) -> str:
    return f"{base_url(survey)}/build/translations/{locale}"


def polish_texts(survey: Survey) -> dict[str, str]:
    """Polish for the title, the first question and its first two answers (not the rest)."""
    single = survey.questions[0]
    return {
        f"survey-{survey.id}-title": "Ankieta o parkach",
        f"question-{single.id}-text": "Jak często odwiedzasz park?",
        f"option-{single.options[0].id}-label": "Codziennie",
        f"option-{single.options[1].id}-label": "Co tydzień",
    }


@pytest.fixture
def survey(app: Flask) -> Survey:
    return survey_with_questions(NeighbourhoodFactory(slug="park", languages="pl ur"))


@pytest.fixture
def member(survey: Survey, auth: AuthActions) -> Any:
    user = staff(survey.neighbourhood, "member")
    auth.sign_in(user.email)
    return user


def test_member_translates_and_the_english_is_shown_beside(
    client: FlaskClient, survey: Survey, member: Any
) -> None:
    build = client.get(f"{base_url(survey)}/build").get_data(as_text=True)
    assert f'href="{translations_url(survey, "pl")}"' in build
    assert f'href="{translations_url(survey, "ur")}"' in build
    page = client.get(translations_url(survey, "pl")).get_data(as_text=True)
    assert "How often do you visit?" in page and "Weekly" in page
    assert 'lang="pl"' in page  # the boxes are marked as Polish
    response = submit(client, translations_url(survey, "pl"), polish_texts(survey))
    assert response.status_code == 302
    rows = db.session.scalars(select(SurveyTranslation).order_by(SurveyTranslation.id)).all()
    assert {(r.locale, r.text) for r in rows} >= {("pl", "Ankieta o parkach"), ("pl", "Codziennie")}
    assert all(r.source for r in rows)
    again = client.get(translations_url(survey, "pl")).get_data(as_text=True)
    assert "Jak często odwiedzasz park?" in again
    # Emptying a box removes that translation; the rest stay.
    data = {**polish_texts(survey), f"survey-{survey.id}-title": ""}
    submit(client, translations_url(survey, "pl"), data)
    assert (
        db.session.scalar(select(SurveyTranslation).where(SurveyTranslation.field == "title"))
        is None
    )


def test_oversized_translation_is_refused_and_answers_kept(
    client: FlaskClient, survey: Survey, member: Any
) -> None:
    data = {**polish_texts(survey), f"survey-{survey.id}-title": "x" * 201}
    response = submit(client, translations_url(survey, "pl"), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "200 characters or fewer" in page
    assert "Codziennie" in page  # what was typed is kept
    assert db.session.scalar(select(SurveyTranslation)) is None


def test_a_language_the_neighbourhood_does_not_offer_is_not_found(
    client: FlaskClient, app: Flask, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="pl-only", languages="pl")
    survey = survey_with_questions(area)
    auth.sign_in(staff(area, "member").email)
    assert client.get(translations_url(survey, "pl")).status_code == 200
    assert client.get(translations_url(survey, "ur")).status_code == 404
    assert client.get(translations_url(survey, "en")).status_code == 404


def test_changed_english_flags_the_translation_until_confirmed(
    client: FlaskClient, survey: Survey, member: Any
) -> None:
    submit(client, translations_url(survey, "pl"), polish_texts(survey))
    single = survey.questions[0]
    single.text = "How often do you go there?"  # a wording fix, as the builder allows
    db.session.commit()
    page = client.get(translations_url(survey, "pl")).get_data(as_text=True)
    assert "English changed" in page and page.count("English changed") == 1
    name = f"question-{single.id}-text"
    submit(
        client, translations_url(survey, "pl"), {**polish_texts(survey), f"{name}-confirmed": "yes"}
    )
    assert "English changed" not in client.get(translations_url(survey, "pl")).get_data(
        as_text=True
    )


def resident(app: Flask, language: str) -> FlaskClient:
    client = app.test_client()
    client.set_cookie(COOKIE, language)
    return client


def test_residents_see_their_language_text_by_text_with_english_marked(
    app: Flask, survey: Survey, client: FlaskClient, member: Any
) -> None:
    submit(client, translations_url(survey, "pl"), polish_texts(survey))
    page = resident(app, "pl").get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "Jak często odwiedzasz park?" in page and "Codziennie" in page
    # Untranslated texts fall back to English, each marked as English.
    assert '<span lang="en" dir="ltr">Never</span>' in page
    assert '<span lang="en" dir="ltr">What would help?</span>' in page
    assert "<title>" in page and '<span lang="en"' not in page.split("</title>")[0]
    start = resident(app, "pl").get(base_url(survey)).get_data(as_text=True)
    assert "Ankieta o parkach" in start
    english = resident(app, "en").get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "How often do you visit?" in english and 'lang="en" dir="ltr">Never' not in english


def test_a_polish_resident_is_told_of_a_mistake_in_polish(
    app: Flask, survey: Survey, client: FlaskClient, member: Any
) -> None:
    submit(client, translations_url(survey, "pl"), polish_texts(survey))
    polish = resident(app, "pl")
    response = submit(polish, f"{base_url(survey)}/sections/1", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wystąpił problem" in page
    assert "Wybierz odpowiedź na pytanie ‘Jak często odwiedzasz park?’" in page


def test_answers_in_english_polish_and_urdu_are_counted_together(
    app: Flask, survey: Survey, client: FlaskClient, member: Any
) -> None:
    survey.neighbourhood.disclosure_threshold = 1
    db.session.commit()
    submit(client, translations_url(survey, "pl"), polish_texts(survey))
    single = survey.questions[0]
    urdu = {f"option-{single.options[1].id}-label": "ہر ہفتے"}
    submit(client, translations_url(survey, "ur"), urdu)
    for language in ("en", "pl", "ur", "pl"):
        person = resident(app, language)
        page = person.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
        assert re.search(rf'<html[^>]*lang="{language}"', page)
        answers = {**page_answers(survey), "csrf_token": csrf_from(page)}
        assert person.post(f"{base_url(survey)}/sections/1", data=answers).status_code == 302
        assert send(person, survey).status_code == 302
    results = survey_results(survey)
    counts = {o["label"]: o["count"] for o in results["questions"][0]["options"]}
    assert results["total"]["count"] == 4
    assert counts["Weekly"] == 4  # the English label: answers are stored by option
