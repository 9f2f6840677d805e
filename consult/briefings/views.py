"""The briefing archive, a preview, "Send now", and a briefing's tables as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.briefings.delivery import csv_filename, failed_deliveries, retry_failed
from consult.briefings.forms import SendNowForm
from consult.briefings.models import Briefing, BriefingKind, BriefingStatus
from consult.briefings.population_views import EDITORS
from consult.briefings.population_views import bp as population_bp
from consult.briefings.services import (
    Period,
    briefing_content,
    last_briefing_end,
    request_briefing,
    subject_for,
)
from consult.briefings.subscription_views import bp as subscriptions_bp
from consult.briefings.subscriptions import receives_briefings
from consult.briefings.tables import briefing_csv
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.access import STAFF_ROLES, has_role, staff_view
from consult.neighbourhoods.models import Neighbourhood

bp = Blueprint("briefings", __name__, url_prefix="/n/<slug>/briefings")
bp.register_blueprint(subscriptions_bp)
bp.register_blueprint(population_bp)


@bp.get("/")
@staff_view(*STAFF_ROLES)
def index(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    briefings = db.session.scalars(
        select(Briefing)
        .where(Briefing.neighbourhood_id == neighbourhood.id)
        .order_by(Briefing.period_end.desc(), Briefing.id.desc())
    ).all()
    return render_template(
        "briefings/index.html",
        neighbourhood=neighbourhood,
        briefings=briefings,
        # In the viewer's language (each edition's subject is in its recipients' language).
        subjects={
            b.id: subject_for(BriefingKind(b.kind), neighbourhood, b.survey_id) for b in briefings
        },
        send_form=SendNowForm(),
        subscribed=receives_briefings(current_user, neighbourhood.id),
        edits_profile=has_role(current_user, neighbourhood, EDITORS),
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
        _(
            "Briefing %(number)d is being built. Everyone who gets briefings will have it by "
            "email in a minute or two.",
            number=briefing.id,
        ),
        "success",
    )
    return redirect(url_for(".index", slug=neighbourhood.slug))


@bp.get("/preview")
@staff_view(*STAFF_ROLES)
def preview(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    """The briefing that "Send now" would build, built for the page only: nothing is stored."""
    period = Period(last_briefing_end(neighbourhood), utcnow())
    content = briefing_content(neighbourhood, period)
    return render_template(
        "briefings/show.html",
        neighbourhood=neighbourhood,
        subject=subject_for(BriefingKind.ON_DEMAND, neighbourhood, None),
        period=period,
        content=content,
        briefing=None,
        send_form=SendNowForm(),
    )


def _built_briefing(neighbourhood: Neighbourhood, briefing_id: int) -> Briefing:
    briefing = db.session.scalar(
        select(Briefing).where(
            Briefing.id == briefing_id,
            Briefing.neighbourhood_id == neighbourhood.id,
            Briefing.status == BriefingStatus.BUILT.value,
        )
    )
    if briefing is None or briefing.content is None:
        abort(404)
    return briefing


@bp.get("/<int:briefing_id>")
@staff_view(*STAFF_ROLES)
def show(neighbourhood: Neighbourhood, briefing_id: int) -> ResponseReturnValue:
    briefing = _built_briefing(neighbourhood, briefing_id)
    return render_template(
        "briefings/show.html",
        neighbourhood=neighbourhood,
        subject=subject_for(BriefingKind(briefing.kind), neighbourhood, briefing.survey_id),
        period=Period(briefing.period_start, briefing.period_end),
        content=briefing.content,
        briefing=briefing,
        failed=failed_deliveries(briefing),
        retry_form=SendNowForm(),
        sees_addresses=current_user.is_admin,
    )


@bp.post("/<int:briefing_id>/deliveries/<int:delivery_id>/retry")
@staff_view(*STAFF_ROLES)
def retry_delivery(
    neighbourhood: Neighbourhood, briefing_id: int, delivery_id: int
) -> ResponseReturnValue:
    """Send a failed email again, once however often the button is pressed."""
    briefing = _built_briefing(neighbourhood, briefing_id)
    if not SendNowForm().validate_on_submit():
        abort(400)
    if retry_failed(briefing, delivery_id):
        db.session.commit()
        flash(_("The email is being sent again."), "success")
    else:
        flash(_("That email is not waiting to be sent again: it has been sent or is on its way."))
    return redirect(url_for(".show", slug=neighbourhood.slug, briefing_id=briefing.id))


@bp.get("/<int:briefing_id>.csv")
@staff_view(*STAFF_ROLES)
def tables(neighbourhood: Neighbourhood, briefing_id: int) -> ResponseReturnValue:
    briefing = _built_briefing(neighbourhood, briefing_id)
    return Response(
        briefing_csv(briefing.content or {}),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(briefing)}"'},
    )
