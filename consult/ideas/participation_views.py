"""Supporting, commenting on and reporting ideas. Every action needs a signed-in person."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from consult.core.limits import submit_limit
from consult.extensions import db, limiter
from consult.ideas.drafts import comment_purpose, forget, keep
from consult.ideas.forms import CommentForm, ReportForm, SupportForm
from consult.ideas.models import Comment, Idea, ModerationState, ReportReason
from consult.ideas.participation import (
    add_comment,
    get_comment,
    report,
    support_idea,
    withdraw_support,
)
from consult.ideas.views import (
    idea_or_404,
    render_idea,
    sign_in_first,
)
from consult.neighbourhoods.access import get_neighbourhood_or_404
from consult.neighbourhoods.models import Neighbourhood

bp = Blueprint("idea_actions", __name__, url_prefix="/n/<slug>/ideas/<int:idea_id>")
log = logging.getLogger(__name__)


def _open_idea(slug: str, idea_id: int) -> tuple[Neighbourhood, Idea]:
    """The idea if people may act on it now; otherwise stop with the response that says why."""
    neighbourhood = get_neighbourhood_or_404(slug)
    idea = idea_or_404(neighbourhood, idea_id)
    if idea.state == ModerationState.MERGED.value and idea.merged_into_id:
        flash(
            gettext("This idea has been joined with another one. You can support and comment here.")
        )
        abort(redirect(url_for("ideas.show", slug=slug, idea_id=idea.merged_into_id)))
    if idea.state != ModerationState.PUBLISHED.value:
        abort(404)
    return neighbourhood, idea


def _idea_url(slug: str, idea_id: int) -> str:
    return url_for("ideas.show", slug=slug, idea_id=idea_id)


@bp.post("/support")
@limiter.limit(submit_limit)
def support(slug: str, idea_id: int) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        flash(gettext("Sign in to support this idea."))
        return sign_in_first(_idea_url(slug, idea_id))
    _, idea = _open_idea(slug, idea_id)
    form = SupportForm()
    added = support_idea(idea, current_user, notify=bool(form.notify.data))
    db.session.commit()
    if added:
        flash(gettext("Thank you for supporting this idea."), "success")
    else:
        flash(gettext("You already support this idea."))
    return redirect(_idea_url(slug, idea_id))


@bp.post("/support/withdraw")
@limiter.limit(submit_limit)
def withdraw(slug: str, idea_id: int) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return sign_in_first(_idea_url(slug, idea_id))
    neighbourhood = get_neighbourhood_or_404(slug)
    idea = idea_or_404(neighbourhood, idea_id)
    withdraw_support(idea, current_user)
    db.session.commit()
    flash(gettext("You no longer support this idea."), "success")
    return redirect(_idea_url(slug, idea_id))


@bp.post("/comments")
@limiter.limit(submit_limit)
def comment(slug: str, idea_id: int) -> ResponseReturnValue:
    neighbourhood, idea = _open_idea(slug, idea_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return render_idea(neighbourhood, idea, form, status=400)
    if not current_user.is_authenticated:
        keep(comment_purpose(idea.id), {"body": form.body.data or ""})
        db.session.commit()
        flash(gettext("Sign in to post your comment. We have kept what you typed."))
        return sign_in_first(_idea_url(slug, idea_id))
    posted = add_comment(idea, current_user, form.body.data or "")
    forget(comment_purpose(idea.id))
    db.session.commit()
    log.info("comment %s posted on idea %s", posted.id, idea.id)
    if posted.state == ModerationState.PENDING.value:
        flash(
            gettext("Thank you. Your comment is waiting for the partnership to check it."),
            "success",
        )
    else:
        flash(gettext("Thank you. Your comment has been posted."), "success")
    return redirect(_idea_url(slug, idea_id) + f"#comment-{posted.id}")


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def report_idea(slug: str, idea_id: int) -> ResponseReturnValue:
    return _report(slug, idea_id, None)


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def report_comment(slug: str, idea_id: int, comment_id: int) -> ResponseReturnValue:
    return _report(slug, idea_id, comment_id)


def _report(slug: str, idea_id: int, comment_id: int | None) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return sign_in_first(_idea_url(slug, idea_id))
    neighbourhood, idea = _open_idea(slug, idea_id)
    target: Idea | Comment | None = idea
    if comment_id is not None:
        target = get_comment(idea, comment_id)
        if target is None or target.state != ModerationState.PUBLISHED.value:
            abort(404)
    assert target is not None  # noqa: S101 (narrowed above)
    form = ReportForm()
    if form.validate_on_submit():
        added = report(target, current_user, ReportReason(form.reason.data), form.note.data or "")
        db.session.commit()
        if added:
            log.info("report on %s %s", type(target).__name__.lower(), target.id)
            flash(gettext("Thank you. The partnership will look at your report."), "success")
        else:
            flash(gettext("You have already reported this. The partnership will look at it."))
        return redirect(_idea_url(slug, idea_id))
    return render_template(
        "ideas/report.html",
        neighbourhood=neighbourhood,
        idea=idea,
        comment=target if comment_id is not None else None,
        form=form,
    )
