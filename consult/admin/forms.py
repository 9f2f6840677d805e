"""Forms for site admins."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from consult.core.i18n import DEFAULT, LANGUAGES
from consult.core.widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


class NeighbourhoodForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            InputRequired("Enter the neighbourhood's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    slug = StringField(
        "Short name for the web address",
        description="Lower-case letters, numbers and hyphens, like north-ormesby",
        validators=[
            InputRequired("Enter a short name for the web address"),
            Length(max=60, message="Short name must be 60 characters or fewer"),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message="Use only lower-case letters, numbers and single hyphens",
            ),
        ],
        widget=GovTextInput(),
    )
    local_authority = StringField(
        "Local authority",
        validators=[Length(max=120, message="Local authority must be 120 characters or fewer")],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        "Description",
        validators=[Length(max=2000, message="Description must be 2000 characters or fewer")],
        widget=GovTextArea(),
    )
    languages = SelectMultipleField(
        "Languages besides English",
        description="Residents can read the site's pages in these languages. Choose none to "
        "offer every language the site has.",
        choices=[
            SelectChoice(code, language.name)
            for code, language in LANGUAGES.items()
            if code != DEFAULT
        ],
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField("Create neighbourhood", widget=GovSubmitInput())
