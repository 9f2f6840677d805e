"""The task outbox: work for Celery, written in the same transaction as the data it needs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    """A task to publish. Published after commit; kept until the broker has taken it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_unpublished", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(String(100))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
