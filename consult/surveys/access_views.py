"""Reaching a survey: a household code, a verified-email link, a resume link, a short address.

Every email address typed here is used only to send a message: it is never stored, and the
rate limit per address is keyed on a hash of it, so not even the limiter's store holds it.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from consult.core.limits import (
    access_code_limit,
    email_link_limit,
    sign_in_limit,
    typed_email_key,
)
from consult.core.time import utcnow
from consult.extensions import db, limiter
from consult.mail import error_kind
from consult.surveys.access import (
    LINK_UNKNOWN,
    AccessRefusedError,
    access_marker,
    check_code,
    create_email_link,
    email_hash,
    grant_access,
    has_answered,
    usable_email_link,
    use_email_link,
)
from consult.surveys.access_forms import AccessEmailForm, CodeForm, SaveForm, UseLinkForm
from consult.surveys.answering import find_draft, resume_section
from consult.surveys.emails import send_access_link, send_already_answered, send_resume_link
from consult.surveys.flow import RESIDENT
from consult.surveys.models import AccessMode, Survey, SurveyStatus
from consult.surveys.resume import (
    RESUME_EXPIRED,
    RESUME_UNKNOWN,
    ResumeLinkError,
    make_resume_token,
    read_resume_token,
    resume_expiry,
)
from consult.surveys.views import bp, first_page_url, open_survey, render_start

log = logging.getLogger(__name__)
short_bp = Blueprint("survey_links", __name__)

ALREADY_SENT = _l(
    "The answers saved with this link have already been sent, so they cannot be changed now. "
    "Thank you for taking part."
)


_email_key = typed_email_key("survey-email")


def _start_url(survey: Survey) -> str:
    return url_for("surveys.answer", slug=survey.neighbourhood.slug, survey_id=survey.id)


def _problem(survey: Survey, title: str, message: str, status: int) -> ResponseReturnValue:
    page = render_template(
        "surveys/link_problem.html",
        neighbourhood=survey.neighbourhood,
        survey=survey,
        title=title,
        message=message,
    )
    return page, status


@bp.post("/<int:survey_id>/code")
@limiter.limit(access_code_limit)
def enter_code(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    if survey.access is not AccessMode.HOUSEHOLD_CODES:
        return redirect(_start_url(survey))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            grant_access(survey, check_code(survey, form.code.data or ""))
        except AccessRefusedError as refused:
            form.code.errors = [refused.message]
        else:
            return redirect(first_page_url(survey) or _start_url(survey))
    return render_start(neighbourhood, survey, form)


@bp.post("/<int:survey_id>/email")
@limiter.limit(sign_in_limit)
@limiter.limit(email_link_limit, key_func=_email_key)
def request_access(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    if survey.access is not AccessMode.VERIFIED_EMAIL:
        return redirect(_start_url(survey))
    form = AccessEmailForm()
    if not form.validate_on_submit():
        return render_start(neighbourhood, survey, form)
    email = form.email.data or ""
    hashed = email_hash(survey, email)
    try:
        if has_answered(survey, hashed):
            send_already_answered(email, survey)
        else:
            token = create_email_link(survey, hashed)
            db.session.commit()
            expires = usable_email_link(survey, token).expires_at
            send_access_link(email, survey, token, expires)
    except Exception as error:
        db.session.rollback()
        log.error(
            "survey access email could not be sent for survey %s (%s)", survey.id, error_kind(error)
        )
        flash(gettext("We could not send the email. Try again in a few minutes."))
        return render_start(neighbourhood, survey, form)
    # The same page whether a link or an "already answered" email went, so this page says
    # nothing about who has answered.
    return redirect(url_for(".access_sent", slug=slug, survey_id=survey.id))


@bp.get("/<int:survey_id>/email/sent")
def access_sent(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    return render_template("surveys/access_sent.html", neighbourhood=neighbourhood, survey=survey)


@bp.route("/<int:survey_id>/email/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def use_access(slug: str, survey_id: int, token: str) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    # Opening the link only shows a button: mail scanners that fetch links must not spend it.
    try:
        usable_email_link(survey, token)
    except AccessRefusedError as refused:
        status = 404 if refused.message == LINK_UNKNOWN else 410
        return _problem(survey, gettext("This link cannot be used"), refused.message, status)
    form = UseLinkForm()
    if form.validate_on_submit():
        try:
            hashed = use_email_link(survey, token)
        except AccessRefusedError as refused:
            db.session.rollback()
            return _problem(survey, gettext("This link cannot be used"), refused.message, 410)
        db.session.commit()
        grant_access(survey, hashed)
        return redirect(first_page_url(survey) or _start_url(survey))
    return render_template(
        "surveys/use_link.html", neighbourhood=neighbourhood, survey=survey, form=form
    )


@bp.route("/<int:survey_id>/save", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@limiter.limit(email_link_limit, methods=["POST"], key_func=_email_key)
def save(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    draft = RESIDENT.draft(survey)
    draft_token = RESIDENT.token(survey)
    if draft is None or draft.response_id is not None or draft_token is None:
        return redirect(_start_url(survey))
    form = SaveForm()
    if form.validate_on_submit():
        token, expires = make_resume_token(survey, draft_token, access_marker(survey), utcnow())
        try:
            send_resume_link(form.email.data or "", survey, token, expires)
        except Exception as error:
            log.error(
                "resume link could not be sent for survey %s (%s)", survey.id, error_kind(error)
            )
            flash(gettext("We could not send the email. Try again in a few minutes."))
        else:
            log.info("resume link sent for draft %s", draft.id)
            return redirect(url_for(".saved", slug=slug, survey_id=survey.id))
    return render_template(
        "surveys/save.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        back_url=RESIDENT.url(survey, "check"),
    )


@bp.get("/<int:survey_id>/save/sent")
def saved(slug: str, survey_id: int) -> ResponseReturnValue:
    neighbourhood, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    return render_template(
        "surveys/saved.html",
        neighbourhood=neighbourhood,
        survey=survey,
        expires_at=resume_expiry(survey, utcnow()),
    )


@bp.get("/<int:survey_id>/resume/<token>")
def resume(slug: str, survey_id: int, token: str) -> ResponseReturnValue:
    """Reopen saved answers in this browser, at the first page that still needs answers."""
    _, survey, closed = open_survey(slug, survey_id)
    if closed is not None:
        return closed
    try:
        link = read_resume_token(survey, token, utcnow())
    except ResumeLinkError as error:
        status = 404 if str(error) == RESUME_UNKNOWN else 410
        return _problem(survey, gettext("This link cannot be used"), str(error), status)
    draft = find_draft(survey, link.draft_token)
    if draft is None:  # deleted by the drafts' housekeeping
        return _problem(survey, gettext("This link cannot be used"), RESUME_EXPIRED, 410)
    if draft.response_id is not None:
        return _problem(survey, gettext("These answers have already been sent"), ALREADY_SENT, 410)
    RESIDENT.keep_token(survey.id, link.draft_token)
    if link.marker is not None:
        grant_access(survey, link.marker)
    carry_on = resume_section(survey, draft.answers)
    if carry_on is None:
        return redirect(RESIDENT.url(survey, "check"))
    return redirect(RESIDENT.section_url(survey, carry_on))


@short_bp.get("/s/<int:survey_id>")
def short(survey_id: int) -> ResponseReturnValue:
    """The short address printed on letters: on to the survey's first page."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        abort(404)
    return redirect(_start_url(survey))
