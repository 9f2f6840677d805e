"""Who receives a neighbourhood's briefings, and one-click unsubscribe tokens (RFC 8058).

Officers receive briefings unless they unsubscribe; members only if they opt in. A choice is a
:class:`BriefingSubscription` row. The unsubscribe token is a signature (itsdangerous, keyed by
``SECRET_KEY``) of the user and neighbourhood ids, so it needs no storage and cannot be forged.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select

from consult.auth.models import User
from consult.briefings.models import BriefingSubscription
from consult.extensions import db
from consult.neighbourhoods.models import Membership, Role

_SALT = "briefing-unsubscribe"


def recipients(neighbourhood_id: int) -> list[User]:
    """Active staff of one neighbourhood who receive its briefings: officers who have not
    unsubscribed and members who opted in."""
    subscription = and_(
        BriefingSubscription.user_id == User.id,
        BriefingSubscription.neighbourhood_id == neighbourhood_id,
    )
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .outerjoin(BriefingSubscription, subscription)
            .where(
                Membership.neighbourhood_id == neighbourhood_id,
                User.active.is_(True),
                or_(
                    BriefingSubscription.subscribed.is_(True),
                    and_(BriefingSubscription.id.is_(None), Membership.role == Role.OFFICER.value),
                ),
            )
            .order_by(User.id)
            .distinct()
        )
    )


def receives_briefings(user: User, neighbourhood_id: int) -> bool:
    """Whether this person gets the neighbourhood's briefings now."""
    return any(u.id == user.id for u in recipients(neighbourhood_id))


def set_subscription(user_id: int, neighbourhood_id: int, subscribed: bool) -> None:
    """Record a person's choice (insert or update). Flushes; the caller commits."""
    row = db.session.scalar(
        select(BriefingSubscription).where(
            BriefingSubscription.user_id == user_id,
            BriefingSubscription.neighbourhood_id == neighbourhood_id,
        )
    )
    if row is None:
        row = BriefingSubscription(user_id=user_id, neighbourhood_id=neighbourhood_id)
        db.session.add(row)
    row.subscribed = subscribed
    db.session.flush()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, neighbourhood_id: int) -> str:
    return str(_serializer().dumps([user_id, neighbourhood_id]))


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(user id, neighbourhood id) from a token, or None if it is not one of ours."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    return value[0], value[1]
