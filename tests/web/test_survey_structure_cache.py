"""The answering pages keep a survey's structure between requests, and never show a stale one.

A survey's sections, questions and options are read once per web process and kept under the
survey's ``structure_stamp``; any change to them (or to the survey) gives the survey a new stamp
in the same transaction, so the next page reads them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from consult.extensions import db
from consult.surveys.answering import page_form, start_draft
from consult.surveys.blank import forget_recent
from consult.surveys.building import add_question, add_section
from consult.surveys.forms import PageForm
from consult.surveys.models import Option, Question, QuestionKind, Section, Survey
from consult.surveys.structure import kept_structure, survey_for_answering
from tests.factories import NeighbourhoodFactory, survey_with_questions
from tests.survey_steps import answer_page, base_url, counted, responses, send


def page(app: Flask, survey: Survey | str) -> str:
    """The first page of the survey (or of the survey at this address), as a new visitor.

    In a session of its own, as a real request has (the test client would otherwise share
    the test's session, and its survey row would hold the process's kept structure).
    """
    url = survey if isinstance(survey, str) else base_url(survey)
    db.session.remove()
    response = app.test_client().get(f"{url}/sections/1")
    db.session.remove()
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stamp_of(survey_id: int) -> str:
    return db.session.scalars(select(Survey.structure_stamp).where(Survey.id == survey_id)).one()


STRUCTURE_TABLES = ("survey_section", "question", "option")


def test_a_second_visit_reads_no_structure(app: Flask) -> None:
    url = base_url(survey_with_questions(NeighbourhoodFactory()))
    with counted() as first:
        page(app, url)
    forget_recent()  # the survey row is read again (see test_survey_blank_pages: not even that)
    with counted() as second:
        text = page(app, url)
    assert "How often do you visit?" in text and "Toilets" in text
    read = [s for s in first if any(f"FROM {t}" in s for t in STRUCTURE_TABLES)]
    assert len(read) == 3, first  # sections, questions, their options
    assert not [s for s in second if any(f"FROM {t}" in s for t in STRUCTURE_TABLES)], second
    assert len(second) == len(first) - 3


def _question(survey_id: int, text: str) -> Question:
    return db.session.scalars(
        select(Question).where(Question.survey_id == survey_id, Question.text == text)
    ).one()


def _section(survey_id: int) -> Section:
    return db.session.scalars(select(Section).where(Section.survey_id == survey_id)).one()


def _retitle_question(survey_id: int) -> str:
    _question(survey_id, "How often do you visit?").text = "How often do you go there?"
    return "How often do you go there?"


def _relabel_option(survey_id: int) -> str:
    option = db.session.scalars(select(Option).where(Option.label == "Toilets")).one()
    option.label = "Public toilets"
    return "Public toilets"


def _add_option(survey_id: int) -> str:
    question = _question(survey_id, "What would help?")
    question.options.append(Option(position=len(question.options) + 1, label="Bins"))
    return "Bins"


def _add_question(survey_id: int) -> str:
    section = _section(survey_id)
    add_question(section, QuestionKind.FREE_TEXT, "What is your street like?", max_length=100)
    return "What is your street like?"


def _retitle_section(survey_id: int) -> str:
    section = _section(survey_id)
    section.title = "About the park"
    return "About the park"


def _add_help_text(survey_id: int) -> str:
    _question(survey_id, "Anything else?").help_text = "For example, events you would like."
    return "For example, events you would like."


CHANGES: dict[str, Callable[[int], str]] = {
    "question text": _retitle_question,
    "option label": _relabel_option,
    "new option": _add_option,
    "new question": _add_question,
    "section title": _retitle_section,
    "help text": _add_help_text,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_reaches_the_next_page(app: Flask, change: str) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, url, stamp = survey.id, base_url(survey), survey.structure_stamp
    page(app, url)  # kept
    shown = CHANGES[change](survey_id)
    db.session.commit()
    assert stamp_of(survey_id) != stamp
    assert shown in page(app, url)


def test_a_removed_question_goes(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, url = survey.id, base_url(survey)
    assert "Anything else?" in page(app, url)
    db.session.delete(_question(survey_id, "Anything else?"))
    db.session.commit()
    assert "Anything else?" not in page(app, url)


def test_a_change_rolled_back_keeps_the_stamp(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, url, stamp = survey.id, base_url(survey), survey.structure_stamp
    _retitle_question(survey_id)
    db.session.flush()
    assert stamp_of(survey_id) != stamp  # in the transaction...
    db.session.rollback()
    assert stamp_of(survey_id) == stamp  # ...and gone with it
    assert "How often do you visit?" in page(app, url)


def test_answers_and_drafts_leave_the_stamp_alone(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, stamp = survey.id, survey.structure_stamp
    client = app.test_client()
    assert answer_page(client, survey).status_code == 302
    assert send(client, survey).status_code == 302
    assert responses() == 1
    assert stamp_of(survey_id) == stamp


def test_a_new_survey_never_meets_a_deleted_ones_structure(app: Flask) -> None:
    """SQLite may give a new row the id of a deleted one: the stamp tells them apart."""
    neighbourhood = NeighbourhoodFactory()
    old = survey_with_questions(neighbourhood)
    url = base_url(old)
    assert "How often do you visit?" in page(app, url)
    db.session.delete(db.session.get(Survey, int(url.rsplit("/", 1)[1])))
    db.session.commit()
    new = Survey(neighbourhood_id=neighbourhood.id, title="Streets", status="open")
    db.session.add(new)
    add_question(add_section(new, "Streets"), QuestionKind.FREE_TEXT, "Which street?")
    db.session.commit()
    text = page(app, new)
    assert "Which street?" in text and "How often do you visit?" not in text


def _form_class_of(app: Flask, survey_id: int, slug: str) -> type[PageForm]:
    """The first section's form class as an answering page builds it, in a fresh session."""
    db.session.remove()
    with app.test_request_context():
        found = survey_for_answering(slug, survey_id)
        assert found is not None
        _, survey, _ = found
        return type(page_form(survey, survey.sections[0], {}, None, meta={"csrf": False}))


def test_kept_structures_own_their_form_classes(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, slug = survey.id, survey.neighbourhood.slug
    first = _form_class_of(app, survey_id, slug)
    assert _form_class_of(app, survey_id, slug) is first  # kept with its structure
    kept = kept_structure(db.session.get_one(Survey, survey_id))
    assert kept is not None and first in kept._made.values()

    _add_question(survey_id)
    db.session.commit()
    changed = _form_class_of(app, survey_id, slug)
    assert changed is not first  # a new structure builds (and keeps) its own
    assert [q.text for q in changed.page_questions][-1] == "What is your street like?"


def test_live_sections_get_a_new_form_class_each_time(app: Flask) -> None:
    """The builder's preview reads live rows: their forms are never kept, even when the
    survey's structure is."""
    survey = survey_with_questions(NeighbourhoodFactory())
    page(app, survey)  # the structure is kept
    live = db.session.get_one(Survey, survey.id)
    with app.test_request_context():
        built = [type(page_form(live, live.sections[0], {}, None)) for _ in range(2)]
    assert built[0] is not built[1]
    kept = kept_structure(live)
    assert kept is not None and not kept.owns(live.sections[0])
    assert not set(built) & set(kept._made.values())


def test_a_flush_of_anything_else_sends_only_its_own_statements(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey_id, stamp = survey.id, survey.structure_stamp
    survey = db.session.get_one(Survey, survey_id)  # loaded, as a page has it
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        start_draft(survey)
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO survey_draft")
    db.session.commit()
    assert stamp_of(survey_id) == stamp
