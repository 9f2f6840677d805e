"""Staff read a neighbourhood's surveys and their results, and download them.

Results, their tables as CSV and the record-level export of responses are for members and
officers of the survey's neighbourhood and admins (others get 404). The export holds every
response (redacted of personal data), so each one is recorded: see :mod:`consult.surveys.export`.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db
from consult.neighbourhoods.access import STAFF_ROLES, has_role, staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.retention.services import kept_results, retained_summary
from consult.surveys.export import export_csv, export_filename, record_export
from consult.surveys.export_tables import results_csv
from consult.surveys.models import Survey
from consult.surveys.results import survey_results
from consult.surveys.services import count_responses
from consult.surveys.views import bp, survey_or_404

CSV_MIMETYPE = "text/csv; charset=utf-8"


@bp.get("/")
@staff_view(*STAFF_ROLES)
def staff_index(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    surveys = db.session.scalars(
        select(Survey).where(Survey.neighbourhood_id == neighbourhood.id).order_by(Survey.id)
    ).all()
    rows = [(s, count_responses(s)) for s in surveys]
    return render_template(
        "surveys/staff_index.html",
        neighbourhood=neighbourhood,
        rows=rows,
        can_build=has_role(current_user, neighbourhood, (Role.MEMBER,)),
    )


@bp.get("/<int:survey_id>/results")
@staff_view(*STAFF_ROLES)
def results(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    # After the retention period the raw responses are gone: the counts kept are shown instead,
    # suppressed like every other number.
    kept = retained_summary(survey)
    if kept is not None:
        return render_template(
            "surveys/results_kept.html",
            neighbourhood=neighbourhood,
            survey=survey,
            kept=kept,
            results=kept_results(kept, neighbourhood.disclosure_threshold),
        )
    by_channel = request.args.get("by") == "channel"
    return render_template(
        "surveys/results.html",
        neighbourhood=neighbourhood,
        survey=survey,
        results=survey_results(survey, by_channel=by_channel),
        by_channel=by_channel,
    )


@bp.get("/<int:survey_id>/results.csv")
@staff_view(*STAFF_ROLES)
def results_tables(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    """The results page's tables as CSV: the same suppressed numbers."""
    survey = survey_or_404(neighbourhood, survey_id)
    body = results_csv(survey_results(survey, by_channel=True))
    return _csv_download(body, f"survey-{survey.id}-results.csv")


@bp.get("/<int:survey_id>/responses.csv")
@staff_view(*STAFF_ROLES)
def export_responses(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    """Every response as CSV, streamed; the export is recorded before the first byte."""
    survey = survey_or_404(neighbourhood, survey_id)
    record_export(survey, current_user.id, "web")
    db.session.commit()
    return _csv_download(stream_with_context(export_csv(survey)), export_filename(survey))


def _csv_download(body: str | Iterator[str], filename: str) -> Response:
    response = Response(body, mimetype=CSV_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The import pages register on the same blueprint.
from consult.surveys import imports_views  # noqa: E402, F401
