"""consult's own words in surveys ("About you", "Yes", "Don't know", a new survey's first
section) come in residents' languages from the catalogues, as translations members can see
and change; a member's own translation is never replaced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.models import Neighbourhood, Question, Survey
from consult.surveys.builder_services import create_survey
from consult.surveys.default_texts import catalogue_translations, default_sources
from consult.surveys.demographics import add_demographics
from consult.surveys.results import survey_results
from consult.surveys.translation_models import SurveyTranslation, TranslatedThing
from consult.surveys.translations import SourceText, save_translations, stored_translations
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff
from tests.survey_steps import base_url, counted, send

LOCALES = ("pl", "ur")


@pytest.fixture
def area(app: Flask) -> Neighbourhood:
    return NeighbourhoodFactory(slug="estate", languages="pl ur")


@pytest.fixture
def member(area: Neighbourhood, auth: AuthActions) -> Any:
    user = staff(area, "member")
    auth.sign_in(user.email)
    return user


def build_with_about_you(client: FlaskClient, area: Neighbourhood) -> Survey:
    """A survey made in the builder: a yes/no question in its first section, then "About you"."""
    submit(client, f"/n/{area.slug}/surveys/new", {"title": "Our streets"})
    survey = db.session.scalars(select(Survey)).one()
    build = f"{base_url(survey)}/build"
    new_question = f"{build}/sections/{survey.sections[0].id}/questions/new"
    submit(client, new_question, {"kind": "yes_no", "text": "Do you walk to the shops?"})
    submit(client, f"{build}/demographics", {}, form_url=build)
    db.session.expire_all()
    return survey


def translation(survey: Survey, locale: str, thing: Any, field: str) -> str | None:
    kind = TranslatedThing.OPTION if field == "label" else TranslatedThing.SECTION
    row = stored_translations(survey.id, locale).get((kind.value, thing.id, field))
    return row.text if row is not None else None


def test_a_new_survey_with_about_you_has_its_words_in_polish_and_urdu(
    client: FlaskClient, area: Neighbourhood, member: Any
) -> None:
    survey = build_with_about_you(client, area)
    defaults = default_sources(survey)
    first, about = survey.sections
    walk = first.questions[0]
    assert len(defaults) > 60  # the section, 8 questions, help texts and 60 answers
    for locale in LOCALES:
        stored = stored_translations(survey.id, locale)
        # Every default text has a row, made from today's English, and nothing else has one.
        assert set(stored) == {text.key for text in defaults}
        assert all(stored[text.key].source == text.english for text in defaults)
        assert all(stored[text.key].text != text.english for text in defaults)
    assert translation(survey, "pl", about, "title") == "O Tobie"
    assert translation(survey, "ur", about, "title") == "آپ کے بارے میں"
    assert translation(survey, "pl", first, "title") == "Część 1"
    assert translation(survey, "ur", walk.options[0], "label") == "ہاں"
    ethnic = next(q for q in about.questions if q.demographic_key == "ethnic_group")
    pakistani = next(o for o in ethnic.options if o.label.endswith(": Pakistani"))
    assert translation(survey, "ur", pakistani, "label") == "ایشیائی یا ایشیائی برطانوی: پاکستانی"
    assert translation(survey, "pl", ethnic.options[-1], "label") == "Wolę nie odpowiadać"
    # The member's question is the member's to translate.
    assert ("question", walk.id, "text") not in stored_translations(survey.id, "pl")
    # The builder's translations page shows them filled in and up to date.
    page = client.get(f"{base_url(survey)}/build/translations/ur").get_data(as_text=True)
    assert "آپ کے بارے میں" in page and "English changed" not in page


def test_saving_a_question_translates_that_question_alone(
    client: FlaskClient, area: Neighbourhood, member: Any
) -> None:
    """The builder's question form looks at the saved question's texts, not the whole survey's:
    another question's, or the section's, missing translations wait for the command."""
    submit(client, f"/n/{area.slug}/surveys/new", {"title": "Our streets"})
    survey = db.session.scalars(select(Survey)).one()
    build = f"{base_url(survey)}/build"
    new_question = f"{build}/sections/{survey.sections[0].id}/questions/new"
    for text in ("Do you walk to the shops?", "Do you cycle?"):
        submit(client, new_question, {"kind": "yes_no", "text": text})
    first, second = survey.sections[0].questions
    first_id, second_id = first.id, second.id
    # As if the survey was made before the catalogues translated its words.
    db.session.execute(delete(SurveyTranslation))
    db.session.commit()
    url = f"{build}/questions/{second_id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    form = {"csrf_token": token, "kind": "yes_no", "text": "Do you cycle to work?"}
    with counted() as statements:
        assert client.post(url, data=form).status_code == 302
    reads = [s for s in statements if s.lstrip().startswith("SELECT") and "survey_translation" in s]
    assert len(reads) == 1, reads  # one read for every language, of this question's things
    rows = db.session.execute(select(SurveyTranslation.locale, SurveyTranslation.thing_id)).all()
    second = db.session.get(Question, second_id)
    first = db.session.get(Question, first_id)
    assert second is not None and first is not None
    assert sorted(rows) == sorted((locale, o.id) for locale in LOCALES for o in second.options)
    assert {o.id for o in first.options}.isdisjoint(thing_id for _, thing_id in rows)


def test_only_the_languages_the_neighbourhood_offers_get_rows(app: Flask) -> None:
    polish_only = NeighbourhoodFactory(slug="polish-only", languages="pl")
    survey = create_survey(polish_only, "Our streets", "")
    add_demographics(survey)
    db.session.commit()
    locales = db.session.scalars(select(SurveyTranslation.locale).distinct()).all()
    assert locales == ["pl"]


def test_a_text_the_catalogue_lacks_gets_no_translation(app: Flask) -> None:
    text = SourceText(TranslatedThing.OPTION, 1, "label", "Not a word consult writes", "Answer")
    assert list(catalogue_translations([text], "pl")) == []
    known = SourceText(TranslatedThing.OPTION, 1, "label", "Prefer not to say", "Answer")
    assert list(catalogue_translations([known], "pl")) == [(known, "Wolę nie odpowiadać")]


def resident(app: Flask, language: str) -> FlaskClient:
    person = app.test_client()
    person.set_cookie(COOKIE, language)
    return person


def answer(person: FlaskClient, survey: Survey, number: int, answers: dict[str, str]) -> str:
    """Post one section's answers; returns the section page as the resident saw it first."""
    url = f"{base_url(survey)}/sections/{number}"
    page = person.get(url).get_data(as_text=True)
    response = person.post(url, data={**answers, "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    return page


def test_residents_answer_about_you_in_polish_and_english_and_are_counted_together(
    app: Flask, client: FlaskClient, area: Neighbourhood, member: Any
) -> None:
    area.disclosure_threshold = 1
    db.session.commit()
    survey = build_with_about_you(client, area)
    build = f"{base_url(survey)}/build"
    submit(client, f"{build}/publish", {}, form_url=build)
    walk = survey.sections[0].questions[0]
    age = next(q for q in survey.questions if q.demographic_key == "age_band")
    young = next(o for o in age.options if o.label == "16 to 24")
    for language in ("pl", "en"):
        person = resident(app, language)
        first = answer(person, survey, 1, {f"q{walk.id}": str(walk.options[0].id)})
        about = answer(person, survey, 2, {f"q{age.id}": str(young.id)})
        assert re.search(rf'<html[^>]*lang="{language}"', about)
        assert send(person, survey).status_code == 302
        if language == "pl":
            assert "Tak" in first and "Część 1" in first
            heading = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", about, re.S)
            assert heading is not None and heading.group(1) == "O Tobie"
            assert "Ile masz lat?" in about and "Od 16 do 24 lat" in about
            assert "Wolę nie odpowiadać" in about
            for english in ("About you", "What is your age?", "16 to 24", "Prefer not to say"):
                assert english not in about
    results = survey_results(survey)
    counts = {o["label"]: o["count"] for o in results["questions"][age.position - 1]["options"]}
    assert results["total"]["count"] == 2
    assert counts["16 to 24"] == 2  # one answer given in Polish, one in English


def test_members_translations_are_kept_and_filling_in_twice_adds_nothing(
    app: Flask, area: Neighbourhood
) -> None:
    """A survey made before its default texts were translated catches up with the command."""
    survey = create_survey(area, "Our streets", "")
    about = add_demographics(survey)
    student = next(o for q in about.questions for o in q.options if o.label == "Student")
    student.label = "At school or college"  # a member's rewording is not a default text
    db.session.execute(delete(SurveyTranslation))
    yes = about.questions[2].options[0]
    own = {
        ("section", about.id, "title"): "Kilka pytań o Tobie",
        ("option", yes.id, "label"): "Owszem",
    }
    save_translations(survey, "pl", own, set())
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["translate-defaults"])
    assert first.exit_code == 0, first.output
    defaults = default_sources(survey)
    added = 2 * len(defaults) - len(own)
    assert first.output.strip() == f"Added {added} translations."
    polish = stored_translations(survey.id, "pl")
    assert polish[("section", about.id, "title")].text == "Kilka pytań o Tobie"
    assert polish[("option", yes.id, "label")].text == "Owszem"
    assert ("option", student.id, "label") not in polish
    assert ("option", student.id, "label") not in stored_translations(survey.id, "ur")

    def snapshot() -> set[tuple[str, str, int, str, str, str]]:
        rows = db.session.scalars(select(SurveyTranslation))
        return {(r.locale, r.thing, r.thing_id, r.field, r.text, r.source) for r in rows}

    before = snapshot()
    again = runner.invoke(args=["translate-defaults"])
    assert again.exit_code == 0 and again.output.strip() == "Added 0 translations."
    assert snapshot() == before
