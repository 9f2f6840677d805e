"""A response's answers are stored exactly as given, on SQLite and PostgreSQL alike (on
PostgreSQL they travel to the database as one JSON text: see consult.surveys.services)."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Answer
from consult.surveys.services import store_response
from tests.factories import NeighbourhoodFactory, answer_row, survey_with_questions

TEXTS = [
    'She said "no" \\ then left',  # quotes and a backslash, as JSON and arrays escape them
    "اپنے پارک کے بارے میں",  # Urdu
    "Ławka przy placu zabaw 🌳",  # Polish, and a character outside the BMP
    "null",
    "{1,2}",
    "line one\nline two\ttabbed",
]


def test_every_answer_is_stored_as_given(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    choice, many, scale, free = survey.questions
    given = [
        answer_row(question_id=choice.id, option_id=choice.options[1].id),
        answer_row(question_id=many.id, option_id=many.options[0].id),
        answer_row(question_id=many.id, option_id=many.options[2].id, rank=2),
        answer_row(question_id=scale.id, option_id=scale.options[2].id, text="Other: a bench"),
        *(answer_row(question_id=free.id, text=text) for text in TEXTS),
        answer_row(question_id=free.id, number=Decimal("-12.3456")),
        answer_row(question_id=free.id, number=Decimal("9999999999.9999")),
        answer_row(question_id=free.id, number=Decimal("0")),
    ]
    response_id = store_response(survey, given).id
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalars(
        select(Answer).where(Answer.response_id == response_id).order_by(Answer.id)
    ).all()
    columns = ("question_id", "option_id", "text", "number", "rank")
    assert [{c: getattr(a, c) for c in columns} for a in stored] == given


def test_a_response_without_answers_is_stored(app: Flask) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    response = store_response(survey, [])
    db.session.commit()
    assert response.id is not None and len(response.reference) > 0
    assert db.session.scalars(select(Answer)).all() == []
