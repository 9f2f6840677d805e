"""The buttons that ask for, and confirm, deleting an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from consult.core.widgets import GovSubmitInput


class AskToDeleteForm(FlaskForm):
    submit = SubmitField(_l("Email me a link to delete my account"), widget=GovSubmitInput())


class ConfirmDeletionForm(FlaskForm):
    submit = SubmitField(_l("Delete my account"), widget=GovSubmitInput())
