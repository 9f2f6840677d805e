"""Members are emailed when the moderation queue waits too long, at most once a day."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import IdeaCategory
from consult.moderation.tasks import alert_queues
from tests.factories import staff
from tests.idea_factories import IdeaFactory, board, sent_mail


def test_slow_queue_alerts_members_once_a_day(app: Flask) -> None:
    area = board(name="Hillside", queue_alert_hours=48)
    quick = board(slug="dale")
    category = db.session.scalar(
        select(IdeaCategory.id).where(IdeaCategory.neighbourhood_id == area.id)
    )
    IdeaFactory(
        neighbourhood=area,
        category_id=category,
        state="pending",
        created_at=utcnow() - timedelta(hours=50),
    )
    IdeaFactory(neighbourhood=quick, state="pending")  # waiting, but not for long
    member, officer = staff(area, "member"), staff(area, "officer")
    staff(quick, "member")
    assert alert_queues() == 1
    mails = sent_mail(app)
    assert [m.to for m in mails] == [[member.email]] and officer.email not in mails[0].to
    assert "1 item has waited longer than 48 hours" in mails[0].body
    assert "The oldest has waited 2 days" in mails[0].body
    assert "https://consult.example/n/hill/moderation/" in mails[0].body
    assert alert_queues() == 0  # the same day: nothing more
    area.queue_alerted_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    assert alert_queues() == 1  # a day later, still waiting: once more
