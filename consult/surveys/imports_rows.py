"""Checking one row of an import file by the rules of the resident's own form.

Each row is turned into the values the answering form would have received (option labels
become option ids), then checked by the survey's page forms (:mod:`consult.surveys.forms`,
built once per section and shown questions, and filled again for every row), so an imported
response passes exactly the checks an online one does.

Skip logic: a row may only answer the questions its own answers lead to. An answer to a
question the resident would never have been asked is reported as a problem rather than
dropped: it means the paper form or its keying is wrong (a box ticked against the routing, or
a slip into the wrong column), and only the person with the paper in front of them can say
which answer is right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from consult.core.csv_files import Problem, quoted
from consult.surveys.forms import PageForm, page_form_class
from consult.surveys.imports_columns import (
    IMPORT_CHANNELS,
    TICKED,
    UNTICKED,
    Column,
    Layout,
    heading,
    normal,
)
from consult.surveys.kinds import answer_values, field_names
from consult.surveys.models import Channel, Question, Section, Survey
from consult.surveys.naming import field_name
from consult.surveys.skips import Condition, condition_of

EVENT_NAME_LIMIT = 200
Raw = dict[str, list[str]]


@dataclass(frozen=True)
class CheckedRow:
    """A good row, ready to store: its channel, event and answer rows (as column values)."""

    channel: str
    event_name: str | None
    answers: list[dict[str, Any]]


@dataclass(frozen=True)
class _Page:
    """A section, reduced to what deciding who sees what needs, worked out once per file."""

    section: Section
    condition: Condition
    questions: list[tuple[Question, Condition]]


class RowChecker:
    """Checks the rows of one file for one survey, whose columns are placed by ``layout``."""

    def __init__(self, survey: Survey, layout: Layout) -> None:
        self.survey = survey
        self.layout = layout
        self._forms: dict[tuple[int, tuple[int, ...]], PageForm] = {}
        self._header_of: dict[str, str] = {}
        for _, column in layout.columns:
            name = column.name
            self._header_of[name] = heading(column.question) if column.option else column.header
        self._pages = [
            _Page(s, condition_of(s), [(q, condition_of(q)) for q in s.questions])
            for s in survey.sections
        ]
        self._names = {q.id: field_names(q) for q in survey.questions}
        # Only answers that a skip condition looks at are needed to decide what is shown.
        self._deciding = {
            c.question_id: field_name(q)
            for page in self._pages
            for c in [page.condition, *(qc for _, qc in page.questions)]
            for q in survey.questions
            if q.id == c.question_id
        }
        self._skip_reasons = {q.id: self._skip_reason(q) for q in survey.questions}

    def check(self, number: int, cells: Sequence[str]) -> tuple[CheckedRow | None, list[Problem]]:
        """Check row ``number`` (as a spreadsheet numbers it): a row to store, or its problems."""
        raw, problems = self._form_values(number, cells)
        unclear = {p.column for p in problems}
        choices = {qid: {int(v) for v in raw.get(name, ())} for qid, name in self._deciding.items()}
        shown = self._shown(choices)
        problems += self._skipped_answers(number, raw, shown)
        formdata = MultiDict([(k, v) for k, vs in raw.items() for v in vs])
        answers: list[dict[str, Any]] = []
        for section, questions in shown:
            form = self._form(section, questions)
            form.process(formdata=formdata)
            # Every question on this form is one the row is asked (worked out above), so the
            # page form's own search for hidden questions is not needed: validate the fields.
            if FlaskForm.validate(form):
                answers += [a for q in questions for a in answer_values(q, form)]
                continue
            for name, messages in form.errors.items():
                column = self._header_of.get(name, name)
                if column not in unclear:
                    problems += [Problem(number, column, str(m)) for m in messages]
        channel, event = self._channel_and_event(number, cells, problems)
        if problems:
            return None, problems
        return CheckedRow(channel, event, answers), []

    def _form(self, section: Section, questions: list[Question]) -> PageForm:
        key = (section.id, tuple(q.id for q in questions))
        form = self._forms.get(key)
        if form is None:
            form = page_form_class(section, questions)(formdata=None)
            self._forms[key] = form
        return form

    def _form_values(self, number: int, cells: Sequence[str]) -> tuple[Raw, list[Problem]]:
        raw: Raw = {}
        problems: list[Problem] = []
        for index, column in self.layout.columns:
            value = cells[index].strip() if index < len(cells) else ""
            if not value and column.option is None:
                continue
            message = self._put(raw, column, value)
            if message:
                problems.append(Problem(number, column.header, message))
        return raw, problems

    @staticmethod
    def _put(raw: Raw, column: Column, value: str) -> str | None:
        """Add a cell's value to the form values; a message if the cell cannot be read."""
        if column.option is not None:
            if normal(value) in TICKED:
                raw.setdefault(column.name, []).append(str(column.option.id))
            elif normal(value) not in UNTICKED:
                return gettext(
                    "%(value)s is not a tick: put x in this column if ‘%(answer)s’ was chosen, "
                    "or leave it empty",
                    value=quoted(value),
                    answer=column.option.label,
                )
            return None
        if column.choices:
            option_id = column.choices.get(normal(value))
            if option_id is None:
                labels = "; ".join(o.label for o in column.question.options)
                return gettext(
                    "%(value)s is not one of the answers. Write one of: %(answers)s",
                    value=quoted(value),
                    answers=labels,
                )
            value = option_id
        raw[column.name] = [value]
        return None

    def _shown(self, choices: dict[int, set[int]]) -> list[tuple[Section, list[Question]]]:
        """The sections and questions these answers lead to (skip logic, as online)."""
        shown = []
        for page in self._pages:
            if page.condition.met(choices):
                questions = [q for q, condition in page.questions if condition.met(choices)]
                if questions:
                    shown.append((page.section, questions))
        return shown

    def _skip_reason(self, question: Question) -> str:
        condition = condition_of(question.section)
        if condition.question_id is None:
            condition = condition_of(question)
        asked = next((q for q in self.survey.questions if q.id == condition.question_id), None)
        if asked is None:
            return ""
        label = next((o.label for o in asked.options if o.id == condition.option_id), "")
        return gettext(
            "Leave this empty: the question is only asked when the answer to ‘%(question)s’ is "
            "‘%(answer)s’. Or correct the answer to that question",
            question=heading(asked),
            answer=label,
        )

    def _skipped_answers(
        self, number: int, raw: Raw, shown: list[tuple[Section, list[Question]]]
    ) -> list[Problem]:
        asked = {q.id for _, questions in shown for q in questions}
        return [
            Problem(
                number,
                self._header_of.get(self._names[q.id][0], heading(q)),
                self._skip_reasons[q.id],
            )
            for q in self.survey.questions
            if q.id not in asked and any(raw.get(name) for name in self._names[q.id])
        ]

    def _channel_and_event(
        self, number: int, cells: Sequence[str], problems: list[Problem]
    ) -> tuple[str, str | None]:
        channel = _cell(cells, self.layout.channel_at)
        event = _cell(cells, self.layout.event_at) or None
        key = re.sub(r"[\s-]+", "", channel.casefold()) or Channel.PAPER.value
        if key not in {c.value for c in IMPORT_CHANNELS}:
            problems.append(
                Problem(
                    number,
                    "Channel",
                    gettext(
                        "%(value)s is not a channel: write paper, phone, doorstep or event, "
                        "or leave it empty for paper",
                        value=quoted(channel),
                    ),
                )
            )
        if event is not None and len(event) > EVENT_NAME_LIMIT:
            problems.append(
                Problem(
                    number,
                    "Event name",
                    ngettext(
                        "Shorten the event name to %(num)d character or fewer",
                        "Shorten the event name to %(num)d characters or fewer",
                        EVENT_NAME_LIMIT,
                    ),
                )
            )
        return key, event


def _cell(cells: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()
