"""Save and come back later: a signed link, sent by email, that reopens a draft in any browser.

The link carries the draft's token (and the access marker, if the survey needs a code or a
verified email) signed with SECRET_KEY, with an expiry: when the survey closes, or after
``RESUME_LINK_LIFETIME`` if that comes first. Nothing about the link, and never the email
address, is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from consult.surveys.models import Survey

_SALT = "consult: survey resume link"

RESUME_UNKNOWN = _l("This link is not valid. Check you copied all of it from the email.")
RESUME_EXPIRED = _l(
    "This link has expired, and the answers saved with it have been deleted. You can start the "
    "survey again."
)


class ResumeLinkError(Exception):
    """The link cannot reopen a draft; the message says why, in plain English."""


@dataclass(frozen=True)
class ResumeLink:
    draft_token: str
    marker: str | None
    expires_at: datetime


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=_SALT)


def resume_expiry(survey: Survey, now: datetime) -> datetime:
    """When a link made ``now`` stops working: the survey's close, or the longest we allow."""
    latest = now + current_app.config["RESUME_LINK_LIFETIME"]
    return min(latest, survey.closes_at) if survey.closes_at else latest


def make_resume_token(
    survey: Survey, draft_token: str, marker: str | None, now: datetime
) -> tuple[str, datetime]:
    """The signed token for a resume link, and when it expires."""
    expires = resume_expiry(survey, now)
    payload = {"s": survey.id, "t": draft_token, "a": marker, "e": int(expires.timestamp())}
    return str(_serializer().dumps(payload)), expires


def read_resume_token(survey: Survey, token: str, now: datetime) -> ResumeLink:
    """What a resume link opens; ResumeLinkError if it is forged, another survey's or expired."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        raise ResumeLinkError(RESUME_UNKNOWN) from None
    if not isinstance(payload, dict) or payload.get("s") != survey.id:
        raise ResumeLinkError(RESUME_UNKNOWN)
    expires = datetime.fromtimestamp(int(payload["e"]), UTC)
    if expires <= now:
        raise ResumeLinkError(RESUME_EXPIRED)
    marker = payload.get("a")
    return ResumeLink(str(payload["t"]), marker if isinstance(marker, str) else None, expires)
