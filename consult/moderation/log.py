"""The moderation log: appended to, never changed (a database trigger refuses updates)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from consult.extensions import db
from consult.ideas.models import Comment, Idea
from consult.moderation.models import Action, ModerationAction, RejectReason
from consult.neighbourhoods.models import Neighbourhood


def log_action(
    target: Idea | Comment,
    action: Action,
    moderator: Any | None,
    reason: RejectReason | None = None,
    note: str = "",
    original_text: str = "",
) -> ModerationAction:
    """Append one entry to the moderation log. Flushes."""
    idea = target if isinstance(target, Idea) else target.idea
    entry = ModerationAction(
        neighbourhood_id=idea.neighbourhood_id,
        target_kind="idea" if isinstance(target, Idea) else "comment",
        idea_id=idea.id,
        comment_id=target.id if isinstance(target, Comment) else None,
        action=action.value,
        reason=reason.value if reason else None,
        note=note.strip(),
        original_text=original_text,
        moderator_id=moderator.id if moderator is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def public_log(neighbourhood: Neighbourhood, limit: int = 200) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.neighbourhood_id == neighbourhood.id)
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(limit)
        )
    )
