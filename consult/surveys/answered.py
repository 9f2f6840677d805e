"""Open surveys: a soft "already answered from this device" marker, in a signed cookie.

It only lets the start page say that answers were sent from this browser; anyone can clear
it, so it is a courtesy against answering twice by mistake, not a control.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response as WerkzeugResponse

from consult.surveys.models import Survey

COOKIE = "consult_answered"
_SALT = "consult: surveys answered here"
KEEP = 50  # the most recent surveys remembered
LASTS = timedelta(days=365)


def _serializer() -> URLSafeSerializer:
    return _serializer_for(str(current_app.config["SECRET_KEY"]))


@functools.lru_cache(maxsize=4)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    """Built once per key (see consult.core.sessions: the same signatures, less work)."""
    return URLSafeSerializer(secret_key, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha1})


def _answered() -> list[int]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        ids = _serializer().loads(raw)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def answered_here(survey: Survey) -> bool:
    """Whether answers to ``survey`` were sent from this browser."""
    return survey.id in _answered()


@functools.lru_cache(maxsize=256)
def _signed(secret_key: str, ids: tuple[int, ...]) -> str:
    """The cookie's value for these surveys: the same for the same ids, so most residents'
    (one survey answered here) is signed once per process, not once per response."""
    return str(_serializer_for(secret_key).dumps(list(ids)))


def remember_answered(reply: WerkzeugResponse, survey: Survey) -> None:
    """Mark ``survey`` as answered from this browser, on the response that confirms it."""
    ids = [i for i in _answered() if i != survey.id][-(KEEP - 1) :] + [survey.id]
    reply.set_cookie(
        COOKIE,
        _signed(str(current_app.config["SECRET_KEY"]), tuple(ids)),
        max_age=int(LASTS.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
