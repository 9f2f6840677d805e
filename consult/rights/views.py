"""Your data (download it) and deleting your account (ask, then confirm by emailed link)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from consult.core.limits import sign_in_limit
from consult.core.time import utcnow
from consult.extensions import db, limiter
from consult.mail import error_kind
from consult.mail.deletion import send_deletion_link
from consult.rights.deletion import (
    DeletionLinkError,
    refusal,
    request_deletion,
    usable_request,
)
from consult.rights.deletion import confirm_deletion as spend_link_and_delete
from consult.rights.export import ANONYMOUS_SURVEYS, PARTS, personal_data
from consult.rights.forms import AskToDeleteForm, ConfirmDeletionForm

bp = Blueprint("rights", __name__, url_prefix="/account")
log = logging.getLogger(__name__)


@bp.get("/data")
@login_required
def your_data() -> ResponseReturnValue:
    return render_template("rights/your_data.html", parts=PARTS, anonymous=ANONYMOUS_SURVEYS)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _attachment(body: str, mimetype: str, extension: str) -> Response:
    name = f"consult-your-data-{utcnow():%Y-%m-%d}.{extension}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/data/download.json")
@login_required
def download_json() -> ResponseReturnValue:
    data = personal_data(current_user).as_json()
    body = json.dumps(data, default=_json_value, indent=2, ensure_ascii=False)
    log.info("user %s downloaded their data (json)", current_user.id)
    return _attachment(body, "application/json", "json")


@bp.get("/data/download.html")
@login_required
def download_html() -> ResponseReturnValue:
    body = render_template(
        "rights/export.html", data=personal_data(current_user), anonymous=ANONYMOUS_SURVEYS
    )
    log.info("user %s downloaded their data (html)", current_user.id)
    return _attachment(body, "text/html", "html")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(sign_in_limit, methods=["POST"])
def delete_account() -> ResponseReturnValue:
    reason = refusal(current_user)
    form = AskToDeleteForm()
    if reason is not None and request.method == "POST":
        return redirect(url_for(".delete_account"))  # the page says why, and what to do
    if form.validate_on_submit():
        new = request_deletion(current_user)
        db.session.commit()
        try:
            send_deletion_link(new, current_user.email)
        except Exception as error:
            log.error("account deletion email could not be sent (%s)", error_kind(error))
            flash(_("We could not send the email. Try again in a few minutes."))
            return render_template("rights/delete.html", form=form, reason=reason)
        log.info("user %s asked to delete their account", current_user.id)
        return redirect(url_for(".deletion_link_sent"))
    return render_template("rights/delete.html", form=form, reason=reason)


@bp.get("/delete/sent")
@login_required
def deletion_link_sent() -> ResponseReturnValue:
    return render_template("rights/delete_sent.html")


@bp.route("/delete/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def confirm_deletion(token: str) -> ResponseReturnValue:
    # Opening the link only shows a button: mail scanners that fetch links must not spend it.
    try:
        usable_request(token)
    except DeletionLinkError as error:
        return render_template("rights/delete_error.html", message=str(error)), 410
    form = ConfirmDeletionForm()
    if form.validate_on_submit():
        try:
            deleted_id = spend_link_and_delete(token)
        except DeletionLinkError as error:
            db.session.rollback()
            return render_template("rights/delete_error.html", message=str(error)), 410
        db.session.commit()
        if current_user.is_authenticated and current_user.id == deleted_id:
            logout_user()
        return redirect(url_for(".account_deleted"))
    return render_template("rights/delete_confirm.html", form=form)


@bp.get("/deleted")
def account_deleted() -> ResponseReturnValue:
    return render_template("rights/deleted.html")
