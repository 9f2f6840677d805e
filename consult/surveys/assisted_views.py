"""Members and officers key in a resident's response: from paper, by phone, at the door or an
event. The same section pages as residents', under their own session key, so the drafts never
mix with anything the staff member answers for themselves; the resident access mode does not
apply (a paper form carries no email or code)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import redirect, render_template, session
from flask.typing import ResponseReturnValue
from flask_login import current_user

from consult.core.limits import submit_limit
from consult.extensions import db, limiter
from consult.neighbourhoods.access import STAFF_ROLES, staff_view
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.access_forms import CHANNEL_LABELS, ChannelForm
from consult.surveys.answering import CheckedPage, Entry, send_draft, shown_sections
from consult.surveys.flow import ASSISTED, check_page, section_page
from consult.surveys.models import Channel, Draft, Response, Survey
from consult.surveys.views import bp, closed_page, survey_or_404

log = logging.getLogger(__name__)
ENTRY_KEY = "survey_assisted_entry"


def _entry(survey: Survey) -> Entry | None:
    """How the response being keyed in came in, as chosen on the first page."""
    chosen = session.get(ENTRY_KEY, {}).get(str(survey.id))
    if not isinstance(chosen, dict) or chosen.get("channel") not in CHANNEL_LABELS:
        return None
    return Entry(Channel(chosen["channel"]), chosen.get("event_name") or None, current_user.id)


def _start_url(survey: Survey) -> str:
    return ASSISTED.url(survey, ASSISTED.start)


@bp.route("/<int:survey_id>/assisted", methods=["GET", "POST"])
@staff_view(*STAFF_ROLES)
def assisted_start(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    closed = closed_page(neighbourhood, survey)
    if closed is not None:
        return closed
    previous = _entry(survey)
    form = ChannelForm(
        data={"channel": previous.channel.value, "event_name": previous.event_name or ""}
        if previous
        else None
    )
    if form.validate_on_submit():
        event = form.event_name.data if form.channel.data == Channel.EVENT.value else None
        chosen = {"channel": form.channel.data, "event_name": event}
        session[ENTRY_KEY] = {**session.get(ENTRY_KEY, {}), str(survey.id): chosen}
        ASSISTED.new_draft(survey)
        db.session.commit()
        first = shown_sections(survey, {})
        if not first:
            return redirect(_start_url(survey))
        return redirect(ASSISTED.section_url(survey, first[0]))
    return render_template(
        "surveys/assisted_start.html", neighbourhood=neighbourhood, survey=survey, form=form
    )


def _ready(
    neighbourhood: Neighbourhood, survey_id: int
) -> tuple[Survey, ResponseReturnValue | None]:
    """The survey, or where to go instead: its closed page, or the channel question first."""
    survey = survey_or_404(neighbourhood, survey_id)
    closed = closed_page(neighbourhood, survey)
    if closed is not None:
        return survey, closed
    if _entry(survey) is None or ASSISTED.draft(survey) is None:
        return survey, redirect(_start_url(survey))
    return survey, None


@bp.route("/<int:survey_id>/assisted/sections/<int:number>", methods=["GET", "POST"])
@staff_view(*STAFF_ROLES)
@limiter.limit(submit_limit, methods=["POST"])
def assisted_section(
    neighbourhood: Neighbourhood, survey_id: int, number: int
) -> ResponseReturnValue:
    survey, instead = _ready(neighbourhood, survey_id)
    if instead is not None:
        return instead
    return section_page(ASSISTED, neighbourhood, survey, number)


def _send(survey: Survey, draft: Draft, pages: Sequence[CheckedPage]) -> ResponseReturnValue:
    entry = _entry(survey)
    if entry is None:
        return redirect(_start_url(survey))
    response = send_draft(survey, draft, pages, entry)
    if response is None:
        db.session.rollback()
    else:
        db.session.commit()
        log.info(
            "response %s keyed in for survey %s by user %s",
            response.id,
            survey.id,
            entry.keyed_by_id,
        )
    return redirect(ASSISTED.url(survey, ASSISTED.done))


@bp.route("/<int:survey_id>/assisted/check", methods=["GET", "POST"])
@staff_view(*STAFF_ROLES)
@limiter.limit(submit_limit, methods=["POST"])
def assisted_check(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey, instead = _ready(neighbourhood, survey_id)
    if instead is not None:
        return instead
    return check_page(ASSISTED, neighbourhood, survey, _send)


@bp.get("/<int:survey_id>/assisted/sent")
@staff_view(*STAFF_ROLES)
def assisted_sent(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    draft = ASSISTED.draft(survey)
    entry = _entry(survey)
    if draft is None or draft.response_id is None or entry is None:
        return redirect(_start_url(survey))
    response = db.session.get_one(Response, draft.response_id)
    return render_template(
        "surveys/assisted_sent.html",
        neighbourhood=neighbourhood,
        survey=survey,
        response=response,
        channel=CHANNEL_LABELS[entry.channel].lower(),
    )
