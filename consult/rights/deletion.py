"""Deleting an account: asked for on the account page, confirmed by an emailed one-time link.

The account row stays as an anonymous tombstone (no email, no name, no way to sign in), because
the person's supports stay counted and the append-only moderation log may point at it: a
support is one row per (idea, person), so keeping the row keeps "one support per person" true
for everyone else, and a later merge of ideas still counts it once. Everything else follows
:data:`DELETION_PLAN`, which says for every column that points at an account or holds an email
what happens to it; a test walks the tables so that a new one cannot be forgotten.

Staff accounts are refused while they hold a role (or the admin flag): an admin removes the
roles first, so that no neighbourhood is left without the person it relied on unawares.
"""

from __future__ import annotations

import enum
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from consult.auth.models import User
from consult.auth.services import end_sessions
from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Support
from consult.neighbourhoods.models import Membership, Neighbourhood
from consult.rights.export import Column
from consult.rights.models import AccountDeletionRequest

log = logging.getLogger(__name__)

DELETION_LINK_LIFETIME = timedelta(hours=1)
TOMBSTONE_DOMAIN = "deleted.invalid"  # RFC 2606: can never receive mail


class Fate(enum.StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the rows stay, no longer pointing at the person
    KEEP = "keep"  # the rows stay pointing at the tombstone, which holds nothing personal


DELETION_PLAN: dict[Column, Fate] = {
    ("user", "email"): Fate.KEEP,  # the tombstone's own column, scrubbed by _scrub
    ("idea", "author_id"): Fate.ANONYMISE,  # ideas stay, shown as "a resident"
    ("idea_comment", "author_id"): Fate.ANONYMISE,
    ("support", "user_id"): Fate.KEEP,  # counted, once per person
    ("report", "reporter_id"): Fate.DELETE,
    ("notification", "user_id"): Fate.DELETE,
    ("membership", "user_id"): Fate.DELETE,
    ("briefing_subscription", "user_id"): Fate.DELETE,
    ("delivery", "user_id"): Fate.DELETE,
    ("briefing", "requested_by_id"): Fate.ANONYMISE,
    ("moderation_action", "moderator_id"): Fate.KEEP,  # append-only; shown as "A member"
    ("idea_status_change", "changed_by_id"): Fate.ANONYMISE,
    ("survey_outcome", "created_by_id"): Fate.ANONYMISE,
    ("survey_change", "user_id"): Fate.ANONYMISE,
    ("response", "keyed_by_id"): Fate.ANONYMISE,
    ("invitation", "invited_by_id"): Fate.ANONYMISE,
    ("invitation", "email"): Fate.DELETE,
    ("sign_in_link", "email"): Fate.DELETE,
    ("account_deletion_request", "user_id"): Fate.DELETE,
    ("api_token", "user_id"): Fate.DELETE,
    ("export_record", "user_id"): Fate.ANONYMISE,  # the record of a download stays, by nobody
    ("survey_import", "imported_by_id"): Fate.ANONYMISE,
}


class DeletionLinkError(Exception):
    """The confirmation link cannot be used; the message says why, in plain English."""


@dataclass(frozen=True)
class NewDeletionRequest:
    request: AccountDeletionRequest
    token: str


def refusal(user: User) -> str | None:
    """Why this account cannot be deleted yet, in plain English; None if it can."""
    if user.is_admin:
        return _(
            "You are a site administrator. Ask another administrator to take that role away "
            "first; then you can delete your account."
        )
    names = db.session.scalars(
        select(Neighbourhood.name)
        .join(Membership, Membership.neighbourhood_id == Neighbourhood.id)
        .where(Membership.user_id == user.id)
        .order_by(Neighbourhood.name)
        .distinct()
    ).all()
    if names:
        return _(
            "You have a role in %(places)s. Ask a site administrator to remove your roles "
            "first; then you can delete your account.",
            places=", ".join(names),
        )
    return None


def request_deletion(user: User) -> NewDeletionRequest:
    """A one-time link to confirm deleting ``user``; only the token's hash is stored. Flushes."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = current_app.config.get("ACCOUNT_DELETION_LINK_LIFETIME", DELETION_LINK_LIFETIME)
    request = AccountDeletionRequest(
        user_id=user.id,
        token_hash=token_digest(token),
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(request)
    db.session.flush()
    return NewDeletionRequest(request, token)


def usable_request(token: str) -> AccountDeletionRequest:
    """The request for ``token`` if its link can still be used; otherwise DeletionLinkError."""
    request = db.session.scalar(
        select(AccountDeletionRequest).where(
            AccountDeletionRequest.token_hash == token_digest(token)
        )
    )
    if request is None:
        raise DeletionLinkError(
            _("This link is not valid. It may have been used already, or not copied in full.")
        )
    if request.used_at is not None:
        raise DeletionLinkError(_("This link has already been used."))
    if request.expires_at <= utcnow():
        raise DeletionLinkError(
            _("This link has expired. Sign in and ask to delete your account again.")
        )
    return request


def confirm_deletion(token: str) -> int:
    """Spend the link and delete its account; return the account's id. Flushes.

    A conditional UPDATE spends the link, so two clicks at once delete once. Raises
    DeletionLinkError if the link cannot be used or the account has gained a role since.
    """
    request = usable_request(token)
    spent = db.session.execute(
        update(AccountDeletionRequest)
        .where(AccountDeletionRequest.id == request.id, AccountDeletionRequest.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not spent.rowcount:  # type: ignore[attr-defined]
        raise DeletionLinkError(_("This link has already been used."))
    user = db.session.get(User, request.user_id)
    if user is None or user.deleted_at is not None:
        raise DeletionLinkError(_("This account has already been deleted."))
    reason = refusal(user)
    if reason:
        raise DeletionLinkError(reason)
    user_id = user.id
    delete_account(user)
    return user_id


def delete_account(user: User) -> None:
    """Remove everything personal about ``user``, following DELETION_PLAN. Flushes."""
    email, user_id = user.email, user.id
    for (table_name, column_name), fate in DELETION_PLAN.items():
        if fate is Fate.KEEP:
            continue
        table = db.metadata.tables[table_name]
        column = table.c[column_name]
        match = column == (email if column_name == "email" else user_id)
        if fate is Fate.DELETE:
            db.session.execute(delete(table).where(match))
        else:
            db.session.execute(update(table).where(match).values({column_name: None}))
    # Supports stay counted, but nobody is left to email about them.
    db.session.execute(update(Support).where(Support.user_id == user_id).values(notify=False))
    _scrub(user)
    db.session.flush()
    db.session.expire_all()
    log.info("account %s deleted", user_id)


def _scrub(user: User) -> None:
    now = utcnow()
    user.email = f"deleted-{user.id}@{TOMBSTONE_DOMAIN}"
    user.display_name = ""
    user.password_hash = None
    user.is_admin = False
    user.active = False
    user.created_at = now
    user.last_signed_in_at = None
    user.deleted_at = now
    end_sessions(user)
