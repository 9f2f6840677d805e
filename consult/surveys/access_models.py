"""What restricts who answers a survey: household codes, and verified respondents' email hashes.

These tables are kept apart from the answers on purpose. None of them has a sequential id, a
time of use or a foreign key that could join a code or an email hash back to a response: a
household code only knows *whether* it was used, and a verified respondent is only the keyed
hash of an email with the survey it answered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class HouseholdCode(db.Model):  # type: ignore[name-defined]
    """A one-time code printed on a letter; it opens the survey for one response."""

    __tablename__ = "household_code"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(9), primary_key=True)  # e.g. "K7QF-2M9D"
    # Codes are made in batches, printed together.
    batch: Mapped[int]
    used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VerifiedRespondent(db.Model):  # type: ignore[name-defined]
    """An email that has answered a verified-email survey, as a keyed hash only."""

    __tablename__ = "survey_respondent"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class SurveyEmailLink(db.Model):  # type: ignore[name-defined]
    """A one-time link that opens a verified-email survey. Only the token's SHA-256 is kept.

    ``email_hash`` is cleared when the link is used, so a used link says nothing about whom it
    was for; from then on the hash lives only in the resident's session until they send.
    """

    __tablename__ = "survey_email_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used: Mapped[bool] = mapped_column(default=False)
