"""Who may answer a survey: household codes, verified emails, and what the session remembers.

A resident who typed a valid household code, or opened a verified-email link, carries an
*access marker* for that survey in their session: the code, or the keyed hash of the email.
Nothing on the server ties the marker to their draft. When the answers are sent, the marker is
claimed in the same transaction that stores the response: the code is marked used, or the email
hash is recorded; a second claim finds it taken and the whole transaction is rolled back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from consult.auth.services import normalise_email
from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.access_models import HouseholdCode, SurveyEmailLink, VerifiedRespondent
from consult.surveys.models import AccessMode, Survey
from consult.surveys.services import REFERENCE_ALPHABET

ACCESS_KEY = "survey_access"
MAX_CODES_PER_BATCH = 2000

UNKNOWN_CODE = _l(
    "We cannot find that code for this survey. Check you typed it as it is printed on your "
    "letter, for example K7QF-2M9D, and that the letter is about this survey."
)
USED_CODE = _l(
    "This code has already been used to answer this survey. Each code can be used once. If "
    "you have not answered yet, someone else in your household may have: ask the partnership "
    "for a new code."
)
NO_CODE = _l("Enter the household code from your letter before you answer.")
EMAIL_USED = _l(
    "This email address has already been used to answer this survey. Each email address can "
    "be used once. Someone else in your household can answer with their own email address."
)
NO_EMAIL = _l("Ask for a link by email before you answer: it makes sure each person answers once.")


class AccessRefusedError(Exception):
    """The resident cannot answer this way; the message says why, in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the session's marker -------------------------------------------------------------------


def access_marker(survey: Survey) -> str | None:
    """The code or email hash this browser may answer ``survey`` with, if any."""
    value = session.get(ACCESS_KEY, {}).get(str(survey.id))
    return value if isinstance(value, str) else None


def grant_access(survey: Survey, marker: str) -> None:
    session[ACCESS_KEY] = {**session.get(ACCESS_KEY, {}), str(survey.id): marker}


def may_answer(survey: Survey) -> bool:
    """Whether this browser may open the survey's pages: always, unless a code or email is due."""
    return survey.access is AccessMode.OPEN or access_marker(survey) is not None


def claim_access(survey: Survey, marker: str | None) -> None:
    """Spend the marker for one response. Flushes; raises AccessRefusedError if it is spent.

    Call it in the transaction that stores the response, and roll back if it raises.
    """
    mode = survey.access
    if mode is AccessMode.OPEN:
        return
    if mode is AccessMode.HOUSEHOLD_CODES:
        if marker is None:
            raise AccessRefusedError(NO_CODE)
        if not claim_code(survey, marker):
            raise AccessRefusedError(USED_CODE)
        return
    if marker is None:
        raise AccessRefusedError(NO_EMAIL)
    if not record_respondent(survey, marker):
        raise AccessRefusedError(EMAIL_USED)


# --- household codes ------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """``k7qf 2m9d`` or ``K7QF-2M9D`` as ``K7QF-2M9D``; anything else comes back cleaned."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else cleaned


def _new_code() -> str:
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def generate_codes(survey: Survey, count: int) -> int:
    """Make ``count`` new one-time codes in a new batch; return the batch number. Flushes."""
    taken = set(db.session.scalars(select(HouseholdCode.code).where(_of(survey))))
    batch = (db.session.scalar(select(func.max(HouseholdCode.batch)).where(_of(survey))) or 0) + 1
    now = utcnow()
    made: set[str] = set()
    while len(made) < count:
        code = _new_code()
        if code not in taken and code not in made:
            made.add(code)
    db.session.add_all(
        HouseholdCode(survey_id=survey.id, code=code, batch=batch, used=False, created_at=now)
        for code in sorted(made)
    )
    db.session.flush()
    return batch


def _of(survey: Survey) -> ColumnElement[bool]:
    return HouseholdCode.survey_id == survey.id


@dataclass(frozen=True)
class Batch:
    number: int
    made_at: datetime
    codes: int
    used: int


