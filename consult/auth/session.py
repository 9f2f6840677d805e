"""Flask-Login wiring: sessions that stop working when the user signs out or changes password."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from consult.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    # Refuse a session whose identity data changed (another browser or a stolen cookie).
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> object | None:
    """Load a user from the session id ``"<id>:<session version>"``.

    The version changes on sign-out and on password change, so an old cookie loads nobody.
    """
    from consult.auth.models import User

    raw_id, _, raw_version = user_id.partition(":")
    if not (raw_id.isdigit() and raw_version.isdigit()):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_version != int(raw_version):
        return None
    return user
