"""The append-only moderation log, and the ledger of emails that moderation sends."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db

if TYPE_CHECKING:
    from consult.auth.models import User


class Action(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    AUTO_HIDE = "auto_hide"
    MERGE = "merge"
    REDACT = "redact"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.APPROVE: _l("Approved"),
    Action.REJECT: _l("Rejected"),
    Action.HIDE: _l("Hidden"),
    Action.RESTORE: _l("Restored"),
    Action.AUTO_HIDE: _l("Hidden after reports"),
    Action.MERGE: _l("Joined with a similar idea"),
    Action.REDACT: _l("Edited"),
}


class RejectReason(enum.StrEnum):
    OFFENSIVE = "offensive"
    PERSONAL_INFORMATION = "personal_information"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    NOT_FOR_PARTNERSHIP = "not_for_partnership"


REJECT_REASON_LABELS = {
    RejectReason.OFFENSIVE: _l("It was offensive"),
    RejectReason.PERSONAL_INFORMATION: _l("It gave someone's personal information"),
    RejectReason.SPAM: _l("It was spam or advertising"),
    RejectReason.OFF_TOPIC: _l("It was not about this neighbourhood"),
    RejectReason.DUPLICATE: _l("The same idea is already on the board"),
    RejectReason.NOT_FOR_PARTNERSHIP: _l("It is not something the partnership can act on"),
}


def _in(values: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class ModerationAction(db.Model):  # type: ignore[name-defined]
    """One moderation action: who, what, when, why. Never changed once written.

    No code updates or deletes a row; a database trigger refuses any UPDATE.
    """

    __tablename__ = "moderation_action"
    __table_args__ = (
        CheckConstraint("target_kind IN ('idea', 'comment')", name="target_kind_known"),
        CheckConstraint(f"action IN ({_in(Action)})", name="action_known"),
        CheckConstraint(f"reason IS NULL OR reason IN ({_in(RejectReason)})", name="reason_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    target_kind: Mapped[str] = mapped_column(String(10))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea_comment.id", ondelete="CASCADE")
    )
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    # Before a redaction: the text as it was. Shown to partnership members only.
    original_text: Mapped[str] = mapped_column(Text, default="")
    # No ON DELETE action: the log must never be rewritten, so a moderator's account stays.
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    moderator: Mapped[User | None] = relationship()

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    @property
    def reason_label(self) -> str:
        return str(REJECT_REASON_LABELS[RejectReason(self.reason)]) if self.reason else ""


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Notification(db.Model):  # type: ignore[name-defined]
    """One email about one event to one person: the ledger row that makes it send once."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "event_id"),
        CheckConstraint("kind IN ('rejected', 'status')", name="kind_known"),
        CheckConstraint(f"status IN ({_in(NotificationStatus)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # The moderation action or status change the email is about.
    event_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
