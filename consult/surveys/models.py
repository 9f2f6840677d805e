"""Surveys, their questions and options, and residents' responses.

Answers are stored "long": one row per (response, question, option) for choices, with a text
column for free text, so that counting is a single GROUP BY in the database.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    FREE_TEXT = "free_text"

    @property
    def has_options(self) -> bool:
        return self is not QuestionKind.FREE_TEXT


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    PHONE = "phone"
    DOORSTEP = "doorstep"
    EVENT = "event"


class Survey(db.Model):  # type: ignore[name-defined]
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status_known"),
        CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="closes_after_opening",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=SurveyStatus.DRAFT.value)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime) -> bool:
        """Whether residents can answer at ``now``."""
        if self.status != SurveyStatus.OPEN:
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


class Question(db.Model):  # type: ignore[name-defined]
    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("survey_id", "position"),
        CheckConstraint(
            "kind IN ('single_choice', 'multiple_choice', 'scale', 'free_text')",
            name="kind_known",
        ),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None]

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )

    @property
    def question_kind(self) -> QuestionKind:
        return QuestionKind(self.kind)


class Option(db.Model):  # type: ignore[name-defined]
    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    # The number a scale point stands for (1 = strongly disagree ... 5 = strongly agree).
    value: Mapped[int | None]

    question: Mapped[Question] = relationship(back_populates="options")


class Response(db.Model):  # type: ignore[name-defined]
    """One resident's submitted answers. Never linked to an account or an IP address."""

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint(
            "channel IN ('online', 'paper', 'phone', 'doorstep', 'event')", name="channel_known"
        ),
        Index("ix_response_survey_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default=Channel.ONLINE.value)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(db.Model):  # type: ignore[name-defined]
    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint(
            "(option_id IS NOT NULL AND text IS NULL) OR (option_id IS NULL AND text IS NOT NULL)",
            name="option_or_text",
        ),
        UniqueConstraint("response_id", "question_id", "option_id"),
        Index("ix_answer_question_option", "question_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("option.id", ondelete="RESTRICT"))
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
