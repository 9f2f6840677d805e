"""Emails to residents about a survey: an access link, "already answered", a resume link.

The address is used only to send the message and is never stored or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import render_template
from flask_babel import gettext
from flask_mailman import EmailMultiAlternatives

from consult.core.urls import external_url
from consult.surveys.models import Survey
from consult.surveys.translations import localised


def _survey_url(survey: Survey, endpoint: str, **values: object) -> str:
    return external_url(
        f"surveys.{endpoint}", slug=survey.neighbourhood.slug, survey_id=survey.id, **values
    )


def send_access_link(to: str, survey: Survey, token: str, expires_at: datetime) -> None:
    """The one-time link that opens a verified-email survey. Raises if the server refuses."""
    context = {
        "survey": survey,
        "link": _survey_url(survey, "use_access", token=token),
        "expires_at": expires_at,
    }
    _send(
        "emails/survey_access_link",
        gettext("Your link to answer ‘%(title)s’", title=localised(survey, "title")),
        to,
        context,
    )


def send_already_answered(to: str, survey: Survey) -> None:
    """Someone asked for a link with an email that has already answered this survey."""
    context = {"survey": survey, "link": _survey_url(survey, "answer")}
    _send(
        "emails/survey_already_answered",
        gettext("You have already answered ‘%(title)s’", title=localised(survey, "title")),
        to,
        context,
    )


def send_resume_link(to: str, survey: Survey, token: str, expires_at: datetime) -> None:
    """The link that reopens saved answers in any browser."""
    context = {
        "survey": survey,
        "link": _survey_url(survey, "resume", token=token),
        "expires_at": expires_at,
    }
    _send(
        "emails/survey_resume_link",
        gettext("Carry on answering ‘%(title)s’", title=localised(survey, "title")),
        to,
        context,
    )


def _send(template: str, subject: str, to: str, context: Mapping[str, object]) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_template(f"{template}.txt", **context), to=[to]
    )
    message.attach_alternative(render_template(f"{template}.html", **context), "text/html")
    message.send()
