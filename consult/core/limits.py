"""Rate limits read from the configuration when a request is checked, so tests can change them."""

from __future__ import annotations

from flask import current_app


def submit_limit() -> str:
    """Residents' submissions (answers, ideas, comments), per client address."""
    return str(current_app.config["SUBMIT_RATE_LIMIT"])


def sign_in_limit() -> str:
    """Sign-in attempts, per client address and per email address."""
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


def api_limit() -> str:
    """Read API requests, per client address."""
    return str(current_app.config["API_RATE_LIMIT"])


def email_link_limit() -> str:
    """Emails carrying a link (sign-in, survey access, resume), per email address."""
    return str(current_app.config["SIGN_IN_LINK_RATE_LIMIT"])


def access_code_limit() -> str:
    """Household codes typed, per client address."""
    return str(current_app.config["ACCESS_CODE_RATE_LIMIT"])
