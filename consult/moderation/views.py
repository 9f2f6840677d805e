"""The moderation queue and actions for partnership members, and the public moderation log."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.core.forms import whole_number
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.access import member_view
from consult.ideas.answers import StatusError, set_status
from consult.ideas.models import COMMENT_LIMIT, DESCRIPTION_LIMIT, Comment, Idea, IdeaStatus
from consult.ideas.services import get_idea, published_ideas
from consult.moderation.forms import MergeForm, ModerationForm, RedactForm, StatusForm
from consult.moderation.log import public_log
from consult.moderation.models import Action, RejectReason
from consult.moderation.services import (
    ModerationError,
    merge,
    moderate,
    moderation_queue,
    open_reports,
    redact,
)
from consult.neighbourhoods.access import get_neighbourhood_or_404, has_role
from consult.neighbourhoods.models import Neighbourhood, Role

bp = Blueprint("moderation", __name__, url_prefix="/n/<slug>")
log = logging.getLogger(__name__)


@bp.get("/moderation/")
@member_view
def queue(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    return render_template(
        "moderation/queue.html",
        neighbourhood=neighbourhood,
        items=moderation_queue(neighbourhood),
        now=utcnow(),
    )


@bp.route("/moderation/ideas/<int:idea_id>", methods=["GET", "POST"])
@member_view
def idea(neighbourhood: Neighbourhood, idea_id: int) -> ResponseReturnValue:
    target = get_idea(neighbourhood, idea_id)
    if target is None:
        abort(404)
    return _review(neighbourhood, target, target)


@bp.route("/moderation/comments/<int:comment_id>", methods=["GET", "POST"])
@member_view
def comment(neighbourhood: Neighbourhood, comment_id: int) -> ResponseReturnValue:
    target = _comment_or_404(neighbourhood, comment_id)
    return _review(neighbourhood, target, target.idea)


def _comment_or_404(neighbourhood: Neighbourhood, comment_id: int) -> Comment:
    """A comment on an idea of *this* neighbourhood: another's id finds nothing."""
    target = db.session.scalar(
        select(Comment)
        .join(Idea, Comment.idea_id == Idea.id)
        .where(Comment.id == comment_id, Idea.neighbourhood_id == neighbourhood.id)
    )
    if target is None:
        abort(404)
    return target


def _review(
    neighbourhood: Neighbourhood, target: Idea | Comment, parent: Idea
) -> ResponseReturnValue:
    form = ModerationForm()
    if form.validate_on_submit():
        action = Action(form.action.data)
        reason = RejectReason(form.reason.data) if action is Action.REJECT else None
        try:
            entry = moderate(target, action, current_user, reason, form.note.data or "")
        except ModerationError as error:
            form.action.errors = [str(error)]
        else:
            db.session.commit()
            log.info("moderation action %s by user %s", entry.id, current_user.id)
            flash(_("Done: %(action)s.", action=action.label.lower()), "success")
            return redirect(url_for(".queue", slug=neighbourhood.slug))
    return render_template(
        "moderation/review.html",
        neighbourhood=neighbourhood,
        target=target,
        idea=parent,
        is_idea=isinstance(target, Idea),
        reports=open_reports(target),
        form=form,
    )


@bp.route("/moderation/ideas/<int:idea_id>/status", methods=["GET", "POST"])
@member_view
def status(neighbourhood: Neighbourhood, idea_id: int) -> ResponseReturnValue:
    target = get_idea(neighbourhood, idea_id)
    if target is None:
        abort(404)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            change = set_status(
                target, IdeaStatus(form.status.data), form.answer.data or "", current_user
            )
        except StatusError as error:
            form.status.errors = [str(error)]
        else:
            db.session.commit()
            log.info("status change %s on idea %s", change.id, target.id)
            flash(_("The answer is published."), "success")
            return redirect(url_for("ideas.show", slug=neighbourhood.slug, idea_id=target.id))
    return render_template(
        "moderation/status.html", neighbourhood=neighbourhood, idea=target, form=form
    )


@bp.route("/moderation/ideas/<int:idea_id>/merge", methods=["GET", "POST"])
@member_view
def merge_idea(neighbourhood: Neighbourhood, idea_id: int) -> ResponseReturnValue:
    source = get_idea(neighbourhood, idea_id)
    if source is None:
        abort(404)
    candidates = [i for i in published_ideas(neighbourhood) if i.id != source.id]
    form = MergeForm(ideas=candidates)
    if form.validate_on_submit():
        target_id = whole_number(str(form.target.data or ""))
        target = get_idea(neighbourhood, target_id) if target_id is not None else None
        try:
            if target is None:
                raise ModerationError(_("Choose an idea from the list."))
            entry = merge(source, target, current_user, form.note.data or "")
        except ModerationError as error:
            form.target.errors = [str(error)]
        else:
            db.session.commit()
            log.info("moderation action %s: idea %s merged", entry.id, source.id)
            flash(_("The ideas have been joined."), "success")
            return redirect(url_for("ideas.show", slug=neighbourhood.slug, idea_id=target.id))
    return render_template(
        "moderation/merge.html", neighbourhood=neighbourhood, idea=source, form=form
    )


@bp.route("/moderation/ideas/<int:idea_id>/redact", methods=["GET", "POST"])
@member_view
def redact_idea(neighbourhood: Neighbourhood, idea_id: int) -> ResponseReturnValue:
    target = get_idea(neighbourhood, idea_id)
    if target is None:
        abort(404)
    form = RedactForm(
        data={"title": target.title, "text": target.description},
        limit=DESCRIPTION_LIMIT,
        is_idea=True,
    )
    return _redact(neighbourhood, target, target, form)


@bp.route("/moderation/comments/<int:comment_id>/redact", methods=["GET", "POST"])
@member_view
def redact_comment(neighbourhood: Neighbourhood, comment_id: int) -> ResponseReturnValue:
    target = _comment_or_404(neighbourhood, comment_id)
    form = RedactForm(data={"text": target.body}, limit=COMMENT_LIMIT, is_idea=False)
    return _redact(neighbourhood, target, target.idea, form)


def _redact(
    neighbourhood: Neighbourhood, target: Idea | Comment, parent: Idea, form: RedactForm
) -> ResponseReturnValue:
    if form.validate_on_submit():
        title = form.title.data if "title" in form else ""
        entry = redact(
            target, current_user, form.text.data or "", title or "", form.note.data or ""
        )
        db.session.commit()
        log.info("moderation action %s: redaction", entry.id)
        flash(_("The edit is saved. The original is kept in the moderation log."), "success")
        return redirect(url_for("ideas.show", slug=neighbourhood.slug, idea_id=parent.id))
    return render_template(
        "moderation/redact.html", neighbourhood=neighbourhood, idea=parent, form=form
    )


@bp.get("/moderation-log")
def public(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    return render_template(
        "moderation/log.html",
        neighbourhood=neighbourhood,
        entries=public_log(neighbourhood),
        is_member=has_role(current_user, neighbourhood, (Role.MEMBER,)),
    )
