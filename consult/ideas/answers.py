"""The partnership's answers: a status for an idea, said publicly, emailed to who asked."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import (
    Idea,
    IdeaStatus,
    ModerationState,
    StatusChange,
    Support,
    SurveyOutcome,
)
from consult.moderation.notifications import notify
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Survey


class StatusError(Exception):
    """The idea cannot be given a status now; the message says why."""


def set_status(idea: Idea, status: IdeaStatus, answer: str, member: Any) -> StatusChange:
    """Record the new status and answer; email the author and opted-in supporters once each."""
    if idea.state != ModerationState.PUBLISHED.value:
        raise StatusError(_("Only a published idea can be given a status."))
    change = StatusChange(
        idea_id=idea.id, status=status.value, answer=answer.strip(), changed_by_id=member.id
    )
    db.session.add(change)
    idea.status = status.value
    idea.updated_at = utcnow()
    db.session.flush()
    supporters = db.session.scalars(
        select(Support.user_id).where(Support.idea_id == idea.id, Support.notify.is_(True))
    )
    recipients = set(supporters) | ({idea.author_id} if idea.author_id else set())
    for user_id in sorted(recipients):
        notify(user_id, idea, "status", change.id)
    return change


def answered_ideas(neighbourhood: Neighbourhood) -> list[tuple[Idea, StatusChange]]:
    """Published ideas with a status, each with its latest answer, most recently changed first."""
    ideas = db.session.scalars(
        select(Idea)
        .where(
            Idea.neighbourhood_id == neighbourhood.id,
            Idea.state == ModerationState.PUBLISHED.value,
            Idea.status.is_not(None),
        )
        .order_by(Idea.updated_at.desc(), Idea.id.desc())
    ).all()
    latest: dict[int, StatusChange] = {}
    for change in db.session.scalars(
        select(StatusChange)
        .where(StatusChange.idea_id.in_([i.id for i in ideas] or [0]))
        .order_by(StatusChange.created_at, StatusChange.id)
    ):
        latest[change.idea_id] = change
    return [(idea, latest[idea.id]) for idea in ideas if idea.id in latest]


def add_outcome(
    neighbourhood: Neighbourhood, you_said: str, we_did: str, survey_id: int | None, member: Any
) -> SurveyOutcome:
    """A "you said, we did" entry for something a survey led to. Flushes."""
    outcome = SurveyOutcome(
        neighbourhood_id=neighbourhood.id,
        survey_id=survey_id,
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        created_by_id=member.id,
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def outcomes_of(neighbourhood: Neighbourhood) -> list[SurveyOutcome]:
    return list(
        db.session.scalars(
            select(SurveyOutcome)
            .where(SurveyOutcome.neighbourhood_id == neighbourhood.id)
            .order_by(SurveyOutcome.created_at.desc(), SurveyOutcome.id.desc())
        )
    )


def surveys_of(neighbourhood: Neighbourhood) -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey).where(Survey.neighbourhood_id == neighbourhood.id).order_by(Survey.id)
        )
    )
