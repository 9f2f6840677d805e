"""What residents do with ideas: support, comment, report. Services flush only.

Supports and reports are inserted with "ON CONFLICT DO NOTHING" against their unique
constraints, so two clicks at the same moment store one row and neither request fails.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Comment, Idea, ModerationState, Report, ReportReason, Support
from consult.moderation.log import log_action
from consult.moderation.models import Action
from consult.neighbourhoods.access import has_role
from consult.neighbourhoods.models import Role


def insert_ignoring_duplicates(model: Any, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping any that break a unique constraint; return how many went in."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING counts what went in on both databases (rowcount is not reliable for this).
    statement = insert(model).values(rows).on_conflict_do_nothing().returning(model.id)
    return len(db.session.execute(statement).all())


def support_count(idea: Idea) -> int:
    """Supports given here, plus any counted before the idea was imported."""
    given = db.session.scalar(select(func.count(Support.id)).where(Support.idea_id == idea.id))
    return (given or 0) + idea.imported_supports


def supporting(idea: Idea, user: Any) -> Support | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    )


def support_idea(idea: Idea, user: Any, notify: bool = False) -> bool:
    """Add ``user``'s support; False if they supported it already. Published ideas only."""
    if idea.state != ModerationState.PUBLISHED.value:
        raise ValueError("only published ideas can be supported")
    row = {"idea_id": idea.id, "user_id": user.id, "notify": notify, "created_at": utcnow()}
    return insert_ignoring_duplicates(Support, [row]) == 1


def withdraw_support(idea: Idea, user: Any) -> None:
    db.session.execute(
        delete(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    )


def add_comment(idea: Idea, author: Any, body: str) -> Comment:
    """A comment, waiting for a check in pre-moderation, else published. Flushes."""
    if idea.state != ModerationState.PUBLISHED.value:
        raise ValueError("only published ideas can be commented on")
    pre = idea.neighbourhood.moderation_mode == "pre"
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        body=body.strip(),
        state=(ModerationState.PENDING if pre else ModerationState.PUBLISHED).value,
    )
    db.session.add(comment)
    if not pre:
        idea.updated_at = utcnow()
    db.session.flush()
    return comment


def visible_comments(idea: Idea, user: Any) -> list[Comment]:
    """Published comments, oldest first; their own waiting ones too for their authors."""
    query = select(Comment).where(Comment.idea_id == idea.id)
    if has_role(user, idea.neighbourhood, (Role.MEMBER,)):
        query = query.where(Comment.state != ModerationState.REJECTED.value)
    elif user.is_authenticated:
        query = query.where(
            (Comment.state == ModerationState.PUBLISHED.value)
            | ((Comment.author_id == user.id) & (Comment.state == ModerationState.PENDING.value))
        )
    else:
        query = query.where(Comment.state == ModerationState.PUBLISHED.value)
    return list(db.session.scalars(query.order_by(Comment.created_at, Comment.id)))


def get_comment(idea: Idea, comment_id: int) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.idea_id == idea.id)
    )


def report(target: Idea | Comment, reporter: Any, reason: ReportReason, note: str = "") -> bool:
    """Record one person's report; False if they reported this already.

    When the neighbourhood's threshold of different people have open reports on a published
    item, it is hidden until the partnership reviews it.
    """
    idea = target if isinstance(target, Idea) else target.idea
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    row = {
        "neighbourhood_id": idea.neighbourhood_id,
        "idea_id": target.id if isinstance(target, Idea) else None,
        "comment_id": target.id if isinstance(target, Comment) else None,
        "reporter_id": reporter.id,
        "reason": reason.value,
        "note": note.strip(),
        "created_at": utcnow(),
    }
    if insert_ignoring_duplicates(Report, [row]) == 0:
        return False
    reporters = db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            column == target.id, Report.resolved_at.is_(None)
        )
    )
    threshold = idea.neighbourhood.report_threshold
    if (reporters or 0) >= threshold and target.state == ModerationState.PUBLISHED.value:
        target.state = ModerationState.HIDDEN.value
        log_action(target, Action.AUTO_HIDE, None)
    db.session.flush()
    return True
