"""Every model, imported in one place so that Alembic and ``create_all`` see all tables."""

from consult.auth.models import Invitation, SignInLink, User
from consult.briefings.models import Briefing, Delivery
from consult.ideas.models import (
    Comment,
    Idea,
    IdeaCategory,
    Report,
    StatusChange,
    Support,
    SurveyOutcome,
)
from consult.jobs.models import OutboxMessage
from consult.moderation.models import ModerationAction, Notification
from consult.neighbourhoods.models import Membership, Neighbourhood
from consult.surveys.models import Answer, Option, Question, Response, Survey

__all__ = [
    "Answer",
    "Briefing",
    "Comment",
    "Delivery",
    "Idea",
    "IdeaCategory",
    "Invitation",
    "Membership",
    "ModerationAction",
    "Neighbourhood",
    "Notification",
    "Option",
    "OutboxMessage",
    "Question",
    "Report",
    "Response",
    "SignInLink",
    "StatusChange",
    "Support",
    "Survey",
    "SurveyOutcome",
    "User",
]
