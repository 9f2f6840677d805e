"""Redaction: the text is edited; the original is kept only in the log, for members."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.ideas.models import Comment, Idea, IdeaCategory
from consult.moderation.models import ModerationAction
from tests.conftest import AuthActions, submit
from tests.factories import staff
from tests.idea_factories import IdeaFactory, ResidentFactory, board


def test_redacted_idea_keeps_the_original_for_members_only(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = board()
    board(slug="dale")
    category = db.session.scalar(select(IdeaCategory.id))
    idea = IdeaFactory(
        neighbourhood=area,
        category_id=category,
        title="Call Dave on 07700 900123",
        description="Dave at number 12 knows about the <b>park</b>.",
    )
    member = staff(area, "member")
    auth.sign_in(member.email)
    url = f"/n/hill/moderation/ideas/{idea.id}/redact"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Call Dave on 07700 900123"' in form  # the text to edit, as it is now
    empty = submit(client, url, {"title": "Ask about the park", "text": "  "})
    assert "Enter the text" in empty.get_data(as_text=True)
    response = submit(
        client,
        url,
        {
            "title": "Ask about the park",
            "text": "A neighbour knows about the park.",
            "note": "Name",
        },
    )
    assert response.status_code == 302
    stored = db.session.get(Idea, idea.id)
    assert (stored.title, stored.description) == (
        "Ask about the park",
        "A neighbour knows about the park.",
    )
    entry = db.session.scalar(select(ModerationAction))
    assert entry.action == "redact" and "07700 900123" in entry.original_text
    inside = client.get("/n/hill/moderation-log").get_data(as_text=True)
    assert "07700 900123" in inside and "Original text (members only)" in inside
    assert "&lt;b&gt;park&lt;/b&gt;" in inside
    page = client.get(f"/n/hill/ideas/{idea.id}").get_data(as_text=True)
    assert "07700" not in page
    auth.sign_out()
    with app.app_context():
        public = app.test_client()
        log = public.get("/n/hill/moderation-log").get_data(as_text=True)
        assert "Edited" in log and "07700" not in log and "Dave" not in log
        assert "07700" not in public.get(f"/n/hill/ideas/{idea.id}").get_data(as_text=True)


def test_redact_a_comment_and_not_another_neighbourhoods(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = board()
    other = board(slug="dale")
    category = db.session.scalar(select(IdeaCategory.id))
    idea = IdeaFactory(neighbourhood=area, category_id=category)
    comment = Comment(idea_id=idea.id, author_id=ResidentFactory().id, body="Email me at a@b.c")
    db.session.add(comment)
    db.session.commit()
    outsider = staff(other, "member")
    with app.app_context():
        auth.sign_in(outsider.email)
        for slug in ("hill", "dale"):
            url = f"/n/{slug}/moderation/comments/{comment.id}/redact"
            assert client.get(url).status_code == 404
        auth.sign_out()
    member = staff(area, "member")
    with app.app_context():
        auth.sign_in(member.email)
        url = f"/n/hill/moderation/comments/{comment.id}/redact"
        too_long = submit(client, url, {"text": "x" * 1001})
        assert "Text must be 1000 characters or fewer" in too_long.get_data(as_text=True)
        assert submit(client, url, {"text": "Email me (address removed)"}).status_code == 302
    db.session.expire_all()  # the change was committed by the request's own session
    assert db.session.get(Comment, comment.id).body == "Email me (address removed)"
    assert db.session.scalar(select(ModerationAction.original_text)) == "Email me at a@b.c"
