"""One of everything consult can hold about a person, for the download and deletion tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import ForeignKey, func, select
from sqlalchemy.sql.schema import Column

from consult.api.models import ApiToken
from consult.auth.models import Invitation, SignInLink, User
from consult.briefings.models import BriefingSubscription, Delivery
from consult.briefings.services import request_briefing
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Comment, Idea, Report, StatusChange, Support, SurveyOutcome
from consult.moderation.log import log_action
from consult.moderation.models import Action, Notification
from consult.neighbourhoods.models import Neighbourhood
from consult.rights.models import AccountDeletionRequest
from consult.surveys.export_models import ExportRecord
from consult.surveys.imports_models import SurveyImport
from consult.surveys.models import Channel, SurveyChange
from consult.surveys.services import submit_response
from tests.factories import survey_with_questions
from tests.idea_factories import CategoryFactory, ResidentFactory

MARKERS = {
    "ideas": "Marker idea title",
    "comments": "Marker comment body",
    "reports": "Marker report note",
    "moderation": "Marker moderation note",
    "idea_answers": "Marker status answer",
    "you_said_we_did": "Marker we did",
    "survey_changes": "Marker survey change",
    "api_tokens": "Marker token name",
    "imports": "marker-paper-forms.csv",
}


def _hash() -> str:
    return secrets.token_hex(32)


def one_of_everything(person: User, area: Neighbourhood) -> Idea:
    """Give ``person`` a row in every table that can point at them; return their idea.

    Also makes another resident who supports the same idea as ``person``.
    """
    other = ResidentFactory()
    category = CategoryFactory(neighbourhood=area)
    mine = Idea(
        neighbourhood_id=area.id,
        author_id=person.id,
        category_id=category.id,
        title=MARKERS["ideas"],
        description="Benches by the pond.",
    )
    theirs = Idea(
        neighbourhood_id=area.id,
        author_id=other.id,
        category_id=category.id,
        title="Someone else's idea",
        description="More bins.",
    )
    db.session.add_all([mine, theirs])
    db.session.flush()
    expires = utcnow() + timedelta(hours=1)
    survey = survey_with_questions(area)
    single = survey.questions[0]
    keyed = submit_response(survey, {single.id: str(single.options[0].id)}, Channel.PAPER)
    keyed.keyed_by_id = person.id
    briefing = request_briefing(area, requested_by=person)
    db.session.add_all(
        [
            Comment(idea_id=theirs.id, author_id=person.id, body=MARKERS["comments"]),
            Support(idea_id=theirs.id, user_id=person.id, notify=True),
            Support(idea_id=theirs.id, user_id=other.id),
            Report(
                neighbourhood_id=area.id,
                idea_id=theirs.id,
                reporter_id=person.id,
                reason="spam",
                note=MARKERS["reports"],
            ),
            Notification(user_id=person.id, idea_id=theirs.id, kind="status", event_id=1),
            BriefingSubscription(user_id=person.id, neighbourhood_id=area.id, subscribed=False),
            Delivery(briefing_id=briefing.id, user_id=person.id),
            StatusChange(
                idea_id=theirs.id,
                status="shortlisted",
                answer=MARKERS["idea_answers"],
                changed_by_id=person.id,
            ),
            SurveyOutcome(
                neighbourhood_id=area.id,
                you_said="Marker you said",
                we_did=MARKERS["you_said_we_did"],
                created_by_id=person.id,
            ),
            SurveyChange(
                survey_id=survey.id, user_id=person.id, description=MARKERS["survey_changes"]
            ),
            Invitation(
                email="invitee@example.org",
                neighbourhood_id=area.id,
                role="member",
                token_hash=_hash(),
                invited_by_id=person.id,
                expires_at=expires,
            ),
            Invitation(
                email=person.email,
                neighbourhood_id=area.id,
                role="officer",
                token_hash=_hash(),
                expires_at=expires,
            ),
            SignInLink(email=person.email, token_hash=_hash(), expires_at=expires),
            AccountDeletionRequest(user_id=person.id, token_hash=_hash(), expires_at=expires),
            ApiToken(user_id=person.id, name=MARKERS["api_tokens"], token_hash=_hash()),
            ExportRecord(survey_id=survey.id, user_id=person.id, via="web"),
            SurveyImport(
                survey_id=survey.id, imported_by_id=person.id, filename=MARKERS["imports"]
            ),
        ]
    )
    log_action(mine, Action.APPROVE, person, note=MARKERS["moderation"])
    db.session.commit()
    return mine


def columns_about_people() -> Iterator[tuple[str, Column[object]]]:
    """(table name, column) for every column that points at an account or holds an email."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            points_at_user = any(
                isinstance(fk, ForeignKey) and fk.column.table.name == "user"
                for fk in column.foreign_keys
            )
            if points_at_user or column.name == "email":
                yield table.name, column


def rows_about(person_id: int, email: str, column: Column[object]) -> int:
    """How many rows of ``column``'s table point at the person through it."""
    value: object = email if column.name == "email" else person_id
    return db.session.scalar(select(func.count()).where(column == value)) or 0


def tables_holding(*needles: str) -> list[str]:
    """Every "table.column" whose value contains any of ``needles`` (case-insensitive)."""
    found = []
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for column, value in row._mapping.items():
                text = str(value).lower()
                if any(n in text for n in lowered):
                    found.append(f"{table.name}.{column}")
    return sorted(set(found))
