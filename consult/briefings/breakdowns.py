"""Breakdowns: a question's answers by each demographic group and by channel, suppressed.

Members choose which choice and scale questions (single choice, multiple choice, yes/no, scale)
are broken down; an "About you" question never is, and every candidate is until members choose.
Groups are the demographic question's answers (ethnic groups by their five high-level groups),
with everyone who did not say in "Not stated", so a breakdown's columns add up to the
question's own counts and its bases to the question's base. Those are published in the
question's table, so the breakdown is suppressed as a linked table (``suppress_linked_table``
in :mod:`consult.analysis.disclosure`, or ``suppress_linked_columns`` for multiple choice, whose
answers add up to more than a group's base): what the question's table hides stays hidden,
groups below k are withheld, and complements protect the rest. A group's bases are also kept
k apart from its size and from each other (:mod:`consult.analysis.differencing`), so no
subtraction between tables counts the few of a group who skipped a question.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask_babel import gettext as _

from consult.analysis.differencing import keep_apart
from consult.analysis.disclosure import (
    SuppressedTable,
    safe_percent,
    suppress_linked_columns,
    suppress_linked_table,
)
from consult.briefings import crosstabs
from consult.briefings.aggregation import Window
from consult.briefings.published import CHANNEL_LABELS, cell
from consult.extensions import db
from consult.surveys.builder_services import log_change
from consult.surveys.demographics import census_category, demographic_questions
from consult.surveys.models import Question, QuestionKind, Survey

# One answer each: a question of these kinds has one answer row per response.
ONE_ANSWER_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.SCALE})
BROKEN_DOWN_KINDS = ONE_ANSWER_KINDS | {QuestionKind.MULTIPLE_CHOICE}
# Everyone who did not say, as a group; named in the reader's language when rendered.
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
        names = ", ".join(f"‘{q.text}’" for q in broken_down(survey))
        log_change(
            survey,
            user_id,
            _("Breakdowns in briefings changed to: %(questions)s", questions=names or _("none")),
        )
    db.session.flush()


def answers_add_up(question: Question) -> bool:
    """Whether a question's answer counts add up to its base: one answer each (a multiple-choice
    question allowing only one tick is, in effect, single choice)."""
    kind = question.question_kind
    return kind in ONE_ANSWER_KINDS or (
        kind is QuestionKind.MULTIPLE_CHOICE and question.max_choices == 1
    )


def add_breakdowns(
    survey: Survey,
    window: Window,
    questions: Sequence[Content],
    k: int,
    option_counts: Mapping[int, Mapping[int, int]],
    channel_totals: Mapping[str, int],
) -> None:
    """Give each broken-down question's content its ``breakdowns`` (one per demographic question
    and one by channel), in place. Questions whose base is hidden get none.

    ``option_counts`` (the survey's answer counts by question and option) and ``channel_totals``
    (responses by channel) give each group's size, which the briefing publishes elsewhere: no
    breakdown publishes a base that differs from it, or from another base of the same group, by
    1 to k - 1 (:func:`consult.analysis.differencing.keep_apart`).
    """
    published, targets = _targets(survey, questions)
    if not targets:
        return
    ids = [q.id for q in targets]
    multi = {q.id for q in targets if not answers_add_up(q)}
    responses = sum(channel_totals.values())
    for key, by_question in demographic_questions(survey).items():
        labels = {o.id: census_category(key, o.label) or NOT_STATED for o in by_question.options}
        order = [g for g in dict.fromkeys(labels.values()) if g != NOT_STATED] + [NOT_STATED]
        sizes = _group_sizes(labels, option_counts.get(by_question.id, {}), responses)
        table = crosstabs.by_answer(window, by_question.id, ids, multi)
        counts = {q.id: _grouped(table.get(q.id, {}), labels) for q in targets}
        by_key = Variable(key, order, sizes, k)
        for question_id, content in by_key.breakdowns(targets, published, counts).items():
            published[question_id].setdefault("breakdowns", []).append(content)
    by_channel = channel_breakdowns(survey, window, questions, k, channel_totals)
    for question_id, content in by_channel.items():
        published[question_id].setdefault("breakdowns", []).append(content)


def channel_breakdowns(
    survey: Survey,
    window: Window,
    questions: Sequence[Content],
    k: int,
    channel_totals: Mapping[str, int],
) -> dict[int, Content]:
    """{question id: its breakdown by channel} for the broken-down questions among
    ``questions`` (their published content) answered by more than one channel; bases are kept
    apart from the responses by channel (``channel_totals``) as in :func:`add_breakdowns`."""
    published, targets = _targets(survey, questions)
    if not targets:
        return {}
    multi = {q.id for q in targets if not answers_add_up(q)}
    channels = crosstabs.by_channel(window, [q.id for q in targets], multi)
    # Groups are channel keys ("paper"), named in the reader's language when rendered.
    order = [c for c in CHANNEL_LABELS if channel_totals.get(c)]
    keyed = {
        q.id: {(str(c), o): n for (c, o), n in channels.get(q.id, {}).items()} for q in targets
    }
    return Variable("channel", order, dict(channel_totals), k).breakdowns(targets, published, keyed)


def _targets(
    survey: Survey, questions: Sequence[Content]
) -> tuple[dict[int, Content], list[Question]]:
    """The published questions by id, and the broken-down ones among them whose base is
    shown."""
    published = {q["id"]: q for q in questions if q["base"]["count"]}
    return published, [q for q in broken_down(survey) if q.id in published]


def _group_sizes(
    labels: Mapping[int, str], counts: Mapping[int, int], responses: int
) -> dict[str, int]:
    """{group: respondents in it} from the demographic question's own counts; "Not stated" is
    everyone else."""
    sizes: dict[str, int] = {}
    for option_id, label in labels.items():
        if label != NOT_STATED:
            sizes[label] = sizes.get(label, 0) + counts.get(option_id, 0)
    sizes[NOT_STATED] = responses - sum(sizes.values())
    return sizes


def _grouped(
    counts: Mapping[tuple[object, int | None], int], labels: Mapping[int, str]
) -> dict[tuple[str, int | None], int]:
    """Counts by (group label, option id): options of one group added up, no answer "Not
    stated"."""
    grouped: dict[tuple[str, int | None], int] = {}
    for (group, option_id), count in counts.items():
        label = labels.get(group, NOT_STATED) if isinstance(group, int) else NOT_STATED
        grouped[(label, option_id)] = grouped.get((label, option_id), 0) + count
    return grouped


Counts = Mapping[tuple[str, int | None], int]


@dataclass(frozen=True)
class Variable:
    """What questions are broken down by: its groups in order, and each group's size as
    published elsewhere in the briefing."""

    by: str
    groups: Sequence[str]
    sizes: Mapping[str, int]
    k: int

    def bases(self, question: Question, counts: Counts) -> list[int]:
        """How many of each group answered the question."""
        if answers_add_up(question):
            return [sum(counts.get((g, o.id), 0) for o in question.options) for g in self.groups]
        return [counts.get((g, None), 0) for g in self.groups]

    def breakdowns(
        self,
        questions: Sequence[Question],
        published: Mapping[int, Content],
        counts: Mapping[int, Counts],
    ) -> dict[int, Content]:
        """{question id: its breakdown} for each question answered by more than one group
        (one group is no breakdown: everyone answered online, or nobody said their age), with
        every group's published bases kept k apart from each other and from its size: a base
        too close is hidden and its table suppressed again, until no base is too close."""
        questions = [q for q in questions if sum(map(bool, self.bases(q, counts[q.id]))) > 1]
        tables = keep_apart(
            [partial(self.suppressed, q, published[q.id], counts[q.id]) for q in questions],
            [self.sizes.get(group) for group in self.groups],
            self.k,
        )
        return {
            q.id: self.content(q, table, self.bases(q, counts[q.id]))
            for q, table in zip(questions, tables, strict=True)
        }

    def suppressed(
        self, question: Question, published: Content, counts: Counts, hidden: AbstractSet[int]
    ) -> SuppressedTable | None:
        """The breakdown's table suppressed to match the question's published one, with the
        ``hidden`` rows' bases hidden too."""
        options = question.options
        rows = [[counts.get((g, o.id), 0) for o in options] for g in self.groups]
        shown = {o["id"]: o for o in published["options"]}
        hidden_columns = {i for i, o in enumerate(options) if shown[o.id]["count"] is None}
        base_hidden = published["base"]["count"] is None
        if answers_add_up(question):
            return suppress_linked_table(rows, self.k, hidden_columns, base_hidden, hidden)
        bases = self.bases(question, counts)
        return suppress_linked_columns(rows, bases, self.k, hidden_columns, base_hidden, hidden)

    def content(
        self, question: Question, table: SuppressedTable | None, bases: Sequence[int]
    ) -> Content:
        """One breakdown as published: rows are groups with how many answered and each
        answer's count and percentage of them. Groups with nobody, and groups withheld for
        having fewer than k, are left out (``left_out`` counts the withheld)."""
        content: Content = {
            "by": self.by,
            "question": question.text,
            "columns": [o.label for o in question.options],
            "rows": [],
            "left_out": 0,
        }
        if not answers_add_up(question):
            content["several"] = True
        if table is None:
            content["withheld"] = True
            return content
        content["left_out"] = len(table.withheld_rows)
        for index, group in enumerate(self.groups):
            if index in table.withheld_rows or bases[index] == 0:
                continue
            total = table.row_totals[index]
            base = 0 if total.count is None else total.count
            content["rows"].append(
                {
                    "label": group,
                    "total": cell(total),
                    "cells": [
                        {**cell(c), "percent": safe_percent(c, base, self.k)}
                        for c in table.cells[index]
                    ],
                }
            )
        return content
