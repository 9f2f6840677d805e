"""Rate limits read from the configuration when a request is checked, so tests can change them."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request

from consult.core.security import token_digest


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


def typed_email_key(purpose: str) -> Callable[[], str]:
    """A limit key for the email address a form was sent with: the address's digest, so the
    limit store (Redis, in production) never holds an address in clear."""
    from consult.auth.services import normalise_email

    def key() -> str:
        return f"{purpose}:{token_digest(normalise_email(request.form.get('email', '')))}"

    return key
