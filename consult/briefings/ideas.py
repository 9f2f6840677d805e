"""The idea board's part of a briefing: new ideas, the most supported, status changes with the
partnership's answers, and how long the moderation queue is.

Ideas are public, so their counts are shown however small; but only published ideas appear,
never hidden, rejected, pending or merged ones, and never who wrote or supported them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Idea, IdeaStatus, ModerationState, StatusChange, Support
from consult.moderation.services import moderation_queue
from consult.neighbourhoods.models import Neighbourhood

LISTED = 5
PUBLISHED = ModerationState.PUBLISHED.value


def idea_board(neighbourhood: Neighbourhood, start: datetime, end: datetime) -> dict[str, Any]:
    """What happened on the board from ``start`` up to ``end``, and the queue as it is now."""
    new = select(Idea).where(
        Idea.neighbourhood_id == neighbourhood.id,
        Idea.state == PUBLISHED,
        Idea.created_at >= start,
        Idea.created_at < end,
    )
    new_count = db.session.scalar(select(func.count()).select_from(new.subquery())) or 0
    newest = db.session.scalars(new.order_by(Idea.created_at.desc(), Idea.id.desc()).limit(LISTED))
    return {
        "new": int(new_count),
        "new_ideas": [{"id": idea.id, "title": idea.title} for idea in newest],
        "most_supported": most_supported(neighbourhood.id, end),
        "status_changes": status_changes(neighbourhood.id, start, end),
        **queue(neighbourhood),
    }


def most_supported(neighbourhood_id: int, end: datetime) -> list[dict[str, Any]]:
    """The published ideas with most supports given before ``end``."""
    supports = func.count(Support.id)
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.status, supports)
        .join(Support, Support.idea_id == Idea.id)
        .where(
            Idea.neighbourhood_id == neighbourhood_id,
            Idea.state == PUBLISHED,
            Support.created_at < end,
        )
        .group_by(Idea.id, Idea.title, Idea.status)
        .order_by(supports.desc(), Idea.id)
        .limit(LISTED)
    ).all()
    return [
        {"id": i, "title": title, "status": _status(status), "supports": int(count)}
        for i, title, status, count in rows
    ]


def status_changes(neighbourhood_id: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Status changes in the period, with the partnership's public answer, oldest first."""
    rows = db.session.execute(
        select(Idea.id, Idea.title, StatusChange.status, StatusChange.answer)
        .join(StatusChange, StatusChange.idea_id == Idea.id)
        .where(
            Idea.neighbourhood_id == neighbourhood_id,
            Idea.state == PUBLISHED,
            StatusChange.created_at >= start,
            StatusChange.created_at < end,
        )
        .order_by(StatusChange.created_at, StatusChange.id)
    ).all()
    return [
        {"id": i, "title": title, "status": _status(status), "answer": answer}
        for i, title, status, answer in rows
    ]


def queue(neighbourhood: Neighbourhood) -> dict[str, Any]:
    """How many items wait for moderation, and for how many whole hours the oldest has waited
    (worded when rendered: "5 hours", "3 days")."""
    items = moderation_queue(neighbourhood)
    waited = (utcnow() - items[0].waiting_since).total_seconds() if items else None
    return {
        "queue_size": len(items),
        "queue_hours": None if waited is None else int(waited // 3600),
    }


def _status(status: str | None) -> str:
    """The status key ("" for a new idea), named in the reader's language when rendered."""
    return IdeaStatus(status).value if status else ""
