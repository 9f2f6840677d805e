"""Joining duplicate ideas: supports move over once per person, comments follow, pages redirect."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consult.extensions import db
from consult.ideas.models import Comment, Idea, IdeaCategory, Support
from consult.moderation.models import ModerationAction
from consult.moderation.services import ModerationError, merge
from tests.conftest import AuthActions, clean_tables, submit
from tests.factories import NeighbourhoodFactory, staff
from tests.idea_factories import IdeaFactory, ResidentFactory, board


@pytest.fixture
def pair(app: Flask) -> dict:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    old = IdeaFactory(neighbourhood=area, category_id=category, title="Bins in the park")
    new = IdeaFactory(neighbourhood=area, category_id=category, title="More park bins")
    both, only_new = ResidentFactory(), ResidentFactory()
    db.session.add_all(
        [
            Support(idea_id=old.id, user_id=both.id),
            Support(idea_id=new.id, user_id=both.id),
            Support(idea_id=new.id, user_id=only_new.id, notify=True),
            Comment(idea_id=new.id, author_id=both.id, body="Yes, by the swings"),
        ]
    )
    db.session.commit()
    return {
        "area": area,
        "old": old,
        "new": new,
        "both": both,
        "only_new": only_new,
        "member": staff(area, "member"),
    }


def merge_url(idea: Idea) -> str:
    return f"/n/hill/moderation/ideas/{idea.id}/merge"


def test_merge_moves_supports_once_and_redirects(
    app: Flask, client: FlaskClient, auth: AuthActions, pair: dict
) -> None:
    old, new = pair["old"], pair["new"]
    auth.sign_in(pair["member"].email)
    response = submit(client, merge_url(new), {"target": str(old.id), "note": "Same idea"})
    assert response.status_code == 302 and response.location == f"/n/hill/ideas/{old.id}"
    supports = db.session.execute(select(Support.idea_id, Support.user_id, Support.notify)).all()
    # "both" supported the two ideas: one support stays. The other person's moves over.
    assert sorted(supports) == sorted(
        [(old.id, pair["both"].id, False), (old.id, pair["only_new"].id, True)]
    )
    assert db.session.scalar(select(Comment.idea_id)) == old.id
    merged = db.session.get(Idea, new.id)
    assert (merged.state, merged.merged_into_id) == ("merged", old.id)
    assert client.get(f"/n/hill/ideas/{new.id}").location == f"/n/hill/ideas/{old.id}"
    page = client.get(f"/n/hill/ideas/{old.id}").get_data(as_text=True)
    assert "Yes, by the swings" in page and "2</strong> people support" in page
    assert "More park bins" not in client.get("/n/hill/ideas/").get_data(as_text=True)
    log = client.get("/n/hill/moderation-log").get_data(as_text=True)
    assert "Joined with a similar idea" in log and "Same idea" in log
    assert db.session.scalar(select(ModerationAction.action)) == "merge"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "cannot be joined with itself"),
        ("", "Choose the idea to join it with"),
        ("abc", "Choose an idea from the list"),
        ("9223372036854775808", "Choose an idea from the list"),  # past any database's integer
        ("²", "Choose an idea from the list"),  # a digit to str.isdigit, not to int
        ("other", "Choose an idea from the list"),
    ],
)
def test_bad_merges_are_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, pair: dict, target: str, message: str
) -> None:
    other = IdeaFactory(neighbourhood=NeighbourhoodFactory(slug="dale"))
    value = {"self": str(pair["new"].id), "other": str(other.id)}.get(target, target)
    auth.sign_in(pair["member"].email)
    response = submit(client, merge_url(pair["new"]), {"target": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "There is a problem" in page
    assert db.session.get(Idea, pair["new"].id).state == "published"
    assert db.session.scalar(select(ModerationAction)) is None


def test_merge_rules_in_the_service(app: Flask, pair: dict) -> None:
    old, new = pair["old"], pair["new"]
    with pytest.raises(ModerationError, match="itself"):
        merge(old, old, pair["member"])
    elsewhere = IdeaFactory(neighbourhood=NeighbourhoodFactory(slug="dale"))
    with pytest.raises(ModerationError, match="this neighbourhood"):
        merge(new, elsewhere, pair["member"])
    old.state = "hidden"
    with pytest.raises(ModerationError, match="published idea"):
        merge(new, old, pair["member"])
    db.session.rollback()


IDEAS, PEOPLE = 4, 4


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    supports=st.sets(st.tuples(st.integers(0, IDEAS - 1), st.integers(0, PEOPLE - 1))),
    merges=st.lists(st.tuples(st.integers(0, IDEAS - 1), st.integers(0, IDEAS - 1)), max_size=6),
)
def test_after_any_merges_each_person_supports_each_idea_once_and_none_is_lost(
    app: Flask, supports: set[tuple[int, int]], merges: list[tuple[int, int]]
) -> None:
    clean_tables()
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    ideas = [IdeaFactory(neighbourhood=area, category_id=category) for _ in range(IDEAS)]
    people = [ResidentFactory() for _ in range(PEOPLE)]
    moderator = staff(area, "member")
    db.session.add_all(Support(idea_id=ideas[i].id, user_id=people[p].id) for i, p in supports)
    db.session.commit()
    final = {idea.id: idea.id for idea in ideas}  # where each idea's supports should end up
    for source, target in merges:
        try:
            merge(ideas[source], ideas[target], moderator)
        except ModerationError:
            db.session.rollback()
            continue
        db.session.commit()
        for idea_id, at in final.items():
            if at == ideas[source].id:
                final[idea_id] = ideas[target].id
    rows = db.session.execute(select(Support.idea_id, Support.user_id)).all()
    assert len(rows) == len(set(rows))  # at most once per person per idea
    expected = {(final[ideas[i].id], people[p].id) for i, p in supports}
    assert set(rows) == expected  # nothing lost, nothing invented
    states = {i.id: i.state for i in db.session.scalars(select(Idea))}
    assert all(states[idea_id] == "published" for idea_id, _ in rows)
    for idea in ideas:
        if states[idea.id] == "merged":
            target = db.session.get(Idea, idea.id).merged_into_id
            assert states[target] == "published"  # a merged idea redirects in one step
