"""Rate limits read from the configuration when a request is checked, so tests can change them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name

from consult.core.security import token_digest

READS = frozenset({"GET", "HEAD"})


class ConsultLimiter(Limiter):
    """Flask-Limiter, told which views are limited when only read (the API's).

    Flask-Limiter works out every request's limits, read or write, before and again inside the
    view: a fifth of the cost of showing a survey page, whose limit is on sending it. A read of
    a view with no limit on reads is exempt before any of that (:meth:`exempt_read`), while
    no limit is set outside views (an application-wide limit counts every request).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limiting_reads: set[str] = set()
        self.request_filter(self.exempt_read)

    def limit(self, *args: Any, **kwargs: Any) -> Any:
        """``Limiter.limit``, as a view decorator, noting a view whose limit covers reads."""
        decorator = super().limit(*args, **kwargs)
        methods = kwargs.get("methods")
        if methods is not None and not READS & {m.upper() for m in methods}:
            return decorator

        def limiting_reads(view: Callable[..., Any]) -> Any:
            self.limiting_reads.add(get_qualified_name(view))
            return decorator(view)

        return limiting_reads

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        """Before any view, Flask-Limiter checks the limits that are not on a view (the
        application's, default, blueprint and meta limits); limits on a view are checked
        inside it. consult sets only limits on views, so with none of the others set that
        first pass finds nothing to check on any request and is skipped (a tenth of the cost
        of sending a survey page). Inside a view limited only on sending, a read is not
        checked either: no limit of that view counts it."""
        if in_middleware and not self.limits_outside_views():
            return
        if not in_middleware and self.exempt_read():
            return  # a read of a view whose limit is on sending it: nothing here to count
        super()._check_request_limit(callable_name, in_middleware)

    def limits_outside_views(self) -> bool:
        manager = self.limit_manager
        return bool(
            manager.application_limits
            or manager.default_limits
            or manager._blueprint_limits  # noqa: SLF001 - no public way to ask
            or self._meta_limits
            or self._in_memory_fallback
        )

    def exempt_read(self) -> bool:
        if request.method not in READS or request.endpoint is None:
            return False
        if self.limits_outside_views():
            return False
        view = current_app.view_functions.get(request.endpoint)
        return view is not None and get_qualified_name(view) not in self.limiting_reads


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
