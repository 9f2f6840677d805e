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
from consult.notices.models import AccessibilityStatement, PrivacyNotice
from consult.retention.models import RetainedCount, RetainedSurvey
from consult.rights.models import AccountDeletionRequest
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
    "AccessibilityStatement",
    "AccountDeletionRequest",
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
    "PrivacyNotice",
    "OutboxMessage",
    "Question",
    "Report",
    "Response",
    "RetainedCount",
    "RetainedSurvey",
    "Section",
    "SignInLink",
    "StatusChange",
    "Support",
    "Survey",
    "SurveyOutcome",
    "SurveyChange",
    "User",
]
