"""What is kept of a survey's answers once the raw responses have been deleted."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class RetainedSurvey(db.Model):  # type: ignore[name-defined]
    """A survey whose raw responses were deleted: how many there were, and by which channel."""

    __tablename__ = "retained_survey"
    __table_args__ = (CheckConstraint("responses >= 0", name="responses_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    responses: Mapped[int] = mapped_column(default=0)
    by_channel: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    first_purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RetainedCount(db.Model):  # type: ignore[name-defined]
    """The kept counts of one question (``option_id`` None) or of one of its options.

    For a question: ``respondents`` is how many responses answered it, ``answers`` how many
    written or number answers it had, with the numbers' total, smallest and largest.
    For an option: ``answers`` is how many chose it, and ``rank_total`` the sum of the ranks it
    was given (a ranking question), so mean ranks can still be worked out.
    """

    __tablename__ = "retained_count"
    __table_args__ = (
        CheckConstraint("answers >= 0 AND respondents >= 0", name="counts_not_negative"),
        Index("ix_retained_count_question_option", "question_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("option.id", ondelete="CASCADE"))
    answers: Mapped[int] = mapped_column(default=0)
    respondents: Mapped[int] = mapped_column(default=0)
    rank_total: Mapped[int] = mapped_column(default=0)
    number_total: Mapped[Decimal] = mapped_column(Numeric(24, 4), default=Decimal(0))
    number_min: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    number_max: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
