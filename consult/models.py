"""Every model, imported in one place so that Alembic and ``create_all`` see all tables."""

from consult.auth.models import Invitation, SignInLink, User
from consult.briefings.models import (
    Briefing,
    BriefingSubscription,
    Delivery,
    PopulationProfile,
)
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
from consult.surveys.imports_models import SurveyImport, SurveyImportChunk
from consult.surveys.models import (
    Answer,
    Draft,
    Option,
    Question,
    Response,
    Section,
    Survey,
    SurveyChange,
)

__all__ = [
    "Answer",
    "Briefing",
    "BriefingSubscription",
    "Comment",
    "Delivery",
    "Draft",
    "Idea",
    "IdeaCategory",
    "Invitation",
    "Membership",
    "ModerationAction",
    "Neighbourhood",
    "Notification",
    "Option",
    "PopulationProfile",
    "OutboxMessage",
    "Question",
    "Report",
    "Response",
    "Section",
    "SignInLink",
    "StatusChange",
    "Support",
    "Survey",
    "SurveyOutcome",
    "SurveyChange",
    "SurveyImport",
    "SurveyImportChunk",
    "User",
]
