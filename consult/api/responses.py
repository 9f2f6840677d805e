"""JSON answers for the API, safe to land anywhere: errors are JSON too, never an HTML page.

The body escapes ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (and every
non-ASCII character, so no bidirectional control or line separator travels raw): a response
that a browser is tricked into rendering as HTML holds no markup, whatever residents typed.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response

API_PREFIX = "/api/"
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "server_error",
}
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":")).translate(_ESCAPES)
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def json_error(status: int, message: str) -> Response:
    """``{"error": {"status", "code", "message"}}``; a 401 also says a bearer token is wanted."""
    body = {
        "error": {"status": status, "code": ERROR_CODES.get(status, "error"), "message": message}
    }
    response = json_response(body, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="consult"'
    return response
