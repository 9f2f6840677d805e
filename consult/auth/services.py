"""Accounts: authenticate, sign out everywhere, invite, accept an invitation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from consult.auth.models import Invitation, User
from consult.auth.passwords import hash_password, verify_password
from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Membership, Neighbourhood, Role


class InvitationError(Exception):
    """The invitation link cannot be used; the message says why, in plain English."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (taking the same time either way)."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    user.last_signed_in_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Make every existing session cookie of this user stop working."""
    user.session_version += 1


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_sessions(user)


def create_user(
    email: str, password: str | None = None, display_name: str = "", is_admin: bool = False
) -> User:
    user = User(email=normalise_email(email), display_name=display_name, is_admin=is_admin)
    if password:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def add_membership(user: User, neighbourhood: Neighbourhood, role: Role) -> Membership:
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.neighbourhood_id == neighbourhood.id,
            Membership.role == role.value,
        )
    )
    if existing:
        return existing
    membership = Membership(user_id=user.id, neighbourhood_id=neighbourhood.id, role=role.value)
    db.session.add(membership)
    db.session.flush()
    return membership


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str


def create_invitation(
    neighbourhood: Neighbourhood, email: str, role: Role, invited_by: User | None
) -> NewInvitation:
    """A one-time link for ``email`` to join as ``role``; only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=normalise_email(email),
        neighbourhood_id=neighbourhood.id,
        role=role.value,
        token_hash=token_digest(token),
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    return NewInvitation(invitation, token)


def usable_invitation(token: str) -> Invitation:
    """The invitation for ``token`` if it can still be used; otherwise InvitationError."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Check you copied all of it."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Sign in instead."))
    if invitation.expires_at <= utcnow():
        raise InvitationError(
            _("This invitation has expired. Ask whoever invited you to send a new one.")
        )
    return invitation


def accept_invitation(token: str, display_name: str, password: str) -> User:
    """Use the invitation once: the account gets the role and the chosen password."""
    invitation = usable_invitation(token)
    user = find_user(invitation.email) or create_user(invitation.email)
    user.display_name = display_name.strip()
    set_password(user, password)
    add_membership(user, invitation.neighbourhood, Role(invitation.role))
    invitation.accepted_at = utcnow()
    db.session.flush()
    return user
