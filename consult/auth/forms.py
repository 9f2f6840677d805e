"""Sign-in and invitation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from consult.auth.passwords import MIN_PASSWORD_LENGTH
from consult.core.forms import strip_whitespace
from consult.core.widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)

EMAIL_VALIDATORS = [
    InputRequired(_l("Enter an email address")),
    Length(max=254, message=_l("Email address must be 254 characters or fewer")),
    Email(
        _l("Enter an email address in the correct format, like name@example.com"),
        check_deliverability=False,
    ),
]


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password"))],
        widget=GovPasswordInput(),
    )
    remember = BooleanField(
        _l("Keep me signed in on this device for 30 days"), widget=GovCheckboxInput()
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class InvitationForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(
                "member", _l("Partnership member – builds surveys, moderates, reads results")
            ),
            SelectChoice("officer", _l("Officer – receives briefings, reads results")),
        ],
        validators=[InputRequired(_l("Select a role"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            InputRequired(_l("Enter your name")),
            Length(max=120, message=_l("Your name must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    password = PasswordField(
        _l("Choose a password"),
        description=_l(
            "At least %(count)d characters. A few words together are easy to remember and hard "
            "to guess.",
            count=MIN_PASSWORD_LENGTH,
        ),
        validators=[
            InputRequired(_l("Choose a password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Password must be between %(min)d and %(max)d characters"),
            ),
        ],
        widget=GovPasswordInput(),
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            InputRequired(_l("Type the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
        widget=GovPasswordInput(),
    )
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())


class SignInLinkForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("We will email you a link to sign in. You do not need a password."),
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Email me a link"), widget=GovSubmitInput())


class UseSignInLinkForm(FlaskForm):
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        _l("Choose a name to show with your ideas and comments"),
        description=_l("Everyone can see it. It can be your first name or a nickname."),
        validators=[
            DataRequired(_l("Enter a name to show with your ideas and comments")),
            Length(max=60, message=_l("Your name must be 60 characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
