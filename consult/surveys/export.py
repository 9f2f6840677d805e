"""Every response to a survey as CSV, one row per response: a record-level download.

Who may export: members and officers of the survey's neighbourhood, and site admins (the same
people who see its results), and operators with shell access through
``consult export responses``. Every export is recorded (who, which survey, when, how; never
what was in it) in :class:`consult.surveys.export_models.ExportRecord` and in the log.

What the file holds: reference, channel, event and date, then one column per question
(multiple choice and ranking: one column per option, holding 1 or the rank). Free text and
"Other, please specify" text are redacted of personal data (emails, phone numbers, postcodes,
addresses, names after a title) by :func:`consult.analysis.redaction.redact`. Every text cell
is made safe from spreadsheet formula injection. The file starts with a UTF-8 byte order mark,
so that Excel reads it as UTF-8.

Memory stays flat: responses are read ``chunk`` at a time by keyset pagination, with their
answers in one query per chunk, and each chunk's CSV text is handed on before the next is read.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from consult.analysis.redaction import redact
from consult.briefings.tables import safe_text
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.export_models import ExportRecord
from consult.surveys.models import Answer, OptionRole, Question, QuestionKind, Response, Survey

log = logging.getLogger(__name__)

EXPORT_CHUNK = 500
BOM = "\ufeff"
FIXED_HEADERS = ("Reference", "Channel", "Event", "Submitted (UTC)")
SINGLE_ANSWER_KINDS = {
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
}


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer, as read for the export."""

    option_id: int | None
    text: str | None
    number: Decimal | None
    rank: int | None


Cell = Callable[[Sequence[AnswerRow]], str]


@dataclass(frozen=True)
class Column:
    """One column of the export: its header and how a response's answers to the question
    become the cell."""

    question_id: int
    header: str
    cell: Cell


def number_text(value: Decimal | None) -> str:
    """``3`` for 3.0000, ``2.5`` for 2.5000: no trailing zeros, never an exponent."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def _chosen_label(labels: dict[int, str]) -> Cell:
    return lambda rows: next((labels[r.option_id] for r in rows if r.option_id in labels), "")


def _ticked(option_id: int) -> Cell:
    return lambda rows: "1" if any(r.option_id == option_id for r in rows) else ""


def _rank(option_id: int) -> Cell:
    return lambda rows: next(
        (str(r.rank) for r in rows if r.option_id == option_id and r.rank is not None), ""
    )


def _other_text(option_id: int) -> Cell:
    return lambda rows: next(
        (redact(r.text) for r in rows if r.option_id == option_id and r.text), ""
    )


def _written(rows: Sequence[AnswerRow]) -> str:
    return next((redact(r.text) for r in rows if r.option_id is None and r.text), "")


def _sector(rows: Sequence[AnswerRow]) -> str:
    return next((r.text for r in rows if r.text), "")


def _number(rows: Sequence[AnswerRow]) -> str:
    return next((number_text(r.number) for r in rows if r.number is not None), "")


def question_columns(position: int, question: Question) -> list[Column]:
    """The columns for one question, headed "Q<position>. <question text>"."""
    kind = question.question_kind
    title = f"Q{position}. {question.text}"
    columns: list[Column] = []
    if kind in SINGLE_ANSWER_KINDS:
        labels = {o.id: o.label for o in question.options}
        columns.append(Column(question.id, title, _chosen_label(labels)))
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        columns += [
            Column(question.id, f"{title}: {o.label}", _ticked(o.id)) for o in question.options
        ]
    elif kind is QuestionKind.RANKING:
        columns += [
            Column(question.id, f"{title}: {o.label}", _rank(o.id)) for o in question.options
        ]
    elif kind is QuestionKind.NUMBER:
        columns.append(Column(question.id, title, _number))
    elif kind is QuestionKind.POSTCODE:
        columns.append(Column(question.id, f"{title} (sector)", _sector))
    else:
        columns.append(Column(question.id, title, _written))
    columns += [
        Column(question.id, f"{title}: {o.label} (text)", _other_text(o.id))
        for o in question.options
        if o.role == OptionRole.OTHER
    ]
    return columns


def survey_columns(survey: Survey) -> list[Column]:
    return [
        column
        for position, question in enumerate(survey.questions, start=1)
        for column in question_columns(position, question)
    ]


def export_rows(survey: Survey, chunk: int = EXPORT_CHUNK) -> Iterator[list[str]]:
    """The header row, then one row per response in the order they came (every cell text)."""
    columns = survey_columns(survey)
    yield [*FIXED_HEADERS, *(column.header for column in columns)]
    for response, answers in _responses(survey.id, chunk):
        fixed = [
            response.reference,
            response.channel,
            response.event_name or "",
            response.submitted_at.strftime("%Y-%m-%d %H:%M"),
        ]
        yield fixed + [column.cell(answers.get(column.question_id, ())) for column in columns]


def _responses(survey_id: int, chunk: int) -> Iterator[tuple[Any, dict[int, list[AnswerRow]]]]:
    """Each response (a row of its columns, not an ORM object, so the session keeps nothing)
    with its answers by question id, read ``chunk`` responses at a time."""
    last = 0
    while True:
        responses = db.session.execute(
            select(
                Response.id,
                Response.reference,
                Response.channel,
                Response.event_name,
                Response.submitted_at,
            )
            .where(Response.survey_id == survey_id, Response.id > last)
            .order_by(Response.id)
            .limit(chunk)
        ).all()
        if not responses:
            return
        answers: dict[int, dict[int, list[AnswerRow]]] = defaultdict(lambda: defaultdict(list))
        for response_id, question_id, option_id, text, number, rank in db.session.execute(
            select(
                Answer.response_id,
                Answer.question_id,
                Answer.option_id,
                Answer.text,
                Answer.number,
                Answer.rank,
            ).where(Answer.response_id.in_([r.id for r in responses]))
        ):
            answers[response_id][question_id].append(AnswerRow(option_id, text, number, rank))
        for response in responses:
            yield response, answers.get(response.id, {})
        last = responses[-1].id


def export_csv(survey: Survey, chunk: int = EXPORT_CHUNK) -> Iterator[str]:
    """The export as pieces of CSV text, the first starting with a byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write(BOM)
    for count, row in enumerate(export_rows(survey, chunk), start=1):
        writer.writerow([safe_text(cell) for cell in row])
        if count % chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def record_export(survey: Survey, user_id: int | None, via: str) -> ExportRecord:
    """Record that someone (or the command line, ``user_id`` None) exported a survey's
    responses. Flushes; the caller commits. Logs ids only."""
    record = ExportRecord(survey_id=survey.id, user_id=user_id, via=via, exported_at=utcnow())
    db.session.add(record)
    db.session.flush()
    log.info("responses to survey %s exported by user %s via %s", survey.id, user_id, via)
    return record


def export_filename(survey: Survey) -> str:
    return f"survey-{survey.id}-responses-{utcnow():%Y-%m-%d}.csv"
