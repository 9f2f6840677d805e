"""Reading and saving the notices. Services flush; the view commits."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.notices.defaults import (
    ACCESSIBILITY_FIELDS,
    PRIVACY_FIELDS,
    default_accessibility,
    default_privacy,
)
from consult.notices.models import AccessibilityStatement, PrivacyNotice
from consult.surveys.models import Survey, SurveyStatus


def _privacy_row(neighbourhood: Neighbourhood) -> PrivacyNotice | None:
    return db.session.scalar(
        select(PrivacyNotice).where(PrivacyNotice.neighbourhood_id == neighbourhood.id)
    )


def privacy_notice(neighbourhood: Neighbourhood) -> dict[str, str]:
    """The neighbourhood's privacy notice: as an admin saved it, or the default."""
    row = _privacy_row(neighbourhood)
    if row is None:
        return default_privacy(neighbourhood)
    return {name: getattr(row, name) for name in PRIVACY_FIELDS}


def save_privacy_notice(neighbourhood: Neighbourhood, values: Mapping[str, str]) -> None:
    row = _privacy_row(neighbourhood)
    if row is None:
        row = PrivacyNotice(neighbourhood_id=neighbourhood.id)
        db.session.add(row)
    for name in PRIVACY_FIELDS:
        setattr(row, name, values[name])
    db.session.flush()


def published_surveys(neighbourhood: Neighbourhood) -> list[Survey]:
    """Surveys residents can see or have seen, for the notice's list of how long each keeps
    its responses."""
    return list(
        db.session.scalars(
            select(Survey)
            .where(
                Survey.neighbourhood_id == neighbourhood.id,
                Survey.status != SurveyStatus.DRAFT.value,
            )
            .order_by(Survey.id)
        )
    )


def accessibility_statement() -> dict[str, str]:
    """The site's accessibility statement: as an admin saved it, or the default."""
    row = db.session.scalar(select(AccessibilityStatement).order_by(AccessibilityStatement.id))
    if row is None:
        return default_accessibility()
    return {name: getattr(row, name) for name in ACCESSIBILITY_FIELDS}


def save_accessibility_statement(values: Mapping[str, str]) -> None:
    row = db.session.scalar(select(AccessibilityStatement).order_by(AccessibilityStatement.id))
    if row is None:
        row = AccessibilityStatement(id=1)  # the one row
        db.session.add(row)
    for name in ACCESSIBILITY_FIELDS:
        setattr(row, name, values[name])
    db.session.flush()
