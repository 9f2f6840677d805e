"""Residents' sign-in by emailed link, and choosing the name shown with their ideas."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from consult.auth.forms import DisplayNameForm, SignInLinkForm, UseSignInLinkForm
from consult.auth.links import (
    SignInLinkError,
    create_sign_in_link,
    usable_link,
    use_sign_in_link,
    uses_password,
)
from consult.auth.services import normalise_email
from consult.core.limits import typed_email_key
from consult.core.urls import safe_next
from consult.extensions import db, limiter
from consult.mail import error_kind
from consult.mail.sign_in import send_password_reminder, send_sign_in_link

bp = Blueprint("residents", __name__)
log = logging.getLogger(__name__)


def _address_limit() -> str:
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


def _email_limit() -> str:
    return str(current_app.config["SIGN_IN_LINK_RATE_LIMIT"])


_email_key = typed_email_key("sign-in-link")


@bp.route("/sign-in/email", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_email_limit, methods=["POST"], key_func=_email_key)
def request_link() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("auth.account"))
    form = SignInLinkForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            if uses_password(email):
                send_password_reminder(normalise_email(email))
            else:
                new = create_sign_in_link(email, next_url)
                db.session.commit()
                send_sign_in_link(new)
                log.info("sign-in link %s sent", new.link.id)
        except Exception as error:
            log.error("sign-in email could not be sent (%s)", error_kind(error))
            flash(_("We could not send the email. Try again in a few minutes."))
            return render_template("auth/sign_in_link.html", form=form)
        # The same page whether or not the email is known, so it reveals nobody's account.
        return redirect(url_for(".link_sent"))
    return render_template("auth/sign_in_link.html", form=form)


@bp.get("/sign-in/email/sent")
def link_sent() -> ResponseReturnValue:
    return render_template("auth/sign_in_link_sent.html")


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def use_link(token: str) -> ResponseReturnValue:
    # Opening the link only shows a button: mail scanners that fetch links must not spend it.
    try:
        usable_link(token)
    except SignInLinkError as error:
        return render_template("auth/sign_in_link_error.html", message=str(error)), 410
    form = UseSignInLinkForm()
    if form.validate_on_submit():
        try:
            user, next_url = use_sign_in_link(token)
        except SignInLinkError as error:
            db.session.rollback()
            return render_template("auth/sign_in_link_error.html", message=str(error)), 410
        db.session.commit()
        login_user(user)
        log.info("user %s signed in by link", user.id)
        if not user.display_name:
            return redirect(url_for(".choose_name", next=next_url or None))
        return redirect(next_url or url_for("auth.account"))
    return render_template("auth/sign_in_link_use.html", form=form)


@bp.route("/account/name", methods=["GET", "POST"])
@login_required
def choose_name() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    form = DisplayNameForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data or ""
        db.session.commit()
        flash(_("You are signed in."), "success")
        return redirect(next_url or url_for("auth.account"))
    return render_template("auth/choose_name.html", form=form)
