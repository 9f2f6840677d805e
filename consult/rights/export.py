"""Everything consult holds about one person, gathered for them to download.

Each :class:`Part` covers the ``(table, column)`` that names its person: every column that points at
an account (a foreign key to ``user.id``) or holds an email address must be covered by a part or
listed in :data:`EXCLUDED` with the reason, and a test walks the tables to hold us to that, so a
new table about people cannot be forgotten here. Secrets (password hashes, token hashes) are
never exported. Survey responses are anonymous and never linked to an account, so they cannot
be found for anyone and are not part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from consult.api.models import ApiToken
from consult.auth.models import Invitation, SignInLink, User
from consult.briefings.models import Briefing, BriefingSubscription, Delivery, english_subject
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


Join = tuple[Any, Any]  # a table and the condition it is joined on


@dataclass(frozen=True)
class Part:
    """One section of the download: the rows of one table that are about the person.

    ``owner`` is the column that names the person: their account's id, or their email address
    for rows that can exist before an account does (invitations, sign-in links). ``columns`` are
    what the download shows, labelled as it heads them; ``join`` brings in a name for an id (a
    neighbourhood's name, an idea's title). Rows come in the order they were made, or, for a
    part that counts rows (``group_by``), in the order of the groups.
    """

    key: str
    title: LazyString  # in the language of the page or file it is shown in
    owner: InstrumentedAttribute[Any]
    columns: tuple[Any, ...]
    join: Join | None = None
    group_by: tuple[Any, ...] = ()

    @property
    def covers(self) -> tuple[Column, ...]:
        """The ``(table, column)`` about people that this part exports."""
        return ((self.owner.class_.__table__.name, self.owner.key),)

    def rows(self, user: User) -> list[Row]:
        """This part's rows about ``user``, as plain dicts keyed by the columns' labels."""
        person = user.email if self.owner.key == "email" else user.id
        query = select(*self.columns)
        if self.join is not None:
            query = query.join(*self.join)
        query = query.where(self.owner == person)
        if self.group_by:
            query = query.group_by(*self.group_by)
        query = query.order_by(*(self.group_by or (self.owner.class_.id,)))
        return [dict(row._mapping) for row in db.session.execute(query)]


def _in_neighbourhood(model: Any) -> Join:
    return (Neighbourhood, Neighbourhood.id == model.neighbourhood_id)


def _on_idea(model: Any) -> Join:
    return (Idea, Idea.id == model.idea_id)


def _on_survey(model: Any) -> Join:
    return (Survey, Survey.id == model.survey_id)


def _invitations(key: str, title: LazyString, owner: InstrumentedAttribute[Any]) -> Part:
    return Part(
        key,
        title,
        owner,
        (
            Neighbourhood.name.label("neighbourhood"),
            Invitation.role,
            Invitation.created_at.label("sent_at"),
            Invitation.accepted_at,
        ),
        join=_in_neighbourhood(Invitation),
    )


def _link_requests(key: str, title: LazyString, owner: InstrumentedAttribute[Any]) -> Part:
    model = owner.class_
    return Part(
        key,
        title,
        owner,
        (model.created_at.label("asked_for_at"), model.expires_at, model.used_at),
    )


PARTS: tuple[Part, ...] = (
    Part(
        "ideas",
        _l("Ideas you posted"),
        Idea.author_id,
        (
            Idea.id,
            Neighbourhood.name.label("neighbourhood"),
            Idea.title,
            Idea.description,
            Idea.place,
            Idea.state.label("moderation"),
            Idea.status,
            Idea.created_at.label("posted_at"),
        ),
        join=_in_neighbourhood(Idea),
    ),
    Part(
        "comments",
        _l("Comments you wrote"),
        Comment.author_id,
        (
            Comment.id,
            Idea.title.label("on_idea"),
            Comment.body,
            Comment.state.label("moderation"),
            Comment.created_at.label("posted_at"),
        ),
        join=_on_idea(Comment),
    ),
    Part(
        "supports",
        _l("Ideas you support"),
        Support.user_id,
        (
            Idea.title.label("idea"),
            Support.notify.label("email_me_when_its_status_changes"),
            Support.created_at.label("supported_at"),
        ),
        join=_on_idea(Support),
    ),
    Part(
        "reports",
        _l("Ideas and comments you reported"),
        Report.reporter_id,
        (
            Report.idea_id,
            Report.comment_id,
            Report.reason,
            Report.note,
            Report.created_at.label("reported_at"),
            Report.resolved_at.label("reviewed_at"),
        ),
    ),
    Part(
        "idea_emails",
        _l("Emails we sent you about ideas"),
        Notification.user_id,
        (
            Idea.title.label("idea"),
            Notification.kind.label("about"),
            Notification.status,
            Notification.sent_at,
        ),
        join=_on_idea(Notification),
    ),
    Part(
        "roles",
        _l("Your roles in neighbourhoods"),
        Membership.user_id,
        (
            Neighbourhood.name.label("neighbourhood"),
            Membership.role,
            Membership.created_at.label("since"),
        ),
        join=_in_neighbourhood(Membership),
    ),
    Part(
        "briefing_choices",
        _l("Your choices about briefings"),
        BriefingSubscription.user_id,
        (
            Neighbourhood.name.label("neighbourhood"),
            BriefingSubscription.subscribed.label("receive_briefings"),
            BriefingSubscription.updated_at.label("chosen_at"),
        ),
        join=_in_neighbourhood(BriefingSubscription),
    ),
    Part(
        "briefing_emails",
        _l("Briefings emailed to you"),
        Delivery.user_id,
        (
            english_subject(Delivery.briefing_id).label("briefing"),
            Delivery.status,
            Delivery.sent_at,
        ),
    ),
    Part(
        "briefings_requested",
        _l("Briefings you asked for"),
        Briefing.requested_by_id,
        (
            Neighbourhood.name.label("neighbourhood"),
            Briefing.kind,
            Briefing.created_at.label("requested_at"),
        ),
        join=_in_neighbourhood(Briefing),
    ),
    Part(
        "moderation",
        _l("Moderation you did"),
        ModerationAction.moderator_id,
        (
            ModerationAction.action,
            ModerationAction.target_kind.label("on"),
            ModerationAction.idea_id,
            ModerationAction.comment_id,
            ModerationAction.reason,
            ModerationAction.note,
            ModerationAction.created_at.label("at"),
        ),
    ),
    Part(
        "idea_answers",
        _l("Answers you gave to ideas"),
        StatusChange.changed_by_id,
        (
            Idea.title.label("idea"),
            StatusChange.status,
            StatusChange.answer,
            StatusChange.created_at.label("at"),
        ),
        join=_on_idea(StatusChange),
    ),
    Part(
        "you_said_we_did",
        _l("\u201cYou said, we did\u201d entries you wrote"),
        SurveyOutcome.created_by_id,
        (SurveyOutcome.you_said, SurveyOutcome.we_did, SurveyOutcome.created_at),
    ),
    Part(
        "survey_changes",
        _l("Changes you made to surveys"),
        SurveyChange.user_id,
        (
            Survey.title.label("survey"),
            SurveyChange.description.label("change"),
            SurveyChange.changed_at,
        ),
        join=_on_survey(SurveyChange),
    ),
    # The answers belong to the residents who gave them (anonymously): only how many you typed.
    Part(
        "responses_entered",
        _l("Survey responses you typed in for residents (how many, not what they said)"),
        Response.keyed_by_id,
        (Survey.title.label("survey"), Response.channel, func.count().label("responses")),
        join=_on_survey(Response),
        group_by=(Survey.id, Survey.title, Response.channel),
    ),
    # Names and dates only: the token itself is shown once when made and kept only as a hash.
    Part(
        "api_tokens",
        _l("Your API tokens (names and dates)"),
        ApiToken.user_id,
        (ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at),
    ),
    Part(
        "exports",
        _l("Survey responses you downloaded"),
        ExportRecord.user_id,
        (Survey.title.label("survey"), ExportRecord.via, ExportRecord.exported_at),
        join=_on_survey(ExportRecord),
    ),
    Part(
        "imports",
        _l("Paper responses you imported"),
        SurveyImport.imported_by_id,
        (
            Survey.title.label("survey"),
            SurveyImport.filename,
            SurveyImport.status,
            SurveyImport.rows_imported,
            SurveyImport.created_at,
        ),
        join=_on_survey(SurveyImport),
    ),
    # Whom you invited is their personal data, not yours: where, which role and when.
    _invitations("invitations_sent", _l("Invitations you sent"), Invitation.invited_by_id),
    _invitations("invitations_received", _l("Invitations sent to you"), Invitation.email),
    _link_requests("sign_in_links", _l("Sign-in links you asked for"), SignInLink.email),
    _link_requests(
        "deletion_requests",
        _l("Requests to delete your account"),
        AccountDeletionRequest.user_id,
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
        "kind_of_account": _("staff (signs in with a password)")
        if user.password_hash
        else _("resident (signs in with an emailed link)"),
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
