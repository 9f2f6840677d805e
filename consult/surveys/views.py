"""Residents answer surveys here, one section per page, then check and send their answers."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.core.limits import submit_limit
from consult.core.time import utcnow
from consult.extensions import db, limiter
from consult.neighbourhoods.access import get_neighbourhood_or_404
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.answering import (
    check_all,
    find_draft,
    page_form,
    raw_formdata,
    save_page,
    send_draft,
    shown_sections,
    start_draft,
    summary_rows,
)
from consult.surveys.models import Draft, Response, Section, Survey, SurveyStatus
from consult.surveys.pages import page_items
from consult.surveys.services import get_survey_or_none

bp = Blueprint("surveys", __name__, url_prefix="/n/<slug>/surveys")
log = logging.getLogger(__name__)
DRAFTS = "survey_drafts"


def survey_or_404(neighbourhood: Neighbourhood, survey_id: int) -> Survey:
    survey = get_survey_or_none(neighbourhood, survey_id)
    if survey is None:
        abort(404)
    return survey


def _open_survey(slug: str, survey_id: int) -> tuple[Neighbourhood, Survey, str | None]:
    """The neighbourhood and survey; a closed page to show instead if it is not open."""
    neighbourhood = get_neighbourhood_or_404(slug)
    survey = survey_or_404(neighbourhood, survey_id)
    if survey.is_open(utcnow()):
        return neighbourhood, survey, None
    if survey.status == SurveyStatus.DRAFT:
        abort(404)
    closed = render_template("surveys/closed.html", neighbourhood=neighbourhood, survey=survey)
    return neighbourhood, survey, closed


def _token(survey: Survey) -> str | None:
    return session.get(DRAFTS, {}).get(str(survey.id))


def _draft(survey: Survey) -> Draft | None:
    return find_draft(survey, _token(survey))


def _editable_draft(survey: Survey) -> Draft:
    """This browser's unsent draft, started (and its token kept) if there is none."""
    draft = _draft(survey)
    if draft is None or draft.response_id is not None:
        draft, token = start_draft(survey)
        session[DRAFTS] = {**session.get(DRAFTS, {}), str(survey.id): token}
    return draft


def _section_url(survey: Survey, section: Section) -> str:
    number = survey.sections.index(section) + 1
    return url_for(".section", slug=survey.neighbourhood.slug, survey_id=survey.id, number=number)


def _answers_so_far(survey: Survey) -> dict[str, list[str]]:
    draft = _draft(survey)
    return dict(draft.answers) if draft is not None and draft.response_id is None else {}


@bp.get("/<int:survey_id>")
def answer(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = _open_survey(slug, survey_id)
    if closed is not None:
        return closed
    first = shown_sections(survey, {})
    return render_template(
        "surveys/start.html",
        neighbourhood=neighbourhood,
        survey=survey,
        start_url=_section_url(survey, first[0]) if first else None,
        sections=len(survey.sections),
    )


@bp.route("/<int:survey_id>/sections/<int:number>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def section(slug: str, survey_id: int, number: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = _open_survey(slug, survey_id)
    if closed is not None:
        return closed
    if not 1 <= number <= len(survey.sections):
        abort(404)
    current = survey.sections[number - 1]
    raw = _answers_so_far(survey)
    shown = shown_sections(survey, raw)
    if current not in shown:
        # An earlier answer skips this page: go on to the next page that is shown.
        later = [s for s in shown if s.position > current.position]
        return redirect(_section_url(survey, later[0]) if later else _check_url(survey))
    if request.method == "POST":
        form = page_form(survey, current, raw, request.form)
        if form.validate():
            draft = _editable_draft(survey)
            save_page(draft, current, form)
            db.session.commit()
            return redirect(_after(survey, current, dict(draft.answers)))
    else:
        form = page_form(survey, current, raw, raw_formdata(raw) if raw else None)
    index = shown.index(current)
    back = _section_url(survey, shown[index - 1]) if index else None
    return render_template(
        "surveys/section.html",
        neighbourhood=neighbourhood,
        survey=survey,
        section=current,
        form=form,
        items=page_items(form),
        progress=(index + 1, len(shown)),
        back_url=back or url_for(".answer", slug=slug, survey_id=survey.id),
    )


def _check_url(survey: Survey) -> str:
    return url_for(".check", slug=survey.neighbourhood.slug, survey_id=survey.id)


def _after(survey: Survey, current: Section, raw: dict[str, list[str]]) -> str:
    """Where a saved page leads: back to the check page when changing, else the next page."""
    if request.args.get("next") == "check":
        return _check_url(survey)
    later = [s for s in shown_sections(survey, raw) if s.position > current.position]
    return _section_url(survey, later[0]) if later else _check_url(survey)


@bp.route("/<int:survey_id>/check", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def check(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = _open_survey(slug, survey_id)
    if closed is not None:
        return closed
    draft = _draft(survey)
    thanks = url_for(".thank_you", slug=slug, survey_id=survey.id)
    if draft is not None and draft.response_id is not None:
        return redirect(thanks)  # already sent: a second press of "Send" stores nothing
    pages, unfinished = check_all(survey, draft.answers if draft is not None else {})
    if draft is None or unfinished is not None:
        first = unfinished or survey.sections[0]
        if draft is not None:
            flash(_("Some questions on this page still need an answer."))
        return redirect(_section_url(survey, first))
    if request.method == "POST":
        response = send_draft(survey, draft, pages)
        if response is None:
            db.session.rollback()
            return redirect(thanks)
        db.session.commit()
        log.info("response %s stored for survey %s", response.id, survey.id)
        session["last_reference"] = response.reference
        return redirect(thanks)
    return render_template(
        "surveys/check.html",
        neighbourhood=neighbourhood,
        survey=survey,
        rows=summary_rows(pages),
        section_url=lambda s: _section_url(survey, s) + "?next=check",
        back_url=_section_url(survey, pages[-1].section) if pages else None,
    )


@bp.get("/<int:survey_id>/thank-you")
def thank_you(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    survey = survey_or_404(neighbourhood, survey_id)
    draft = _draft(survey)
    if draft is None or draft.response_id is None:
        return redirect(url_for(".answer", slug=slug, survey_id=survey.id))
    reference = db.session.get_one(Response, draft.response_id).reference
    return render_template(
        "surveys/thank_you.html", neighbourhood=neighbourhood, survey=survey, reference=reference
    )


# Their routes join this blueprint.
from consult.surveys import builder_views, staff_views  # noqa: E402, F401
