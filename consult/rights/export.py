"""Everything consult holds about one person, gathered for them to download.

Each :class:`Part` says which ``(table, column)`` pairs it covers: every column that points at
an account (a foreign key to ``user.id``) or holds an email address must be covered by a part or
listed in :data:`EXCLUDED` with the reason, and a test walks the tables to hold us to that, so a
new table about people cannot be forgotten here. Secrets (password hashes, token hashes) are
never exported. Survey responses are anonymous and never linked to an account, so they cannot
be found for anyone and are not part of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from consult.api.models import ApiToken
from consult.auth.models import Invitation, SignInLink, User
from consult.briefings.models import Briefing, BriefingSubscription, Delivery
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Comment, Idea, Report, StatusChange, Support, SurveyOutcome
from consult.moderation.models import ModerationAction, Notification
from consult.neighbourhoods.models import Membership, Neighbourhood
from consult.rights.models import AccountDeletionRequest
from consult.surveys.export_models import ExportRecord
from consult.surveys.imports_models import SurveyImport
from consult.surveys.models import Response, Survey, SurveyChange

Row = dict[str, Any]
Column = tuple[str, str]

ANONYMOUS_SURVEYS = _l(
    "Your survey answers are not in this file. Survey answers are anonymous: they are never "
    "linked to your account, so nobody, including us, can find which answers were yours."
)

# Columns about people that no part exports, and why. Nothing is left out at present: a new
# table that should not be exported is listed here with its reason.
EXCLUDED: dict[Column, str] = {}


@dataclass(frozen=True)
class Part:
    """One section of the download: a list of rows about the person."""

    key: str
    title: LazyString  # in the language of the page or file it is shown in
    covers: tuple[Column, ...]
    rows: Callable[[User], list[Row]]


def _rows(query: Any) -> list[Row]:
    return [dict(row._mapping) for row in db.session.execute(query)]


def _ideas(user: User) -> list[Row]:
    return _rows(
        select(
            Idea.id,
            Neighbourhood.name.label("neighbourhood"),
            Idea.title,
            Idea.description,
            Idea.place,
            Idea.state.label("moderation"),
            Idea.status,
            Idea.created_at.label("posted_at"),
        )
        .join(Neighbourhood, Neighbourhood.id == Idea.neighbourhood_id)
        .where(Idea.author_id == user.id)
        .order_by(Idea.id)
    )


def _comments(user: User) -> list[Row]:
    return _rows(
        select(
            Comment.id,
            Idea.title.label("on_idea"),
            Comment.body,
            Comment.state.label("moderation"),
            Comment.created_at.label("posted_at"),
        )
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    )


def _supports(user: User) -> list[Row]:
    return _rows(
        select(
            Idea.title.label("idea"),
            Support.notify.label("email_me_when_its_status_changes"),
            Support.created_at.label("supported_at"),
        )
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    )


def _reports(user: User) -> list[Row]:
    return _rows(
        select(
            Report.idea_id,
            Report.comment_id,
            Report.reason,
            Report.note,
            Report.created_at.label("reported_at"),
            Report.resolved_at.label("reviewed_at"),
        )
        .where(Report.reporter_id == user.id)
        .order_by(Report.id)
    )


def _notifications(user: User) -> list[Row]:
    return _rows(
        select(
            Idea.title.label("idea"),
            Notification.kind.label("about"),
            Notification.status,
            Notification.sent_at,
        )
        .join(Idea, Idea.id == Notification.idea_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    )


def _memberships(user: User) -> list[Row]:
    return _rows(
        select(
            Neighbourhood.name.label("neighbourhood"),
            Membership.role,
            Membership.created_at.label("since"),
        )
        .join(Neighbourhood, Neighbourhood.id == Membership.neighbourhood_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )


def _subscriptions(user: User) -> list[Row]:
    return _rows(
        select(
            Neighbourhood.name.label("neighbourhood"),
            BriefingSubscription.subscribed.label("receive_briefings"),
            BriefingSubscription.updated_at.label("chosen_at"),
        )
        .join(Neighbourhood, Neighbourhood.id == BriefingSubscription.neighbourhood_id)
        .where(BriefingSubscription.user_id == user.id)
        .order_by(BriefingSubscription.id)
    )


def _deliveries(user: User) -> list[Row]:
    return _rows(
        select(Briefing.subject.label("briefing"), Delivery.status, Delivery.sent_at)
        .join(Briefing, Briefing.id == Delivery.briefing_id)
        .where(Delivery.user_id == user.id)
        .order_by(Delivery.id)
    )


def _briefings_requested(user: User) -> list[Row]:
    return _rows(
        select(
            Neighbourhood.name.label("neighbourhood"),
            Briefing.kind,
            Briefing.created_at.label("requested_at"),
        )
        .join(Neighbourhood, Neighbourhood.id == Briefing.neighbourhood_id)
        .where(Briefing.requested_by_id == user.id)
        .order_by(Briefing.id)
    )


def _moderation(user: User) -> list[Row]:
    return _rows(
        select(
            ModerationAction.action,
            ModerationAction.target_kind.label("on"),
            ModerationAction.idea_id,
            ModerationAction.comment_id,
            ModerationAction.reason,
            ModerationAction.note,
            ModerationAction.created_at.label("at"),
        )
        .where(ModerationAction.moderator_id == user.id)
        .order_by(ModerationAction.id)
    )


def _status_changes(user: User) -> list[Row]:
    return _rows(
        select(
            Idea.title.label("idea"),
            StatusChange.status,
            StatusChange.answer,
            StatusChange.created_at.label("at"),
        )
        .join(Idea, Idea.id == StatusChange.idea_id)
        .where(StatusChange.changed_by_id == user.id)
        .order_by(StatusChange.id)
    )


def _outcomes(user: User) -> list[Row]:
    return _rows(
        select(SurveyOutcome.you_said, SurveyOutcome.we_did, SurveyOutcome.created_at)
        .where(SurveyOutcome.created_by_id == user.id)
        .order_by(SurveyOutcome.id)
    )


def _survey_changes(user: User) -> list[Row]:
    return _rows(
        select(
            Survey.title.label("survey"),
            SurveyChange.description.label("change"),
            SurveyChange.changed_at,
        )
        .join(Survey, Survey.id == SurveyChange.survey_id)
        .where(SurveyChange.user_id == user.id)
        .order_by(SurveyChange.id)
    )


def _responses_keyed(user: User) -> list[Row]:
    # The answers belong to the residents who gave them (anonymously): only how many you typed.
    return _rows(
        select(Survey.title.label("survey"), Response.channel, func.count().label("responses"))
        .join(Survey, Survey.id == Response.survey_id)
        .where(Response.keyed_by_id == user.id)
        .group_by(Survey.id, Survey.title, Response.channel)
        .order_by(Survey.id, Response.channel)
    )


def _api_tokens(user: User) -> list[Row]:
    # Names and dates only: the token itself is shown once when made and kept only as a hash.
    return _rows(
        select(ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.id)
    )


def _exports(user: User) -> list[Row]:
    return _rows(
        select(Survey.title.label("survey"), ExportRecord.via, ExportRecord.exported_at)
        .join(Survey, Survey.id == ExportRecord.survey_id)
        .where(ExportRecord.user_id == user.id)
        .order_by(ExportRecord.id)
    )


def _imports(user: User) -> list[Row]:
    return _rows(
        select(
            Survey.title.label("survey"),
            SurveyImport.filename,
            SurveyImport.status,
            SurveyImport.rows_imported,
            SurveyImport.created_at,
        )
        .join(Survey, Survey.id == SurveyImport.survey_id)
        .where(SurveyImport.imported_by_id == user.id)
        .order_by(SurveyImport.id)
    )


def _invitations_sent(user: User) -> list[Row]:
    # Whom you invited is their personal data, not yours: where, which role and when.
    return _rows(
        select(
            Neighbourhood.name.label("neighbourhood"),
            Invitation.role,
            Invitation.created_at.label("sent_at"),
            Invitation.accepted_at,
        )
        .join(Neighbourhood, Neighbourhood.id == Invitation.neighbourhood_id)
        .where(Invitation.invited_by_id == user.id)
        .order_by(Invitation.id)
    )


def _invitations_received(user: User) -> list[Row]:
    return _rows(
        select(
            Neighbourhood.name.label("neighbourhood"),
            Invitation.role,
            Invitation.created_at.label("sent_at"),
            Invitation.accepted_at,
        )
        .join(Neighbourhood, Neighbourhood.id == Invitation.neighbourhood_id)
        .where(Invitation.email == user.email)
        .order_by(Invitation.id)
    )


def _sign_in_links(user: User) -> list[Row]:
    return _rows(
        select(
            SignInLink.created_at.label("asked_for_at"),
            SignInLink.expires_at,
            SignInLink.used_at,
        )
        .where(SignInLink.email == user.email)
        .order_by(SignInLink.id)
    )


def _deletion_requests(user: User) -> list[Row]:
    return _rows(
        select(
            AccountDeletionRequest.created_at.label("asked_for_at"),
            AccountDeletionRequest.expires_at,
            AccountDeletionRequest.used_at,
        )
        .where(AccountDeletionRequest.user_id == user.id)
        .order_by(AccountDeletionRequest.id)
    )


PARTS: tuple[Part, ...] = (
    Part("ideas", _l("Ideas you posted"), (("idea", "author_id"),), _ideas),
    Part("comments", _l("Comments you wrote"), (("idea_comment", "author_id"),), _comments),
    Part("supports", _l("Ideas you support"), (("support", "user_id"),), _supports),
    Part("reports", _l("Ideas and comments you reported"), (("report", "reporter_id"),), _reports),
    Part(
        "idea_emails",
        _l("Emails we sent you about ideas"),
        (("notification", "user_id"),),
        _notifications,
    ),
    Part("roles", _l("Your roles in neighbourhoods"), (("membership", "user_id"),), _memberships),
    Part(
        "briefing_choices",
        _l("Your choices about briefings"),
        (("briefing_subscription", "user_id"),),
        _subscriptions,
    ),
    Part(
        "briefing_emails", _l("Briefings emailed to you"), (("delivery", "user_id"),), _deliveries
    ),
    Part(
        "briefings_requested",
        _l("Briefings you asked for"),
        (("briefing", "requested_by_id"),),
        _briefings_requested,
    ),
    Part(
        "moderation",
        _l("Moderation you did"),
        (("moderation_action", "moderator_id"),),
        _moderation,
    ),
    Part(
        "idea_answers",
        _l("Answers you gave to ideas"),
        (("idea_status_change", "changed_by_id"),),
        _status_changes,
    ),
    Part(
        "you_said_we_did",
        _l("\u201cYou said, we did\u201d entries you wrote"),
        (("survey_outcome", "created_by_id"),),
        _outcomes,
    ),
    Part(
        "survey_changes",
        _l("Changes you made to surveys"),
        (("survey_change", "user_id"),),
        _survey_changes,
    ),
    Part(
        "responses_entered",
        _l("Survey responses you typed in for residents (how many, not what they said)"),
        (("response", "keyed_by_id"),),
        _responses_keyed,
    ),
    Part(
        "api_tokens",
        _l("Your API tokens (names and dates)"),
        (("api_token", "user_id"),),
        _api_tokens,
    ),
    Part(
        "exports",
        _l("Survey responses you downloaded"),
        (("export_record", "user_id"),),
        _exports,
    ),
    Part(
        "imports",
        _l("Paper responses you imported"),
        (("survey_import", "imported_by_id"),),
        _imports,
    ),
    Part(
        "invitations_sent",
        _l("Invitations you sent"),
        (("invitation", "invited_by_id"),),
        _invitations_sent,
    ),
    Part(
        "invitations_received",
        _l("Invitations sent to you"),
        (("invitation", "email"),),
        _invitations_received,
    ),
    Part(
        "sign_in_links",
        _l("Sign-in links you asked for"),
        (("sign_in_link", "email"),),
        _sign_in_links,
    ),
    Part(
        "deletion_requests",
        _l("Requests to delete your account"),
        (("account_deletion_request", "user_id"),),
        _deletion_requests,
    ),
)

# The account row itself: its email and everything else except secrets.
ACCOUNT_COVERS: tuple[Column, ...] = (("user", "email"),)


def covered_columns() -> set[Column]:
    """Every (table, column) the download accounts for, by exporting it or by a reason."""
    covered = set(ACCOUNT_COVERS) | set(EXCLUDED)
    for part in PARTS:
        covered.update(part.covers)
    return covered


def _account(user: User) -> Row:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "kind_of_account": "staff (signs in with a password)"
        if user.password_hash
        else "resident (signs in with an emailed link)",
        "site_administrator": user.is_admin,
        "created_at": user.created_at,
        "last_signed_in_at": user.last_signed_in_at,
    }


@dataclass(frozen=True)
class PersonalData:
    """What the download holds, in the order it is shown."""

    generated_at: datetime
    account: Row
    parts: list[tuple[Part, list[Row]]]

    def as_json(self) -> dict[str, Any]:
        """Plain data for ``json.dumps`` (datetimes are turned into text by the caller)."""
        return {
            "generated_at": self.generated_at,
            "survey_answers": str(ANONYMOUS_SURVEYS),
            "account": self.account,
            **{part.key: rows for part, rows in self.parts},
        }


def personal_data(user: User) -> PersonalData:
    """Everything consult holds about ``user``, secrets apart. Reads only."""
    return PersonalData(
        generated_at=utcnow(),
        account=_account(user),
        parts=[(part, part.rows(user)) for part in PARTS],
    )
