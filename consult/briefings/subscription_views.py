"""Choosing to get briefings, and one-click unsubscribe from an email (RFC 8058)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from consult.auth.models import User
from consult.briefings.forms import SubscriptionForm
from consult.briefings.subscriptions import (
    read_unsubscribe_token,
    receives_briefings,
    set_subscription,
)
from consult.extensions import csrf, db
from consult.neighbourhoods.access import STAFF_ROLES, get_neighbourhood_or_404, staff_view
from consult.neighbourhoods.models import Neighbourhood

bp = Blueprint("subscriptions", __name__)
log = logging.getLogger(__name__)


@bp.route("/subscription", methods=["GET", "POST"])
@staff_view(*STAFF_ROLES)
def subscription(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    """Members opt in here; officers may opt out (and back in)."""
    current = receives_briefings(current_user, neighbourhood.id)
    form = SubscriptionForm(data={"receive": "yes" if current else "no"})
    if form.validate_on_submit():
        wanted = form.receive.data == "yes"
        set_subscription(current_user.id, neighbourhood.id, wanted)
        db.session.commit()
        flash(
            _("You will get briefings by email.") if wanted else _("You will not get briefings."),
            "success",
        )
        return redirect(url_for("briefings.index", slug=neighbourhood.slug))
    return render_template(
        "briefings/subscription.html", neighbourhood=neighbourhood, form=form, current=current
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(slug: str, token: str) -> ResponseReturnValue:
    """A GET only asks; a POST unsubscribes. The POST needs no cookie or CSRF token, because
    mail programs send it on their own (RFC 8058): the signed token is the authority."""
    neighbourhood = get_neighbourhood_or_404(slug)
    ids = read_unsubscribe_token(token)
    if ids is None or ids[1] != neighbourhood.id or db.session.get(User, ids[0]) is None:
        abort(404)
    user_id = ids[0]
    if request.method == "POST":
        set_subscription(user_id, neighbourhood.id, False)
        db.session.commit()
        log.info("one-click unsubscribe from briefings in neighbourhood %s", neighbourhood.id)
        return render_template("briefings/unsubscribed.html", neighbourhood=neighbourhood)
    return render_template("briefings/unsubscribe.html", neighbourhood=neighbourhood, token=token)
