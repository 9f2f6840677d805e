"""The outbox publishes a task only once the transaction holding its data has committed."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.jobs.models import OutboxMessage
from consult.jobs.outbox import enqueue


def published() -> list[bool]:
    db.session.expire_all()
    return [m.published_at is not None for m in db.session.scalars(select(OutboxMessage))]


def test_released_savepoint_does_not_publish_before_the_commit(app: Flask) -> None:
    with db.session.begin_nested():
        enqueue("jobs.relay_outbox")
    row = db.session.scalar(select(OutboxMessage))
    assert row is not None and row.published_at is None  # the savepoint is not a commit
    db.session.commit()
    assert published() == [True]


def test_rolled_back_work_is_never_published(app: Flask) -> None:
    enqueue("jobs.relay_outbox")
    db.session.rollback()
    db.session.commit()
    assert published() == []
