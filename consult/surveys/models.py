"""Surveys, their questions and options, and residents' responses.

A survey has sections (one page each) holding its questions. Questions are numbered across the
whole survey (``position``), in section order, so ``survey.questions`` is the reading order.

Answers are stored "long": one row per (response, question, option) for choices (with ``rank``
for a ranking and ``text`` for "Other, please specify"), ``number`` for a number and ``text``
for free text and postcode sectors, so that counting is a single GROUP BY in the database.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
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
    NUMBER = "number"
    RANKING = "ranking"
    YES_NO = "yes_no"
    POSTCODE = "postcode"

    @property
    def has_options(self) -> bool:
        return self in CHOICE_KINDS or self is QuestionKind.RANKING

    @property
    def can_control_skip(self) -> bool:
        """Whether a later question or section may be shown depending on this one's answer."""
        return self in CHOICE_KINDS


CHOICE_KINDS = frozenset(
    {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.SCALE,
        QuestionKind.YES_NO,
    }
)
KIND_CHECK = "kind IN ({})".format(", ".join(f"'{kind.value}'" for kind in QuestionKind))
DEMOGRAPHIC_KEYS = (
    "age_band",
    "sex",
    "gender_identity",
    "ethnic_group",
    "disability",
    "tenure",
    "employment",
)
DEMOGRAPHIC_KEY_CHECK = "demographic_key IS NULL OR demographic_key IN ({})".format(
    ", ".join(f"'{key}'" for key in DEMOGRAPHIC_KEYS)
)


class OptionRole(enum.StrEnum):
    """Options that are not ordinary answers."""

    OTHER = "other"  # "Other, please specify": chosen with a text
    DONT_KNOW = "dont_know"  # a scale's "Don't know": no value, so outside the mean


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    PHONE = "phone"
    DOORSTEP = "doorstep"
    EVENT = "event"


class AccessMode(enum.StrEnum):
    """Who may answer a survey, and how often."""

    OPEN = "open"  # anyone; one response per browser, softly
    VERIFIED_EMAIL = "verified_email"  # one response per email, opened by an emailed link
    HOUSEHOLD_CODES = "household_codes"  # one response per printed one-time code


ACCESS_MODE_CHECK = "access_mode IN ({})".format(", ".join(f"'{m.value}'" for m in AccessMode))


class Survey(db.Model):  # type: ignore[name-defined]
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status_known"),
        CheckConstraint(ACCESS_MODE_CHECK, name="access_mode_known"),
        CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="closes_after_opening",
        ),
        CheckConstraint("retention_months BETWEEN 1 AND 120", name="retention_months_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=SurveyStatus.DRAFT.value)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    access_mode: Mapped[str] = mapped_column(
        String(20), default=AccessMode.OPEN.value, server_default=AccessMode.OPEN.value
    )
    # Raw responses are deleted this many months after the survey closes (counts are kept).
    retention_months: Mapped[int] = mapped_column(default=24, server_default="24")
    # Sent from the last section's own page ("Send my answers" there), with no check-your-answers
    # page after it: quicker for a short survey on a phone. Off unless the partnership chooses it.
    send_from_last_page: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Changed (to a new random value) whenever the survey, its sections, questions, options or
    # translations change: the answering pages cache the structure under (id, stamp). See
    # consult.surveys.structure.
    structure_stamp: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(16), server_default="0"
    )

    neighbourhood: Mapped[Neighbourhood] = relationship()
    sections: Mapped[list[Section]] = relationship(
        back_populates="survey", order_by="Section.position", cascade="all, delete-orphan"
    )
    # Every question in reading order; questions are owned (and deleted) through their section.
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position"
    )

    @property
    def access(self) -> AccessMode:
        return AccessMode(self.access_mode)

    def is_open(self, now: datetime) -> bool:
        """Whether residents can answer at ``now``."""
        if self.status != SurveyStatus.OPEN:
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


def _show_if_option_of_question() -> ForeignKeyConstraint:
    """A skip condition names a question and one of *its* options; deleting either clears it."""
    return ForeignKeyConstraint(
        ["show_if_question_id", "show_if_option_id"],
        ["option.question_id", "option.id"],
        ondelete="SET NULL",
        use_alter=True,
    )