def code_batches(survey: Survey) -> list[Batch]:
    """How many codes each batch holds and how many are used (never which response used one)."""
    used = func.sum(case((HouseholdCode.used.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(HouseholdCode.batch, func.min(HouseholdCode.created_at), func.count(), used)
        .where(_of(survey))
        .group_by(HouseholdCode.batch)
        .order_by(HouseholdCode.batch)
    )
    return [Batch(number, made, total, int(spent or 0)) for number, made, total, spent in rows]


def batch_codes(survey: Survey, batch: int) -> list[HouseholdCode]:
    return list(
        db.session.scalars(
            select(HouseholdCode)
            .where(_of(survey), HouseholdCode.batch == batch)
            .order_by(HouseholdCode.code)
        )
    )


def check_code(survey: Survey, typed: str) -> str:
    """The code, normalised, if it can still open this survey; else AccessRefusedError."""
    code = normalise_code(typed)
    used = db.session.scalar(
        select(HouseholdCode.used).where(_of(survey), HouseholdCode.code == code)
    )
    if used is None:
        raise AccessRefusedError(UNKNOWN_CODE)
    if used:
        raise AccessRefusedError(USED_CODE)
    return code


def claim_code(survey: Survey, code: str) -> bool:
    """Mark the code used; False if it was used already (or is not this survey's).

    A conditional UPDATE: of two transactions claiming one code, the second waits for the
    first and then finds nothing to update.
    """
    claimed = db.session.execute(
        update(HouseholdCode)
        .where(_of(survey), HouseholdCode.code == code, HouseholdCode.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


# --- verified emails ------------------------------------------------------------------------


def _email_key() -> bytes:
    """A key for email hashes derived from SECRET_KEY, used for nothing else."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"consult: survey respondent email", hashlib.sha256).digest()


def email_hash(survey: Survey, email: str) -> str:
    """The keyed hash that stands for ``email`` in this survey (and only this one)."""
    message = f"{survey.id}:{normalise_email(email)}".encode()
    return hmac.new(_email_key(), message, hashlib.sha256).hexdigest()


def has_answered(survey: Survey, hashed: str) -> bool:
    found = db.session.get(VerifiedRespondent, (survey.id, hashed))
    return found is not None


def create_email_link(survey: Survey, hashed: str) -> str:
    """A one-time link token for the email with this hash. Flushes."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + current_app.config["SURVEY_LINK_LIFETIME"]
    link = SurveyEmailLink(
        token_hash=token_digest(token),
        survey_id=survey.id,
        email_hash=hashed,
        expires_at=expires,
        used=False,
    )
    db.session.add(link)
    db.session.flush()
    return token


LINK_UNKNOWN = "This link is not valid. Check you copied all of it from the email."
LINK_USED = (
    "This link has already been used. If you have not sent your answers yet, ask for a new link "
    "on the survey’s first page."
)
LINK_EXPIRED = "This link has expired. Ask for a new one on the survey’s first page."


def usable_email_link(survey: Survey, token: str) -> SurveyEmailLink:
    """The link for ``token`` if it can still be used; otherwise AccessRefusedError."""
    link = db.session.get(SurveyEmailLink, token_digest(token))
    if link is None or link.survey_id != survey.id:
        raise AccessRefusedError(LINK_UNKNOWN)
    if link.used:
        raise AccessRefusedError(LINK_USED)
    if link.expires_at <= utcnow():
        raise AccessRefusedError(LINK_EXPIRED)
    return link


def use_email_link(survey: Survey, token: str) -> str:
    """Spend the link and return the email hash it was for. Flushes.

    The hash is wiped from the link as it is spent, so the table keeps no trace of whom a used
    link was for. Of two uses at the same moment only one succeeds.
    """
    link = usable_email_link(survey, token)
    hashed = link.email_hash or ""
    spent = db.session.execute(
        update(SurveyEmailLink)
        .where(SurveyEmailLink.token_hash == link.token_hash, SurveyEmailLink.used.is_(False))
        .values(used=True, email_hash=None)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1 or not hashed:  # type: ignore[attr-defined]
        raise AccessRefusedError(LINK_USED)
    db.session.expire(link)
    return hashed


def record_respondent(survey: Survey, hashed: str) -> bool:
    """Record that this email has answered; False if it already had. Flushes.

    The primary key (survey, hash) decides between two concurrent sends; the caller rolls back
    on False.
    """
    if has_answered(survey, hashed):
        return False
    db.session.add(VerifiedRespondent(survey_id=survey.id, email_hash=hashed))
    try:
        db.session.flush()
    except IntegrityError:
        return False
    return True
