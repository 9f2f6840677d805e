"""Residents sign in with a one-time link sent by email: no password to remember or leak.

A link works once, for a short time (``SIGN_IN_LINK_LIFETIME``), and only a SHA-256 of its token
is stored. Staff accounts, which have a password, are never signed in by a link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from consult.auth.models import SignInLink, User
from consult.auth.services import create_user, find_user, normalise_email
from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.core.urls import safe_next
from consult.extensions import db


class SignInLinkError(Exception):
    """The link cannot be used; the message says why, in plain English."""


@dataclass(frozen=True)
class NewSignInLink:
    link: SignInLink
    token: str


def uses_password(email: str) -> bool:
    """Whether this email belongs to a staff account, which signs in with its password."""
    user = find_user(email)
    return bool(user and user.password_hash)


def create_sign_in_link(email: str, next_url: str | None = None) -> NewSignInLink:
    """A new one-time link for ``email``; only the token's hash is stored. Flushes."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    link = SignInLink(
        email=normalise_email(email),
        token_hash=token_digest(token),
        next_url=safe_next(next_url) or "",
        created_at=now,
        expires_at=now + current_app.config["SIGN_IN_LINK_LIFETIME"],
    )
    db.session.add(link)
    db.session.flush()
    return NewSignInLink(link, token)


def usable_link(token: str) -> SignInLink:
    """The link for ``token`` if it can still be used; otherwise SignInLinkError."""
    link = db.session.scalar(select(SignInLink).where(SignInLink.token_hash == token_digest(token)))
    if link is None:
        raise SignInLinkError(_("This sign-in link is not valid. Check you copied all of it."))
    if link.used_at is not None:
        raise SignInLinkError(_("This sign-in link has already been used. Ask for a new one."))
    if link.expires_at <= utcnow():
        raise SignInLinkError(_("This sign-in link has expired. Ask for a new one."))
    return link


def use_sign_in_link(token: str) -> tuple[User, str]:
    """Spend the link and return (the resident, where to go next).

    The first use of an email creates the resident's account. A conditional UPDATE spends the
    link, so of two clicks at the same moment only one signs in.
    """
    link = usable_link(token)
    spent = db.session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not spent.rowcount:  # type: ignore[attr-defined]
        raise SignInLinkError(_("This sign-in link has already been used. Ask for a new one."))
    user = find_user(link.email) or create_user(link.email)
    if user.password_hash or not user.active:
        # Staff sign in with their password; a closed account not at all.
        raise SignInLinkError(
            _(
                "This link cannot be used. Partnership members and officers sign in "
                "with their password."
            )
        )
    user.last_signed_in_at = utcnow()
    db.session.flush()
    return user, link.next_url
