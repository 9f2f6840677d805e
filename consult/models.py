"""Every model, imported in one place so that Alembic and ``create_all`` see all tables."""

from consult.auth.models import Invitation, User
from consult.briefings.models import Briefing, Delivery
from consult.jobs.models import OutboxMessage
from consult.neighbourhoods.models import Membership, Neighbourhood
from consult.surveys.models import Answer, Option, Question, Response, Survey

__all__ = [
    "Answer",
    "Briefing",
    "Delivery",
    "Invitation",
    "Membership",
    "Neighbourhood",
    "Option",
    "OutboxMessage",
    "Question",
    "Response",
    "Survey",
    "User",
]
