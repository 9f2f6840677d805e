"""Briefings and the delivery ledger that makes sending them exactly-once per recipient."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood


class BriefingKind(enum.StrEnum):
    ON_DEMAND = "on_demand"
    WEEKLY = "weekly"
    SURVEY_CLOSED = "survey_closed"


class BriefingStatus(enum.StrEnum):
    PENDING = "pending"
    BUILT = "built"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Briefing(db.Model):  # type: ignore[name-defined]
    """One briefing for one neighbourhood and period; built once, however often asked."""

    __tablename__ = "briefing"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "kind", "period_end"),
        CheckConstraint("kind IN ('on_demand', 'weekly', 'survey_closed')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'built')", name="status_known"),
        CheckConstraint("period_end > period_start", name="period_positive"),
        CheckConstraint(
            "(kind = 'survey_closed') = (survey_id IS NOT NULL)", name="survey_closed_has_survey"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=BriefingStatus.PENDING.value)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    period_end: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # A survey-closed report's survey: one report per survey, however often beat looks.
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    neighbourhood: Mapped[Neighbourhood] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="briefing", cascade="all, delete-orphan"
    )
    charts: Mapped[list[BriefingChart]] = relationship(
        order_by="BriefingChart.id", cascade="all, delete-orphan"
    )
    editions: Mapped[list[BriefingEdition]] = relationship(
        order_by="BriefingEdition.id", cascade="all, delete-orphan"
    )

    def edition(self, locale: str = "en") -> BriefingEdition:
        """The email in ``locale``, or in English when it was not written in that language
        (a briefing built before its recipients' languages were kept)."""
        editions = {edition.locale: edition for edition in self.editions}
        return editions.get(locale) or editions["en"]


def english_subject(briefing_id: InstrumentedAttribute[int]) -> ColumnElement[str]:
    """The subject line of the briefing ``briefing_id`` names, for lists of briefings: its English
    edition's (every built briefing has one), else any edition's, else "" (not built yet).

    A correlated subquery, so a list of briefings reads no email bodies and needs no join."""
    subject = (
        select(BriefingEdition.subject)
        .where(BriefingEdition.briefing_id == briefing_id)
        .order_by(case((BriefingEdition.locale == "en", 0), else_=1), BriefingEdition.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(subject, "")


class BriefingEdition(db.Model):  # type: ignore[name-defined]
    """A built briefing's email in one language, rendered once when the briefing is built, so
    that every delivery in that language, retried or not, sends the same words."""

    __tablename__ = "briefing_edition"
    __table_args__ = (UniqueConstraint("briefing_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    tables_csv: Mapped[str] = mapped_column(Text)


class BriefingChart(db.Model):  # type: ignore[name-defined]
    """A chart drawn once when its briefing is built: a PNG sent inline with every email.

    ``name`` is the image's Content-ID in the email. Its words (the alt text) are not kept: each
    edition says them in its own language (:func:`consult.briefings.wording.chart_alt`).
    """

    __tablename__ = "briefing_chart"
    __table_args__ = (UniqueConstraint("briefing_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    png: Mapped[bytes] = mapped_column(LargeBinary)


class Delivery(db.Model):  # type: ignore[name-defined]
    """One (briefing, recipient) pair: the ledger row that a re-run checks before sending."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("briefing_id", "user_id"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefing.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The recipient's language when the briefing was built: every attempt sends that edition.
    locale: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    # The kind of error the last attempt met, never its text (which can quote an address).
    last_error: Mapped[str] = mapped_column(String(500), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    briefing: Mapped[Briefing] = relationship(back_populates="deliveries")
    user = relationship("User")

    @property
    def error_class(self) -> str:
        """What kind of error the last attempt met (e.g. "ConnectionRefusedError"), without the
        error's message, which can quote an address."""
        return self.last_error.split(":", 1)[0]


class BriefingSubscription(db.Model):  # type: ignore[name-defined]
    """A person's choice about one neighbourhood's briefings, overriding the default.

    Without a row, officers receive briefings and members do not. Unsubscribing (one click from
    an email) or opting in (a member, on the subscription page) writes a row.
    """

    __tablename__ = "briefing_subscription"
    __table_args__ = (UniqueConstraint("user_id", "neighbourhood_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    subscribed: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PopulationProfile(db.Model):  # type: ignore[name-defined]
    """How many people of one category (Census 2021) live in a neighbourhood, e.g.
    (age_band, "16 to 24", 412). Set against respondents to see who was heard."""

    __tablename__ = "population_profile"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "variable", "category"),
        CheckConstraint("count >= 0", name="count_not_negative"),
        CheckConstraint("variable IN ('age_band', 'sex', 'ethnic_group')", name="variable_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    variable: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(120))
    count: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
