"""Forms for reaching a survey (a code, an email), saving for later, and keying a response in."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from consult.auth.forms import EMAIL_VALIDATORS
from consult.core.forms import strip_whitespace
from consult.core.widgets import GovRadioInput, GovSubmitInput, GovTextInput
from consult.surveys.access import MAX_CODES_PER_BATCH
from consult.surveys.models import Channel

CHANNEL_LABELS = {
    Channel.PAPER: _l("On a paper form"),
    Channel.PHONE: _l("Over the phone"),
    Channel.DOORSTEP: _l("On the doorstep"),
    Channel.EVENT: _l("At an event"),
}


class CodeForm(FlaskForm):
    code = StringField(
        _l("Household code"),
        description=_l("It is printed on your letter, for example K7QF-2M9D."),
        validators=[
            InputRequired(_l("Enter the household code from your letter")),
            Length(max=30, message=_l("A household code is 8 letters and numbers, like K7QF-2M9D")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AccessEmailForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l(
            "We will email you a link to the survey. We do not keep your email address "
            "with your answers."
        ),
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Email me a link"), widget=GovSubmitInput())


class SaveForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("We use it only to send you the link, and do not keep it."),
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())


class UseLinkForm(FlaskForm):
    submit = SubmitField(_l("Start the survey"), widget=GovSubmitInput())


class ChannelForm(FlaskForm):
    channel = RadioField(
        _l("How did this response come in?"),
        choices=[SelectChoice(channel.value, label) for channel, label in CHANNEL_LABELS.items()],
        validators=[InputRequired(_l("Choose how the response came in"))],
        widget=GovRadioInput(),
    )
    event_name = StringField(
        _l("Name of the event"),
        description=_l("For a response taken at an event, for example ‘Summer fair, 12 July’."),
        validators=[
            Length(max=200, message=_l("The event’s name must be 200 characters or fewer"))
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_event_name(self, field: Any) -> None:
        if self.channel.data == Channel.EVENT.value and not field.data:
            raise ValidationError(_("Enter the name of the event"))


class CodesForm(FlaskForm):
    count = IntegerField(
        _l("How many codes to make"),
        description=_l("One for each letter you will send."),
        validators=[
            InputRequired(_l("Enter how many codes to make, as a number like 200")),
            NumberRange(
                min=1,
                max=MAX_CODES_PER_BATCH,
                message=_l("Make between %(min)s and %(max)s codes at a time"),
            ),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Make codes"), widget=GovSubmitInput())
