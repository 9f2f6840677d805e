"""Emailing members when their moderation queue has waited too long: at most once a day."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import or_, select, update

from consult.core.i18n import DEFAULT
from consult.core.time import utcnow
from consult.core.urls import external_url
from consult.extensions import db
from consult.mail import error_kind
from consult.moderation.services import moderation_queue
from consult.neighbourhoods.models import Membership, Neighbourhood, Role

log = logging.getLogger(__name__)

ALERT_INTERVAL = timedelta(days=1)


def _claim(neighbourhood: Neighbourhood) -> bool:
    """Take today's alert for this neighbourhood; False if one went out in the last day.

    One conditional UPDATE, committed at once: of two workers, exactly one sends.
    """
    now = utcnow()
    result = db.session.execute(
        update(Neighbourhood)
        .where(
            Neighbourhood.id == neighbourhood.id,
            or_(
                Neighbourhood.queue_alerted_at.is_(None),
                Neighbourhood.queue_alerted_at <= now - ALERT_INTERVAL,
            ),
        )
        .values(queue_alerted_at=now)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def alert_slow_queues() -> int:
    """Email the members of each neighbourhood whose queue has an item older than its limit."""
    sent = 0
    now = utcnow()
    neighbourhoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.id)).all()
    for neighbourhood in neighbourhoods:
        limit = timedelta(hours=neighbourhood.queue_alert_hours)
        overdue = [i for i in moderation_queue(neighbourhood) if now - i.waiting_since > limit]
        if not overdue or not _claim(neighbourhood):
            continue
        members = db.session.scalars(
            select(Membership).where(
                Membership.neighbourhood_id == neighbourhood.id,
                Membership.role == Role.MEMBER.value,
            )
        ).all()
        context = {
            "neighbourhood": neighbourhood,
            "count": len(overdue),
            "link": external_url("moderation.queue", slug=neighbourhood.slug),
        }
        for membership in members:
            # Sent by a worker: in the language the member last chose, as other emails are.
            with force_locale(membership.user.locale or DEFAULT):
                context["oldest"] = overdue[0].age(now)
                message = EmailMultiAlternatives(
                    subject=_(
                        "Ideas are waiting for the %(name)s partnership", name=neighbourhood.name
                    ),
                    body=render_template("emails/moderation_queue.txt", **context),
                    to=[membership.user.email],
                )
                html = render_template("emails/moderation_queue.html", **context)
            message.attach_alternative(html, "text/html")
            try:
                message.send()
            except Exception as error:
                # One refused address must not keep the alert from the other members.
                log.warning(
                    "queue alert to user %s not sent (%s)", membership.user_id, error_kind(error)
                )
                continue
            sent += 1
        log.info(
            "queue alert for neighbourhood %s sent to %s members", neighbourhood.id, len(members)
        )
    return sent
