"""Emails to authors and supporters, each sent once through the notification ledger.

A service calls :func:`notify` in the transaction of the event; the row and the task are written
together, and the task runs only after the commit. :func:`deliver` claims the row with one
conditional UPDATE before sending, so a redelivered task sends nothing twice.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import update

from consult.core.i18n import DEFAULT
from consult.core.time import utcnow
from consult.core.urls import external_url
from consult.extensions import db
from consult.ideas.models import Idea, StatusChange
from consult.jobs.outbox import enqueue
from consult.mail import error_kind
from consult.moderation.models import ModerationAction, Notification, NotificationStatus

log = logging.getLogger(__name__)

SUBJECTS = {
    "rejected": _l("Your idea or comment was not published"),
    "status": _l("News about an idea you follow"),
}


def notify(user_id: int, idea: Idea, kind: str, event_id: int) -> Notification:
    """Record that ``user_id`` is to be emailed about an event, and queue the email."""
    notification = Notification(user_id=user_id, idea_id=idea.id, kind=kind, event_id=event_id)
    db.session.add(notification)
    db.session.flush()
    enqueue("moderation.send_notification", notification_id=notification.id)
    return notification


def claim(notification_id: int) -> bool:
    """Mark a pending notification as being sent; False if someone has it or it is done."""
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.PENDING.value,
        )
        .values(
            status=NotificationStatus.SENDING.value,
            claimed_at=utcnow(),
            attempts=Notification.attempts + 1,
        )
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def deliver(notification_id: int) -> str:
    """Send one notification if nobody has; return "sent", "skipped", "retry" or "failed"."""
    if not claim(notification_id):
        return "skipped"
    notification = db.session.get(Notification, notification_id)
    assert notification is not None  # noqa: S101 (claimed just now)
    try:
        # In the language the person last used here: a worker has no request to ask.
        with force_locale(notification.user.locale or DEFAULT):
            message = _message(notification)
        message.send()
    except Exception as error:
        failed = notification.attempts > current_app.config["DELIVERY_MAX_RETRIES"]
        notification.status = (
            NotificationStatus.FAILED if failed else NotificationStatus.PENDING
        ).value
        db.session.commit()
        log.warning("notification %s failed (%s)", notification.id, error_kind(error))
        return "failed" if failed else "retry"
    notification.status = NotificationStatus.SENT.value
    notification.sent_at = utcnow()
    db.session.commit()
    log.info("notification %s sent", notification.id)
    return "sent"


def _message(notification: Notification) -> EmailMultiAlternatives:
    idea = db.session.get(Idea, notification.idea_id)
    assert idea is not None  # noqa: S101 (the foreign key cascades)
    event_model = ModerationAction if notification.kind == "rejected" else StatusChange
    slug = idea.neighbourhood.slug
    context: dict[str, Any] = {
        "idea": idea,
        "neighbourhood": idea.neighbourhood,
        "event": db.session.get(event_model, notification.event_id),
        "link": external_url("ideas.board", slug=slug)
        if notification.kind == "rejected"
        else external_url("ideas.show", slug=slug, idea_id=idea.id),
    }
    template = f"emails/idea_{notification.kind}"
    message = EmailMultiAlternatives(
        subject=str(SUBJECTS[notification.kind]),
        body=render_template(f"{template}.txt", **context),
        to=[notification.user.email],
        headers={"Message-ID": f"<notification-{notification.id}@consult>"},
    )
    message.attach_alternative(render_template(f"{template}.html", **context), "text/html")
    return message
