"""What a briefing counts, counted by the database: GROUP BY and aggregates, never response rows.

Every function takes a survey's time window and returns plain numbers keyed by ids. Nothing
here hides small numbers: :mod:`consult.briefings.content` applies disclosure control before any
number is stored or shown. Free text is the one thing read row by row, and it is streamed in
chunks and sampled into a fixed-size reservoir, so memory does not grow with it.

Speed: when every response so far came in before the window's end (a briefing "up to now"),
answers are picked by their question ids alone, with no join to ``response``; otherwise they are
joined to their responses to leave out later ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from consult.extensions import db
from consult.surveys.models import Answer, Response, Survey

TEXT_CHUNK = 1000
AnswerQuery = TypeVar("AnswerQuery", bound=Select)


@dataclass(frozen=True)
class Window:
    """A survey's questions, and its responses submitted before ``end``; those from ``start``
    on are "in the period"."""

    survey_id: int
    start: datetime
    end: datetime
    question_ids: tuple[int, ...] = ()

    def responses(self) -> ColumnElement[bool]:
        return and_(Response.survey_id == self.survey_id, Response.submitted_at < self.end)

    def is_up_to_date(self) -> bool:
        """Whether no response came in at or after ``end``, so none needs leaving out."""
        latest = db.session.scalar(
            select(func.max(Response.submitted_at)).where(Response.survey_id == self.survey_id)
        )
        return latest is None or latest < self.end

    def answers(self, query: AnswerQuery, whole: bool) -> AnswerQuery:
        """``query`` over this window's answers (``whole``: every answer to the survey is in)."""
        if whole:
            return query.where(Answer.question_id.in_(self.question_ids))
        return query.join(Response, Response.id == Answer.response_id).where(self.responses())


@dataclass(frozen=True)
class ChannelCounts:
    """Responses by channel: in the period, and before it."""

    in_period: dict[str, int]
    earlier: dict[str, int]


@dataclass(frozen=True)
class AnswerGroup:
    """The answer rows of one (question, option), option None for numbers and free text."""

    rows: int
    numbers: int
    number_total: float
    minimum: float | None
    maximum: float | None
    texts: int


def responses_by_channel(window: Window) -> ChannelCounts:
    """How many responses came by each channel, in the period and before it."""
    in_period = case((Response.submitted_at >= window.start, 1), else_=0)
    rows = db.session.execute(
        select(Response.channel, func.count(), func.coalesce(func.sum(in_period), 0))
        .where(window.responses())
        .group_by(Response.channel)
        .order_by(Response.channel)
    )
    period: dict[str, int] = {}
    earlier: dict[str, int] = {}
    for channel, count, recent in rows:
        period[channel] = int(recent)
        earlier[channel] = int(count) - int(recent)
    return ChannelCounts(in_period=period, earlier=earlier)


def answer_groups(window: Window, whole: bool) -> dict[tuple[int, int | None], AnswerGroup]:
    """{(question id, option id): counts, and for numbers their sum, min and max} in one
    GROUP BY pass over the answers."""
    query = select(
        Answer.question_id,
        Answer.option_id,
        func.count(),
        func.count(Answer.number),
        func.sum(Answer.number),
        func.min(Answer.number),
        func.max(Answer.number),
        func.count(Answer.text),
    ).group_by(Answer.question_id, Answer.option_id)
    groups = {}
    for qid, oid, rows, numbers, total, low, high, texts in db.session.execute(
        window.answers(query, whole)
    ):
        groups[(qid, oid)] = AnswerGroup(
            rows=int(rows),
            numbers=int(numbers),
            number_total=float(total or 0),
            minimum=None if low is None else float(low),
            maximum=None if high is None else float(high),
            texts=int(texts),
        )
    return groups


def distinct_respondents(window: Window, question_ids: list[int], whole: bool) -> dict[int, int]:
    """{question id: responses that answered it} for questions with several rows per response
    (multiple choice, ranking); other questions have one row each, counted by ``answer_groups``."""
    if not question_ids:
        return {}
    query = (
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .where(Answer.question_id.in_(question_ids))
        .group_by(Answer.question_id)
    )
    return {qid: int(count) for qid, count in db.session.execute(window.answers(query, whole))}


def stream_free_text(window: Window, question_id: int, chunk: int = TEXT_CHUNK) -> Iterator[str]:
    """Every written answer to one question, read ``chunk`` rows at a time by keyset pagination
    (``answer.id > last``), so no more than one chunk is ever held."""
    last = 0
    while True:
        rows = db.session.execute(
            select(Answer.id, Answer.text)
            .join(Response, Response.id == Answer.response_id)
            .where(
                window.responses(),
                Answer.question_id == question_id,
                Answer.option_id.is_(None),
                Answer.text.is_not(None),
                Answer.id > last,
            )
            .order_by(Answer.id)
            .limit(chunk)
        ).all()
        for _, text in rows:
            yield text or ""
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def sample_texts(texts: Iterator[str], size: int, seed: int = 0) -> list[str]:
    """At most ``size`` texts, a uniform random sample (reservoir sampling, seeded, so the same
    answers always give the same sample), in the order they came."""
    rng = random.Random(seed)  # noqa: S311 (sampling, not security)
    reservoir: list[tuple[int, str]] = []
    for index, text in enumerate(texts):
        if index < size:
            reservoir.append((index, text))
            continue
        slot = rng.randint(0, index)
        if slot < size:
            reservoir[slot] = (index, text)
    return [text for _, text in sorted(reservoir)]


def responses_in_neighbourhood(neighbourhood_id: int, start: datetime, end: datetime) -> int:
    """Responses to any survey of one neighbourhood submitted from ``start`` up to ``end``."""
    count = db.session.scalar(
        select(func.count(Response.id))
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.neighbourhood_id == neighbourhood_id,
            Response.submitted_at >= start,
            Response.submitted_at < end,
        )
    )
    return int(count or 0)
