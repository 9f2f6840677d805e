"""Forms of the survey builder. Dates are typed and shown in Europe/London, stored in UTC."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from consult.core.forms import whole_number
from consult.core.widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from consult.surveys.builder_services import QuestionSettings
from consult.surveys.models import AccessMode, OptionRole, Question, QuestionKind

LONDON = ZoneInfo("Europe/London")
KIND_LABELS = {
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.SCALE: _l("Scale (agree to disagree, or similar)"),
    QuestionKind.FREE_TEXT: _l("Free text"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.RANKING: _l("Ranking (top choices in order)"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.POSTCODE: _l("Postcode (kept only to sector, like LS9 7)"),
}
MAX_OPTIONS = 30
ACCESS_LABELS = {
    AccessMode.OPEN: _l("Anyone can answer (once per phone or computer, not checked strictly)"),
    AccessMode.VERIFIED_EMAIL: _l("Residents confirm an email address first (once per email)"),
    AccessMode.HOUSEHOLD_CODES: _l("Residents enter a code from a letter (once per code)"),
}


def parse_day(text: str) -> date | None:
    """``27/3/2027`` as a date; None if it is not a real date in that form."""
    parts = text.strip().replace("-", "/").replace(" ", "/").split("/")
    if len(parts) != 3:
        return None
    day, month, year = (whole_number(p, 9999) for p in parts)
    if day is None or month is None or year is None:
        return None
    try:
        return date(year, month, day) if year >= 2000 else None
    except ValueError:
        return None


def london_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in London, in UTC."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


def london_day(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(LONDON).strftime("%-d/%-m/%Y")


class _DayCheck:
    def __init__(self, what: str) -> None:
        self.what = what

    def __call__(self, form: Any, field: Field) -> None:
        if field.data and parse_day(field.data) is None:
            raise ValidationError(
                _("Enter the %(what)s as a real date, like 27/3/2027", what=self.what)
            )


class SurveyForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Enter the survey’s title")), Length(max=200)],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the survey is about, shown to residents before they start."),
        validators=[
            Length(max=2000, message=_l("The description must be 2000 characters or fewer"))
        ],
        widget=GovTextArea(),
    )
    privacy_notice = TextAreaField(
        _l("Privacy notice"),
        description=_l("What the answers are used for and how long they are kept."),
        validators=[
            Length(max=5000, message=_l("The privacy notice must be 5000 characters or fewer"))
        ],
        widget=GovTextArea(),
    )
    opens_on = StringField(
        _l("Opens on (optional)"),
        description=_l("A date in UK time, like 27/3/2027. Leave empty to open when you publish."),
        validators=[Optional(), _DayCheck("opening date")],
        widget=GovTextInput(),
    )
    closes_on = StringField(
        _l("Closes at the end of (optional)"),
        description=_l("A date in UK time, like 30/4/2027."),
        validators=[Optional(), _DayCheck("closing date")],
        widget=GovTextInput(),
    )
    access_mode = RadioField(
        _l("Who can answer"),
        description=_l("With codes, print the letters from the survey’s page once it is created."),
        choices=[SelectChoice(mode.value, label) for mode, label in ACCESS_LABELS.items()],
        # Left out (as by an older form), it stays open.
        default=AccessMode.OPEN.value,
        widget=GovRadioInput(),
    )
    retention_months = IntegerField(
        _l("Months to keep the responses after the survey closes"),
        description=_l(
            "Then the responses are deleted and only the counts are kept. "
            "Leave it empty to keep them for 24 months."
        ),
        default=24,
        validators=[
            Optional(),
            NumberRange(min=1, max=120, message=_l("Enter a number of months from 1 to 120")),
        ],
        widget=GovTextInput(),
    )
    send_from_last_page = BooleanField(
        _l("Send from the last page, with no check-your-answers page"),
        description=_l(
            "Quicker for a short survey, especially on a phone: residents see all their answers "
            "on the page as they send them. Longer surveys are better with the check page."
        ),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_closes_on(self, field: Field) -> None:
        opens = parse_day(self.opens_on.data or "")
        closes = parse_day(field.data or "")
        if opens and closes and closes < opens:
            raise ValidationError(_("The closing date must be on or after the opening date"))

    def dates(self) -> tuple[datetime | None, datetime | None]:
        """(opens_at, closes_at) in UTC: the start of the opening day, the end of the closing."""
        opens = parse_day(self.opens_on.data or "")
        closes = parse_day(self.closes_on.data or "")
        return (
            london_start(opens) if opens else None,
            london_start(closes + timedelta(days=1)) if closes else None,
        )


class _Listed:
    """The value must be one of the field's choices (which are set per request)."""

    def __init__(self, message: LazyString) -> None:
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data not in {choice[0] for choice in field.iter_choices()}:
            raise ValidationError(self.message)


def _show_if_field(label: LazyString) -> SelectField:
    return SelectField(
        label,
        description=_l("Leave as ‘Always’ unless only some residents should see it."),
        default="",
        validate_choice=False,
        validators=[_Listed(_l("Choose when to show it from the list of earlier answers"))],
        widget=GovSelect(),
    )


class SectionForm(FlaskForm):
    title = StringField(
        _l("Section title"),
        validators=[InputRequired(_l("Enter the section’s title")), Length(max=200)],
        widget=GovTextInput(),
    )
    intro = TextAreaField(
        _l("Introduction (optional)"),
        validators=[
            Length(max=2000, message=_l("The introduction must be 2000 characters or fewer"))
        ],
        widget=GovTextArea(),
    )
    show_if = _show_if_field(_l("Show this section"))
    submit = SubmitField(_l("Save section"), widget=GovSubmitInput())


