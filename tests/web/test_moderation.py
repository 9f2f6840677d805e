"""Moderation by partnership members: the queue, actions, emails to authors, the public log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Comment, Idea, IdeaCategory, Report, ReportReason
from consult.ideas.participation import report
from consult.jobs.models import OutboxMessage
from consult.moderation.models import ModerationAction, Notification
from consult.moderation.notifications import deliver
from tests.conftest import AuthActions, submit
from tests.factories import UserFactory, staff
from tests.idea_factories import IdeaFactory, ResidentFactory, board, resident, sent_mail


@pytest.fixture
def scene(app: Flask) -> dict:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    author = ResidentFactory(email="author@example.org")
    now = utcnow()
    waiting = IdeaFactory(
        neighbourhood=area,
        category_id=category,
        author_id=author.id,
        state="pending",
        title="Waiting idea",
        created_at=now - timedelta(days=3),
    )
    published = IdeaFactory(
        neighbourhood=area,
        category_id=category,
        title="Published idea",
        created_at=now - timedelta(days=10),
    )
    comment = Comment(
        idea_id=published.id,
        author_id=author.id,
        body="A rude comment",
        created_at=now - timedelta(hours=5),
    )
    db.session.add(comment)
    db.session.commit()
    return {
        "area": area,
        "author": author,
        "waiting": waiting,
        "published": published,
        "comment": comment,
        "member": staff(area, "member"),
    }


def review_url(target) -> str:
    kind = "ideas" if isinstance(target, Idea) else "comments"
    return f"/n/hill/moderation/{kind}/{target.id}"


def log_rows() -> list[tuple]:
    return list(
        db.session.execute(
            select(
                ModerationAction.target_kind, ModerationAction.action, ModerationAction.reason
            ).order_by(ModerationAction.id)
        )
    )


def test_queue_lists_waiting_and_reported_items_oldest_first(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    report(scene["comment"], ResidentFactory(), ReportReason.OFFENSIVE)
    db.session.commit()
    auth.sign_in(scene["member"].email)
    page = client.get("/n/hill/moderation/").get_data(as_text=True)
    assert page.index("Idea: Waiting idea") < page.index("Comment on Published idea")
    assert "3 days" in page and "less than an hour" in page  # reported just now
    assert "Waiting for a check" in page and "1 report" in page
    assert "Published idea</a>" not in page.replace("Comment on Published idea</a>", "")


def test_members_reach_the_queue_from_the_neighbourhood_page(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    """The queue is a member's first job: linked from the neighbourhood's own page, for members
    only (officers and residents cannot open it)."""
    queue_link = 'href="/n/hill/moderation/"'
    assert queue_link not in client.get("/n/hill/").get_data(as_text=True)
    auth.sign_in(staff(scene["area"], "officer").email)
    assert queue_link not in client.get("/n/hill/").get_data(as_text=True)
    assert client.get("/n/hill/moderation/").status_code == 403
    auth.sign_out()
    auth.sign_in(scene["member"].email)
    assert queue_link in client.get("/n/hill/").get_data(as_text=True)
    assert "Idea: Waiting idea" in client.get("/n/hill/moderation/").get_data(as_text=True)


def test_approve_publishes_and_logs(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    auth.sign_in(scene["member"].email)
    response = submit(client, review_url(scene["waiting"]), {"action": "approve"})
    assert response.status_code == 302 and response.location == "/n/hill/moderation/"
    assert db.session.get(Idea, scene["waiting"].id).state == "published"
    assert "Waiting idea" in client.get("/n/hill/ideas/").get_data(as_text=True)
    assert "Waiting idea" not in client.get("/n/hill/moderation/").get_data(as_text=True)
    assert log_rows() == [("idea", "approve", None)]


def test_reject_tells_the_author_once(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    auth.sign_in(scene["member"].email)
    note = "Please post it without the <b>address</b>."
    response = submit(
        client,
        review_url(scene["waiting"]),
        {"action": "reject", "reason": "personal_information", "note": note},
    )
    assert response.status_code == 302
    assert db.session.get(Idea, scene["waiting"].id).state == "rejected"
    assert log_rows() == [("idea", "reject", "personal_information")]
    notification = db.session.scalar(select(Notification))
    assert notification.user_id == scene["author"].id and notification.status == "pending"
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.task_name == "moderation.send_notification")
    )
    assert message.kwargs == {"notification_id": notification.id}
    assert message.published_at is not None  # handed to the broker after the commit
    before = len(sent_mail(app))
    assert deliver(notification.id) == "sent"
    assert deliver(notification.id) == "skipped"  # a redelivered task sends nothing twice
    mails = sent_mail(app)[before:]
    assert len(mails) == 1 and mails[0].to == ["author@example.org"]
    assert "It gave someone's personal information" in mails[0].body
    assert note in mails[0].body
    html = mails[0].alternatives[0][0]
    assert "&lt;b&gt;address&lt;/b&gt;" in html and "<b>address</b>" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select what you want to do"),
        ({"action": "reject"}, "Choose a reason for rejecting it"),
        ({"action": "reject", "reason": "made-up"}, "Choose a reason from the list"),
        ({"action": "approve", "note": "x" * 1001}, "Note must be 1000 characters or fewer"),
        ({"action": "restore"}, "cannot be restored now"),
        ({"action": "delete"}, "Not a valid choice"),
    ],
)
def test_bad_moderation_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict, data: dict, message: str
) -> None:
    auth.sign_in(scene["member"].email)
    response = submit(client, review_url(scene["waiting"]), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "There is a problem" in page
    assert db.session.get(Idea, scene["waiting"].id).state == "pending"
    assert log_rows() == []


def test_hide_and_restore_a_comment(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    auth.sign_in(scene["member"].email)
    idea_page = f"/n/hill/ideas/{scene['published'].id}"
    submit(client, review_url(scene["comment"]), {"action": "hide", "note": "Checking"})
    assert db.session.get(Comment, scene["comment"].id).state == "hidden"
    with app.app_context():
        assert "A rude comment" not in app.test_client().get(idea_page).get_data(as_text=True)
    submit(client, review_url(scene["comment"]), {"action": "restore"})
    assert db.session.get(Comment, scene["comment"].id).state == "published"
    assert log_rows() == [("comment", "hide", None), ("comment", "restore", None)]


def test_reported_idea_is_hidden_until_reviewed(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    published = scene["published"]
    for _ in range(3):
        report(published, ResidentFactory(), ReportReason.SPAM)
    db.session.commit()
    assert db.session.get(Idea, published.id).state == "hidden"
    assert log_rows() == [("idea", "auto_hide", None)]
    auth.sign_in(scene["member"].email)
    assert "3 reports (hidden)" in client.get("/n/hill/moderation/").get_data(as_text=True)
    submit(client, review_url(published), {"action": "approve"})
    assert db.session.get(Idea, published.id).state == "published"
    assert db.session.scalar(select(func.count()).where(Report.resolved_at.is_(None))) == 0
    assert "Published idea" not in client.get("/n/hill/moderation/").get_data(as_text=True)


def test_public_log_names_the_partnership_not_the_member(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    member = scene["member"]
    auth.sign_in(member.email)
    submit(
        client,
        review_url(scene["waiting"]),
        {"action": "reject", "reason": "spam", "note": "<script>alert(1)</script>"},
    )
    inside = client.get("/n/hill/moderation-log").get_data(as_text=True)
    assert member.display_name in inside
    auth.sign_out()
    with app.app_context():
        page = app.test_client().get("/n/hill/moderation-log").get_data(as_text=True)
    assert "The partnership" in page and member.display_name not in page
    assert "Rejected" in page and "It was spam or advertising" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_the_log_cannot_be_changed(app: Flask, scene: dict) -> None:
    report(scene["published"], ResidentFactory(), ReportReason.SPAM)
    scene["area"].report_threshold = 1
    db.session.commit()
    for _ in range(2):
        report(scene["published"], ResidentFactory(), ReportReason.SPAM)
    db.session.commit()
    entry_id = db.session.scalar(select(ModerationAction.id))
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(
            update(ModerationAction).where(ModerationAction.id == entry_id).values(note="x")
        )
        db.session.flush()
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE moderation_action SET action = 'approve'"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(delete(ModerationAction).where(ModerationAction.id == entry_id))
    db.session.rollback()
    # Nor through a cascade: the idea the entry is about cannot take its log with it.
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM idea"))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(ModerationAction.action)) == "auto_hide"


def test_moderating_another_neighbourhoods_items_is_not_found(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    other = board(slug="dale")
    outsider = staff(other, "member")
    auth.sign_in(outsider.email)
    for url in (review_url(scene["waiting"]), review_url(scene["comment"])):
        assert client.get(url).status_code == 404, url
        dale = url.replace("/n/hill/", "/n/dale/")
        assert client.get(dale).status_code == 404, dale
        response = submit(client, dale, {"action": "approve"}, form_url="/n/dale/moderation/")
        assert response.status_code == 404
    assert db.session.get(Idea, scene["waiting"].id).state == "pending"
    assert log_rows() == []


ROLES = ["anonymous", "resident", "member", "member elsewhere", "officer", "admin"]
# What each kind of visitor gets on the partnership's pages of hill.
EXPECTED = {
    "anonymous": 302,
    "resident": 403,
    "member": 200,
    "member elsewhere": 404,
    "officer": 403,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_access_to_every_idea_and_moderation_route(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict, role: str
) -> None:
    other = board(slug="dale")
    if role == "resident":
        resident(app, client)
    elif role != "anonymous":
        user = {
            "member": lambda: scene["member"],
            "member elsewhere": lambda: staff(other, "member"),
            "officer": lambda: staff(scene["area"], "officer"),
            "admin": lambda: UserFactory(is_admin=True),
        }[role]()
        auth.sign_in(user.email)
    staff_only = [
        "/n/hill/moderation/",
        review_url(scene["waiting"]),
        review_url(scene["comment"]),
        "/n/hill/ideas/categories",
    ]
    for url in staff_only:
        assert client.get(url).status_code == EXPECTED[role], (role, url)
    public = ["/n/hill/ideas/", f"/n/hill/ideas/{scene['published'].id}", "/n/hill/moderation-log"]
    for url in public:
        assert client.get(url).status_code == 200, (role, url)
    # The waiting idea: only its author and the partnership see it.
    waiting = client.get(f"/n/hill/ideas/{scene['waiting'].id}").status_code
    assert waiting == (200 if role in ("member", "admin") else 404), role
    signed_in_only = client.get(f"/n/hill/ideas/{scene['published'].id}/report").status_code
    assert signed_in_only == (302 if role == "anonymous" else 200), role
