"""Moderating ideas and comments: the queue, the actions, the log. Services flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, select, update

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Comment, Idea, ModerationState, Report, Support
from consult.ideas.participation import insert_ignoring_duplicates
from consult.moderation.log import log_action
from consult.moderation.models import Action, ModerationAction, RejectReason
from consult.moderation.notifications import notify
from consult.neighbourhoods.models import Neighbourhood

PUBLISHED, PENDING, HIDDEN, REJECTED = (
    ModerationState.PUBLISHED.value,
    ModerationState.PENDING.value,
    ModerationState.HIDDEN.value,
    ModerationState.REJECTED.value,
)

# Which states each action may start from, and the state it leaves the item in.
TRANSITIONS: dict[Action, tuple[set[str], str]] = {
    Action.APPROVE: ({PENDING, HIDDEN}, PUBLISHED),
    Action.REJECT: ({PENDING, PUBLISHED, HIDDEN}, REJECTED),
    Action.HIDE: ({PUBLISHED}, HIDDEN),
    Action.RESTORE: ({HIDDEN, REJECTED}, PUBLISHED),
}
# Why an action was refused, by action: the item is no longer in a state it can start from.
REFUSED = {
    Action.APPROVE: _l("This cannot be approved now: it is %(state)s."),
    Action.REJECT: _l("This cannot be rejected now: it is %(state)s."),
    Action.HIDE: _l("This cannot be hidden now: it is %(state)s."),
    Action.RESTORE: _l("This cannot be restored now: it is %(state)s."),
}
STATE_WORDS = {
    ModerationState.PENDING: _l("waiting for a check"),
    ModerationState.PUBLISHED: _l("published"),
    ModerationState.REJECTED: _l("rejected"),
    ModerationState.HIDDEN: _l("hidden"),
    ModerationState.MERGED: _l("joined with another idea"),
}


class ModerationError(Exception):
    """The action does not fit the item's state; the message says why."""


def open_reports(target: Idea | Comment) -> list[Report]:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    return list(
        db.session.scalars(
            select(Report)
            .where(column == target.id, Report.resolved_at.is_(None))
            .order_by(Report.id)
        )
    )


def moderate(
    target: Idea | Comment,
    action: Action,
    moderator: Any,
    reason: RejectReason | None = None,
    note: str = "",
) -> ModerationAction:
    """Apply ``action``, close the item's open reports, log it, and tell a rejected author."""
    allowed_from, new_state = TRANSITIONS[action]
    if target.state not in allowed_from:
        state = STATE_WORDS.get(ModerationState(target.state), target.state)
        raise ModerationError(str(REFUSED[action]) % {"state": state})
    if action is Action.REJECT and reason is None:
        raise ModerationError(_("Choose a reason for rejecting it."))
    target.state = new_state
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    db.session.execute(
        update(Report)
        .where(column == target.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    entry = log_action(target, action, moderator, reason, note)
    if action is Action.REJECT and target.author_id is not None:
        idea = target if isinstance(target, Idea) else target.idea
        notify(target.author_id, idea, "rejected", entry.id)
    return entry


@dataclass(frozen=True)
class QueueItem:
    target: Idea | Comment
    idea: Idea
    waiting_since: datetime
    reports: int

    @property
    def kind(self) -> str:
        return "idea" if isinstance(self.target, Idea) else "comment"

    def age(self, now: datetime) -> str:
        """How long it has waited, in words: "5 hours", "3 days"."""
        return waited(int((now - self.waiting_since).total_seconds() // 3600))


def waited(hours: int) -> str:
    """A wait of ``hours`` in words, in the current language: "5 hours", "3 days"."""
    if hours < 1:
        return _("less than an hour")
    if hours < 48:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return ngettext("%(num)d day", "%(num)d days", hours // 24)


def moderation_queue(neighbourhood: Neighbourhood) -> list[QueueItem]:
    """Items waiting for a check or with open reports, the longest waiting first."""
    report_rows = db.session.execute(
        select(Report.idea_id, Report.comment_id, func.min(Report.created_at), func.count())
        .where(Report.neighbourhood_id == neighbourhood.id, Report.resolved_at.is_(None))
        .group_by(Report.idea_id, Report.comment_id)
    ).all()
    reported_ideas = {i: (since, n) for i, c, since, n in report_rows if i is not None}
    reported_comments = {c: (since, n) for i, c, since, n in report_rows if c is not None}
    ideas = db.session.scalars(
        select(Idea).where(
            Idea.neighbourhood_id == neighbourhood.id,
            (Idea.state == PENDING) | Idea.id.in_(reported_ideas or [0]),
        )
    ).all()
    comments = db.session.scalars(
        select(Comment)
        .join(Idea, Comment.idea_id == Idea.id)
        .where(
            Idea.neighbourhood_id == neighbourhood.id,
            (Comment.state == PENDING) | Comment.id.in_(reported_comments or [0]),
        )
    ).all()
    items = [_item(idea, idea, reported_ideas.get(idea.id)) for idea in ideas]
    items += [_item(c, c.idea, reported_comments.get(c.id)) for c in comments]
    return sorted(items, key=lambda item: (item.waiting_since, item.kind, item.target.id))


def _item(target: Idea | Comment, idea: Idea, reported: tuple[datetime, int] | None) -> QueueItem:
    since, count = reported or (target.created_at, 0)
    if target.state == PENDING:
        since = min(since, target.created_at)
    return QueueItem(target, idea, since, count)


def merge(source: Idea, target: Idea, moderator: Any, note: str = "") -> ModerationAction:
    """Join ``source`` into ``target``: supports move over (one per person), comments follow,
    and ``source`` redirects to ``target`` from now on. Flushes."""
    if source.id == target.id:
        raise ModerationError(_("An idea cannot be joined with itself."))
    if source.neighbourhood_id != target.neighbourhood_id:
        raise ModerationError(_("Choose an idea from this neighbourhood."))
    if target.state != PUBLISHED:
        raise ModerationError(_("Join it with a published idea."))
    if source.state == ModerationState.MERGED.value:
        raise ModerationError(_("This idea has already been joined with another."))
    rows = [
        {"idea_id": target.id, "user_id": s.user_id, "notify": s.notify, "created_at": s.created_at}
        for s in db.session.scalars(select(Support).where(Support.idea_id == source.id))
    ]
    insert_ignoring_duplicates(Support, rows)
    db.session.execute(delete(Support).where(Support.idea_id == source.id))
    db.session.execute(
        update(Comment).where(Comment.idea_id == source.id).values(idea_id=target.id)
    )
    # Ideas joined into this one earlier now point straight at the new target.
    db.session.execute(
        update(Idea).where(Idea.merged_into_id == source.id).values(merged_into_id=target.id)
    )
    source.state = ModerationState.MERGED.value
    source.merged_into_id = target.id
    # Imported supports belong to no one, so they cannot be counted once per person: they add.
    target.imported_supports += source.imported_supports
    source.imported_supports = 0
    target.updated_at = utcnow()
    return log_action(source, Action.MERGE, moderator, note=note)


def redact(
    target: Idea | Comment, moderator: Any, text: str, title: str = "", note: str = ""
) -> ModerationAction:
    """Replace the text (and an idea's title); the original is kept only in the log. Flushes."""
    if isinstance(target, Idea):
        original = f"{target.title}\n\n{target.description}"
        target.title, target.description = title.strip(), text.strip()
    else:
        original = target.body
        target.body = text.strip()
    return log_action(target, Action.REDACT, moderator, note=note, original_text=original)
