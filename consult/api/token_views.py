"""The account page where staff create and revoke their personal API tokens.

A new token is shown once, on the page that answers the form (never put in the session or a
redirect); only its hash is kept. Only staff (a role in any neighbourhood, or admin) have the
page: the API shows nothing to anyone else.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from consult.api.forms import CreateTokenForm, RevokeTokenForm
from consult.api.tokens import (
    MAX_ACTIVE_TOKENS,
    TokenLimitError,
    active_tokens,
    create_token,
    may_hold_tokens,
    own_active_token,
    revoke_token,
)
from consult.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _page(
    form: FlaskForm | None = None, secret: str | None = None, status: int = 200
) -> ResponseReturnValue:
    create = form if isinstance(form, CreateTokenForm) else CreateTokenForm(formdata=None)
    return (
        render_template(
            "api/tokens.html",
            form=form or create,
            create_form=create,
            tokens=active_tokens(current_user),
            secret=secret,
            limit=MAX_ACTIVE_TOKENS,
        ),
        status,
    )


@bp.before_request
@login_required
def staff_only() -> None:
    if not may_hold_tokens(current_user):
        abort(404)


@bp.route("", methods=["GET", "POST"])
def tokens() -> ResponseReturnValue:
    form = CreateTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    try:
        new = create_token(current_user, form.name.data or "")
    except TokenLimitError:
        form.name.errors = [
            _("You have %(count)d tokens: revoke one you no longer use", count=MAX_ACTIVE_TOKENS)
        ]
        return _page(form, status=400)
    db.session.commit()
    return _page(secret=new.secret)


@bp.post("/revoke")
def revoke() -> ResponseReturnValue:
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    token = own_active_token(current_user, int(form.token_id.data or 0))
    if token is None:
        abort(404)
    name = token.name
    revoke_token(token)
    db.session.commit()
    flash(_("Revoked “%(name)s”. It stops working now.", name=name), "success")
    return redirect(url_for("api_tokens.tokens"))
