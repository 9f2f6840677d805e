"""Forms for personal API tokens."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from consult.core.forms import strip_whitespace
from consult.core.widgets import GovSubmitInput, GovTextInput

NAME_LIMIT = 100


class CreateTokenForm(FlaskForm):
    name = StringField(
        "Name the token",
        description="Say what will use it, so you know which to revoke, like “Council dashboard”",
        validators=[
            InputRequired("Enter a name for the token"),
            Length(max=NAME_LIMIT, message=f"Name must be {NAME_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(
        "Token",
        validators=[
            InputRequired("Choose a token to revoke"),
            Regexp(r"^\d{1,9}$", message="Choose a token to revoke"),
        ],
    )
