"""Forms of the idea board."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

# DataRequired, not InputRequired, where a filter strips spaces: "   " must count as empty.
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from consult.core.forms import strip_whitespace
from consult.core.widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from consult.ideas.models import (
    COMMENT_LIMIT,
    DESCRIPTION_LIMIT,
    OUTCOME_LIMIT,
    PLACE_LIMIT,
    REPORT_NOTE_LIMIT,
    STATUS_LABELS,
    TITLE_LIMIT,
    IdeaCategory,
    ReportReason,
)
from consult.ideas.services import SORT_LABELS


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("Say what you would like to happen, in a few words."),
        validators=[
            DataRequired(_l("Enter a title for your idea")),
            Length(max=TITLE_LIMIT, message=_l("Title must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Describe your idea"),
        description=_l("What would it change, and for whom? Do not include anyone's name."),
        validators=[
            DataRequired(_l("Describe your idea")),
            Length(
                max=DESCRIPTION_LIMIT,
                message=_l("Description must be %(max)d characters or fewer"),
            ),
        ],
        filters=[strip_whitespace],
        widget=GovCharacterCount(),
    )
    category = SelectField(
        _l("Category"),
        validators=[InputRequired(_l("Choose a category"))],
        validate_choice=False,  # checked below, with a message in plain English
        widget=GovSelect(),
    )
    place = StringField(
        _l("Where? (optional)"),
        description=_l("For example, the rec behind Tesco."),
        validators=[
            Optional(),
            Length(max=PLACE_LIMIT, message=_l("Place must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    # Set once the resident has been shown similar ideas, so the next send posts the idea.
    checked = HiddenField()
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def __init__(self, *args: Any, categories: list[IdeaCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("Choose a category"))] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]

    def validate_category(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_l("Choose a category from the list"))


STATUS_CHOICES = [SelectChoice("", _l("Any status")), SelectChoice("new", _l("New"))] + [
    SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()
]


class BoardFilterForm(FlaskForm):
    """Sort and filter the board with a plain GET form: no CSRF token, nothing changes."""

    class Meta:
        csrf = False

    sort = SelectField(
        _l("Sort by"),
        choices=[SelectChoice(s.value, label) for s, label in SORT_LABELS.items()],
        widget=GovSelect(),
    )
    category = SelectField(_l("Category"), widget=GovSelect())
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, widget=GovSelect())

    def __init__(self, *args: Any, categories: list[IdeaCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("Any category"))] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]


class SupportForm(FlaskForm):
    notify = BooleanField(
        _l("Email me when the partnership gives this idea a new status"), widget=GovCheckboxInput()
    )
    submit = SubmitField(_l("Support this idea"), widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Add a comment"),
        validators=[
            DataRequired(_l("Enter your comment")),
            Length(max=COMMENT_LIMIT, message=_l("Comment must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Post comment"), widget=GovSubmitInput())


REASON_LABELS = {
    ReportReason.OFFENSIVE: _l("It is offensive"),
    ReportReason.PERSONAL_INFORMATION: _l("It gives someone's personal information"),
    ReportReason.SPAM: _l("It is spam or advertising"),
    ReportReason.OFF_TOPIC: _l("It is not about this neighbourhood"),
    ReportReason.OTHER: _l("Something else"),
}


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this?"),
        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired(_l("Select why you are reporting this"))],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        _l("Tell us more"),
        description=_l("Needed if you chose ‘Something else’."),
        validators=[
            Length(
                max=REPORT_NOTE_LIMIT,
                message=_l("What you tell us must be %(max)d characters or fewer"),
            )
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())

    def validate_note(self, field: Field) -> None:
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError(_l("Tell us why you are reporting this"))


class CategoryForm(FlaskForm):
    name = StringField(
        _l("New category"),
        validators=[
            DataRequired(_l("Enter the name of the category")),
            Length(max=60, message=_l("Category must be 60 characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Add category"), widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    """A "you said, we did" entry for an action that came from a survey."""

    survey = SelectField(_l("Survey"), validate_choice=False, widget=GovSelect())
    you_said = TextAreaField(
        _l("You said"),
        description=_l("What people told you, in a sentence or two."),
        validators=[
            DataRequired(_l("Enter what people said")),
            Length(max=OUTCOME_LIMIT, message=_l("‘You said’ must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    we_did = TextAreaField(
        _l("We did"),
        description=_l("What the partnership did about it."),
        validators=[
            DataRequired(_l("Enter what the partnership did")),
            Length(max=OUTCOME_LIMIT, message=_l("‘We did’ must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Publish"), widget=GovSubmitInput())

    def __init__(self, *args: Any, surveys: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey.choices = [SelectChoice("", _l("Not linked to a survey"))] + [
            SelectChoice(str(s.id), s.title) for s in surveys
        ]

    def validate_survey(self, field: Field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a survey from the list"))
