"""The briefing archive, and "Send briefing now"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select

from consult.briefings.models import Briefing
from consult.briefings.services import request_briefing
from consult.extensions import db
from consult.neighbourhoods.access import STAFF_ROLES, staff_view
from consult.neighbourhoods.models import Neighbourhood

bp = Blueprint("briefings", __name__, url_prefix="/n/<slug>/briefings")


class SendNowForm(FlaskForm):
    """No fields: the form exists for its CSRF token."""


@bp.get("/")
@staff_view(*STAFF_ROLES)
def index(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    briefings = db.session.scalars(
        select(Briefing)
        .where(Briefing.neighbourhood_id == neighbourhood.id)
        .order_by(Briefing.period_end.desc())
    ).all()
    return render_template(
        "briefings/index.html",
        neighbourhood=neighbourhood,
        briefings=briefings,
        send_form=SendNowForm(),
    )


@bp.post("/send")
@staff_view(*STAFF_ROLES)
def send_now(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = SendNowForm()
    if not form.validate_on_submit():
        abort(400)
    briefing = request_briefing(neighbourhood, requested_by=current_user)
    db.session.commit()
    flash(
        f"Briefing {briefing.id} is being built. Officers will get it by email in a minute or two.",
        "success",
    )
    return redirect(url_for(".index", slug=neighbourhood.slug))


@bp.get("/<int:briefing_id>")
@staff_view(*STAFF_ROLES)
def show(neighbourhood: Neighbourhood, briefing_id: int) -> ResponseReturnValue:
    briefing = db.session.scalar(
        select(Briefing).where(
            Briefing.id == briefing_id, Briefing.neighbourhood_id == neighbourhood.id
        )
    )
    if briefing is None:
        abort(404)
    # The stored HTML was rendered by our own autoescaping template when the briefing was built.
    body = Markup(briefing.html_body)  # noqa: S704
    return render_template(
        "briefings/show.html", neighbourhood=neighbourhood, briefing=briefing, body=body
    )
