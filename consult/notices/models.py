"""The editable parts of the notices. Without a row, the defaults in ``defaults.py`` apply."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class PrivacyNotice(db.Model):  # type: ignore[name-defined]
    """One neighbourhood's privacy notice, as an admin last saved it."""

    __tablename__ = "privacy_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), unique=True
    )
    who_runs_it: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(Text)
    what_we_keep: Mapped[str] = mapped_column(Text)
    your_rights: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AccessibilityStatement(db.Model):  # type: ignore[name-defined]
    """The site's accessibility statement (one row), in the GOV.UK model statement's sections."""

    __tablename__ = "accessibility_statement"
    __table_args__ = (
        CheckConstraint("compliance IN ('full', 'partial', 'not')", name="compliance_known"),
        CheckConstraint("id = 1", name="one_row"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(Text)
    compliance: Mapped[str] = mapped_column(String(10))
    known_issues: Mapped[str] = mapped_column(Text)
    improvements: Mapped[str] = mapped_column(Text)
    prepared: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
