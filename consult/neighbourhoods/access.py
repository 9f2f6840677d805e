"""Who may do what in a neighbourhood. Every staff view goes through :func:`staff_view`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db, login_manager
from consult.neighbourhoods.models import Neighbourhood, Role

STAFF_ROLES = (Role.MEMBER, Role.OFFICER)


def get_neighbourhood_or_404(slug: str) -> Neighbourhood:
    """The neighbourhood of this page, also kept on ``g`` so the page's language needs no query."""
    neighbourhood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
    if neighbourhood is None:
        abort(404)
    g.neighbourhood = neighbourhood
    return neighbourhood


def has_role(user: Any, neighbourhood: Neighbourhood, roles: tuple[Role, ...]) -> bool:
    """Whether ``user`` holds one of ``roles`` in this neighbourhood (admins hold them all)."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return bool(user.roles_in(neighbourhood.id) & {role.value for role in roles})


def staff_view(
    *roles: Role,
) -> Callable[[Callable[..., ResponseReturnValue]], Callable[..., ResponseReturnValue]]:
    """Guard a view taking ``slug``: it receives the neighbourhood instead.

    Anonymous visitors are sent to sign in. Signed-in people without one of ``roles`` in *this*
    neighbourhood get 404, so another neighbourhood's pages do not even admit to existing.
    An empty ``roles`` means site admins only.
    """

    def decorator(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @wraps(view)
        def wrapped(slug: str, **kwargs: Any) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            neighbourhood = get_neighbourhood_or_404(slug)
            allowed = (
                current_user.is_admin if not roles else has_role(current_user, neighbourhood, roles)
            )
            if not allowed:
                abort(404)
            return view(neighbourhood, **kwargs)

        return wrapped

    return decorator
