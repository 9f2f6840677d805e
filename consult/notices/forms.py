"""Forms that admins use to edit the notices: each can be previewed before it is saved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
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


def _text(label: LazyString, missing: LazyString, hint: LazyString | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        validators=[
            DataRequired(missing),
            Length(
                max=TEXT_LIMIT,
                message=_l(
                    "%(label)s must be %(limit)d characters or fewer", label=label, limit=TEXT_LIMIT
                ),
            ),
        ],
        filters=[strip_whitespace],
        widget=GovTextArea(),
    )


class _PreviewOrSave(FlaskForm):
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    save = SubmitField(_l("Save"), widget=GovSubmitInput())


BLANK_LINE_HINT = _l("Leave a blank line between paragraphs.")


class PrivacyNoticeForm(_PreviewOrSave):
    who_runs_it = _text(
        _l("Who runs this service"), _l("Enter who runs this service"), BLANK_LINE_HINT
    )
    lawful_basis = _text(
        _l("Why we can use people’s information (the lawful basis)"),
        _l("Enter the lawful basis"),
        BLANK_LINE_HINT,
    )
    what_we_keep = _text(
        _l("What we keep and for how long"),
        _l("Enter what is kept and for how long"),
        BLANK_LINE_HINT,
    )
    your_rights = _text(_l("People’s rights"), _l("Enter people’s rights"), BLANK_LINE_HINT)
    contact = _text(_l("How to contact us"), _l("Enter how to contact you"), BLANK_LINE_HINT)


class AccessibilityStatementForm(_PreviewOrSave):
    organisation = StringField(
        _l("Who runs the website"),
        description=_l("Completes the sentence “This website is run by …”."),
        validators=[
            DataRequired(_l("Enter who runs the website")),
            Length(max=200, message=_l("Who runs the website must be 200 characters or fewer")),
        ],
        filters=[strip_whitespace],
        widget=GovTextInput(),
    )
    compliance = RadioField(
        _l("How well the website meets the standard (WCAG 2.2 AA)"),
        choices=[
            SelectChoice("full", _l("Fully compliant")),
            SelectChoice("partial", _l("Partially compliant")),
            SelectChoice("not", _l("Not compliant")),
        ],
        validators=[InputRequired(_l("Select how well the website meets the standard"))],
        widget=GovRadioInput(),
    )
    known_issues = _text(
        _l("Content that is not accessible, and why"),
        _l("Enter what is not accessible"),
        BLANK_LINE_HINT,
    )
    contact = _text(
        _l("How to ask for another format or report a problem"),
        _l("Enter how people can contact you"),
        BLANK_LINE_HINT,
    )
    improvements = _text(
        _l("What we are doing to improve accessibility"),
        _l("Enter what you are doing to improve accessibility"),
        BLANK_LINE_HINT,
    )
    prepared = _text(
        _l("How and when this statement was prepared"),
        _l("Enter how and when the statement was prepared"),
        BLANK_LINE_HINT,
    )
