"""Response headers that every page carries, and no-store for signed-in pages."""

from __future__ import annotations

import hashlib

from flask import Flask, Response, abort, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

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

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("ENV_NAME") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response
