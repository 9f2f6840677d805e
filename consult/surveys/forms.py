"""The resident's answer form, built from a survey's questions."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from consult.surveys.models import Question, QuestionKind, Survey

DEFAULT_TEXT_LIMIT = 2000


def field_name(question: Question) -> str:
    return f"q{question.id}"


class _RequireChoice:
    """Multiple choice: at least one box ticked when the question is required."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            raise ValidationError(self.message)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _question_field(question: Question) -> Field:
    kind = question.question_kind
    label = question.text
    description = question.help_text or ""
    name = _short(question.text)
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SCALE):
        return RadioField(
            label,
            description=description,
            choices=[SelectChoice(str(o.id), o.label) for o in question.options],
            validators=[InputRequired(f"Select an answer to ‘{name}’")]
            if question.required
            else [Optional()],
            validate_choice=True,
            widget=GovRadioInput(),
        )
    if kind is QuestionKind.MULTIPLE_CHOICE:
        field = SelectMultipleField(
            label,
            description=description,
            choices=[SelectChoice(str(o.id), o.label) for o in question.options],
            validators=[_RequireChoice(f"Select at least one answer to ‘{name}’")]
            if question.required
            else [Optional()],
            widget=GovCheckboxesInput(),
        )
        return field
    limit = question.max_length or DEFAULT_TEXT_LIMIT
    validators: list[Any] = [
        Length(max=limit, message=f"Your answer to ‘{name}’ must be {limit} characters or fewer")
    ]
    validators.insert(
        0, InputRequired(f"Enter an answer to ‘{name}’") if question.required else Optional()
    )
    return TextAreaField(
        label, description=description, validators=validators, widget=GovTextArea()
    )


class AnswerFormBase(FlaskForm):
    submit = SubmitField("Send my answers", widget=GovSubmitInput())


def answer_form_class(survey: Survey) -> type[AnswerFormBase]:
    """A form class with one field per question, named ``q<question id>``."""
    fields = {field_name(q): _question_field(q) for q in survey.questions}
    return type(f"AnswerForm{survey.id}", (AnswerFormBase,), fields)
