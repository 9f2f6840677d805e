"""The resident's sign-in email."""

from __future__ import annotations

from collections.abc import Mapping

from flask import render_template
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives

from consult.auth.links import NewSignInLink
from consult.core.urls import external_url


def send_sign_in_link(new: NewSignInLink) -> None:
    """Email the one-time link. Raises if the mail server refuses it."""
    context = {"link": external_url("residents.use_link", token=new.token), "new": new.link}
    _send("emails/sign_in_link", _("Your link to sign in to consult"), new.link.email, context)


def send_password_reminder(email: str) -> None:
    """Someone asked for a link for a staff account: tell its owner to use the password."""
    context = {"link": external_url("auth.sign_in")}
    _send("emails/sign_in_password", _("Signing in to consult"), email, context)


def _send(template: str, subject: str, to: str, context: Mapping[str, object]) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_template(f"{template}.txt", **context), to=[to]
    )
    message.attach_alternative(render_template(f"{template}.html", **context), "text/html")
    message.send()
