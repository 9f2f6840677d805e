"""Response headers that every page carries, and no-store for signed-in pages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from consult.core.login import signed_in

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def token_digest(token: str) -> str:
    """The SHA-256 (hex) of a random secret token, which is what is stored in its place.

    Every one-time link, kept draft and API token is looked up by this digest. A rate limit
    keyed on a typed email address uses it too, so the address is not held in clear.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def init_security(app: Flask) -> None:
    if app.config.get("ENV_NAME") == "production":
        # Behind one proxy: rate limits and links see the real client and scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    @app.before_request
    def refuse_nul_characters() -> None:
        """Drop NUL characters, which nobody types and PostgreSQL cannot store.

        In form values they are removed (so the rest of what was sent is kept); in the address
        of a page they mean no such page.
        """
        if "\x00" in request.path:
            abort(404)
        if request.form and any("\x00" in value for value in request.form.values()):
            cleaned = [(k, v.replace("\x00", "")) for k, v in request.form.items(multi=True)]
            request.form = ImmutableMultiDict(cleaned)
        if any("\x00" in value for value in request.args.values()):
            abort(400)

    headers = list(SECURITY_HEADERS)
    if app.config.get("ENV_NAME") == "production":
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    app.wsgi_app = SecurityHeaders(app.wsgi_app, headers)  # type: ignore[method-assign]

    @app.after_request
    def no_store_when_signed_in(response: Response) -> Response:
        if signed_in():
            response.headers["Cache-Control"] = "no-store"
        return response


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """WSGI middleware: every response leaves with ``headers``, except any of them the app set
    itself. Added to the list of headers as it is sent (Werkzeug's checks of each header, on
    the way in, cost as much as the rest of finishing a response), and to every response,
    errors and static files included."""

    def __init__(self, app: WSGIApplication, headers: list[tuple[str, str]]) -> None:
        self.app = app
        self.headers = headers
        self.names = {name.lower() for name, _ in headers}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, given: list[tuple[str, str]], exc_info: Any = None) -> Any:
            own = self.names.intersection(name.lower() for name, _ in given)
            added = [h for h in self.headers if h[0].lower() not in own] if own else self.headers
            return start_response(status, [*given, *added], exc_info)

        return self.app(environ, start)
