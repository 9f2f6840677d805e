"""Building a survey: sections, questions and options, in order, without corrupting answers.

Once residents have answered, a change that would change what stored answers mean (removing
an answered option, question or section, or changing a question's kind) is refused with a
:class:`ChangeRefusedError` saying why; wording fixes are allowed and logged as a ``SurveyChange``.
Services flush; the view commits.

The messages and change-log lines are made in the member's language when the change is made
(a logged line is stored as text, so it stays in the language of whoever made the change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.building import DONT_KNOW, YES_NO, add_section
from consult.surveys.default_texts import N_, translate_defaults
from consult.surveys.models import (
    Answer,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyChange,
    SurveyStatus,
)

FIRST_SECTION = N_("Section 1")
# The "Other, please specify" answers the question form names; a member who uses one of them
# gets its translations with it.
OTHER_LABELS = (N_("Other, please specify"), N_("Something else"))
DEFAULT_TEXTS = (FIRST_SECTION, *OTHER_LABELS)


class ChangeRefusedError(Exception):
    """A change that would corrupt stored answers; the message says why and what to do.

    ``field`` names the form field the message belongs next to, if any.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def create_survey(neighbourhood: Neighbourhood, title: str, description: str) -> Survey:
    """A draft survey with one empty section."""
    survey = Survey(neighbourhood=neighbourhood, title=title, description=description)
    db.session.add(survey)
    add_section(survey, FIRST_SECTION)
    translate_defaults(survey)
    return survey


def response_count(survey: Survey) -> int:
    query = select(func.count(Response.id)).where(Response.survey_id == survey.id)
    return db.session.scalar(query) or 0


def answer_count(**where: Any) -> int:
    """Answers with the given column values (``question_id=...`` or ``option_id=...``)."""
    query = select(func.count(Answer.id)).filter_by(**where)
    return db.session.scalar(query) or 0


def log_change(survey: Survey, user_id: int | None, description: str) -> None:
    """Record a change made after residents answered; nothing is logged before."""
    if response_count(survey):
        db.session.add(
            SurveyChange(
                survey_id=survey.id,
                user_id=user_id,
                changed_at=utcnow(),
                description=description[:2000],
            )
        )


def renumber(survey: Survey) -> None:
    """Positions 1..n for sections, and for questions across the survey in section order.

    Two passes through negative numbers, so the unique positions never clash mid-way.
    """
    sections: list[Any] = sorted(survey.sections, key=lambda s: s.position)
    questions: list[Any] = [
        q for s in sections for q in sorted(s.questions, key=lambda q: q.position)
    ]
    for items in (sections, questions):
        for index, item in enumerate(items, start=1):
            item.position = -index
    db.session.flush()
    for items in (sections, questions):
        for index, item in enumerate(items, start=1):
            item.position = index
    db.session.flush()
    db.session.expire(survey, ["sections", "questions"])


def move(items: Sequence[Any], item: Any, step: int) -> None:
    """Swap ``item`` with its neighbour (``step`` -1 = up, +1 = down) within ``items``."""
    ordered: list[Any] = sorted(items, key=lambda i: i.position)
    index = ordered.index(item)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    neighbour = ordered[other]
    item.position, neighbour.position = -item.position, -neighbour.position
    db.session.flush()
    item.position, neighbour.position = -neighbour.position, -item.position
    db.session.flush()


def move_question(question: Question, step: int) -> None:
    """Move a question up or down its section; refused if a skip condition would then look
    at a later question (the caller rolls back)."""
    move(question.section.questions, question, step)
    renumber(question.survey)
    check_conditions_in_order(question.survey)


def move_section(section: Section, step: int) -> None:
    """Move a section up or down; refused as :func:`move_question` is."""
    move(section.survey.sections, section, step)
    renumber(section.survey)
    check_conditions_in_order(section.survey)


