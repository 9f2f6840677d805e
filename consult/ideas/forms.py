"""Forms of the idea board."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
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
from consult.ideas.models import (
    COMMENT_LIMIT,
    DESCRIPTION_LIMIT,
    OUTCOME_LIMIT,
    PLACE_LIMIT,
    REPORT_NOTE_LIMIT,
    TITLE_LIMIT,
    IdeaCategory,
    IdeaStatus,
    ReportReason,
)
from consult.ideas.services import SORT_LABELS


class IdeaForm(FlaskForm):
    title = StringField(
        "Title",
        description="Say what you would like to happen, in a few words.",
        validators=[
            DataRequired("Enter a title for your idea"),
            Length(max=TITLE_LIMIT, message=f"Title must be {TITLE_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        "Describe your idea",
        description="What would it change, and for whom? Do not include anyone's name.",
        validators=[
            DataRequired("Describe your idea"),
            Length(
                max=DESCRIPTION_LIMIT,
                message=f"Description must be {DESCRIPTION_LIMIT} characters or fewer",
            ),
        ],
        filters=[strip_whitespace],
        widget=GovCharacterCount(),
    )
    category = SelectField(
        "Category",
        validators=[InputRequired("Choose a category")],
        validate_choice=False,  # checked below, with a message in plain English
        widget=GovSelect(),
    )
    place = StringField(
        "Where? (optional)",
        description="For example, the rec behind Tesco.",
        validators=[
            Optional(),
            Length(max=PLACE_LIMIT, message=f"Place must be {PLACE_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    # Set once the resident has been shown similar ideas, so the next send posts the idea.
    checked = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args: Any, categories: list[IdeaCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", "Choose a category")] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]

    def validate_category(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError("Choose a category from the list")


STATUS_CHOICES = [SelectChoice("", "Any status"), SelectChoice("new", "New")] + [
    SelectChoice(s.value, s.label) for s in IdeaStatus
]


class BoardFilterForm(FlaskForm):
    """Sort and filter the board with a plain GET form: no CSRF token, nothing changes."""

    class Meta:
        csrf = False

    sort = SelectField(
        "Sort by",
        choices=[SelectChoice(s.value, label) for s, label in SORT_LABELS.items()],
        widget=GovSelect(),
    )
    category = SelectField("Category", widget=GovSelect())
    status = SelectField("Status", choices=STATUS_CHOICES, widget=GovSelect())

    def __init__(self, *args: Any, categories: list[IdeaCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", "Any category")] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]


class SupportForm(FlaskForm):
    notify = BooleanField(
        "Email me when the partnership gives this idea a new status", widget=GovCheckboxInput()
    )
    submit = SubmitField("Support this idea", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment",
        validators=[
            DataRequired("Enter your comment"),
            Length(
                max=COMMENT_LIMIT, message=f"Comment must be {COMMENT_LIMIT} characters or fewer"
            ),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Post comment", widget=GovSubmitInput())


REASON_LABELS = {
    ReportReason.OFFENSIVE: "It is offensive",
    ReportReason.PERSONAL_INFORMATION: "It gives someone's personal information",
    ReportReason.SPAM: "It is spam or advertising",
    ReportReason.OFF_TOPIC: "It is not about this neighbourhood",
    ReportReason.OTHER: "Something else",
}


class ReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this?",
        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired("Select why you are reporting this")],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        "Tell us more",
        description="Needed if you chose ‘Something else’.",
        validators=[
            Length(
                max=REPORT_NOTE_LIMIT,
                message=f"What you tell us must be {REPORT_NOTE_LIMIT} characters or fewer",
            )
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())

    def validate_note(self, field: Field) -> None:
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError("Tell us why you are reporting this")


class CategoryForm(FlaskForm):
    name = StringField(
        "New category",
        validators=[
            DataRequired("Enter the name of the category"),
            Length(max=60, message="Category must be 60 characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField("Add category", widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    """A "you said, we did" entry for an action that came from a survey."""

    survey = SelectField("Survey", validate_choice=False, widget=GovSelect())
    you_said = TextAreaField(
        "You said",
        description="What people told you, in a sentence or two.",
        validators=[
            DataRequired("Enter what people said"),
            Length(
                max=OUTCOME_LIMIT, message=f"‘You said’ must be {OUTCOME_LIMIT} characters or fewer"
            ),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    we_did = TextAreaField(
        "We did",
        description="What the partnership did about it.",
        validators=[
            DataRequired("Enter what the partnership did"),
            Length(
                max=OUTCOME_LIMIT, message=f"‘We did’ must be {OUTCOME_LIMIT} characters or fewer"
            ),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Publish", widget=GovSubmitInput())

    def __init__(self, *args: Any, surveys: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey.choices = [SelectChoice("", "Not linked to a survey")] + [
            SelectChoice(str(s.id), s.title) for s in surveys
        ]

    def validate_survey(self, field: Field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose a survey from the list")