def skip_choices(earlier: Sequence[tuple[str, str]]) -> list[SelectChoice]:
    return [
        SelectChoice("", _("Always")),
        *(SelectChoice(v, _("Only if %(condition)s", condition=t)) for v, t in earlier),
    ]


def parse_show_if(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    question_id, option_id = value.split(":")
    return int(question_id), int(option_id)


class QuestionForm(FlaskForm):
    kind = RadioField(
        _l("Kind of question"),
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[
            InputRequired(_l("Choose the kind of question")),
            _Listed(_l("Choose the kind of question from the list")),
        ],
        validate_choice=False,
        widget=GovRadioInput(),
    )
    text = StringField(
        _l("Question"),
        validators=[
            InputRequired(_l("Enter the question")),
            Length(max=500, message=_l("The question must be 500 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    help_text = TextAreaField(
        _l("Help text (optional)"),
        validators=[Length(max=1000, message=_l("The help text must be 1000 characters or fewer"))],
        widget=GovTextArea(),
    )
    required = BooleanField(_l("Residents must answer this question"), widget=GovCheckboxInput())
    options = TextAreaField(
        _l("Answers to choose from"),
        description=_l(
            "One per line, in order (for choice, scale and ranking questions). "
            "A scale runs from its first line (highest) to its last."
        ),
        validators=[Length(max=6000)],
        widget=GovTextArea(),
    )
    other_label = StringField(
        _l("‘Other, please specify’ answer (optional, single choice)"),
        description=_l("For example, ‘Something else’. Leave empty for none."),
        validators=[Length(max=200)],
        widget=GovTextInput(),
    )
    dont_know = BooleanField(_l("Add ‘Don’t know’ (scale)"), widget=GovCheckboxInput())
    max_choices = IntegerField(
        _l("Most answers to choose (optional; multiple choice), or how many to rank (ranking)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=10, message=_l("Enter a number from 1 to 10")),
        ],
        widget=GovTextInput(),
    )
    max_length = IntegerField(
        _l("Most characters (optional; free text)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10000")),
        ],
        widget=GovTextInput(),
    )
    min_value = DecimalField(
        _l("Smallest number allowed (optional; number)"),
        validators=[Optional(), NumberRange(min=-(10**8), max=10**8)],
        widget=GovTextInput(),
    )
    max_value = DecimalField(
        _l("Largest number allowed (optional; number)"),
        validators=[Optional(), NumberRange(min=-(10**8), max=10**8)],
        widget=GovTextInput(),
    )
    decimals = BooleanField(_l("Allow decimals (number)"), widget=GovCheckboxInput())
    show_if = _show_if_field(_l("Show this question"))
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())

    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def validate_options(self, field: Field) -> None:
        kind = self.kind.data
        lines = self.option_lines()
        if kind in {"single_choice", "multiple_choice", "scale", "ranking"} and len(lines) < 2:
            raise ValidationError(_("Enter at least 2 answers to choose from, one per line"))
        if len(lines) > MAX_OPTIONS or any(len(line) > 200 for line in lines):
            raise ValidationError(
                _(
                    "Enter no more than %(count)d answers, each 200 characters or fewer",
                    count=MAX_OPTIONS,
                )
            )
        if len(set(lines)) != len(lines):
            raise ValidationError(_("Each answer to choose from must be different"))

    def validate_max_value(self, field: Field) -> None:
        low, high = self.min_value.data, field.data
        if low is not None and high is not None and high < low:
            raise ValidationError(_("The largest number must not be smaller than the smallest"))

    def settings(self) -> QuestionSettings:
        kind = QuestionKind(self.kind.data)
        extra: Mapping[str, Any] = {
            "max_choices": self.max_choices.data
            if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING)
            else None,
            "max_length": self.max_length.data if kind is QuestionKind.FREE_TEXT else None,
            "min_value": _number(self.min_value.data, kind),
            "max_value": _number(self.max_value.data, kind),
            "whole_number": not self.decimals.data,
        }
        return QuestionSettings(
            kind=kind,
            text=self.text.data.strip(),
            help_text=(self.help_text.data or "").strip(),
            required=bool(self.required.data),
            options=self.option_lines(),
            settings=dict(extra),
            other_label=(self.other_label.data or "").strip(),
            dont_know=bool(self.dont_know.data),
            show_if=parse_show_if(self.show_if.data),
        )


def _number(value: Decimal | None, kind: QuestionKind) -> Decimal | None:
    return value if kind is QuestionKind.NUMBER else None


def question_form_data(question: Question) -> dict[str, object]:
    """What the question form shows for an existing question."""
    plain = [o.label for o in question.options if o.role is None]
    other = next((o.label for o in question.options if o.role == OptionRole.OTHER), "")
    condition = (
        f"{question.show_if_question_id}:{question.show_if_option_id}"
        if question.show_if_question_id
        else ""
    )
    return {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": "\n".join(plain) if question.kind != "yes_no" else "",
        "other_label": other,
        "dont_know": any(o.role == OptionRole.DONT_KNOW for o in question.options),
        "max_choices": question.max_choices,
        "max_length": question.max_length,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "decimals": not question.whole_number,
        "show_if": condition,
    }
