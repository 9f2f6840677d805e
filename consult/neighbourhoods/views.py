"""A neighbourhood's public page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from consult.core.time import utcnow
from consult.neighbourhoods.access import STAFF_ROLES, get_neighbourhood_or_404, has_role
from consult.surveys.services import open_surveys

bp = Blueprint("neighbourhoods", __name__, url_prefix="/n/<slug>")


@bp.get("/")
def show(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    return render_template(
        "neighbourhoods/show.html",
        neighbourhood=neighbourhood,
        surveys=open_surveys(neighbourhood, utcnow()),
        is_staff=has_role(current_user, neighbourhood, STAFF_ROLES),
    )
