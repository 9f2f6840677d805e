"""Staff import paper responses to a survey from a CSV file, and read each import's report."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from consult.core.csv_files import (
    ENCODING_NAMES,
    UploadRefusedError,
    count_lines,
    detect_encoding,
)
from consult.extensions import db
from consult.neighbourhoods.access import STAFF_ROLES, staff_view
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.imports import check_header, import_responses
from consult.surveys.imports_columns import IMPORT_CHANNELS, template_csv
from consult.surveys.imports_forms import UPLOAD_OVERHEAD, ResponsesImportForm, upload_limit
from consult.surveys.imports_jobs import background_rows, finish, new_import, queue_import
from consult.surveys.imports_models import SurveyImport
from consult.surveys.models import Survey, SurveyStatus
from consult.surveys.views import bp, survey_or_404

RECENT_IMPORTS = 10


@bp.url_value_preprocessor
def allow_import_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Let an import request be as large as an import file may be.

    Set here because this runs before every ``before_request`` function, and the first of
    those reads the form (which is refused beyond ``MAX_CONTENT_LENGTH``).
    """
    if endpoint == "surveys.import_file":
        request.max_content_length = upload_limit() + UPLOAD_OVERHEAD


def _report_url(record: SurveyImport, slug: str) -> str:
    return url_for(".import_report", slug=slug, survey_id=record.survey_id, import_id=record.id)


def _import_upload(survey: Survey, upload: FileStorage) -> SurveyImport:
    """Import the file now, or queue it for a worker if it is large. Commits.

    Raises UploadRefusedError for a file that cannot be read at all (nothing is recorded).
    """
    stream, user_id, filename = upload.stream, current_user.id, upload.filename or ""
    encoding = detect_encoding(stream)
    check_header(survey, stream, encoding)
    if count_lines(stream) - 1 > background_rows():
        record = queue_import(survey, user_id, filename, encoding, stream)
        db.session.commit()
        return record
    outcome = import_responses(survey, stream, encoding, user_id)
    if outcome.problem_count:
        db.session.rollback()  # all or nothing: not one response of a file with a problem
    record = new_import(survey, user_id, filename, encoding)
    finish(record, outcome)
    db.session.commit()
    return record


@bp.route("/<int:survey_id>/import", methods=["GET", "POST"])
@staff_view(*STAFF_ROLES)
def import_file(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    form = ResponsesImportForm()
    if survey.status != SurveyStatus.DRAFT and form.validate_on_submit():
        try:
            record = _import_upload(survey, form.csv_file.data)
        except UploadRefusedError as error:
            form.csv_file.errors = [str(error)]
        else:
            return redirect(_report_url(record, neighbourhood.slug))
    recent = db.session.scalars(
        select(SurveyImport)
        .where(SurveyImport.survey_id == survey.id)
        .order_by(SurveyImport.created_at.desc(), SurveyImport.id.desc())
        .limit(RECENT_IMPORTS)
    ).all()
    return render_template(
        "surveys/imports/new.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        recent=recent,
        channels=[c.value for c in IMPORT_CHANNELS],
        limit_mb=upload_limit() / 2**20,
        background_rows=background_rows(),
    )


@bp.get("/<int:survey_id>/import/template.csv")
@staff_view(*STAFF_ROLES)
def import_template(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    # A byte order mark, so that Excel opens the file as UTF-8.
    return Response(
        "\ufeff" + template_csv(survey),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="survey-{survey.id}-import-template.csv"'
        },
    )


@bp.get("/<int:survey_id>/imports/<int:import_id>")
@staff_view(*STAFF_ROLES)
def import_report(
    neighbourhood: Neighbourhood, survey_id: int, import_id: int
) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    record = db.session.get(SurveyImport, import_id)
    if record is None or record.survey_id != survey.id:
        abort(404)
    return render_template(
        "surveys/imports/report.html",
        neighbourhood=neighbourhood,
        survey=survey,
        record=record,
        encoding_name=ENCODING_NAMES.get(record.encoding, record.encoding),
    )
