"""Forms for briefings: send now, subscriptions, the population profile and the questions
broken down."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Optional, Regexp

from consult.briefings.population import CENSUS_CATEGORIES, Profile
from consult.core.widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)

MAX_CSV_BYTES = 64 * 1024


class SendNowForm(FlaskForm):
    """No fields: the form exists for its CSRF token ("Send now", "Retry")."""


class SubscriptionForm(FlaskForm):
    receive = RadioField(
        _l("Do you want to get this neighbourhood's briefings by email?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(_l("Select yes if you want to get briefings by email"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class BreakdownsForm(FlaskForm):
    """The questions to break down; the choices (the survey's candidates) come from the view."""

    questions = SelectMultipleField(
        _l("Which questions should briefings break down?"),
        description=_l(
            "Briefings show each question you tick by age, sex and the other ‘About you’ "
            "answers, and by how people answered (online, on paper and so on). Questions you "
            "leave unticked still have their overall results."
        ),
        coerce=int,
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField(_l("Save breakdowns"), widget=GovSubmitInput())


class ProfileImportForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        description=_l("Three columns with the headings variable,category,count"),
        validators=[
            FileRequired(_l("Select a CSV file")),
            FileSize(MAX_CSV_BYTES, message=_l("The file must be smaller than 64 KB")),
        ],
        widget=GovFileInput(),
    )
    submit = SubmitField(_l("Import"), widget=GovSubmitInput())


def field_name(variable: str, index: int) -> str:
    return f"{variable}_{index}"


class PopulationForm(FlaskForm):
    """One box per Census 2021 category; fields are added below, from ``CENSUS_CATEGORIES``."""

    submit = SubmitField(_l("Save population profile"), widget=GovSubmitInput())

    def grouped(self) -> list[tuple[str, list[Field]]]:
        """(variable, its fields) in Census order, for the template."""
        return [
            (variable, [self[field_name(variable, i)] for i in range(len(categories))])
            for variable, categories in CENSUS_CATEGORIES.items()
        ]

    def profile(self) -> Profile:
        """The counts entered; a variable with no boxes filled in is left out."""
        profile: Profile = {}
        for variable, categories in CENSUS_CATEGORIES.items():
            for index, category in enumerate(categories):
                value = (self[field_name(variable, index)].data or "").strip()
                if value:
                    profile.setdefault(variable, {})[category] = int(value)
        return profile


for _variable, _categories in CENSUS_CATEGORIES.items():
    for _index, _category in enumerate(_categories):
        setattr(
            PopulationForm,
            field_name(_variable, _index),
            StringField(
                _category,
                validators=[
                    Optional(),
                    Regexp(
                        r"^\s*\d{1,8}\s*$",
                        message=_l("Enter a whole number for %(category)s", category=_category),
                    ),
                ],
                widget=GovTextInput(),
            ),
        )


def population_form(profile: Profile, **kwargs: Any) -> PopulationForm:
    """The form, filled in with the stored profile (form data, if posted, wins)."""
    data = {
        field_name(variable, index): str(profile[variable][category])
        for variable, categories in CENSUS_CATEGORIES.items()
        for index, category in enumerate(categories)
        if category in profile.get(variable, {})
    }
    return PopulationForm(data=data, **kwargs)
