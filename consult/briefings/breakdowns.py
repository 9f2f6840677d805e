"""Breakdowns: a question's answers by each demographic group and by channel, suppressed.

Members choose which choice and scale questions with one answer each (single choice, yes/no,
scale) are broken down; an "About you" question never is, and every candidate is until members
choose. Groups are the demographic question's answers
(ethnic groups by their five high-level groups), with everyone who did not say in "Not stated",
so a breakdown's columns add up to the question's own counts and its total to the question's
base. Those are published in the question's table, so the breakdown is suppressed as a linked
table (:func:`consult.analysis.disclosure.suppress_linked_table`): what the question's table
hides stays hidden, groups below k are withheld, and complements protect the rest.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from consult.analysis.disclosure import safe_percent, suppress_linked_table
from consult.briefings import crosstabs
from consult.briefings.aggregation import Window
from consult.briefings.published import CHANNEL_LABELS, cell
from consult.extensions import db
from consult.surveys.builder_services import log_change
from consult.surveys.demographics import census_category, demographic_questions
from consult.surveys.models import Question, QuestionKind, Survey

# One answer each: a question of these kinds has one answer row per response.
ONE_ANSWER_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.SCALE})
BROKEN_DOWN_KINDS = ONE_ANSWER_KINDS
GROUP_NAMES = {
    "age_band": "age",
    "sex": "sex",
    "gender_identity": "whether gender identity is the same as sex registered at birth",
    "ethnic_group": "ethnic group",
    "disability": "long-term health condition",
    "tenure": "home",
    "employment": "what people do",
    "channel": "how people answered",
}
NOT_STATED = "Not stated"
Content = dict[str, Any]


def can_break_down(question: Question) -> bool:
    """Whether a question's answers can be broken down: a choice or scale question with
    options that is not itself an "About you" question."""
    return (
        question.question_kind in BROKEN_DOWN_KINDS
        and question.demographic_key is None
        and bool(question.options)
    )


def breakdown_candidates(survey: Survey) -> list[Question]:
    """The questions members can choose to have broken down, in survey order."""
    return [q for q in survey.questions if can_break_down(q)]


def broken_down(survey: Survey) -> list[Question]:
    """The questions a briefing breaks down: those members chose (every candidate until they
    choose otherwise)."""
    return [q for q in breakdown_candidates(survey) if q.broken_down]


def choose_breakdowns(survey: Survey, chosen: Collection[int], user_id: int | None) -> None:
    """Break down the candidates whose ids are in ``chosen`` and no others; a change made after
    residents answered is logged with the survey's other changes."""
    before = {q.id for q in broken_down(survey)}
    for question in breakdown_candidates(survey):
        question.broken_down = question.id in chosen
    after = {q.id for q in broken_down(survey)}
    if before != after:
        names = [f"‘{q.text}’" for q in broken_down(survey)]
        log_change(
            survey,
            user_id,
            "Breakdowns in briefings changed to: " + (", ".join(names) or "none"),
        )
    db.session.flush()


def add_breakdowns(survey: Survey, window: Window, questions: Sequence[Content], k: int) -> None:
    """Give each broken-down question's content its ``breakdowns`` (one per demographic question
    and one by channel), in place. Questions whose base is hidden get none."""
    published = {q["id"]: q for q in questions if q["base"]["count"]}
    targets = [q for q in broken_down(survey) if q.id in published]
    ids = [q.id for q in targets]
    for key, by_question in demographic_questions(survey).items():
        labels = {o.id: census_category(key, o.label) or NOT_STATED for o in by_question.options}
        order = [g for g in dict.fromkeys(labels.values()) if g != NOT_STATED] + [NOT_STATED]
        table = crosstabs.by_answer(window, by_question.id, ids)
        for question in targets:
            counts = _grouped(table.get(question.id, {}), labels)
            published[question.id].setdefault("breakdowns", []).append(
                breakdown(question, published[question.id], key, order, counts, k)
            )
    channels = crosstabs.by_channel(window, ids)
    for question in targets:
        by_channel = channels.get(question.id, {})
        used = [c for c in CHANNEL_LABELS if any(group == c for group, _ in by_channel)]
        if len(used) > 1:
            labelled = {(CHANNEL_LABELS[str(c)], o): n for (c, o), n in by_channel.items()}
            order = [CHANNEL_LABELS[c] for c in used]
            published[question.id].setdefault("breakdowns", []).append(
                breakdown(question, published[question.id], "channel", order, labelled, k)
            )


def _grouped(
    counts: Mapping[tuple[object, int], int], labels: Mapping[int, str]
) -> dict[tuple[str, int], int]:
    """Counts by (group label, option id): options of one group added up, no answer "Not
    stated"."""
    grouped: dict[tuple[str, int], int] = {}
    for (group, option_id), count in counts.items():
        label = labels.get(group, NOT_STATED) if isinstance(group, int) else NOT_STATED
        grouped[(label, option_id)] = grouped.get((label, option_id), 0) + count
    return grouped


def breakdown(
    question: Question,
    published: Content,
    by: str,
    groups: Sequence[str],
    counts: Mapping[tuple[str, int], int],
    k: int,
) -> Content:
    """One breakdown, suppressed to match the question's published table: rows are groups with
    their size and each answer's count and percentage of the group. Groups with nobody, and
    groups withheld for having fewer than k, are left out (``left_out`` counts the withheld)."""
    options = question.options
    rows = [[counts.get((group, o.id), 0) for o in options] for group in groups]
    shown = {o["id"]: o for o in published["options"]}
    hidden_columns = {i for i, o in enumerate(options) if shown[o.id]["count"] is None}
    table = suppress_linked_table(rows, k, hidden_columns, published["base"]["count"] is None)
    content: Content = {
        "by": by,
        "title": f"“{question.text}” by {GROUP_NAMES[by]}",
        "columns": [o.label for o in options],
        "rows": [],
        "left_out": 0,
    }
    if table is None:
        content["withheld"] = True
        return content
    content["left_out"] = len(table.withheld_rows)
    for index, group in enumerate(groups):
        if index in table.withheld_rows or sum(rows[index]) == 0:
            continue
        total = table.row_totals[index]
        base = 0 if total.count is None else total.count
        content["rows"].append(
            {
                "label": group,
                "total": cell(total),
                "cells": [
                    {**cell(c), "percent": safe_percent(c, base, k)} for c in table.cells[index]
                ],
            }
        )
    return content
