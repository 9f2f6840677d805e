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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

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

    def answers(self, query: AnswerQuery, whole: bool) -> AnswerQuery:
        """``query`` over this window's answers (``whole``: every answer to the survey is in)."""
        if whole:
            return query.where(Answer.question_id.in_(self.question_ids))
        return query.join(Response, Response.id == Answer.response_id).where(self.responses())


@dataclass(frozen=True)
class ChannelCounts:
    """Responses by channel: in the period, and before it; and when the survey's latest
    response came in, in the window or after it."""

    in_period: dict[str, int]
    earlier: dict[str, int]
    latest: datetime | None = None

    def up_to_date(self, end: datetime) -> bool:
        """Whether no response came in at or after ``end``, so none needs leaving out."""
        return self.latest is None or self.latest < end


@dataclass(frozen=True)
class AnswerGroup:
    """The answer rows of one (question, option), option None for numbers and free text."""

    rows: int
    numbers: int
    number_total: float
    minimum: float | None
    maximum: float | None
    texts: int


@dataclass(frozen=True)
class AnswerCounts:
    """Answer rows by (question, option), and respondents of questions with several rows each."""

    groups: dict[tuple[int, int | None], AnswerGroup]
    respondents: dict[int, int]


def responses_by_channel(window: Window) -> ChannelCounts:
    """How many responses came by each channel, in the period and before it, and the survey's
    latest response, from one GROUP BY over the survey's responses."""
    before_end = case((Response.submitted_at < window.end, 1), else_=0)
    in_period = case(
        (and_(Response.submitted_at >= window.start, Response.submitted_at < window.end), 1),
        else_=0,
    )
    rows = db.session.execute(
        select(
            Response.channel,
            func.coalesce(func.sum(before_end), 0),
            func.coalesce(func.sum(in_period), 0),
            func.max(Response.submitted_at),
        )
        .where(Response.survey_id == window.survey_id)
        .group_by(Response.channel)
        .order_by(Response.channel)
    )
    period: dict[str, int] = {}
    earlier: dict[str, int] = {}
    latest: datetime | None = None
    for channel, count, recent, last in rows:
        latest = last if latest is None or last > latest else latest
        if count:  # a channel used only after the window's end is not in it
            period[channel] = int(recent)
            earlier[channel] = int(count) - int(recent)
    return ChannelCounts(in_period=period, earlier=earlier, latest=latest)


def count_answers(
    window: Window,
    whole: bool,
    with_options: Sequence[int],
    without_options: Sequence[int],
    several: Sequence[int],
) -> AnswerCounts:
    """Every count of the window's answers in one statement (a UNION ALL of GROUP BYs, so one
    round trip): rows per (question, option) for ``with_options`` (choices, counted as the bare
    GROUP BY counts them); count, sum, smallest and largest number and written answers per
    question for ``without_options``; respondents per question for ``several`` (questions with
    several rows per response: multiple choice, ranking)."""
    none = cast(null(), Numeric)
    zero = literal_column("0", Integer)
    no_option = cast(null(), Integer)
    parts: list[Select] = []
    if without_options:
        values = _part(
            0,
            no_option,
            func.count(),
            func.count(Answer.number),
            func.sum(Answer.number),
            func.min(Answer.number),
            func.max(Answer.number),
            func.count(Answer.text),
        ).where(Answer.question_id.in_(without_options))
        parts.append(window.answers(values, whole).group_by(Answer.question_id))
    if with_options:
        choices = _part(1, Answer.option_id, func.count(), zero, none, none, none, zero)
        choices = choices.where(Answer.question_id.in_(with_options))
        parts.append(window.answers(choices, whole).group_by(Answer.question_id, Answer.option_id))
    if several:
        respondents = func.count(func.distinct(Answer.response_id))
        people = _part(2, no_option, respondents, zero, none, none, none, zero)
        people = people.where(Answer.question_id.in_(several))
        parts.append(window.answers(people, whole).group_by(Answer.question_id))
    found = AnswerCounts(groups={}, respondents={})
    if not parts:
        return found
    for part, qid, oid, rows, numbers, total, low, high, texts in db.session.execute(
        union_all(*parts) if len(parts) > 1 else parts[0]
    ):
        if part == 2:
            found.respondents[qid] = int(rows)
            continue
        found.groups[(qid, oid)] = AnswerGroup(
            rows=int(rows),
            numbers=int(numbers),
            number_total=float(total or 0),
            minimum=None if low is None else float(low),
            maximum=None if high is None else float(high),
            texts=int(texts),
        )
    return found


def _part(part: int, option: Any, *counts: Any) -> Select:
    """One GROUP BY of :func:`count_answers`, its columns named so that the parts line up."""
    names = ("rows", "numbers", "total", "low", "high", "texts")
    return select(
        literal_column(str(part), Integer).label("part"),
        Answer.question_id,
        option.label("option_id"),
        *(count.label(name) for count, name in zip(counts, names, strict=True)),
    )


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
