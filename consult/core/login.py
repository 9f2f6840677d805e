"""Flask-Login's manager with "strong" session protection kept to signed-in sessions.

Flask-Login stores an identifier of the browser (its address and user agent) in the session
at sign-in, and with "strong" protection treats any non-empty session whose identifier is
missing or different as stolen: it drops the sign-in and deletes the remember-me cookie. Two
kinds of session never carry that identifier, so Flask-Login as it stands judged them stolen
on every request:

- a resident's session, which holds only a CSRF token and the tokens of their drafts: each
  of their requests rewrote the session cookie and sent a deletion of a remember-me cookie
  they never had;
- a session restored from the remember-me cookie: it ended on the next request, so "Remember
  me" kept a person signed in for one page.

Here a session is judged only once it holds a signed-in person, and a sign-in restored from
the remember-me cookie gets the identifier of the browser that restored it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, session
from flask_login import LoginManager, current_user


class ConsultLoginManager(LoginManager):
    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False  # nobody signed in: nothing to protect
        return bool(super()._session_protection_failed())

    def _load_user_from_remember_cookie(self, cookie: str) -> Any:
        user = super()._load_user_from_remember_cookie(cookie)
        if user is not None:
            session["_id"] = self._session_identifier_generator()
        return user


def signed_in() -> bool:
    """Whether someone is signed in on this request (``current_user.is_authenticated``), without
    loading anybody when nobody can be: a person is loaded from the session's sign-in or the
    remember-me cookie and from nothing else (no request or header loader is registered), so
    with neither there is no one. Most requests are residents', and loading the anonymous user
    cost a tenth of showing them a kept page."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if "_user_id" not in session and cookie not in request.cookies:
        return False
    return bool(current_user.is_authenticated)
