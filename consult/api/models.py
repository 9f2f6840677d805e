"""Personal API tokens: named, shown once, stored hashed, revocable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.auth.models import User
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A bearer token for the read API, belonging to one person.

    Only a SHA-256 of the token is stored (the token is 256 random bits, so a plain hash is
    enough), so a copy of the database opens nothing. A token acts with its owner's roles as they
    are at each request: it is no wider than the person, and stops at once when they lose a role.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
