"""Requests to delete an account, confirmed by an emailed one-time link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class AccountDeletionRequest(db.Model):  # type: ignore[name-defined]
    """Someone asked to delete their account; the emailed link confirms it, once, in time.

    Only a SHA-256 of the token is stored, so a copy of the database cannot delete anyone.
    """

    __tablename__ = "account_deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
