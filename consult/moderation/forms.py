"""The partnership member's moderation form."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
        _l("What do you want to do?"),
        choices=[
            SelectChoice(Action.APPROVE.value, _l("Approve it: show it to everyone")),
            SelectChoice(Action.REJECT.value, _l("Reject it: the author is told why")),
            SelectChoice(Action.HIDE.value, _l("Hide it while you look into it")),
            SelectChoice(Action.RESTORE.value, _l("Restore it: show it again")),
        ],
        validators=[InputRequired(_l("Select what you want to do"))],
        widget=GovRadioInput(),
    )
    reason = SelectField(
        _l("Reason for rejecting"),
        description=_l("Needed if you reject it. The author and the public log see it."),
        choices=[SelectChoice("", _l("Choose a reason"))]
        + [SelectChoice(r.value, label) for r, label in REJECT_REASON_LABELS.items()],
        validate_choice=False,  # checked below: only a rejection needs one
        widget=GovSelect(),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Shown to the author and in the public moderation log. Do not name anyone."),
        validators=[Length(max=NOTE_LIMIT, message=_l("Note must be %(max)d characters or fewer"))],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_reason(self, field: Field) -> None:
        if field.data and field.data not in {r.value for r in REJECT_REASON_LABELS}:
            raise ValidationError(_("Choose a reason from the list"))
        if self.action.data == Action.REJECT.value and not field.data:
            raise ValidationError(_("Choose a reason for rejecting it"))


class StatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=[SelectChoice("", _l("Choose a status"))]
        + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        validators=[InputRequired(_l("Choose a status"))],
        widget=GovSelect(),
    )
    answer = TextAreaField(
        _l("The partnership's answer"),
        description=_l("Everyone can read it. The author and supporters who asked are emailed it."),
        validators=[
            DataRequired(_l("Write the partnership's answer")),
            Length(max=ANSWER_LIMIT, message=_l("Answer must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Publish the answer"), widget=GovSubmitInput())


class MergeForm(FlaskForm):
    target = SelectField(
        _l("Join it with which idea?"),
        description=_l("Its supports move over (counted once per person) and its comments follow."),
        validators=[InputRequired(_l("Choose the idea to join it with"))],
        validate_choice=False,  # checked against this neighbourhood's ideas in the service
        widget=GovSelect(),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Shown in the public moderation log."),
        validators=[Length(max=NOTE_LIMIT, message=_l("Note must be %(max)d characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Join the ideas"), widget=GovSubmitInput())

    def __init__(self, *args: Any, ideas: list[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = [SelectChoice("", _("Choose an idea"))] + [
            SelectChoice(str(i.id), _("%(title)s (number %(number)d)", title=i.title, number=i.id))
            for i in ideas
        ]


class RedactForm(FlaskForm):
    """Edit out what must not be shown; the original stays in the log for members."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Enter the title")),
            Length(max=TITLE_LIMIT, message=_l("Title must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    text = TextAreaField(
        _l("Text"),
        validators=[DataRequired(_l("Enter the text"))],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    note = TextAreaField(
        _l("Why you edited it (optional)"),
        description=_l("Shown in the public moderation log. Do not repeat what you removed."),
        validators=[Length(max=NOTE_LIMIT, message=_l("Note must be %(max)d characters or fewer"))],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save the edit"), widget=GovSubmitInput())

    def __init__(self, *args: Any, limit: int, is_idea: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text.validators = [
            DataRequired(_("Enter the text")),
            Length(max=limit, message=_("Text must be %(max)d characters or fewer")),
        ]
        if not is_idea:
            del self.title
