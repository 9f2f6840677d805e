"""Helpers for idea board tests: categories, ideas, and residents signed in by email link."""

from __future__ import annotations

import re
from typing import Any

import factory
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.ideas.models import Idea, IdeaCategory
from consult.models import Neighbourhood, User
from tests.conftest import submit
from tests.factories import NeighbourhoodFactory, UserFactory, _Base

LINK_RE = re.compile(r"https://consult\.example(/sign-in/link/\S+)")


class CategoryFactory(_Base):
    class Meta:
        model = IdeaCategory

    class Params:
        neighbourhood = factory.SubFactory(NeighbourhoodFactory)

    neighbourhood_id = factory.SelfAttribute("neighbourhood.id")
    name = factory.Sequence(lambda n: f"Category {n}")


class ResidentFactory(UserFactory):
    """A resident: no password, no memberships."""

    password_hash = None


class IdeaFactory(_Base):
    class Meta:
        model = Idea

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    neighbourhood_id = factory.SelfAttribute("neighbourhood.id")
    category_id = factory.LazyAttribute(lambda o: CategoryFactory(neighbourhood=o.neighbourhood).id)
    author_id = factory.LazyAttribute(lambda o: ResidentFactory().id)
    title = factory.Sequence(lambda n: f"Idea number {n}")
    description = "Something that would make the neighbourhood better."
    state = "published"


def sent_mail(app: Flask) -> list[Any]:
    return getattr(app.extensions["mailman"], "outbox", [])


def link_from_last_email(app: Flask) -> str:
    match = LINK_RE.search(sent_mail(app)[-1].body)
    assert match, "no sign-in link in the email"
    return match.group(1)


def sign_in_by_link(
    app: Flask, client: FlaskClient, email: str, name: str | None = "Sam", next_url: str = ""
) -> Any:
    """Sign a resident in the way they would: ask for a link, open it, choose a name."""
    url = "/sign-in/email" + (f"?next={next_url}" if next_url else "")
    response = submit(client, url, {"email": email})
    assert response.status_code == 302, response.get_data(as_text=True)
    link = link_from_last_email(app)
    response = submit(client, link, {})
    if name is not None and "/account/name" in (response.location or ""):
        response = submit(client, response.location, {"display_name": name})
    return response


def resident(
    app: Flask, client: FlaskClient, email: str = "resident@example.org", name: str = "Sam"
) -> User:
    """A signed-in resident."""
    sign_in_by_link(app, client, email, name)
    user = db.session.scalar(db.select(User).where(User.email == email))
    assert user is not None
    return user


def board(slug: str = "hill", **kwargs: Any) -> Neighbourhood:
    """A neighbourhood with two categories."""
    area = NeighbourhoodFactory(slug=slug, **kwargs)
    CategoryFactory(neighbourhood=area, name="Safety")
    CategoryFactory(neighbourhood=area, name="Young people")
    return area
