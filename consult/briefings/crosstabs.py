"""Cross-tabulations counted by the database: answers to one question by a respondent's answer
to another (a demographic question), by channel, and by demographic pattern for weighting.

Like :mod:`consult.briefings.aggregation`, every function is a GROUP BY that returns counts
keyed by ids; nothing here hides small numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from consult.briefings.aggregation import Window
from consult.extensions import db
from consult.surveys.models import Answer, Response

# {question id: {(group, option id): count}}; the group is an option id or a channel.
CrossTab = dict[int, dict[tuple[object, int], int]]
# {(option id of each demographic question, in order): respondents}
Patterns = dict[tuple[int, ...], int]


def by_answer(window: Window, group_question_id: int, question_ids: Sequence[int]) -> CrossTab:
    """Answers to each of ``question_ids`` by the same respondents' answer to
    ``group_question_id``: the group is None for those who did not answer it."""
    if not question_ids:
        return {}
    group = aliased(Answer)
    query = (
        select(Answer.question_id, group.option_id, Answer.option_id, func.count())
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(
            group,
            and_(group.response_id == Answer.response_id, group.question_id == group_question_id),
        )
        .where(
            window.responses(), Answer.question_id.in_(question_ids), Answer.option_id.is_not(None)
        )
        .group_by(Answer.question_id, group.option_id, Answer.option_id)
    )
    return _tabulate(db.session.execute(query))


def by_channel(window: Window, question_ids: Sequence[int]) -> CrossTab:
    """Answers to each of ``question_ids`` by the channel their response came in by."""
    if not question_ids:
        return {}
    query = (
        select(Answer.question_id, Response.channel, Answer.option_id, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(
            window.responses(), Answer.question_id.in_(question_ids), Answer.option_id.is_not(None)
        )
        .group_by(Answer.question_id, Response.channel, Answer.option_id)
    )
    return _tabulate(db.session.execute(query))


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
