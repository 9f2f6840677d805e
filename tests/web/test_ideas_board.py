"""The idea board: sorting, filtering, pagination, the idea page, categories."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import IdeaCategory, StatusChange, Support
from consult.ideas.services import PER_PAGE
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, UserFactory, staff
from tests.idea_factories import CategoryFactory, IdeaFactory, ResidentFactory, board, resident

TITLE_RE = re.compile(r'href="/n/hill/ideas/\d+">([^<]+)</a>')


def titles(client: FlaskClient, query: str = "") -> list[str]:
    response = client.get("/n/hill/ideas/" + query)
    assert response.status_code == 200
    return TITLE_RE.findall(response.get_data(as_text=True))


def supported_by(idea, count: int) -> None:
    for _ in range(count):
        db.session.add(Support(idea_id=idea.id, user_id=ResidentFactory().id))
    db.session.commit()


@pytest.fixture
def three(app: Flask) -> dict:
    area = board()
    safety, youth = db.session.scalars(select(IdeaCategory).order_by(IdeaCategory.name)).all()
    now = utcnow()
    old = IdeaFactory(
        neighbourhood=area,
        category_id=safety.id,
        title="Old but loved",
        created_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=30),
    )
    middle = IdeaFactory(
        neighbourhood=area,
        category_id=youth.id,
        title="Middle and updated",
        created_at=now - timedelta(days=10),
        updated_at=now,
        status="shortlisted",
    )
    IdeaFactory(
        neighbourhood=area,
        category_id=safety.id,
        title="Brand new",
        created_at=now - timedelta(days=1),
        updated_at=now - timedelta(days=1),
    )
    IdeaFactory(neighbourhood=area, category_id=safety.id, title="Waiting", state="pending")
    IdeaFactory(neighbourhood=area, category_id=safety.id, title="Refused", state="rejected")
    IdeaFactory(neighbourhood=area, category_id=safety.id, title="Hidden", state="hidden")
    supported_by(old, 3)
    supported_by(middle, 1)
    return {"area": area, "safety": safety, "youth": youth, "old": old}


def test_board_sorts_published_ideas(app: Flask, client: FlaskClient, three: dict) -> None:
    assert titles(client) == ["Old but loved", "Middle and updated", "Brand new"]
    assert titles(client, "?sort=newest") == ["Brand new", "Middle and updated", "Old but loved"]
    assert titles(client, "?sort=updated") == ["Middle and updated", "Brand new", "Old but loved"]
    page = client.get("/n/hill/ideas/").get_data(as_text=True)
    assert "3 supporters" in page and "1 supporter<" in page and "3 ideas" in page
    assert "Shortlisted" in page


def test_board_filters_by_category_and_status(app: Flask, client: FlaskClient, three: dict) -> None:
    assert titles(client, f"?category={three['youth'].id}") == ["Middle and updated"]
    assert titles(client, "?status=shortlisted") == ["Middle and updated"]
    assert titles(client, "?status=new&sort=newest") == ["Brand new", "Old but loved"]
    assert titles(client, f"?category={three['safety'].id}&status=done") == []
    page = client.get(f"/n/hill/ideas/?category={three['youth'].id}").get_data(as_text=True)
    assert f'<option value="{three["youth"].id}" selected>' in page


@pytest.mark.parametrize(
    "query",
    [
        "?sort=evil",
        "?category=abc",
        "?category=99999",
        "?category=%C2%B2",  # "²": a digit to str.isdigit, not to int
        "?status=<b>",
        "?page=-3",
        "?page=abc",
        "?page=99999999999999999999",
    ],
)
def test_unknown_filters_are_ignored(
    app: Flask, client: FlaskClient, three: dict, query: str
) -> None:
    assert titles(client, query) == ["Old but loved", "Middle and updated", "Brand new"]


def test_category_of_another_neighbourhood_filters_nothing(
    app: Flask, client: FlaskClient, three: dict
) -> None:
    other = CategoryFactory(neighbourhood=NeighbourhoodFactory(slug="dale"))
    assert len(titles(client, f"?category={other.id}")) == 3


def test_board_pages(app: Flask, client: FlaskClient) -> None:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    start = utcnow()
    for n in range(PER_PAGE + 5):
        IdeaFactory(
            neighbourhood=area,
            category_id=category,
            title=f"Idea {n:02d}",
            created_at=start + timedelta(minutes=n),
        )
    first = titles(client, "?sort=newest")
    second = titles(client, "?sort=newest&page=2")
    assert len(first) == PER_PAGE and len(second) == 5
    assert first[0] == f"Idea {PER_PAGE + 4:02d}" and second[-1] == "Idea 00"
    page = client.get("/n/hill/ideas/?sort=newest").get_data(as_text=True)
    assert "page=2" in page and "sort=newest" in page and "Next" in page
    assert titles(client, "?sort=newest&page=9") == second  # past the end: the last page


def test_idea_page_shows_supports_comments_and_answers(
    app: Flask, client: FlaskClient, three: dict
) -> None:
    old = three["old"]
    db.session.add(StatusChange(idea_id=old.id, status="shortlisted", answer="We will cost it."))
    db.session.commit()
    page = client.get(f"/n/hill/ideas/{old.id}").get_data(as_text=True)
    assert "Old but loved" in page and '<strong class="govuk-!-font-size-24">3</strong>' in page
    assert "We will cost it." in page and "Shortlisted" in page
    assert "No comments yet." in page


@pytest.mark.parametrize("state", ["pending", "rejected", "hidden"])
def test_unpublished_ideas_are_not_found(
    app: Flask, client: FlaskClient, three: dict, state: str
) -> None:
    idea = IdeaFactory(neighbourhood=three["area"], category_id=three["safety"].id, state=state)
    assert client.get(f"/n/hill/ideas/{idea.id}").status_code == 404


def test_ideas_of_another_neighbourhood_are_not_found(
    app: Flask, client: FlaskClient, three: dict
) -> None:
    NeighbourhoodFactory(slug="dale")
    assert client.get(f"/n/dale/ideas/{three['old'].id}").status_code == 404
    assert client.get("/n/nowhere/ideas/").status_code == 404


def test_neighbourhood_page_links_to_the_board(app: Flask, client: FlaskClient) -> None:
    board()
    assert 'href="/n/hill/ideas/"' in client.get("/n/hill/").get_data(as_text=True)


def test_members_manage_categories(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = board()
    member = staff(area, "member")
    auth.sign_in(member.email)
    assert submit(client, "/n/hill/ideas/categories", {"name": "Litter"}).status_code == 302
    page = client.get("/n/hill/ideas/categories").get_data(as_text=True)
    assert "‘Litter’ has been added" in page
    again = submit(client, "/n/hill/ideas/categories", {"name": "litter "})
    assert "There is already a category with this name" in again.get_data(as_text=True)
    empty = submit(client, "/n/hill/ideas/categories", {"name": "  "})
    assert "Enter the name of the category" in empty.get_data(as_text=True)
    safety = db.session.scalar(select(IdeaCategory).where(IdeaCategory.name == "Safety"))
    litter = db.session.scalar(select(IdeaCategory).where(IdeaCategory.name == "Litter"))
    IdeaFactory(neighbourhood=area, category_id=safety.id)
    form = "/n/hill/ideas/categories"
    submit(client, f"/n/hill/ideas/categories/{safety.id}/remove", {}, form_url=form)
    assert "cannot be removed" in client.get(form).get_data(as_text=True)
    submit(client, f"/n/hill/ideas/categories/{litter.id}/remove", {}, form_url=form)
    names = set(db.session.scalars(select(IdeaCategory.name)))
    assert names == {"Safety", "Young people"}


def test_a_category_name_beyond_ascii_is_refused_twice_not_a_500(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """SQLite's lower() leaves "É" alone, so the case-blind check alone let a second "Élan"
    through to the unique constraint (found by the form fuzzer)."""
    area = board()
    auth.sign_in(staff(area, "member").email)
    assert submit(client, "/n/hill/ideas/categories", {"name": "Élan"}).status_code == 302
    again = submit(client, "/n/hill/ideas/categories", {"name": "Élan"})
    assert again.status_code == 200
    assert "There is already a category with this name" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(IdeaCategory.name == "Élan")) == 1


def test_category_page_access(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = board()
    other = board(slug="dale")
    dale_safety = db.session.scalar(
        select(IdeaCategory.id).where(IdeaCategory.neighbourhood_id == other.id)
    )
    assert client.get("/n/hill/ideas/categories").status_code == 302  # sign in first
    officer = staff(area, "officer")
    outsider = staff(other, "member")
    UserFactory(email="admin@example.org", is_admin=True)
    expected = {officer.email: 403, outsider.email: 404, "admin@example.org": 200}
    for email, code in expected.items():
        with app.app_context():
            auth.sign_in(email)
            assert client.get("/n/hill/ideas/categories").status_code == code, email
            auth.sign_out()
    # A member of hill cannot remove dale's category through hill's address.
    member = staff(area, "member")
    with app.app_context():
        auth.sign_in(member.email)
        form = "/n/hill/ideas/categories"
        response = submit(
            client, f"/n/hill/ideas/categories/{dale_safety}/remove", {}, form_url=form
        )
        assert response.status_code == 404
    assert db.session.scalar(select(func.count(IdeaCategory.id))) == 4


def test_residents_get_403_on_category_page(app: Flask, client: FlaskClient) -> None:
    board()
    resident(app, client)
    assert client.get("/n/hill/ideas/categories").status_code == 403
