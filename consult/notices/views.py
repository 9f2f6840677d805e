"""Privacy notices (one per neighbourhood, and a site page listing them) and the accessibility
statement. Anyone can read them; site admins edit them, previewing before they save."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.extensions import db
from consult.neighbourhoods.access import get_neighbourhood_or_404, staff_view
from consult.neighbourhoods.models import Neighbourhood
from consult.notices.defaults import ACCESSIBILITY_FIELDS, PRIVACY_FIELDS
from consult.notices.forms import AccessibilityStatementForm, PrivacyNoticeForm
from consult.notices.services import (
    accessibility_statement,
    privacy_notice,
    published_surveys,
    save_accessibility_statement,
    save_privacy_notice,
)

bp = Blueprint("notices", __name__)


@bp.get("/privacy")
def site_privacy() -> ResponseReturnValue:
    neighbourhoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    return render_template("notices/site_privacy.html", neighbourhoods=neighbourhoods)


@bp.get("/n/<slug>/privacy")
def privacy(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    return render_template(
        "notices/privacy.html",
        neighbourhood=neighbourhood,
        notice=privacy_notice(neighbourhood),
        surveys=published_surveys(neighbourhood),
    )


@bp.route("/n/<slug>/privacy/edit", methods=["GET", "POST"])
@staff_view()
def edit_privacy(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    # The saved text fills the form only when it is opened: a sent form is taken as sent.
    form = PrivacyNoticeForm(
        data=privacy_notice(neighbourhood) if request.method == "GET" else None
    )
    preview = None
    if form.validate_on_submit():
        values = {name: form[name].data for name in PRIVACY_FIELDS}
        if not form.save.data:
            preview = values
        else:
            save_privacy_notice(neighbourhood, values)
            db.session.commit()
            flash(_("Privacy notice saved."), "success")
            return redirect(url_for(".privacy", slug=neighbourhood.slug))
    return render_template(
        "notices/edit_privacy.html",
        neighbourhood=neighbourhood,
        form=form,
        preview=preview,
        surveys=published_surveys(neighbourhood),
    )


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("notices/accessibility.html", statement=accessibility_statement())


@bp.route("/accessibility/edit", methods=["GET", "POST"])
@login_required
def edit_accessibility() -> ResponseReturnValue:
    if not current_user.is_admin:
        abort(404)
    form = AccessibilityStatementForm(
        data=accessibility_statement() if request.method == "GET" else None
    )
    preview = None
    if form.validate_on_submit():
        values = {name: form[name].data for name in ACCESSIBILITY_FIELDS}
        if not form.save.data:
            preview = values
        else:
            save_accessibility_statement(values)
            db.session.commit()
            flash(_("Accessibility statement saved."), "success")
            return redirect(url_for(".accessibility"))
    return render_template("notices/edit_accessibility.html", form=form, preview=preview)
