"""Residents answer surveys here, one section per page, then check and send their answers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import Blueprint, abort, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from consult.core.limits import submit_limit
from consult.core.time import utcnow
from consult.extensions import db, limiter
from consult.neighbourhoods.access import get_neighbourhood_or_404
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.access import AccessRefusedError, access_marker, claim_access, may_answer
from consult.surveys.access_forms import AccessEmailForm, CodeForm
from consult.surveys.answered import answered_here, remember_answered
from consult.surveys.answering import CheckedPage, new_token, send_draft, shown_sections
from consult.surveys.blank import recent_page
from consult.surveys.flow import RESIDENT, check_page, section_page
from consult.surveys.models import AccessMode, Draft, Response, Survey, SurveyStatus
from consult.surveys.sending import send_as_shown
from consult.surveys.services import get_survey_or_none
from consult.surveys.structure import survey_for_answering
from consult.surveys.translations import template_helpers

bp = Blueprint("surveys", __name__, url_prefix="/n/<slug>/surveys")
# Globals, not a context processor: imported macros (surveys/_question.html) see them too.
bp.record_once(lambda state: state.app.jinja_env.globals.update(template_helpers()))
log = logging.getLogger(__name__)


def survey_or_404(neighbourhood: Neighbourhood, survey_id: int) -> Survey:
    survey = get_survey_or_none(neighbourhood, survey_id)
    if survey is None:
        abort(404)
    return survey


def closed_page(neighbourhood: Neighbourhood, survey: Survey) -> str | None:
    """The page to show instead if the survey is not open (404 for one never published)."""
    if survey.is_open(utcnow()):
        return None
    if survey.status == SurveyStatus.DRAFT:
        abort(404)
    return render_template("surveys/closed.html", neighbourhood=neighbourhood, survey=survey)


def open_survey(slug: str, survey_id: int) -> tuple[Neighbourhood, Survey, str | None]:
    """The neighbourhood and survey; a closed page to show instead if it is not open.

    The resident's draft is read in the same statement, and kept for the page (see
    :meth:`Flow.draft`)."""
    token = RESIDENT.token_of(survey_id)
    found = survey_for_answering(slug, survey_id, token)
    if found is None:
        abort(404)
    neighbourhood, survey, draft = found
    RESIDENT.read_already(survey, token, draft)
    g.neighbourhood = neighbourhood  # the page's languages come from it (no second query)
    return neighbourhood, survey, closed_page(neighbourhood, survey)


def first_page_url(survey: Survey) -> str | None:
    first = shown_sections(survey, {})
    return RESIDENT.section_url(survey, first[0]) if first else None


def render_start(
    neighbourhood: Neighbourhood, survey: Survey, form: FlaskForm | None = None
) -> str:
    """The start page: a code or email to give first if the survey needs one, then "Start"."""
    mode = survey.access
    if form is None and not may_answer(survey):
        form = CodeForm() if mode is AccessMode.HOUSEHOLD_CODES else AccessEmailForm()
    return render_template(
        "surveys/start.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        start_url=first_page_url(survey),
        sections=len(survey.sections),
        answered_here=mode is AccessMode.OPEN and answered_here(survey),
    )


@bp.get("/<int:survey_id>")
def answer(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    return render_start(neighbourhood, survey)


@bp.route("/<int:survey_id>/sections/<int:number>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def section(slug: str, survey_id: int, number: int) -> ResponseReturnValue:
    fresh = RESIDENT.token_of(survey_id) is None
    shown = recent_page(survey_id, fresh, lambda sid: RESIDENT.keep_token(sid, new_token()))
    if shown is not None:
        return shown
    sent = send_as_shown(survey_id, number, _sent)
    if sent is not None:
        return sent
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    if not may_answer(survey):
        return redirect(url_for(".answer", slug=slug, survey_id=survey.id))
    return section_page(RESIDENT, neighbourhood, survey, number, _send)


def _send(survey: Survey, draft: Draft, pages: Sequence[CheckedPage]) -> ResponseReturnValue:
    """Store the answers and spend the code or email they were given with, all or nothing."""
    response = send_draft(survey, draft, pages)
    if response is None:
        thanks = _thanks_url(survey)  # before the rollback, which expires the survey
        db.session.rollback()
        return redirect(thanks)
    try:
        claim_access(survey, access_marker(survey))
    except AccessRefusedError as refused:
        db.session.rollback()
        page = render_template(
            "surveys/not_sent.html",
            neighbourhood=survey.neighbourhood,
            survey=survey,
            message=refused.message,
        )
        return page, 409
    return _sent(survey, response)


def _thanks_url(survey: Survey) -> str:
    return url_for(".thank_you", slug=survey.neighbourhood.slug, survey_id=survey.id)


def _sent(survey: Survey, response: Response) -> ResponseReturnValue:
    """Commit the stored response, and on to the thank-you page."""
    # Read before the commit, which expires them (reading after would load them again).
    reply = redirect(_thanks_url(survey))
    remember_answered(reply, survey)
    stored = (response.id, survey.id)
    db.session.commit()
    log.info("response %s stored for survey %s", *stored)
    return reply


@bp.route("/<int:survey_id>/check", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def check(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    if not may_answer(survey):
        return redirect(url_for(".answer", slug=slug, survey_id=survey.id))
    return check_page(RESIDENT, neighbourhood, survey, _send)


@bp.get("/<int:survey_id>/thank-you")
def thank_you(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    survey = survey_or_404(neighbourhood, survey_id)
    draft = RESIDENT.draft(survey)
    if draft is None or draft.response_id is None:
        return redirect(url_for(".answer", slug=slug, survey_id=survey.id))
    reference = db.session.get_one(Response, draft.response_id).reference
    return render_template(
        "surveys/thank_you.html", neighbourhood=neighbourhood, survey=survey, reference=reference
    )


# Their routes join this blueprint.
from consult.surveys import (  # noqa: E402
    access_views,  # noqa: F401
    assisted_views,  # noqa: F401
    breakdown_views,  # noqa: F401
    builder_views,  # noqa: F401
    code_views,  # noqa: F401
    staff_views,  # noqa: F401
    translation_views,  # noqa: F401
)
