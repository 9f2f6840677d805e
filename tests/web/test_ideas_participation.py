"""Supporting, commenting on and reporting ideas."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.auth.models import User
from consult.extensions import db
from consult.ideas.models import Comment, Idea, IdeaCategory, Report, ReportReason, Support
from consult.ideas.participation import report, support_idea
from tests.conftest import submit
from tests.idea_factories import IdeaFactory, ResidentFactory, board, resident, sign_in_by_link


@pytest.fixture
def idea(app: Flask) -> Idea:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    return IdeaFactory(neighbourhood=area, category_id=category, title="Benches by the pond")


def url(idea: Idea, action: str = "") -> str:
    return f"/n/hill/ideas/{idea.id}" + (f"/{action}" if action else "")


def supports() -> list[tuple[int, int, bool]]:
    return list(db.session.execute(select(Support.idea_id, Support.user_id, Support.notify)))


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id))) or 0


def test_support_once_with_opt_in(app: Flask, client: FlaskClient, idea: Idea) -> None:
    person = resident(app, client)
    response = submit(client, url(idea, "support"), {"notify": "y"}, form_url=url(idea))
    assert response.status_code == 302 and response.location == url(idea)
    page = client.get(url(idea)).get_data(as_text=True)
    assert "Thank you for supporting this idea" in page and "You support this idea" in page
    assert '<strong class="govuk-!-font-size-24">1</strong> person supports' in page
    again = submit(client, url(idea, "support"), {}, form_url=url(idea))
    assert again.status_code == 302
    assert "You already support this idea" in client.get(url(idea)).get_data(as_text=True)
    assert supports() == [(idea.id, person.id, True)]
    submit(client, url(idea, "support/withdraw"), {}, form_url=url(idea))
    assert supports() == []


def test_two_clicks_at_once_store_one_support(app: Flask, idea: Idea) -> None:
    """Two requests race to insert the same support: one row, and neither request fails."""
    # Plain ids: each thread loads its own rows in its own session.
    idea_id, person_id = idea.id, ResidentFactory().id
    barrier = threading.Barrier(2)
    results: list[object] = []

    def click() -> None:
        with app.app_context():
            try:
                target = db.session.get(Idea, idea_id)
                person = db.session.get(User, person_id)
                barrier.wait(timeout=10)
                results.append(support_idea(target, person))
                db.session.commit()
            except Exception as error:  # a failure here is what the test looks for
                results.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [False, True]
    assert count(Support) == 1


def test_signed_out_support_asks_to_sign_in(app: Flask, client: FlaskClient, idea: Idea) -> None:
    response = submit(client, url(idea, "support"), {}, form_url=url(idea))
    assert response.location == f"/sign-in/email?next={url(idea)}"
    assert count(Support) == 0


@pytest.mark.parametrize("state", ["pending", "rejected", "hidden"])
def test_no_support_or_comment_on_an_unpublished_idea(
    app: Flask, client: FlaskClient, idea: Idea, state: str
) -> None:
    resident(app, client)
    form_url = url(idea)
    idea.state = state
    db.session.commit()
    token_page = "/n/hill/ideas/"
    assert submit(client, url(idea, "support"), {}, form_url=token_page).status_code == 404
    assert (
        submit(client, url(idea, "comments"), {"body": "Hello"}, form_url=token_page).status_code
        == 404
    )
    assert form_url and count(Support) == 0 and count(Comment) == 0


def test_no_support_or_comment_on_a_merged_idea(
    app: Flask, client: FlaskClient, idea: Idea
) -> None:
    target = IdeaFactory(neighbourhood=idea.neighbourhood, category_id=idea.category_id)
    resident(app, client)
    idea.state, idea.merged_into_id = "merged", target.id
    db.session.commit()
    assert client.get(url(idea)).location == url(target)
    response = submit(client, url(idea, "support"), {}, form_url="/n/hill/ideas/")
    assert response.status_code == 302 and response.location == url(target)
    response = submit(client, url(idea, "comments"), {"body": "Hi"}, form_url="/n/hill/ideas/")
    assert response.location == url(target)
    assert count(Support) == 0 and count(Comment) == 0


def test_comment_is_posted_and_escaped(app: Flask, client: FlaskClient, idea: Idea) -> None:
    resident(app, client, name="Jo")
    body = "Yes please! <script>alert(1)</script>"
    response = submit(client, url(idea, "comments"), {"body": body}, form_url=url(idea))
    assert response.status_code == 302
    page = client.get(url(idea)).get_data(as_text=True)
    assert "Your comment has been posted" in page and "<strong>Jo</strong>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert db.session.scalar(select(Comment.state)) == "published"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter your comment"),
        ("   ", "Enter your comment"),
        ("x" * 1001, "Comment must be 1000 characters or fewer"),
    ],
)
def test_bad_comment_is_refused_and_kept(
    app: Flask, client: FlaskClient, idea: Idea, body: str, message: str
) -> None:
    resident(app, client)
    response = submit(client, url(idea, "comments"), {"body": body}, form_url=url(idea))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "There is a problem" in page
    if body.strip():
        assert body + "</textarea>" in page
    assert count(Comment) == 0


def test_comment_waits_in_pre_moderation(app: Flask, client: FlaskClient, idea: Idea) -> None:
    idea.neighbourhood.moderation_mode = "pre"
    db.session.commit()
    resident(app, client)
    submit(client, url(idea, "comments"), {"body": "Good idea"}, form_url=url(idea))
    page = client.get(url(idea)).get_data(as_text=True)
    assert "Your comment is waiting for the partnership to check it" in page
    assert "Good idea" in page  # its author sees it, marked as waiting
    with app.app_context():
        assert "Good idea" not in app.test_client().get(url(idea)).get_data(as_text=True)


def test_signed_out_comment_is_kept_through_sign_in(
    app: Flask, client: FlaskClient, idea: Idea
) -> None:
    response = submit(client, url(idea, "comments"), {"body": "Count me in"}, form_url=url(idea))
    assert response.location == f"/sign-in/email?next={url(idea)}"
    assert count(Comment) == 0
    after = sign_in_by_link(app, client, "c@example.org", next_url=url(idea))
    assert after.location == url(idea)
    assert "Count me in</textarea>" in client.get(url(idea)).get_data(as_text=True)


def test_report_an_idea_and_a_comment(app: Flask, client: FlaskClient, idea: Idea) -> None:
    person = resident(app, client)
    comment = Comment(idea_id=idea.id, author_id=ResidentFactory().id, body="Rude words")
    db.session.add(comment)
    db.session.commit()
    assert "Report this comment" in client.get(url(idea)).get_data(as_text=True)
    response = submit(client, url(idea, "report"), {"reason": "spam"})
    assert response.status_code == 302
    assert "will look at your report" in client.get(url(idea)).get_data(as_text=True)
    path = url(idea, f"comments/{comment.id}/report")
    assert "Rude words" in client.get(path).get_data(as_text=True)
    submit(client, path, {"reason": "other", "note": "Name-calling"})
    rows = db.session.execute(
        select(
            Report.idea_id, Report.comment_id, Report.reporter_id, Report.reason, Report.note
        ).order_by(Report.id)
    ).all()
    assert rows == [
        (idea.id, None, person.id, "spam", ""),
        (None, comment.id, person.id, "other", "Name-calling"),
    ]
    again = submit(client, url(idea, "report"), {"reason": "offensive"})
    assert again.status_code == 302
    assert "already reported" in client.get(url(idea)).get_data(as_text=True)
    assert count(Report) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select why you are reporting this"),
        ({"reason": "made-up"}, "Not a valid choice"),
        ({"reason": "other"}, "Tell us why you are reporting this"),
        ({"reason": "other", "note": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_bad_report_is_refused(
    app: Flask, client: FlaskClient, idea: Idea, data: dict, message: str
) -> None:
    resident(app, client)
    response = submit(client, url(idea, "report"), data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert count(Report) == 0


def test_reports_from_enough_people_hide_the_idea(app: Flask, idea: Idea) -> None:
    idea.neighbourhood.report_threshold = 3
    db.session.commit()
    first, second, third = ResidentFactory(), ResidentFactory(), ResidentFactory()
    for person in (first, first, second):  # the same person twice counts once
        report(idea, person, ReportReason.SPAM)
    db.session.commit()
    assert idea.state == "published"
    report(idea, third, ReportReason.OFFENSIVE)
    db.session.commit()
    assert db.session.get(Idea, idea.id).state == "hidden"


def test_reported_comment_is_hidden_at_the_threshold(
    app: Flask, client: FlaskClient, idea: Idea
) -> None:
    idea.neighbourhood.report_threshold = 1
    comment = Comment(idea_id=idea.id, author_id=ResidentFactory().id, body="Spam spam")
    db.session.add(comment)
    db.session.commit()
    resident(app, client)
    submit(client, url(idea, f"comments/{comment.id}/report"), {"reason": "spam"})
    assert db.session.get(Comment, comment.id).state == "hidden"
    with app.app_context():
        assert "Spam spam" not in app.test_client().get(url(idea)).get_data(as_text=True)


def test_reporting_needs_sign_in(app: Flask, client: FlaskClient, idea: Idea) -> None:
    assert client.get(url(idea, "report")).location == f"/sign-in/email?next={url(idea)}"
