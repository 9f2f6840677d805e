"""Posting an idea: checked for similar ideas first, moderated, kept while signing in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Idea, IdeaCategory, KeptDraft
from tests.conftest import submit
from tests.factories import NeighbourhoodFactory
from tests.idea_factories import IdeaFactory, board, resident, sign_in_by_link


def category_id(area, name: str = "Safety") -> int:
    return db.session.scalar(
        select(IdeaCategory.id).where(
            IdeaCategory.neighbourhood_id == area.id, IdeaCategory.name == name
        )
    )


def idea_data(area, **changes: str) -> dict[str, str]:
    data = {
        "title": "Brighter street lights on Mill Lane",
        "description": "The lights on Mill Lane are dim and people feel unsafe at night.",
        "category": str(category_id(area)),
        "place": "Mill Lane, by the bus stop",
    }
    data.update(changes)
    return data


def ideas_count() -> int:
    return db.session.scalar(select(func.count(Idea.id))) or 0


def test_idea_without_similar_ones_is_posted_at_once(app: Flask, client: FlaskClient) -> None:
    area = board()
    author = resident(app, client)
    response = submit(client, "/n/hill/ideas/new", idea_data(area))
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert response.location == f"/n/hill/ideas/{idea.id}"
    assert (idea.author_id, idea.state, idea.place) == (
        author.id,
        "published",
        "Mill Lane, by the bus stop",
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Your idea has been posted" in page and "Brighter street lights on Mill Lane" in page
    assert "Posted by Sam" in page
    assert "Brighter street lights" in client.get("/n/hill/ideas/").get_data(as_text=True)


def test_similar_ideas_are_shown_before_posting(app: Flask, client: FlaskClient) -> None:
    area = board()
    IdeaFactory(
        neighbourhood=area,
        category_id=category_id(area),
        title="Better lighting on Mill Lane",
        description="Mill Lane street lights are too dim at night.",
    )
    IdeaFactory(neighbourhood=area, category_id=category_id(area), title="A youth club")
    resident(app, client)
    first = submit(client, "/n/hill/ideas/new", idea_data(area))
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Is your idea already here?" in page
    assert "Better lighting on Mill Lane" in page and "A youth club" not in page
    # Everything typed is still in the form, and the next send posts it.
    assert 'value="Brighter street lights on Mill Lane"' in page
    assert "people feel unsafe at night.</textarea>" in page
    assert 'name="checked" type="hidden" value="1"' in page
    assert "Post my idea" in page
    assert ideas_count() == 2
    second = submit(client, "/n/hill/ideas/new", {**idea_data(area), "checked": "1"})
    assert second.status_code == 302
    assert ideas_count() == 3


def test_similar_ideas_only_from_this_neighbourhood_and_published(
    app: Flask, client: FlaskClient
) -> None:
    area = board()
    other = board(slug="dale")
    lights = {"title": "Mill Lane street lights", "description": "Lights on Mill Lane are dim."}
    IdeaFactory(neighbourhood=other, category_id=category_id(other), **lights)
    IdeaFactory(neighbourhood=area, category_id=category_id(area), state="rejected", **lights)
    resident(app, client)
    response = submit(client, "/n/hill/ideas/new", idea_data(area))
    assert response.status_code == 302  # nothing similar shown: posted at once


def test_pre_moderation_keeps_the_idea_waiting(app: Flask, client: FlaskClient) -> None:
    area = board(moderation_mode="pre")
    resident(app, client)
    response = submit(client, "/n/hill/ideas/new", idea_data(area))
    page = client.get(response.location).get_data(as_text=True)
    assert "waiting for the partnership to check it" in page
    assert db.session.scalar(select(Idea.state)) == "pending"
    assert "Brighter street lights" not in client.get("/n/hill/ideas/").get_data(as_text=True)
    # Nobody else can see it yet (a fresh app context: the test's own caches the signed-in user).
    with app.app_context():
        assert app.test_client().get(response.location).status_code == 404


def test_signed_out_idea_is_kept_and_resumed_after_sign_in(app: Flask, client: FlaskClient) -> None:
    area = board()
    typed = idea_data(area, title="Benches by the pond", description="Somewhere to sit.")
    response = submit(client, "/n/hill/ideas/new", typed)
    assert response.status_code == 302
    assert response.location == "/sign-in/email?next=/n/hill/ideas/new"
    assert ideas_count() == 0
    assert "We have kept what you typed" in client.get(response.location).get_data(as_text=True)
    after = sign_in_by_link(app, client, "new@example.org", next_url="/n/hill/ideas/new")
    assert after.location == "/n/hill/ideas/new"
    page = client.get(after.location).get_data(as_text=True)
    assert 'value="Benches by the pond"' in page and "Somewhere to sit.</textarea>" in page
    assert f'<option value="{typed["category"]}" selected>' in page
    assert submit(client, "/n/hill/ideas/new", typed).status_code == 302
    assert db.session.scalar(select(Idea.title)) == "Benches by the pond"
    # The draft is gone once posted.
    assert "Benches by the pond" not in client.get("/n/hill/ideas/new").get_data(as_text=True)


def test_a_long_draft_in_any_script_survives_sign_in_outside_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    """2,000 characters of Urdu would not fit in a 4 KB session cookie; the text is kept
    server-side and the cookie carries only a token."""
    area = board()
    description = ("ہمارے محلے میں بچوں کے لیے کھیل کا میدان چاہیے۔ " * 60)[:2000].strip()
    typed = idea_data(area, title="کھیل کا میدان", description=description)
    submit(client, "/n/hill/ideas/new", typed)
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 1000
    assert "کھیل" not in cookie.value
    after = sign_in_by_link(app, client, "new@example.org", next_url="/n/hill/ideas/new")
    page = client.get(after.location).get_data(as_text=True)
    assert f"{description}</textarea>" in page
    # Another browser holding no token sees an empty form.
    with app.app_context():
        assert description not in app.test_client().get("/n/hill/ideas/new").get_data(as_text=True)


def test_a_kept_draft_lasts_a_day(app: Flask, client: FlaskClient) -> None:
    area = board()
    submit(client, "/n/hill/ideas/new", idea_data(area, title="Benches by the pond"))
    db.session.execute(update(KeptDraft).values(created_at=utcnow() - timedelta(days=1, minutes=1)))
    db.session.commit()
    sign_in_by_link(app, client, "new@example.org", next_url="/n/hill/ideas/new")
    assert "Benches by the pond" not in client.get("/n/hill/ideas/new").get_data(as_text=True)
    # The next draft kept by anyone clears the expired one.
    with app.app_context():
        submit(app.test_client(), "/n/hill/ideas/new", idea_data(area, title="Another"))
    assert db.session.scalar(select(func.count(KeptDraft.id))) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for your idea"),
        ({"title": "   "}, "Enter a title for your idea"),
        ({"title": "x" * 121}, "Title must be 120 characters or fewer"),
        ({"description": "   "}, "Describe your idea"),
        ({"description": "x" * 2001}, "Description must be 2000 characters or fewer"),
        ({"category": ""}, "Choose a category"),
        ({"category": "999999"}, "Choose a category from the list"),
        ({"category": "abc"}, "Choose a category from the list"),
        ({"place": "x" * 121}, "Place must be 120 characters or fewer"),
    ],
)
def test_bad_input_is_refused_and_kept(
    app: Flask, client: FlaskClient, changes: dict[str, str], message: str
) -> None:
    area = board()
    resident(app, client)
    response = submit(client, "/n/hill/ideas/new", idea_data(area, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert 'value="Mill Lane, by the bus stop"' in page or "place" in changes
    assert ideas_count() == 0


def test_category_of_another_neighbourhood_is_refused(app: Flask, client: FlaskClient) -> None:
    area = board()
    other = board(slug="dale")
    resident(app, client)
    data = idea_data(area, category=str(category_id(other)))
    page = submit(client, "/n/hill/ideas/new", data).get_data(as_text=True)
    assert "Choose a category from the list" in page
    assert ideas_count() == 0


def test_html_in_an_idea_is_shown_as_text(app: Flask, client: FlaskClient) -> None:
    area = board()
    resident(app, client, name="<b>Sam</b>")
    evil = idea_data(
        area, title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    response = submit(client, "/n/hill/ideas/new", evil)
    for url in (response.location, "/n/hill/ideas/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Sam&lt;/b&gt;" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Idea.title)) == "<script>alert(1)</script>"


def test_new_neighbourhoods_get_the_standard_categories(app: Flask) -> None:
    from consult.neighbourhoods.services import create_neighbourhood

    area = create_neighbourhood("north", "North End")
    db.session.commit()
    names = db.session.scalars(
        select(IdeaCategory.name).where(IdeaCategory.neighbourhood_id == area.id)
    ).all()
    assert len(names) == 8 and "Environment and green spaces" in names
    assert NeighbourhoodFactory().moderation_mode == "post"
