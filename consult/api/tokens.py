"""Creating, listing, revoking and checking personal API tokens.

Only staff (a member or officer somewhere, or an admin) may hold tokens: the API shows nothing
to anyone else. A token is checked at every request against its owner as they are then: a
revoked token, a deactivated owner, or an owner with no staff role left is refused at once.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from consult.api.models import ApiToken
from consult.auth.models import User
from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger(__name__)

TOKEN_PREFIX = "consult_"  # noqa: S105 (a label on every token, not a secret)
MAX_ACTIVE_TOKENS = 10
# "Last used" is a date for people to read, so it is written at most this often.
LAST_USED_PRECISION = timedelta(minutes=5)


class TokenLimitError(Exception):
    """The person already holds the most active tokens allowed."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def may_hold_tokens(user: User) -> bool:
    """Whether this person may hold API tokens: an admin, or staff in any neighbourhood."""
    return bool(user.is_admin or user.memberships)


def active_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at, ApiToken.id)
        )
    )


def create_token(user: User, name: str) -> NewToken:
    """A new token for ``user``; its secret is returned once and never stored. Flushes."""
    held = db.session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if (held or 0) >= MAX_ACTIVE_TOKENS:
        raise TokenLimitError
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_digest(secret))
    db.session.add(token)
    db.session.flush()
    log.info("user %s created API token %s", user.id, token.id)
    return NewToken(token, secret)


def own_active_token(user: User, token_id: int) -> ApiToken | None:
    """One of ``user``'s own active tokens; another person's id finds nothing."""
    return db.session.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )


def revoke_token(token: ApiToken) -> None:
    """Stop a token working from now on. Flushes."""
    token.revoked_at = utcnow()
    db.session.flush()
    log.info("user %s revoked API token %s", token.user_id, token.id)


def token_owner(secret: str) -> tuple[ApiToken, User] | None:
    """The active token with this secret and its owner, or None.

    None for an unknown or revoked token and for a deactivated owner. Whether the owner still
    has a role is for the caller to judge (the answer differs: 403, not 401).
    """
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(secret), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None or not token.user.is_active:
        return None
    return token, token.user


def note_use(token: ApiToken) -> None:
    """Keep the token's "last used" date, to the nearest few minutes. Flushes."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.flush()
