"""Accounts and invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Membership


class User(db.Model):  # type: ignore[name-defined]
    """A person with an account. Residents answering surveys need none."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on sign-out and password change so that copied session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the person deleted their account: the row is then an anonymous tombstone that
    # keeps their supports counted (see consult.rights.deletion).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language last chosen or signed in with, for emails sent later (None: English).
    locale: Mapped[str | None] = mapped_column(String(10))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def roles_in(self, neighbourhood_id: int) -> set[str]:
        """The roles this person holds in one neighbourhood."""
        return {m.role for m in self.memberships if m.neighbourhood_id == neighbourhood_id}

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Invitation(db.Model):  # type: ignore[name-defined]
    """A one-time, expiring link to join a neighbourhood's staff and set a password.

    Only a SHA-256 of the token is stored, so a copy of the database cannot be used to sign in.
    """

    __tablename__ = "invitation"
    __table_args__ = (CheckConstraint("role IN ('member', 'officer')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    neighbourhood = relationship("Neighbourhood")


class SignInLink(db.Model):  # type: ignore[name-defined]
    """A one-time, short-lived link that signs a resident in without a password.

    Only a SHA-256 of the token is stored. ``next_url`` is where to go afterwards (a path on this
    site, checked when the link is asked for).
    """

    __tablename__ = "sign_in_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    next_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
