"""Forms for personal API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from consult.core.forms import strip_whitespace
from consult.core.widgets import GovSubmitInput, GovTextInput

NAME_LIMIT = 100


class CreateTokenForm(FlaskForm):
    name = StringField(
        _l("Name the token"),
        description=_l(
            "Say what will use it, so you know which to revoke, like “Council dashboard”"
        ),
        validators=[
            InputRequired(_l("Enter a name for the token")),
            Length(max=NAME_LIMIT, message=_l("Name must be %(max)d characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Create token"), widget=GovSubmitInput())


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(
        _l("Token"),
        validators=[
            InputRequired(_l("Choose a token to revoke")),
            Regexp(r"^\d{1,9}$", message=_l("Choose a token to revoke")),
        ],
    )
