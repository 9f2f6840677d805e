"""Sending one briefing to one recipient, at most once, through the delivery ledger."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.mime.image import MIMEImage
from enum import Enum
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from flask_mailman.message import SafeMIMEMultipart
from markupsafe import Markup
from sqlalchemy import func, or_, select, update

from consult.briefings.models import Briefing, Delivery, DeliveryStatus, english_subject
from consult.briefings.subscriptions import unsubscribe_token
from consult.briefings.tables import briefing_csv
from consult.core.i18n import LANGUAGES
from consult.core.time import utcnow
from consult.core.urls import external_url
from consult.extensions import db
from consult.jobs.outbox import enqueue
from consult.mail import error_kind

log = logging.getLogger(__name__)

# A delivery claimed for longer than this belongs to a worker that died.
STALE_CLAIM = timedelta(minutes=10)


class Outcome(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def claim(delivery_id: int) -> bool:
    """Mark a pending delivery as being sent; False if it is sent, failed or claimed already.

    A single conditional UPDATE, committed at once: of two workers given the same message,
    exactly one gets the row.
    """
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING.value)
        .values(
            status=DeliveryStatus.SENDING.value, claimed_at=utcnow(), attempts=Delivery.attempts + 1
        )
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


class BriefingEmail(EmailMultiAlternatives):
    """An email whose HTML part travels with its images: multipart/alternative holds the text
    and a multipart/related of the HTML and its PNG images, each with a Content-ID that the
    HTML's ``cid:`` links name."""

    def __init__(self, *args: Any, images: list[tuple[str, bytes]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.images = images or []

    def _create_alternatives(self, msg: Any) -> Any:
        if not self.images:
            return super()._create_alternatives(msg)
        encoding = self.encoding or current_app.extensions["mailman"].default_charset
        alternative = SafeMIMEMultipart(_subtype="alternative", encoding=encoding)
        if self.body:
            alternative.attach(msg)
        for content, mimetype in self.alternatives:
            part = self._create_mime_attachment(content, mimetype)
            if mimetype == "text/html":
                related = SafeMIMEMultipart(_subtype="related", encoding=encoding)
                related.attach(part)
                for name, png in self.images:
                    related.attach(inline_image(name, png))
                part = related
            alternative.attach(part)
        return alternative


def inline_image(name: str, png: bytes) -> MIMEImage:
    image = MIMEImage(png, "png")
    image.add_header("Content-ID", f"<{name}>")
    image.add_header("Content-Disposition", "inline", filename=f"{name.split('@')[0]}.png")
    return image


def briefing_message(delivery: Delivery) -> EmailMultiAlternatives:
    """The email for one recipient, in the language of their delivery (its edition, rendered
    when the briefing was built): plain text first, HTML last (multipart/alternative) with its
    charts inline (multipart/related), the tables as a CSV attachment, and RFC 8058 one-click
    unsubscribe headers."""
    briefing = delivery.briefing
    edition = briefing.edition(delivery.locale)
    neighbourhood = briefing.neighbourhood
    token = unsubscribe_token(delivery.user_id, neighbourhood.id)
    unsubscribe_url = external_url(
        "briefings.subscriptions.unsubscribe", slug=neighbourhood.slug, token=token
    )
    context = {
        "subject": edition.subject,
        "neighbourhood": neighbourhood,
        "unsubscribe_url": unsubscribe_url,
        "language": LANGUAGES[edition.locale],
    }
    # The stored HTML was rendered by our own autoescaping template when the briefing was built.
    html_body = Markup(edition.html_body)  # noqa: S704
    with force_locale(edition.locale):
        text = render_template("emails/briefing_message.txt", body=edition.text_body, **context)
        html = render_template("emails/briefing_message.html", body=html_body, **context)
        # An edition carried over from before editions kept their CSV has none stored.
        tables = edition.tables_csv or briefing_csv(briefing.content or {})
    message = BriefingEmail(
        images=[(chart.name, chart.png) for chart in briefing.charts],
        subject=edition.subject,
        body=text,
        to=[delivery.user.email],
        headers={
            "Message-ID": f"<briefing-{briefing.id}.delivery-{delivery.id}@consult>",
            "Content-Language": edition.locale,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.attach(csv_filename(briefing), tables, "text/csv")
    return message


def csv_filename(briefing: Briefing) -> str:
    return f"briefing-{briefing.id}-{briefing.period_end:%Y-%m-%d}.csv"


def deliver(delivery_id: int) -> Outcome:
    """Send one delivery if nobody has; record the result. Re-running it sends nothing twice."""
    if not claim(delivery_id):
        return Outcome.SKIPPED
    delivery = db.session.get(Delivery, delivery_id)
    assert delivery is not None  # noqa: S101 (claimed just now)
    try:
        briefing_message(delivery).send()
    except Exception as error:
        return _record_failure(delivery, error)
    delivery.status = DeliveryStatus.SENT.value
    delivery.sent_at = utcnow()
    delivery.last_error = ""
    db.session.commit()
    log.info("delivery %s sent", delivery.id)
    return Outcome.SENT


def _record_failure(delivery: Delivery, error: Exception) -> Outcome:
    limit = current_app.config["DELIVERY_MAX_RETRIES"]
    delivery.last_error = error_kind(error)
    failed = delivery.attempts > limit
    delivery.status = (DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING).value
    db.session.commit()
    log.warning(
        "delivery %s attempt %s failed (%s)", delivery.id, delivery.attempts, delivery.last_error
    )
    return Outcome.FAILED if failed else Outcome.RETRY


def retry_failed(briefing: Briefing, delivery_id: int) -> bool:
    """Send a failed delivery of ``briefing`` again: back to pending with its attempts reset,
    and queued once (after the caller commits). False, queueing nothing, unless it had failed:
    a second click, or one on another briefing's delivery, does nothing."""
    result = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.briefing_id == briefing.id,
            Delivery.status == DeliveryStatus.FAILED.value,
        )
        .values(status=DeliveryStatus.PENDING.value, attempts=0, claimed_at=None)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    enqueue("briefings.deliver", delivery_id=delivery_id)
    log.info("delivery %s queued again", delivery_id)
    return True


def failed_deliveries(briefing: Briefing) -> list[Delivery]:
    return list(
        db.session.scalars(
            select(Delivery)
            .where(
                Delivery.briefing_id == briefing.id,
                Delivery.status == DeliveryStatus.FAILED.value,
            )
            .order_by(Delivery.id)
        )
    )


def failed_by_briefing(limit: int = 50) -> list[tuple[Briefing, str, int]]:
    """Briefings with deliveries that failed past their retries, newest first, with their
    subject in English and how many failed: for the admins' overview (each briefing's page
    lists them and offers Retry)."""
    rows = db.session.execute(
        select(Briefing, english_subject(Briefing.id), func.count(Delivery.id))
        .join(Delivery, Delivery.briefing_id == Briefing.id)
        .where(Delivery.status == DeliveryStatus.FAILED.value)
        .group_by(Briefing.id)
        .order_by(Briefing.id.desc())
        .limit(limit)
    ).all()
    return [(briefing, subject, int(count)) for briefing, subject, count in rows]


def recover_stale() -> int:
    """Hand back deliveries whose worker died mid-send, and queue them again."""
    cutoff = utcnow() - current_app.config.get("DELIVERY_STALE_AFTER", STALE_CLAIM)
    stale = db.session.scalars(
        select(Delivery).where(
            Delivery.status == DeliveryStatus.SENDING.value,
            or_(Delivery.claimed_at.is_(None), Delivery.claimed_at < cutoff),
        )
    ).all()
    for delivery in stale:
        delivery.status = DeliveryStatus.PENDING.value
        enqueue("briefings.deliver", delivery_id=delivery.id)
    db.session.commit()
    return len(stale)
