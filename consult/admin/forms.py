"""Forms for site admins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
        _l("Name"),
        validators=[
            InputRequired(_l("Enter the neighbourhood's name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    slug = StringField(
        _l("Short name for the web address"),
        description=_l("Lower-case letters, numbers and hyphens, like north-ormesby"),
        validators=[
            InputRequired(_l("Enter a short name for the web address")),
            Length(max=60, message=_l("Short name must be 60 characters or fewer")),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Use only lower-case letters, numbers and single hyphens"),
            ),
        ],
        widget=GovTextInput(),
    )
    local_authority = StringField(
        _l("Local authority"),
        validators=[Length(max=120, message=_l("Local authority must be 120 characters or fewer"))],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("Description must be 2000 characters or fewer"))],
        widget=GovTextArea(),
    )
    languages = SelectMultipleField(
        _l("Languages besides English"),
        description=_l(
            "Residents can read the site's pages in these languages. Choose none to "
            "offer every language the site has."
        ),
        choices=[
            SelectChoice(code, language.name)
            for code, language in LANGUAGES.items()
            if code != DEFAULT
        ],
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField(_l("Create neighbourhood"), widget=GovSubmitInput())
