"""Residents answer surveys here; staff read the results."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db, limiter
from consult.neighbourhoods.access import STAFF_ROLES, get_neighbourhood_or_404, staff_view
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.forms import answer_form_class, field_name
from consult.surveys.models import Survey
from consult.surveys.services import (
    count_responses,
    get_survey_or_none,
    submit_response,
    summarise_survey,
)

bp = Blueprint("surveys", __name__, url_prefix="/n/<slug>/surveys")
log = logging.getLogger(__name__)


def _submit_limit() -> str:
    return str(current_app.config["SUBMIT_RATE_LIMIT"])


def _survey_or_404(neighbourhood: Neighbourhood, survey_id: int) -> Survey:
    survey = get_survey_or_none(neighbourhood, survey_id)
    if survey is None:
        abort(404)
    return survey


@bp.route("/<int:survey_id>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def answer(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    survey = _survey_or_404(neighbourhood, survey_id)
    if not survey.is_open(utcnow()):
        if survey.status == "draft":
            abort(404)
        return render_template("surveys/closed.html", neighbourhood=neighbourhood, survey=survey)
    form = answer_form_class(survey)()
    if form.validate_on_submit():
        answers = {q.id: form[field_name(q)].data for q in survey.questions}
        response = submit_response(survey, answers)
        db.session.commit()
        log.info("response %s stored for survey %s", response.id, survey.id)
        session["last_reference"] = response.reference
        return redirect(url_for(".thank_you", slug=slug, survey_id=survey.id))
    fields = [form[field_name(q)] for q in survey.questions]
    return render_template(
        "surveys/answer.html", neighbourhood=neighbourhood, survey=survey, form=form, fields=fields
    )


@bp.get("/<int:survey_id>/thank-you")
def thank_you(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    survey = _survey_or_404(neighbourhood, survey_id)
    reference = session.get("last_reference")
    if reference is None:
        return redirect(url_for(".answer", slug=slug, survey_id=survey.id))
    return render_template(
        "surveys/thank_you.html", neighbourhood=neighbourhood, survey=survey, reference=reference
    )


@bp.get("/")
@staff_view(*STAFF_ROLES)
def staff_index(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    surveys = db.session.scalars(
        select(Survey).where(Survey.neighbourhood_id == neighbourhood.id).order_by(Survey.id)
    ).all()
    rows = [(s, count_responses(s)) for s in surveys]
    return render_template("surveys/staff_index.html", neighbourhood=neighbourhood, rows=rows)


@bp.get("/<int:survey_id>/results")
@staff_view(*STAFF_ROLES)
def results(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(neighbourhood, survey_id)
    return render_template(
        "surveys/results.html",
        neighbourhood=neighbourhood,
        survey=survey,
        total=count_responses(survey),
        summaries=summarise_survey(survey),
    )
