"""The invitation email."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives

from consult.auth.services import NewInvitation
from consult.core.urls import external_url


def send_invitation(new: NewInvitation) -> None:
    """Email the one-time link. Raises if the mail server refuses it."""
    invitation = new.invitation
    context = {
        "invitation": invitation,
        "neighbourhood": invitation.neighbourhood,
        "link": external_url("auth.accept", token=new.token),
    }
    message = EmailMultiAlternatives(
        subject=_("You are invited to %(name)s on consult", name=invitation.neighbourhood.name),
        body=render_template("emails/invitation.txt", **context),
        to=[invitation.email],
    )
    message.attach_alternative(render_template("emails/invitation.html", **context), "text/html")
    message.send()
