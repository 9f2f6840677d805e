"""Staff read a neighbourhood's surveys and their results."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db
from consult.neighbourhoods.access import STAFF_ROLES, has_role, staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.models import Survey
from consult.surveys.services import count_responses, summarise_survey
from consult.surveys.views import bp, survey_or_404


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
    return render_template(
        "surveys/results.html",
        neighbourhood=neighbourhood,
        survey=survey,
        total=count_responses(survey),
        summaries=summarise_survey(survey),
    )


# The import pages register on the same blueprint.
from consult.surveys import imports_views  # noqa: E402, F401