def check_conditions_in_order(survey: Survey) -> None:
    """Raise ChangeRefusedError if a question or section is shown depending on an answer that
    residents would only give later: the condition must come from an earlier page (for a
    section) or an earlier question (for a question)."""
    questions = {q.id: q for q in survey.questions}
    sections = {s.id: s for s in survey.sections}
    for question in survey.questions:
        controller = questions.get(question.show_if_question_id or 0)
        if controller is not None and controller.position >= question.position:
            raise _out_of_order(question.text, controller.text)
    for section in survey.sections:
        controller = questions.get(section.show_if_question_id or 0)
        if controller is not None and sections[controller.section_id].position >= section.position:
            raise _out_of_order(section.title, controller.text)


def _out_of_order(shown: str, controller: str) -> ChangeRefusedError:
    return ChangeRefusedError(
        _(
            "‘%(shown)s’ is shown only depending on the answer to ‘%(controller)s’, so it must "
            "come after it. Nothing was moved. To move it, first change or remove that condition.",
            shown=shown,
            controller=controller,
        )
    )


def remove_question(question: Question) -> None:
    answered = answer_count(question_id=question.id)
    if answered:
        raise ChangeRefusedError(
            ngettext(
                "‘%(question)s’ has %(num)d stored answer, so it cannot be removed. "
                "You can change its wording instead.",
                "‘%(question)s’ has %(num)d stored answers, so it cannot be removed. "
                "You can change its wording instead.",
                answered,
                question=question.text,
            )
        )
    survey = question.survey
    question.section.questions.remove(question)
    db.session.flush()
    renumber(survey)


def remove_section(section: Section) -> None:
    survey = section.survey
    if len(survey.sections) == 1:
        raise ChangeRefusedError(
            _("A survey needs at least one section, so this one cannot be removed.")
        )
    for question in section.questions:
        if answer_count(question_id=question.id):
            raise ChangeRefusedError(
                _(
                    "‘%(section)s’ has questions with stored answers, so it cannot be removed.",
                    section=section.title,
                )
            )
    survey.sections.remove(section)
    db.session.flush()
    renumber(survey)


@dataclass(frozen=True)
class QuestionSettings:
    """What the question form gives, already checked."""

    kind: QuestionKind
    text: str
    help_text: str
    required: bool
    options: list[str]
    settings: dict[str, Any]
    other_label: str
    dont_know: bool
    show_if: tuple[int, int] | None


def add_question(section: Section, data: QuestionSettings) -> Question:
    survey = section.survey
    question = Question(
        survey=survey,
        section=section,
        position=len(survey.questions) + 1,
        kind=data.kind.value,
        text="",
    )
    db.session.add(question)
    update_question(question, data, user_id=None)
    renumber(survey)
    return question


def update_question(question: Question, data: QuestionSettings, user_id: int | None) -> None:
    """Apply the form; refuse a kind change or an answered option's removal once answered."""
    survey = question.survey
    if question.kind and question.kind != data.kind.value and question.id is not None:
        answered = answer_count(question_id=question.id)
        if answered:
            raise ChangeRefusedError(
                ngettext(
                    "‘%(question)s’ has %(num)d stored answer, so its kind cannot change: it "
                    "would no longer mean what the resident meant. Add a new question instead.",
                    "‘%(question)s’ has %(num)d stored answers, so its kind cannot change: they "
                    "would no longer mean what residents meant. Add a new question instead.",
                    answered,
                    question=question.text,
                ),
                field="kind",
            )
    if question.text and question.text != data.text:
        log_change(
            survey,
            user_id,
            _("Question reworded from ‘%(old)s’ to ‘%(new)s’", old=question.text, new=data.text),
        )
    question.kind = data.kind.value
    question.text = data.text
    question.help_text = data.help_text
    question.required = data.required
    for name, value in data.settings.items():
        setattr(question, name, value)
    question.show_if_question_id, question.show_if_option_id = data.show_if or (None, None)
    _set_options(question, data, user_id)
    translate_defaults(survey, within=question)


