"""Putting a survey together: sections, questions and their options, in order.

Used by the demo, tests and (later) the builder. Questions are numbered across the whole
survey in section order; these helpers append, so numbering stays right.
"""

from __future__ import annotations

from typing import Any

from consult.extensions import db
from consult.surveys.default_texts import N_
from consult.surveys.models import Option, OptionRole, Question, QuestionKind, Section, Survey

YES_NO = (N_("Yes"), N_("No"))
DONT_KNOW = N_("Don't know")
DEFAULT_TEXTS = (*YES_NO, DONT_KNOW)


def add_section(
    survey: Survey, title: str, intro: str = "", show_if: Option | None = None
) -> Section:
    """Append a section (page); ``show_if`` shows it only to those who chose that option."""
    section = Section(position=len(survey.sections) + 1, title=title, intro=intro)
    survey.sections.append(section)
    if show_if is not None:
        section.show_if_question_id, section.show_if_option_id = _condition(show_if)
    return section


def add_question(
    section: Section,
    kind: QuestionKind,
    text: str,
    options: list[str] | tuple[str, ...] = (),
    *,
    other: str | None = None,
    dont_know: bool = False,
    show_if: Option | None = None,
    **settings: Any,
) -> Question:
    """Append a question to ``section``; scale points are valued from 1 at the last option.

    ``other`` adds an "Other, please specify" option with that label; ``dont_know`` adds a
    scale's "Don't know", which has no value. ``settings`` are Question columns (``required``,
    ``help_text``, ``max_length``, ``max_choices``, ``min_value``, ...).
    """
    survey = section.survey
    position = sum(len(s.questions) for s in survey.sections) + 1
    question = Question(survey=survey, position=position, kind=kind.value, text=text, **settings)
    if kind is QuestionKind.YES_NO and not options:
        options = YES_NO
    for index, label in enumerate(options, start=1):
        value = len(options) - index + 1 if kind is QuestionKind.SCALE else None
        question.options.append(Option(position=index, label=label, value=value))
    extras = [(other, OptionRole.OTHER)] if other else []
    if dont_know:
        extras.append((DONT_KNOW, OptionRole.DONT_KNOW))
    for label, role in extras:
        question.options.append(
            Option(position=len(question.options) + 1, label=label, role=role.value)
        )
    section.questions.append(question)
    if show_if is not None:
        question.show_if_question_id, question.show_if_option_id = _condition(show_if)
    return question


def _condition(option: Option) -> tuple[int, int]:
    """(question id, option id) of an earlier answer, flushed first if it has no id yet."""
    if option.id is None:
        db.session.flush()
    return option.question_id, option.id
