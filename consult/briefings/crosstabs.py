"""Cross-tabulations counted by the database: answers to one question by a respondent's answer
to another (a demographic question), by channel, and by demographic pattern for weighting.

Like :mod:`consult.briefings.aggregation`, every function is a GROUP BY that returns counts
keyed by ids; nothing here hides small numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import Integer, Select, and_, cast, func, null, select, union_all
from sqlalchemy.orm import aliased

from consult.briefings.aggregation import Window
from consult.extensions import db
from consult.surveys.models import Answer, Response

# {question id: {(group, option id): count}}; the group is an option id or a channel, and
# the option None (asked for) counts the group's respondents to the question.
CrossTab = dict[int, dict[tuple[object, int | None], int]]
# {(option id of each demographic question, in order): respondents}
Patterns = dict[tuple[int, ...], int]


def by_answer(
    window: Window,
    group_question_id: int,
    question_ids: Sequence[int],
    base_ids: Collection[int] = (),
) -> CrossTab:
    """Answers to each of ``question_ids`` by the same respondents' answer to
    ``group_question_id``: the group is None for those who did not answer it. For each of
    ``base_ids`` (questions with several answers each), the key (group, None) counts the
    respondents of the group who answered, from the same statement."""
    if not question_ids:
        return {}
    group = aliased(Answer)

    def grouped(*columns: Any) -> Select:
        return (
            select(Answer.question_id, group.option_id, *columns)
            .join(Response, Response.id == Answer.response_id)
            .outerjoin(
                group,
                and_(
                    group.response_id == Answer.response_id,
                    group.question_id == group_question_id,
                ),
            )
            .where(window.responses(), Answer.option_id.is_not(None))
        )

    query = grouped(Answer.option_id, func.count()).where(Answer.question_id.in_(question_ids))
    query = query.group_by(Answer.question_id, group.option_id, Answer.option_id)
    return _tabulate(db.session.execute(_with_bases(query, grouped, group.option_id, base_ids)))


def by_channel(
    window: Window, question_ids: Sequence[int], base_ids: Collection[int] = ()
) -> CrossTab:
    """Answers to each of ``question_ids`` by the channel their response came in by; bases of
    ``base_ids`` as in :func:`by_answer`."""
    if not question_ids:
        return {}

    def grouped(*columns: Any) -> Select:
        return (
            select(Answer.question_id, Response.channel, *columns)
            .join(Response, Response.id == Answer.response_id)
            .where(window.responses(), Answer.option_id.is_not(None))
        )

    query = grouped(Answer.option_id, func.count()).where(Answer.question_id.in_(question_ids))
    query = query.group_by(Answer.question_id, Response.channel, Answer.option_id)
    return _tabulate(db.session.execute(_with_bases(query, grouped, Response.channel, base_ids)))


def _with_bases(
    query: Select, grouped: Callable[..., Select], group: Any, base_ids: Collection[int]
) -> Any:
    """``query`` and, in the same statement (UNION ALL), the respondents of each group who
    answered each of ``base_ids``, with a NULL option."""
    if not base_ids:
        return query
    bases = (
        grouped(cast(null(), Integer), func.count(func.distinct(Answer.response_id)))
        .where(Answer.question_id.in_(list(base_ids)))
        .group_by(Answer.question_id, group)
    )
    return union_all(query, bases)


def _tabulate(rows: object) -> CrossTab:
    table: CrossTab = {}
    for question_id, group, option_id, count in rows:  # type: ignore[attr-defined]
        table.setdefault(question_id, {})[(group, option_id)] = int(count)
    return table


def patterns(window: Window, group_question_ids: Sequence[int]) -> Patterns:
    """Respondents who answered every one of ``group_question_ids``, by their answers."""
    groups = [aliased(Answer) for _ in group_question_ids]
    query = select(*(g.option_id for g in groups), func.count()).where(window.responses())
    for group, question_id in zip(groups, group_question_ids, strict=True):
        query = query.join(
            group, and_(group.response_id == Response.id, group.question_id == question_id)
        )
    query = query.select_from(Response).group_by(*(g.option_id for g in groups))
    found: Patterns = {}
    for row in db.session.execute(query):
        *pattern, count = row
        found[tuple(int(option) for option in pattern)] = int(count)
    return found


def answers_by_pattern(
    window: Window, group_question_ids: Sequence[int], question_ids: Sequence[int]
) -> dict[int, dict[tuple[tuple[int, ...], int], int]]:
    """{question id: {(pattern, option id): count}} for respondents who answered every one of
    ``group_question_ids`` (their pattern) and the question."""
    if not question_ids:
        return {}
    groups = [aliased(Answer) for _ in group_question_ids]
    query = (
        select(Answer.question_id, Answer.option_id, *(g.option_id for g in groups), func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(
            window.responses(), Answer.question_id.in_(question_ids), Answer.option_id.is_not(None)
        )
    )
    for group, question_id in zip(groups, group_question_ids, strict=True):
        query = query.join(
            group, and_(group.response_id == Answer.response_id, group.question_id == question_id)
        )
    query = query.group_by(Answer.question_id, Answer.option_id, *(g.option_id for g in groups))
    found: dict[int, dict[tuple[tuple[int, ...], int], int]] = {}
    for row in db.session.execute(query):
        question_id, option_id, *pattern, count = row
        key = (tuple(int(option) for option in pattern), int(option_id or 0))
        found.setdefault(question_id, {})[key] = int(count)
    return found
