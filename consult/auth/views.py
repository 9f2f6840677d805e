"""Staff sign-in and sign-out, the account page, and accepting an invitation."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.auth.forms import AcceptInvitationForm, SignInForm
from consult.auth.services import (
    InvitationError,
    accept_invitation,
    authenticate,
    end_sessions,
    usable_invitation,
)
from consult.core.limits import sign_in_limit, typed_email_key
from consult.core.urls import safe_next
from consult.extensions import db, limiter

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

GENERIC_SIGN_IN_ERROR = "Enter the email address and password of your account"


_email_key = typed_email_key("sign-in")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@limiter.limit(sign_in_limit, methods=["POST"], key_func=_email_key)
def sign_in() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("auth.account"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            db.session.commit()
            login_user(user, remember=bool(form.remember.data))
            log.info("user %s signed in", user.id)
            return redirect(next_url or url_for("auth.account"))
        log.info("failed sign-in")
        # One message whatever was wrong, so the form does not reveal who has an account.
        form.email.errors = [GENERIC_SIGN_IN_ERROR]
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out() -> ResponseReturnValue:
    # CSRFProtect has checked the token before this runs, as on every POST.
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("core.home"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    return render_template("auth/account.html")


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def accept(token: str) -> ResponseReturnValue:
    try:
        invitation = usable_invitation(token)
    except InvitationError as error:
        return render_template("auth/invitation_error.html", message=str(error)), 410
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = accept_invitation(token, form.display_name.data or "", form.password.data or "")
        db.session.commit()
        login_user(user)
        flash(_("Your account is ready."), "success")
        return redirect(url_for("neighbourhoods.show", slug=invitation.neighbourhood.slug))
    return render_template("auth/accept.html", form=form, invitation=invitation)
