"""Who may moderate a neighbourhood's ideas: its partnership members (and site admins)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from consult.extensions import login_manager
from consult.neighbourhoods.access import get_neighbourhood_or_404, has_role
from consult.neighbourhoods.models import Role


def member_view(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Guard a moderation view taking ``slug``: it receives the neighbourhood instead.

    Anonymous visitors are sent to sign in. A resident, or an officer of this neighbourhood,
    gets 403: the page exists but is not theirs. Staff of another neighbourhood get 404, as
    on every staff page, so one neighbourhood's pages do not admit to another's.
    """

    @wraps(view)
    def wrapped(slug: str, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        neighbourhood = get_neighbourhood_or_404(slug)
        if has_role(current_user, neighbourhood, (Role.MEMBER,)):
            return view(neighbourhood, **kwargs)
        if current_user.roles_in(neighbourhood.id) or not current_user.memberships:
            abort(403)
        abort(404)

    return wrapped
