"""The email that confirms deleting an account."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives

from consult.core.urls import external_url
from consult.rights.deletion import NewDeletionRequest


def send_deletion_link(new: NewDeletionRequest, email: str) -> None:
    """Email the one-time confirmation link. Raises if the mail server refuses it."""
    context = {
        "link": external_url("rights.confirm_deletion", token=new.token),
        "request": new.request,
    }
    message = EmailMultiAlternatives(
        subject=_("Confirm you want to delete your consult account"),
        body=render_template("emails/account_deletion.txt", **context),
        to=[email],
    )
    message.attach_alternative(
        render_template("emails/account_deletion.html", **context), "text/html"
    )
    message.send()
