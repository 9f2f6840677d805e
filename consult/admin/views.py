"""Site admin pages: neighbourhoods, and inviting a neighbourhood's members and officers."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.auth.forms import InvitationForm
from consult.auth.models import Invitation
from consult.auth.services import create_invitation
from consult.briefings.delivery import failed_by_briefing
from consult.core.time import utcnow
from consult.extensions import db
from consult.mail import error_kind
from consult.mail.invitations import send_invitation
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Membership, Neighbourhood, Role
from consult.neighbourhoods.services import SlugTakenError, create_neighbourhood

from .forms import NeighbourhoodForm

bp = Blueprint("admin", __name__)
log = logging.getLogger(__name__)


@bp.route("/admin/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    if not current_user.is_admin:
        abort(404)
    form = NeighbourhoodForm()
    if form.validate_on_submit():
        try:
            neighbourhood = create_neighbourhood(
                form.slug.data or "",
                form.name.data or "",
                form.local_authority.data or "",
                form.description.data or "",
                form.languages.data or [],
            )
        except SlugTakenError:
            form.slug.errors = [_("Another neighbourhood already uses this short name")]
        else:
            db.session.commit()
            flash(_("%(name)s has been created.", name=neighbourhood.name), "success")
            return redirect(url_for(".people", slug=neighbourhood.slug))
    neighbourhoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    return render_template(
        "admin/index.html",
        form=form,
        neighbourhoods=neighbourhoods,
        failed=failed_by_briefing(),
    )


@bp.route("/n/<slug>/people", methods=["GET", "POST"])
@staff_view()
def people(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = InvitationForm()
    if form.validate_on_submit():
        new = create_invitation(
            neighbourhood, form.email.data or "", Role(form.role.data), current_user
        )
        db.session.commit()
        try:
            send_invitation(new)
        except Exception as error:
            log.error(
                "invitation %s could not be emailed (%s)", new.invitation.id, error_kind(error)
            )
            flash(
                _(
                    "The invitation was saved but the email could not be sent. "
                    "Try again in a few minutes."
                )
            )
        else:
            flash(_("Invitation sent to %(email)s.", email=new.invitation.email), "success")
        return redirect(url_for(".people", slug=neighbourhood.slug))
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.neighbourhood_id == neighbourhood.id)
        .order_by(Membership.role, Membership.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.neighbourhood_id == neighbourhood.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
    return render_template(
        "admin/people.html",
        neighbourhood=neighbourhood,
        form=form,
        memberships=memberships,
        invitations=invitations,
    )