class Section(db.Model):  # type: ignore[name-defined]
    """One page of a survey, shown only if its skip condition (if any) is met."""

    __tablename__ = "survey_section"
    __table_args__ = (
        UniqueConstraint("survey_id", "position"),
        CheckConstraint(
            "(show_if_question_id IS NULL) = (show_if_option_id IS NULL)", name="condition_whole"
        ),
        _show_if_option_of_question(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    show_if_question_id: Mapped[int | None]
    show_if_option_id: Mapped[int | None]

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section",
        order_by="Question.position",
        cascade="all, delete-orphan",
        foreign_keys="Question.section_id",
    )


class Question(db.Model):  # type: ignore[name-defined]
    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("survey_id", "position"),
        CheckConstraint(KIND_CHECK, name="kind_known"),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length_positive"),
        CheckConstraint("max_choices IS NULL OR max_choices > 0", name="max_choices_positive"),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name="min_not_above_max",
        ),
        CheckConstraint(
            "(show_if_question_id IS NULL) = (show_if_option_id IS NULL)", name="condition_whole"
        ),
        _show_if_option_of_question(),
        CheckConstraint(DEMOGRAPHIC_KEY_CHECK, name="demographic_key_known"),
        UniqueConstraint("survey_id", "demographic_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    # Free text: most characters. Multiple choice: most boxes ticked. Ranking: how many to rank.
    max_length: Mapped[int | None]
    max_choices: Mapped[int | None]
    # Number: the range allowed, and whether decimals are.
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    whole_number: Mapped[bool] = mapped_column(default=True)
    show_if_question_id: Mapped[int | None]
    show_if_option_id: Mapped[int | None]
    # Which ready-made "About you" question this is (age_band, sex, ...), so that briefings
    # find it by this key, not by its wording, which members may edit.
    demographic_key: Mapped[str | None] = mapped_column(String(30))
    # Whether briefings and results break this question's answers down by each "About you"
    # question and by channel. Only choice and scale questions can be; members choose which,
    # and every one is until they do.
    broken_down: Mapped[bool] = mapped_column(default=True, server_default=true())

    survey: Mapped[Survey] = relationship(back_populates="questions")
    section: Mapped[Section] = relationship(back_populates="questions", foreign_keys=[section_id])
    options: Mapped[list[Option]] = relationship(
        back_populates="question",
        order_by="Option.position",
        cascade="all, delete-orphan",
        foreign_keys="Option.question_id",
    )

    @property
    def question_kind(self) -> QuestionKind:
        return QuestionKind(self.kind)


class Option(db.Model):  # type: ignore[name-defined]
    __tablename__ = "option"
    __table_args__ = (
        UniqueConstraint("question_id", "position"),
        # The target of skip conditions' foreign key, which proves the option is the question's.
        UniqueConstraint("question_id", "id"),
        CheckConstraint("role IS NULL OR role IN ('other', 'dont_know')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    # The number a scale point stands for (1 = strongly disagree ... 5 = strongly agree).
    value: Mapped[int | None]
    role: Mapped[str | None] = mapped_column(String(20))

    question: Mapped[Question] = relationship(back_populates="options", foreign_keys=[question_id])


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
    # For a response taken at an event: which one ("Summer fair, 12 July").
    event_name: Mapped[str | None] = mapped_column(String(200))
    # For a response a member or officer entered on a resident's behalf (or imported): who.
    keyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(db.Model):  # type: ignore[name-defined]
    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint(
            "option_id IS NOT NULL OR text IS NOT NULL OR number IS NOT NULL",
            name="option_text_or_number",
        ),
        CheckConstraint("rank IS NULL OR (rank >= 1 AND option_id IS NOT NULL)", name="rank_valid"),
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
    number: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    rank: Mapped[int | None]

    response: Mapped[Response] = relationship(back_populates="answers")


class Draft(db.Model):  # type: ignore[name-defined]
    """A resident's answers in progress, kept server-side under a random token in the session.

    ``answers`` holds the raw form values by field name, so a page shows exactly what was typed.
    ``response_id`` is set once, when the answers are sent: a second send finds it and stores
    nothing more.
    """

    __tablename__ = "survey_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), unique=True
    )


class SurveyChange(db.Model):  # type: ignore[name-defined]
    """A change made to a survey after residents had answered it: who, when and what."""

    __tablename__ = "survey_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    description: Mapped[str] = mapped_column(Text)
