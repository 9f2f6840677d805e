"""Error pages in plain English, never a stack trace."""

from __future__ import annotations

import math
import time
import traceback
from types import TracebackType

from flask import Flask, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Go back and try again.")),
    403: (_l("You cannot see this page"), _l("Your account does not give you access to it.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("That did not work"), _l("Go back and try again.")),
    413: (_l("That was too large to send"), _l("Make what you sent shorter and try again.")),
    429: (_l("Too many tries"), _l("Wait a minute, then try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later.")),
}


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int] | Response:
        if _is_api_request():
            return _api_error(405, "The API only reads: use GET.")
        return (
            render_template(
                "errors/error.html",
                title=_l("Your form expired"),
                detail=_l(
                    "Go back, reload the page and send the form again. "
                    "This protects you from forms sent by other websites."
                ),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        code = error.code or 500
        title, detail = MESSAGES.get(code, (error.name, ""))
        if _is_api_request():
            reply = _api_error(code, (error.description or title) if code in (401, 403) else title)
        else:
            page = render_template("errors/error.html", title=title, detail=detail)
            reply = app.make_response((page, code))
        if code == 429:
            reply.headers["Retry-After"] = str(_retry_after())
        return reply

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int] | Response:
        title, detail = MESSAGES[500]
        if _is_api_request():
            return _api_error(500, title)
        return render_template("errors/error.html", title=title, detail=detail), 500


def _retry_after() -> int:
    """Seconds until the limit this request broke lets another through (a minute if unknown)."""
    from consult.extensions import limiter

    broken = limiter.current_limit
    if broken is None:
        return 60
    resets_at = broken.window[0]
    return max(1, math.ceil(resets_at - time.time()))


def _is_api_request() -> bool:
    from consult.api.responses import API_PREFIX

    return request.path.startswith(API_PREFIX)


def _api_error(code: int, message: str) -> Response:
    """Machine clients of the API get JSON errors, never an HTML page."""
    from consult.api.responses import json_error

    return json_error(code, str(message))  # a lazily translated string becomes text here


def log_unhandled(
    app: Flask,
    exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None],
) -> None:
    """Log an error no handler caught (Flask's own log of it quotes too much).

    The kind of error, the kinds it was raised from and where in the code it happened, but
    never its text (a database error quotes the values it was sent: what a resident wrote, an
    address) nor the page's address (which can hold a token): the route's pattern instead.
    """
    _, error, trace = exc_info
    kinds: list[str] = []
    cause = error
    while cause is not None and len(kinds) < 5:
        kinds.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    where = "".join(traceback.format_list(traceback.extract_tb(trace)))
    app.logger.error(
        "Unhandled %s on %s %s\n%s", " from ".join(kinds), request.method, route, where
    )
