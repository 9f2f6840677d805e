"""Neighbourhoods and the memberships that give people a role in one."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db

if TYPE_CHECKING:
    from consult.auth.models import User


class Role(enum.StrEnum):
    MEMBER = "member"
    OFFICER = "officer"


class Neighbourhood(db.Model):  # type: ignore[name-defined]
    __tablename__ = "neighbourhood"
    __table_args__ = (
        CheckConstraint("disclosure_threshold >= 1", name="threshold_positive"),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
        CheckConstraint("moderation_mode IN ('pre', 'post')", name="moderation_mode_known"),
        CheckConstraint("report_threshold >= 1", name="report_threshold_positive"),
        CheckConstraint("queue_alert_hours >= 1", name="queue_alert_hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    disclosure_threshold: Mapped[int] = mapped_column(default=10)
    # Ideas and comments: checked before they appear ('pre') or after ('post').
    moderation_mode: Mapped[str] = mapped_column(String(10), default="post", server_default="post")
    # Distinct reporters that hide an item until the partnership reviews it.
    report_threshold: Mapped[int] = mapped_column(default=3, server_default="3")
    queue_alert_hours: Mapped[int] = mapped_column(default=48, server_default="48")
    # When members were last emailed about a slow moderation queue: at most once a day.
    queue_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Language codes offered on its pages, space-separated ("en pl"); empty offers all of ours.
    languages: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="neighbourhood", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.slug}>"


class Membership(db.Model):  # type: ignore[name-defined]
    """A person's role in one neighbourhood: roles are never site-wide (admin apart)."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "neighbourhood_id", "role"),
        CheckConstraint("role IN ('member', 'officer')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="memberships")
