"""The form staff upload an import file with."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import Field, SubmitField
from wtforms.validators import StopValidation

from consult.core.widgets import GovFileInput, GovSubmitInput

MAX_UPLOAD_BYTES = 16 * 2**20
# Room for the rest of a multipart form around the file.
UPLOAD_OVERHEAD = 64 * 1024


def upload_limit() -> int:
    """The largest import file accepted, in bytes (``SURVEY_IMPORT_MAX_BYTES``)."""
    return int(current_app.config.get("SURVEY_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES))


def within_limit(form: Any, field: Field) -> None:
    stream = field.data.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise StopValidation(_("The file is empty. Fill in the template and upload it"))
    limit = upload_limit()
    if size > limit:
        shown = f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit / 1024:g} KB"
        raise StopValidation(
            _(
                "The file must be smaller than %(size)s. Split it into smaller files and upload "
                "each of them",
                size=shown,
            )
        )


class ResponsesImportForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        validators=[
            FileRequired(_l("Select a CSV file")),
            FileAllowed(["csv"], _l("The file must be a CSV file, ending in .csv")),
            within_limit,
        ],
        widget=GovFileInput(),
    )
    submit = SubmitField(_l("Import responses"), widget=GovSubmitInput())
