"""The buttons that ask for, and confirm, deleting an account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class AskToDeleteForm(FlaskForm):
    submit = SubmitField("Email me a link to delete my account", widget=GovSubmitInput())


class ConfirmDeletionForm(FlaskForm):
    submit = SubmitField("Delete my account", widget=GovSubmitInput())
