"""Survey operations: what is open, storing a response, counting answers."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from consult.core.database import insert_now
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import (
    Answer,
    Channel,
    Option,
    Question,
    Response,
    Survey,
    SurveyStatus,
)

# No 0/O, 1/I/L or U: easy to read out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def open_surveys(neighbourhood: Neighbourhood, now: datetime) -> list[Survey]:
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.neighbourhood_id == neighbourhood.id, Survey.status == SurveyStatus.OPEN)
        .order_by(Survey.closes_at.is_(None), Survey.closes_at, Survey.id)
    ).all()
    return [s for s in surveys if s.is_open(now)]


def get_survey_or_none(neighbourhood: Neighbourhood, survey_id: int) -> Survey | None:
    """A survey of *this* neighbourhood: another's id finds nothing.

    Its sections, questions and options come with it (four queries in all), as every page of
    a survey walks them. Questions are read once, in reading order, and handed to their
    sections here rather than read a second time through ``Section.questions``.
    """
    survey = db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id, Survey.neighbourhood_id == neighbourhood.id)
        .options(
            selectinload(Survey.sections),
            selectinload(Survey.questions).selectinload(Question.options),
        )
    )
    if survey is not None:
        by_section: dict[int, list[Question]] = defaultdict(list)
        for question in survey.questions:
            by_section[question.section_id].append(question)
        for section in survey.sections:
            set_committed_value(section, "questions", by_section[section.id])
    return survey


def new_reference() -> str:
    """A reference a resident can quote: eight characters in two groups, e.g. ``K7QF-2M9D``.

    One in about 650 billion: a reference already taken is met so rarely that the INSERT
    finds it (see :func:`store_response`) rather than a query before every response."""
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def store_response(
    survey: Survey,
    rows: list[Answer],
    channel: Channel = Channel.ONLINE,
    event_name: str | None = None,
    keyed_by_id: int | None = None,
) -> Response:
    """Store one response made of already-checked answer rows; the caller commits.

    Two round trips: the response (a new reference drawn again if its reference is taken),
    then its rows as one bulk INSERT however many questions were answered.
    """
    while True:
        response = Response(
            survey_id=survey.id,
            reference=new_reference(),
            channel=channel.value,
            submitted_at=utcnow(),
            event_name=event_name,
            keyed_by_id=keyed_by_id,
        )
        if insert_now(response, unless_taken="reference"):
            break
    if rows:
        # Core on the table: the ORM's bulk path costs more than the statement.
        db.session.execute(
            insert(Answer.__table__), [_answer_values(response, row) for row in rows]
        )
    return response


def _answer_values(response: Response, row: Answer) -> dict[str, object]:
    return {
        "response_id": response.id,
        "question_id": row.question_id,
        "option_id": row.option_id,
        "text": row.text,
        "number": row.number,
        "rank": row.rank,
    }


def submit_response(
    survey: Survey, answers: dict[int, object], channel: Channel = Channel.ONLINE
) -> Response:
    """Store one response from simple answers keyed by question id.

    A choice is an option id (str or int), several choices a list of them, free text a string.
    Empty answers are skipped. Flushes; the caller commits. (Residents' pages go through
    :mod:`consult.surveys.answering`, which checks every kind.)
    """
    by_id = {q.id: q for q in survey.questions}
    rows = [row for qid, value in answers.items() for row in _answer_rows(by_id[qid], value)]
    return store_response(survey, rows, channel)


def _answer_rows(question: Question, value: object) -> list[Answer]:
    if value in (None, "", []):
        return []
    if not question.question_kind.has_options:
        text = str(value).strip()
        return [Answer(question_id=question.id, text=text)] if text else []
    values = value if isinstance(value, list) else [value]
    valid = {o.id for o in question.options}
    digits = {int(str(v)) for v in values if str(v).isdigit()}
    chosen = sorted(digits & valid)
    return [Answer(question_id=question.id, option_id=option_id) for option_id in chosen]


def scale_mean(question: Question) -> float | None:
    """The mean of a scale question's answers; "Don't know" (an option without a value) is out."""
    mean = db.session.scalar(
        select(func.avg(Option.value))
        .join(Answer, Answer.option_id == Option.id)
        .where(Answer.question_id == question.id, Option.value.is_not(None))
    )
    return None if mean is None else float(mean)


def count_responses(
    survey: Survey, since: datetime | None = None, until: datetime | None = None
) -> int:
    query = select(func.count(Response.id)).where(Response.survey_id == survey.id)
    if since is not None:
        query = query.where(Response.submitted_at >= since)
    if until is not None:
        query = query.where(Response.submitted_at < until)
    return db.session.scalar(query) or 0
