"""Every model, imported in one place so that Alembic and ``create_all`` see all tables."""

from consult.api.models import ApiToken
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
    KeptDraft,
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
from consult.surveys.access_models import HouseholdCode, SurveyEmailLink, VerifiedRespondent
from consult.surveys.export_models import ExportRecord
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
from consult.surveys.translation_models import SurveyTranslation

__all__ = [
    "AccessibilityStatement",
    "AccountDeletionRequest",
    "Answer",
    "ApiToken",
    "Briefing",
    "BriefingSubscription",
    "Comment",
    "Delivery",
    "Draft",
    "ExportRecord",
    "HouseholdCode",
    "Idea",
    "IdeaCategory",
    "KeptDraft",
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
    "SurveyTranslation",
    "SurveyEmailLink",
    "SurveyImport",
    "SurveyImportChunk",
    "User",
    "VerifiedRespondent",
]
