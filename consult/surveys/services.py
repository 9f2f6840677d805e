"""Survey operations: what is open, storing a response, counting answers."""

from __future__ import annotations

import functools
import json
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Select, bindparam, cast, column, exists, func, insert, select, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from consult.core.database import adopt, insert_now
from consult.core.forms import whole_number
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.kinds import row_values
from consult.surveys.models import (
    Answer,
    Channel,
    Draft,
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


# What a page sent without reading its survey first relies on (see consult.surveys.sending):
# the survey's row holds these values still, as the page saw them a moment before.
UNCHANGED_COLUMNS = (
    "neighbourhood_id",
    "status",
    "opens_at",
    "closes_at",
    "access_mode",
    "send_from_last_page",
    "structure_stamp",
)


class SurveyChangedError(Exception):
    """The survey's row is no longer as the sender saw it: nothing was stored."""


def store_response(
    survey: Survey,
    rows: Sequence[Mapping[str, Any]],
    channel: Channel = Channel.ONLINE,
    event_name: str | None = None,
    keyed_by_id: int | None = None,
    draft: Draft | None = None,
    as_seen: Mapping[str, Any] | None = None,
) -> Response:
    """Store one response made of already-checked answers (their column values, as
    :func:`consult.surveys.kinds.answer_values` gives them); the caller commits.

    With ``draft`` (a new one, not yet written: a page that sends, opened afresh) the draft is
    written too, linked to the response, and last: if that token's draft is already written
    (a second press of the same button), ``IntegrityError`` and nothing is kept.

    With ``as_seen`` (PostgreSQL only: the survey's row as a page showed it, not read again),
    nothing is written unless the survey's row still holds those values in every one of
    :data:`UNCHANGED_COLUMNS`, checked by the same statement: ``SurveyChangedError``. The
    response and draft written then come back detached, not in the session.

    A taken reference is found by the INSERT itself and drawn again. On PostgreSQL the
    response, its answers (from one JSON text, however many) and the draft are one statement: each
    statement cost more in the app than in the database. Elsewhere, one statement each.
    """
    values = {
        "survey_id": survey.id,
        "channel": channel.value,
        "submitted_at": utcnow(),
        "event_name": event_name,
        "keyed_by_id": keyed_by_id,
    }
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        if as_seen is not None:
            raise ValueError("as_seen needs PostgreSQL")
        return _store_one_by_one(values, rows, draft)
    given: dict[str, Any] = {**values, "answers": _answers_json(rows)}
    if draft is not None:
        given.update(
            draft_survey_id=draft.survey_id,
            draft_token_hash=draft.token_hash,
            draft_answers=json.dumps(draft.answers),
            draft_updated_at=draft.updated_at,
        )
    if as_seen is not None:
        given.update({f"seen_{name}": as_seen[name] for name in UNCHANGED_COLUMNS})
    sql = _storing_sql(draft is not None, as_seen is not None, connection.dialect)
    while True:
        given["reference"] = new_reference()
        found = connection.exec_driver_sql(sql, given).first()
        if as_seen is not None and not (found is not None and found[-1]):
            raise SurveyChangedError(survey.id)
        if found is not None and found[0] is not None:
            break
    response = Response()
    # A page sent as seen is committed at once, and nothing reads these again.
    kept = as_seen is None
    adopt(response, {**values, "reference": given["reference"], "id": found[0]}, kept)
    if draft is not None:
        adopt(draft, {**_draft_row(draft), "id": found[1], "response_id": found[0]}, kept)
    return response


ANSWER_COLUMNS = ("question_id", "option_id", "text", "number", "rank")


def _answers_json(rows: Sequence[Mapping[str, Any]]) -> str:
    """The answers as one JSON array of objects, for ``json_to_recordset`` in the storing
    statement: the driver adapts one text far faster than five arrays (a tenth of sending a
    page went on adapting them). A missing key is null there; a number goes as its decimal
    text (exact, read by ``numeric``'s own input)."""
    return json.dumps(
        [
            {c: str(v) if c == "number" else v for c in ANSWER_COLUMNS if (v := row[c]) is not None}
            for row in rows
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _store_one_by_one(
    values: dict[str, Any], rows: Sequence[Mapping[str, Any]], draft: Draft | None
) -> Response:
    while True:
        response = Response(reference=new_reference(), **values)
        if insert_now(response, unless_taken="reference"):
            break
    if rows:
        # Core on the table: the ORM's bulk path costs more than the statement.
        db.session.execute(
            insert(Answer.__table__), [{**row, "response_id": response.id} for row in rows]
        )
    if draft is not None:
        draft.response_id = response.id
        insert_now(draft)
    return response


def _draft_row(draft: Draft) -> dict[str, Any]:
    return {column.key: getattr(draft, column.key) for column in Draft.__table__.c}


@functools.cache
def _storing_sql(with_draft: bool, guarded: bool, dialect: Dialect) -> str:
    """The statement's SQL, compiled once and sent as it is: SQLAlchemy's own execution
    (finding the compiled form by the statement's cache key, processing each value) cost more
    than the rest of the write. So every value is given ready for the driver (JSON as text),
    and only the new ids come back: the other columns are the values given."""
    return str(_storing_statement(with_draft, guarded).compile(dialect=dialect))


def _storing_statement(with_draft: bool, guarded: bool) -> Select[Any]:
    """:func:`store_response`'s statement on PostgreSQL::

        WITH new_response AS (INSERT INTO response ... ON CONFLICT (reference) DO NOTHING
                              RETURNING id),
             new_answers AS (INSERT INTO answer ... SELECT new_response.id, given.*
                             FROM new_response JOIN json_to_recordset(:answers) AS given),
             new_draft AS (INSERT INTO survey_draft ... SELECT ..., new_response.id
                           FROM new_response RETURNING id)
        SELECT new_response.id, new_draft.id AS draft_id FROM new_response ...

    No row when the reference was taken: then nothing at all was written.

    ``guarded``: the response is written only if the survey's row is as seen (``unchanged``,
    one row of one column, computed first), and the statement always gives one row, ending
    with ``unchanged``: the ids are null when nothing was written.
    """
    responses, answers = Response.__table__, Answer.__table__
    columns = [c for c in responses.c if c is not responses.c.id]
    unchanged = _unchanged_survey() if guarded else None
    if unchanged is None:
        insert_response = postgresql.insert(responses).values(
            {c.key: bindparam(c.key) for c in columns}
        )
    else:
        insert_response = postgresql.insert(responses).from_select(
            [c.key for c in columns],
            select(*(cast(bindparam(c.key), c.type) for c in columns)).where(
                select(unchanged.c.unchanged).scalar_subquery()
            ),
        )
    response = (
        insert_response.on_conflict_do_nothing(index_elements=["reference"])
        .returning(responses.c.id)
        .cte("new_response")
    )
    given = (
        func.json_to_recordset(cast(bindparam("answers"), postgresql.JSON))
        .table_valued(*(column(name, answers.c[name].type) for name in ANSWER_COLUMNS))
        .render_derived(name="given", with_types=True)
    )
    new_answers = (
        insert(answers)
        .from_select(
            ["response_id", *ANSWER_COLUMNS],
            select(response.c.id, *(given.c[name] for name in ANSWER_COLUMNS))
            .select_from(response)
            .join(given, true()),
        )
        .cte("new_answers")
    )
    statement = select(response.c.id).add_cte(new_answers)
    if unchanged is not None:
        statement = statement.select_from(unchanged).outerjoin(response, true())
    if with_draft:
        statement = _with_new_draft(statement, response)
    if unchanged is not None:
        statement = statement.add_columns(unchanged.c.unchanged)
    return statement


def _unchanged_survey() -> CTE:
    """Whether the survey's row holds the values seen (``seen_<column>``) in every one of
    :data:`UNCHANGED_COLUMNS`: one row, one column."""
    surveys = Survey.__table__
    same = (
        surveys.c[name].is_not_distinct_from(bindparam(f"seen_{name}", type_=surveys.c[name].type))
        for name in UNCHANGED_COLUMNS
    )
    found = exists().where(surveys.c.id == bindparam("survey_id"), *same)
    return select(found.label("unchanged")).cte("unchanged")


def _with_new_draft(statement: Select[Any], response: CTE) -> Select[Any]:
    """``statement`` writing the new draft too, after its response, and giving its id."""
    drafts = Draft.__table__
    draft_columns = ("survey_id", "token_hash", "answers", "updated_at")
    new_draft = (
        insert(drafts)
        .from_select(
            [*draft_columns, "response_id"],
            select(
                *(bindparam(f"draft_{name}", type_=drafts.c[name].type) for name in draft_columns),
                response.c.id,
            ).select_from(response),
        )
        .returning(drafts.c.id)
        .cte("new_draft")
    )
    return statement.add_columns(new_draft.c.id.label("draft_id")).outerjoin(new_draft, true())


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


def _answer_rows(question: Question, value: object) -> list[dict[str, Any]]:
    if value in (None, "", []):
        return []
    if not question.question_kind.has_options:
        text = str(value).strip()
        return [row_values(question, text=text)] if text else []
    values = value if isinstance(value, list) else [value]
    valid = {o.id for o in question.options}
    digits = {n for v in values if (n := whole_number(str(v))) is not None}
    return [row_values(question, option_id=option_id) for option_id in sorted(digits & valid)]


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
