"""The partnership member's moderation form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from consult.core.forms import strip_whitespace
from consult.core.widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from consult.ideas.models import STATUS_LABELS, TITLE_LIMIT, Idea
from consult.moderation.models import REJECT_REASON_LABELS, Action

NOTE_LIMIT = 1000


ANSWER_LIMIT = 2000


class ModerationForm(FlaskForm):
    action = RadioField(
        "What do you want to do?",
        choices=[
            SelectChoice(Action.APPROVE.value, "Approve it: show it to everyone"),
            SelectChoice(Action.REJECT.value, "Reject it: the author is told why"),
            SelectChoice(Action.HIDE.value, "Hide it while you look into it"),
            SelectChoice(Action.RESTORE.value, "Restore it: show it again"),
        ],
        validators=[InputRequired("Select what you want to do")],
        widget=GovRadioInput(),
    )
    reason = SelectField(
        "Reason for rejecting",
        description="Needed if you reject it. The author and the public log see it.",
        choices=[SelectChoice("", "Choose a reason")]
        + [SelectChoice(r.value, label) for r, label in REJECT_REASON_LABELS.items()],
        validate_choice=False,  # checked below: only a rejection needs one
        widget=GovSelect(),
    )
    note = TextAreaField(
        "Note (optional)",
        description="Shown to the author and in the public moderation log. Do not name anyone.",
        validators=[
            Length(max=NOTE_LIMIT, message=f"Note must be {NOTE_LIMIT} characters or fewer")
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_reason(self, field: Field) -> None:
        if field.data and field.data not in {r.value for r in REJECT_REASON_LABELS}:
            raise ValidationError("Choose a reason from the list")
        if self.action.data == Action.REJECT.value and not field.data:
            raise ValidationError("Choose a reason for rejecting it")


class StatusForm(FlaskForm):
    status = SelectField(
        "New status",
        choices=[SelectChoice("", "Choose a status")]
        + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        validators=[InputRequired("Choose a status")],
        widget=GovSelect(),
    )
    answer = TextAreaField(
        "The partnership's answer",
        description="Everyone can read it. The author and supporters who asked are emailed it.",
        validators=[
            DataRequired("Write the partnership's answer"),
            Length(max=ANSWER_LIMIT, message=f"Answer must be {ANSWER_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Publish the answer", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    target = SelectField(
        "Join it with which idea?",
        description="Its supports move over (counted once per person) and its comments follow.",
        validators=[InputRequired("Choose the idea to join it with")],
        validate_choice=False,  # checked against this neighbourhood's ideas in the service
        widget=GovSelect(),
    )
    note = TextAreaField(
        "Note (optional)",
        description="Shown in the public moderation log.",
        validators=[
            Length(max=NOTE_LIMIT, message=f"Note must be {NOTE_LIMIT} characters or fewer")
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField("Join the ideas", widget=GovSubmitInput())

    def __init__(self, *args: Any, ideas: list[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = [SelectChoice("", "Choose an idea")] + [
            SelectChoice(str(i.id), f"{i.title} (number {i.id})") for i in ideas
        ]


class RedactForm(FlaskForm):
    """Edit out what must not be shown; the original stays in the log for members."""

    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter the title"),
            Length(max=TITLE_LIMIT, message=f"Title must be {TITLE_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    text = TextAreaField(
        "Text",
        validators=[DataRequired("Enter the text")],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    note = TextAreaField(
        "Why you edited it (optional)",
        description="Shown in the public moderation log. Do not repeat what you removed.",
        validators=[
            Length(max=NOTE_LIMIT, message=f"Note must be {NOTE_LIMIT} characters or fewer")
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField("Save the edit", widget=GovSubmitInput())

    def __init__(self, *args: Any, limit: int, is_idea: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text.validators = [
            DataRequired("Enter the text"),
            Length(max=limit, message=f"Text must be {limit} characters or fewer"),
        ]
        if not is_idea:
            del self.title