def _wanted_options(question: Question, data: QuestionSettings) -> list[tuple[str, str | None]]:
    if not data.kind.has_options:
        return []
    labels = list(data.options) or (list(YES_NO) if data.kind is QuestionKind.YES_NO else [])
    wanted: list[tuple[str, str | None]] = [(label, None) for label in labels]
    if data.other_label and data.kind is QuestionKind.SINGLE_CHOICE:
        wanted.append((data.other_label, OptionRole.OTHER.value))
    if data.dont_know and data.kind is QuestionKind.SCALE:
        wanted.append((DONT_KNOW, OptionRole.DONT_KNOW.value))
    return wanted


def _set_options(question: Question, data: QuestionSettings, user_id: int | None) -> None:
    """Options line by line: the n-th line rewords the n-th option, so answers keep their
    option; lines past the end add options; options past the last line are removed."""
    wanted = _wanted_options(question, data)
    existing = sorted(question.options, key=lambda o: o.position)
    for option in existing[len(wanted) :]:
        answered = answer_count(option_id=option.id) if option.id is not None else 0
        if answered:
            raise ChangeRefusedError(
                ngettext(
                    "‘%(answer)s’ has been chosen in %(num)d response, so it cannot be removed. "
                    "You can change its wording instead.",
                    "‘%(answer)s’ has been chosen in %(num)d responses, so it cannot be removed. "
                    "You can change its wording instead.",
                    answered,
                    answer=option.label,
                ),
                field="options",
            )
        question.options.remove(option)
    db.session.flush()
    for option in existing[: len(wanted)]:
        option.position = -option.position
    db.session.flush()
    scale = data.kind is QuestionKind.SCALE
    plain = sum(1 for _label, role in wanted if role is None)
    for index, (label, role) in enumerate(wanted, start=1):
        value = plain - index + 1 if scale and role is None else None
        if index <= len(existing):
            option = existing[index - 1]
            if option.label != label:
                log_change(
                    question.survey,
                    user_id,
                    _("Answer reworded from ‘%(old)s’ to ‘%(new)s’", old=option.label, new=label),
                )
            option.label, option.role, option.value, option.position = label, role, value, index
        else:
            question.options.append(Option(position=index, label=label, role=role, value=value))


def questions_before(
    survey: Survey, section: Section | None = None, question: Question | None = None
) -> list[Question]:
    """The questions a condition may depend on: those before ``question``; for a new question
    in ``section``, all up to the end of that section; for ``section`` itself, those before it;
    for a new section (neither given), all."""
    if question is not None:
        return [q for q in survey.questions if q.position < question.position]
    if section is None:
        return list(survey.questions)
    return [q for q in survey.questions if q.section.position < section.position]


def earlier_choices(questions: Sequence[Question]) -> list[tuple[str, str]]:
    """Skip-logic choices: ("<question id>:<option id>", "‘Question’ is answered ‘Answer’")."""
    return [
        (
            f"{q.id}:{o.id}",
            _("‘%(question)s’ is answered ‘%(answer)s’", question=q.text, answer=o.label),
        )
        for q in questions
        if q.question_kind.can_control_skip
        for o in q.options
    ]


def publish(survey: Survey) -> None:
    """Open the survey to residents (from now, unless an opening date is set)."""
    if not survey.questions:
        raise ChangeRefusedError(_("Add at least one question before publishing the survey."))
    empty = [section for section in survey.sections if not section.questions]
    if empty:
        # Residents would be shown a page with nothing on it but a button.
        raise ChangeRefusedError(
            _(
                "Section ‘%(title)s’ has no questions. Add a question to it, or remove it, "
                "before publishing the survey.",
                title=empty[0].title,
            )
        )
    survey.status = SurveyStatus.OPEN.value
    if survey.opens_at is None:
        survey.opens_at = utcnow()
    db.session.flush()


def close(survey: Survey) -> None:
    survey.status = SurveyStatus.CLOSED.value
    now = utcnow()
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = now
    db.session.flush()
