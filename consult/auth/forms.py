"""Sign-in and invitation forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
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

EMAIL_VALIDATORS = [
    InputRequired("Enter an email address"),
    Length(max=254, message="Email address must be 254 characters or fewer"),
    Email(
        "Enter an email address in the correct format, like name@example.com",
        check_deliverability=False,
    ),
]


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password")], widget=GovPasswordInput()
    )
    remember = BooleanField(
        "Keep me signed in on this device for 30 days", widget=GovCheckboxInput()
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class InvitationForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    role = RadioField(
        "Role",
        choices=[
            SelectChoice("member", "Partnership member – builds surveys, moderates, reads results"),
            SelectChoice("officer", "Officer – receives briefings, reads results"),
        ],
        validators=[InputRequired("Select a role")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[
            InputRequired("Enter your name"),
            Length(max=120, message="Your name must be 120 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    password = PasswordField(
        "Choose a password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few words together are easy "
        "to remember and hard to guess.",
        validators=[
            InputRequired("Choose a password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Password must be between {MIN_PASSWORD_LENGTH} and 200 characters",
            ),
        ],
        widget=GovPasswordInput(),
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[
            InputRequired("Type the password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
        widget=GovPasswordInput(),
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class SignInLinkForm(FlaskForm):
    email = EmailField(
        "Email address",
        description="We will email you a link to sign in. You do not need a password.",
        validators=EMAIL_VALIDATORS,
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField("Email me a link", widget=GovSubmitInput())


class UseSignInLinkForm(FlaskForm):
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        "Choose a name to show with your ideas and comments",
        description="Everyone can see it. It can be your first name or a nickname.",
        validators=[
            DataRequired("Enter a name to show with your ideas and comments"),
            Length(max=60, message="Your name must be 60 characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
