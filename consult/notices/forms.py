"""Forms that admins use to edit the notices: each can be previewed before it is saved."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from consult.core.forms import strip_whitespace
from consult.core.widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

TEXT_LIMIT = 5000


def _text(label: str, missing: str, hint: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        validators=[
            DataRequired(missing),
            Length(max=TEXT_LIMIT, message=f"{label} must be {TEXT_LIMIT} characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )


class _PreviewOrSave(FlaskForm):
    preview = SubmitField("Preview", widget=GovSubmitInput())
    save = SubmitField("Save", widget=GovSubmitInput())


BLANK_LINE_HINT = "Leave a blank line between paragraphs."


class PrivacyNoticeForm(_PreviewOrSave):
    who_runs_it = _text("Who runs this service", "Enter who runs this service", BLANK_LINE_HINT)
    lawful_basis = _text(
        "Why we can use people’s information (the lawful basis)",
        "Enter the lawful basis",
        BLANK_LINE_HINT,
    )
    what_we_keep = _text(
        "What we keep and for how long", "Enter what is kept and for how long", BLANK_LINE_HINT
    )
    your_rights = _text("People’s rights", "Enter people’s rights", BLANK_LINE_HINT)
    contact = _text("How to contact us", "Enter how to contact you", BLANK_LINE_HINT)


class AccessibilityStatementForm(_PreviewOrSave):
    organisation = StringField(
        "Who runs the website",
        description="Completes the sentence “This website is run by …”.",
        validators=[
            DataRequired("Enter who runs the website"),
            Length(max=200, message="Who runs the website must be 200 characters or fewer"),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    compliance = RadioField(
        "How well the website meets the standard (WCAG 2.2 AA)",
        choices=[
            SelectChoice("full", "Fully compliant"),
            SelectChoice("partial", "Partially compliant"),
            SelectChoice("not", "Not compliant"),
        ],
        validators=[InputRequired("Select how well the website meets the standard")],
        widget=GovRadioInput(),
    )
    known_issues = _text(
        "Content that is not accessible, and why", "Enter what is not accessible", BLANK_LINE_HINT
    )
    contact = _text(
        "How to ask for another format or report a problem",
        "Enter how people can contact you",
        BLANK_LINE_HINT,
    )
    improvements = _text(
        "What we are doing to improve accessibility",
        "Enter what you are doing to improve accessibility",
        BLANK_LINE_HINT,
    )
    prepared = _text(
        "How and when this statement was prepared",
        "Enter how and when the statement was prepared",
        BLANK_LINE_HINT,
    )
