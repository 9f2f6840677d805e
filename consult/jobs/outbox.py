"""Publish tasks only after the transaction they depend on has committed.

A service calls :func:`enqueue`, which writes an :class:`OutboxMessage` in the current
transaction. When that transaction commits, the messages are published to the broker and marked
published. If the broker cannot be reached they stay unpublished and the ``jobs.relay_outbox``
task publishes them later, so a broker outage delays work but loses none. A rolled-back
transaction takes its messages with it, so no task ever runs for data that was never stored.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from consult.core.time import utcnow
from consult.extensions import db
from consult.jobs.models import OutboxMessage

log = logging.getLogger(__name__)

_PENDING_KEY = "consult_outbox_pending"
# How long a message may stay unpublished before the relay assumes its publisher gave up.
RELAY_AFTER = timedelta(seconds=20)
_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def enqueue(task_name: str, **kwargs: Any) -> OutboxMessage:
    """Queue ``task_name(**kwargs)`` to run once the current transaction commits."""
    message = OutboxMessage(task_name=task_name, kwargs=kwargs)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(message.id)
    return message


def publish(message_ids: list[int]) -> int:
    """Publish the given unpublished messages; return how many reached the broker."""
    if not message_ids:
        return 0
    celery_app = current_app.extensions["celery"]
    published = 0
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(OutboxMessage.id, OutboxMessage.task_name, OutboxMessage.kwargs).where(
                OutboxMessage.id.in_(message_ids), OutboxMessage.published_at.is_(None)
            )
        ).all()
        for message_id, task_name, kwargs in rows:
            try:
                celery_app.send_task(
                    task_name, kwargs=kwargs, retry=True, retry_policy=_PUBLISH_RETRY
                )
            except Exception:  # the broker is down: the relay publishes it later
                log.warning("could not publish outbox message %s (%s)", message_id, task_name)
                connection.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message_id)
                    .values(attempts=OutboxMessage.attempts + 1)
                )
                connection.commit()
                break
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(published_at=utcnow(), attempts=OutboxMessage.attempts + 1)
            )
            connection.commit()
            published += 1
    return published


def relay_unpublished(limit: int = 200) -> int:
    """Publish messages left unpublished for longer than ``OUTBOX_RELAY_AFTER``."""
    cutoff = utcnow() - current_app.config.get("OUTBOX_RELAY_AFTER", RELAY_AFTER)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at < cutoff)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    db.session.rollback()
    return publish(ids)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        # Releasing a savepoint fires after_commit too, but nothing is committed yet: a worker
        # would not see the rows. Publish when the outer transaction commits.
        return
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        publish(pending)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def init_outbox(app: Flask) -> None:
    """Listen for commits once per process (the listeners are on the Session class)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
