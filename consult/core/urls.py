"""URL helpers: safe redirects and links for emails."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ``//host``, backslash tricks that browsers read as
    ``//host``, other schemes such as ``javascript:``, and control characters.
    """
    if not target:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, built from PUBLIC_URL and never from the request's Host."""
    with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
