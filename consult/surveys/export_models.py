"""The record of record-level downloads: who exported which survey's responses, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class ExportRecord(db.Model):  # type: ignore[name-defined]
    """One export of a survey's responses. Holds no content: only who, which survey, when, how.

    ``user_id`` is None for an export from the command line (or once the account is deleted).
    """

    __tablename__ = "export_record"
    __table_args__ = (CheckConstraint("via IN ('web', 'cli')", name="via_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(10))
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
