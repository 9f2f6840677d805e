"""The partnership's answers: a status for an idea, emailed once, and "You said, we did"."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.ideas.models import Idea, IdeaCategory, StatusChange, Support, SurveyOutcome
from consult.moderation.models import Notification
from consult.moderation.notifications import deliver
from tests.conftest import AuthActions, submit
from tests.factories import staff, survey_with_questions
from tests.idea_factories import IdeaFactory, ResidentFactory, board, sent_mail


@pytest.fixture
def scene(app: Flask) -> dict:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    author = ResidentFactory(email="author@example.org")
    idea = IdeaFactory(
        neighbourhood=area, category_id=category, author_id=author.id, title="A <b>bold</b> plan"
    )
    keen, quiet = ResidentFactory(email="keen@example.org"), ResidentFactory()
    db.session.add_all(
        [
            Support(idea_id=idea.id, user_id=keen.id, notify=True),
            Support(idea_id=idea.id, user_id=quiet.id, notify=False),
            Support(idea_id=idea.id, user_id=author.id, notify=True),
        ]
    )
    db.session.commit()
    return {"area": area, "idea": idea, "member": staff(area, "member")}


def status_url(idea: Idea) -> str:
    return f"/n/hill/moderation/ideas/{idea.id}/status"


def test_answer_is_public_and_emailed_once_to_who_asked(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    idea = scene["idea"]
    auth.sign_in(scene["member"].email)
    answer = "We will fund it <script>x</script> in spring."
    response = submit(client, status_url(idea), {"status": "shortlisted", "answer": answer})
    assert response.status_code == 302 and response.location == f"/n/hill/ideas/{idea.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "The answer is published" in page and "Shortlisted" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert db.session.get(Idea, idea.id).status == "shortlisted"
    notifications = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    # The author (who also supports it) once, the supporter who opted in; not the quiet one.
    assert sorted(n.user.email for n in notifications) == ["author@example.org", "keen@example.org"]
    before = len(sent_mail(app))
    for notification in notifications:
        assert deliver(notification.id) == "sent"
        assert deliver(notification.id) == "skipped"
    mails = sent_mail(app)[before:]
    assert sorted(m.to[0] for m in mails) == ["author@example.org", "keen@example.org"]
    assert "New status: Shortlisted" in mails[0].body and answer in mails[0].body
    html = mails[0].alternatives[0][0]
    assert "A &lt;b&gt;bold&lt;/b&gt; plan" in html and "&lt;script&gt;" in html
    assert f"https://consult.example/n/hill/ideas/{idea.id}" in mails[0].body


def test_each_change_is_its_own_email_and_history(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    idea = scene["idea"]
    auth.sign_in(scene["member"].email)
    submit(client, status_url(idea), {"status": "in_progress", "answer": "Started."})
    submit(client, status_url(idea), {"status": "done", "answer": "Finished."})
    assert len(db.session.scalars(select(StatusChange)).all()) == 2
    assert len(db.session.scalars(select(Notification)).all()) == 4
    page = client.get(f"/n/hill/ideas/{idea.id}").get_data(as_text=True)
    assert page.index("Finished.") < page.index("Started.")
    said = client.get("/n/hill/ideas/you-said-we-did").get_data(as_text=True)
    assert "Finished." in said and "Started." not in said and "Done" in said


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": "Yes"}, "Choose a status"),
        ({"status": "made-up", "answer": "Yes"}, "Not a valid choice"),
        ({"status": "done", "answer": "  "}, "Write the partnership"),
        ({"status": "done", "answer": "x" * 2001}, "Answer must be 2000 characters or fewer"),
    ],
)
def test_bad_answer_is_refused_and_kept(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict, data: dict, message: str
) -> None:
    auth.sign_in(scene["member"].email)
    response = submit(client, status_url(scene["idea"]), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "There is a problem" in page
    if data.get("answer") == "Yes":
        assert "Yes</textarea>" in page
    assert db.session.scalar(select(StatusChange)) is None


def test_unpublished_idea_cannot_be_answered(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    scene["idea"].state = "hidden"
    db.session.commit()
    auth.sign_in(scene["member"].email)
    response = submit(client, status_url(scene["idea"]), {"status": "done", "answer": "Done"})
    assert "Only a published idea can be given a status" in response.get_data(as_text=True)
    assert db.session.scalar(select(Notification)) is None


def test_you_said_we_did_is_public_and_lists_only_answered_ideas(
    app: Flask, client: FlaskClient, scene: dict
) -> None:
    page = client.get("/n/hill/ideas/you-said-we-did").get_data(as_text=True)
    assert "has not answered any ideas yet" in page
    db.session.add(StatusChange(idea_id=scene["idea"].id, status="done", answer="Built it."))
    scene["idea"].status = "done"
    db.session.commit()
    page = client.get("/n/hill/ideas/you-said-we-did").get_data(as_text=True)
    assert "A &lt;b&gt;bold&lt;/b&gt; plan" in page and "Built it." in page


def test_members_add_what_a_survey_led_to(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    survey = survey_with_questions(scene["area"])
    other_survey = survey_with_questions(board(slug="dale"))
    auth.sign_in(scene["member"].email)
    url = "/n/hill/ideas/you-said-we-did/new"
    forged = submit(
        client, url, {"survey": str(other_survey.id), "you_said": "a", "we_did": "b"}
    ).get_data(as_text=True)
    assert "Choose a survey from the list" in forged
    empty = submit(client, url, {"survey": "", "you_said": "  ", "we_did": "x" * 1001})
    page = empty.get_data(as_text=True)
    assert "Enter what people said" in page and "1000 characters or fewer" in page
    data = {"survey": str(survey.id), "you_said": "The park is <i>dark</i>", "we_did": "New lights"}
    assert submit(client, url, data).status_code == 302
    with app.app_context():
        public = app.test_client().get("/n/hill/ideas/you-said-we-did").get_data(as_text=True)
    assert "Parks survey" in public and "New lights" in public
    assert "&lt;i&gt;dark&lt;/i&gt;" in public
    assert db.session.scalar(select(SurveyOutcome.survey_id)) == survey.id


def test_only_members_add_survey_outcomes(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: dict
) -> None:
    officer = staff(scene["area"], "officer")
    auth.sign_in(officer.email)
    assert client.get("/n/hill/ideas/you-said-we-did/new").status_code == 403
