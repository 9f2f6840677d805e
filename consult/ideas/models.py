"""Ideas, their categories, supports, comments, reports and status changes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood

if TYPE_CHECKING:
    from consult.auth.models import User

TITLE_LIMIT = 120
DESCRIPTION_LIMIT = 2000
PLACE_LIMIT = 120
COMMENT_LIMIT = 1000
REPORT_NOTE_LIMIT = 500
OUTCOME_LIMIT = 1000

SEEDED_CATEGORIES = (
    "Environment and green spaces",
    "Young people",
    "Housing",
    "Jobs and skills",
    "Health and wellbeing",
    "Safety",
    "Transport",
    "Community spaces",
)


class ModerationState(enum.StrEnum):
    """Where an idea or comment is in moderation; only ``published`` is shown to everyone."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    MERGED = "merged"  # ideas only


class IdeaStatus(enum.StrEnum):
    """What the partnership is doing with an idea ("you said, we did")."""

    UNDER_CONSIDERATION = "under_consideration"
    SHORTLISTED = "shortlisted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    IdeaStatus.UNDER_CONSIDERATION: _l("Under consideration"),
    IdeaStatus.SHORTLISTED: _l("Shortlisted"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.DONE: _l("Done"),
    IdeaStatus.NOT_TAKEN_FORWARD: _l("Not taken forward"),
}


class ReportReason(enum.StrEnum):
    OFFENSIVE = "offensive"
    PERSONAL_INFORMATION = "personal_information"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


def _sql_in(values: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


_IDEA_STATES = _sql_in(ModerationState)
_COMMENT_STATES = ", ".join(
    f"'{s.value}'" for s in ModerationState if s is not ModerationState.MERGED
)
_STATUSES = _sql_in(IdeaStatus)


class IdeaCategory(db.Model):  # type: ignore[name-defined]
    """A neighbourhood's own list of categories, managed by its partnership members."""

    __tablename__ = "idea_category"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "name"),
        CheckConstraint("name <> ''", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Idea(db.Model):  # type: ignore[name-defined]
    __tablename__ = "idea"
    __table_args__ = (
        CheckConstraint(f"state IN ({_IDEA_STATES})", name="state_known"),
        CheckConstraint(f"status IS NULL OR status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("title <> ''", name="title_not_empty"),
        CheckConstraint(f"length(title) <= {TITLE_LIMIT}", name="title_length"),
        CheckConstraint("description <> ''", name="description_not_empty"),
        CheckConstraint(f"length(description) <= {DESCRIPTION_LIMIT}", name="description_length"),
        CheckConstraint(
            "state <> 'merged' OR merged_into_id IS NOT NULL", name="merged_has_target"
        ),
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"
        ),
        CheckConstraint("imported_supports >= 0", name="imported_supports_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("idea_category.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_LIMIT))
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(PLACE_LIMIT), default="")
    state: Mapped[str] = mapped_column(String(20), default=ModerationState.PUBLISHED.value)
    status: Mapped[str | None] = mapped_column(String(30))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    # Supports counted before the idea came here (a paper board, an older site): the board adds
    # them to the supports people give here, which stay one per person.
    imported_supports: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Moved on by a new comment or a status change: "recently updated" sorts by it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    author: Mapped[User | None] = relationship()
    category: Mapped[IdeaCategory] = relationship()

    @property
    def status_label(self) -> str:
        return IdeaStatus(self.status).label if self.status else str(_l("New"))

    def __repr__(self) -> str:
        return f"<Idea {self.id}>"


class Support(db.Model):  # type: ignore[name-defined]
    """One person's support for one idea: the unique constraint keeps it to one."""

    __tablename__ = "support"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The supporter asked to be emailed when the partnership changes the idea's status.
    notify: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(db.Model):  # type: ignore[name-defined]
    __tablename__ = "idea_comment"
    __table_args__ = (
        CheckConstraint(f"state IN ({_COMMENT_STATES})", name="state_known"),
        CheckConstraint("body <> ''", name="body_not_empty"),
        CheckConstraint(f"length(body) <= {COMMENT_LIMIT}", name="body_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=ModerationState.PUBLISHED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship()
    author: Mapped[User | None] = relationship()


class Report(db.Model):  # type: ignore[name-defined]
    """One person reporting one idea or one comment. Open until the partnership reviews it."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("reporter_id", "idea_id"),
        UniqueConstraint("reporter_id", "comment_id"),
        CheckConstraint(f"reason IN ({_sql_in(ReportReason)})", name="reason_known"),
        CheckConstraint("(idea_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea_comment.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(REPORT_NOTE_LIMIT), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StatusChange(db.Model):  # type: ignore[name-defined]
    """A status given to an idea, with the partnership's public answer."""

    __tablename__ = "idea_status_change"
    __table_args__ = (CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    answer: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def status_label(self) -> str:
        return IdeaStatus(self.status).label


class SurveyOutcome(db.Model):  # type: ignore[name-defined]
    """An action that came from a survey's results, for the "You said, we did" page."""

    __tablename__ = "survey_outcome"
    __table_args__ = (
        CheckConstraint("you_said <> '' AND we_did <> ''", name="not_empty"),
        CheckConstraint(
            f"length(you_said) <= {OUTCOME_LIMIT} AND length(we_did) <= {OUTCOME_LIMIT}",
            name="length",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    survey = relationship("Survey")


class KeptDraft(db.Model):  # type: ignore[name-defined]
    """What a signed-out resident typed (an idea or a comment), kept while they sign in.

    Held here rather than in the session cookie, which is readable by anyone holding it and
    which a browser drops once it passes 4 KB (2,000 characters of Urdu or Polish would). The
    browser keeps only a random token; the row lives a day at most.
    """

    __tablename__ = "idea_kept_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What the text is for: "idea:<neighbourhood slug>" or "comment:<idea id>".
    purpose: Mapped[str] = mapped_column(String(80))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
