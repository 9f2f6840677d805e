"""The read API, ``/api/v1``: JSON, aggregates only, the same disclosure control as the pages.

Who sees what:

* Published (open or closed) surveys of a neighbourhood are listed to anyone, like the
  neighbourhood's public page: titles and dates, no numbers.
* Results need a personal API token (``Authorization: Bearer ...``) of a member or officer of
  the survey's neighbourhood, or of an admin. Anyone else gets 404, as on the results page.
* A session cookie opens nothing here: the API is authenticated by tokens alone, so a page on
  another site cannot make a signed-in browser read it, and CSRF does not arise (GET only).

Every answer and every error is JSON (:mod:`consult.api.responses`); requests are rate limited
per client address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, Unauthorized

from consult.api.openapi import openapi_document
from consult.api.responses import json_response
from consult.api.serialise import published_survey, results_json
from consult.api.tokens import may_hold_tokens, note_use, token_owner
from consult.auth.models import User
from consult.core.limits import api_limit
from consult.extensions import db, limiter
from consult.neighbourhoods.access import STAFF_ROLES, get_neighbourhood_or_404, has_role
from consult.surveys.models import Survey, SurveyStatus
from consult.surveys.results import survey_results

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLISHED = (SurveyStatus.OPEN.value, SurveyStatus.CLOSED.value)


def bearer_secret() -> str | None:
    """The token in ``Authorization: Bearer <token>``, or None when there is no such header."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def token_required(view: Callable[..., Response]) -> Callable[..., Response]:
    """Pass the token's owner to the view as ``user``; 401 without a working token, 403 when its
    owner has no staff role left."""

    @wraps(view)
    def wrapped(**kwargs: Any) -> Response:
        secret = bearer_secret()
        if secret is None:
            raise Unauthorized("Send a personal API token: Authorization: Bearer <token>.")
        found = token_owner(secret)
        if found is None:
            raise Unauthorized("That API token is not valid or has been revoked.")
        token, user = found
        if not may_hold_tokens(user):
            raise Forbidden("The token's account no longer has a role in any neighbourhood.")
        note_use(token)
        db.session.commit()
        return view(user=user, **kwargs)

    return wrapped


@bp.get("/neighbourhoods/<slug>/surveys")
@limiter.limit(api_limit)
def surveys(slug: str) -> Response:
    """A neighbourhood's published surveys, for anyone."""
    neighbourhood = get_neighbourhood_or_404(slug)
    found = db.session.scalars(
        select(Survey)
        .where(Survey.neighbourhood_id == neighbourhood.id, Survey.status.in_(PUBLISHED))
        .order_by(Survey.id)
    )
    return json_response(
        {
            "neighbourhood": {"slug": neighbourhood.slug, "name": neighbourhood.name},
            "surveys": [published_survey(s) for s in found],
        }
    )


@bp.get("/surveys/<int:survey_id>/results")
@limiter.limit(api_limit)
@token_required
def results(user: User, survey_id: int) -> Response:
    """A survey's results so far, suppressed exactly as on the results page."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not has_role(user, survey.neighbourhood, STAFF_ROLES):
        abort(404)
    return json_response(results_json(survey_results(survey)))


@bp.get("/openapi.json")
@limiter.limit(api_limit)
def openapi() -> Response:
    """This API described in OpenAPI 3.1."""
    return json_response(openapi_document(url_for("api.openapi", _external=False)))
