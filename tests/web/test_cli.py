"""The consult command line."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from consult.auth.models import User
from consult.briefings.models import Briefing
from consult.briefings.services import Period, briefing_content
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import Idea
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Survey
from consult.surveys.translation_models import SurveyTranslation


def test_seed_demo_is_idempotent_and_prints_sign_in_details(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "member@demo.example.org" in first.output and "demo-member-password" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "Kept the demo neighbourhood" in second.output
    assert db.session.scalar(select(func.count(Neighbourhood.id))) == 1
    # Three staff accounts to sign in with, and nine sample residents behind the sample ideas.
    assert db.session.scalar(select(func.count(User.id))) == 3 + 9
    assert db.session.scalar(select(func.count(Idea.id))) == 3
    survey = db.session.scalar(select(Survey))
    assert survey.status == "open" and len(survey.sections) == 4 and len(survey.questions) == 17
    # The ready "About you" section comes in the residents' languages.
    about_you = survey.sections[-1]
    titles = db.session.scalars(
        select(SurveyTranslation.text).where(
            SurveyTranslation.thing == "section",
            SurveyTranslation.thing_id == about_you.id,
            SurveyTranslation.field == "title",
        )
    )
    assert set(titles) == {"O Tobie", "آپ کے بارے میں"}


def test_create_neighbourhood_and_admin(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-neighbourhood", "--slug", "north", "--name", "North End"])
    assert result.exit_code == 0 and "/n/north/" in result.output
    again = runner.invoke(args=["create-neighbourhood", "--slug", "north", "--name", "X"])
    assert again.exit_code != 0 and "exists already" in again.output
    short = runner.invoke(args=["create-admin", "--email", "a@example.org", "--password", "short"])
    assert short.exit_code != 0
    ok = runner.invoke(
        args=["create-admin", "--email", "A@example.org", "--password", "a long admin password"]
    )
    assert ok.exit_code == 0, ok.output
    assert db.session.scalar(select(User).where(User.email == "a@example.org")).is_admin


def test_briefing_send_queues_a_briefing(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["briefing", "send", "demo"])
    assert result.exit_code == 0 and "queued" in result.output
    assert db.session.scalar(select(Briefing)).status == "pending"
    missing = runner.invoke(args=["briefing", "send", "nowhere"])
    assert missing.exit_code != 0 and "no neighbourhood" in missing.output


def test_the_demo_briefing_shows_who_was_heard_and_weighted_results(app: Flask) -> None:
    """The demo has a population profile and respondents who said who they are, skewed as real
    ones often are: its briefing has groups to name as under-represented and weighting to do."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    neighbourhood = db.session.scalar(select(Neighbourhood))
    period = Period(neighbourhood.created_at - timedelta(days=1), utcnow())
    with app.test_request_context():
        content = briefing_content(neighbourhood, period)
    survey = content["surveys"][0]
    assert {group["variable"] for group in survey["heard"]["groups"]} == {
        "age_band",
        "sex",
        "ethnic_group",
    }
    under = [row for group in survey["heard"]["groups"] for row in group["under"]]
    assert any(row["category"] == "Under 16" for row in under)
    assert survey["weighting"]["shown"] and survey["weighting"]["effective_sample_size"] > 10
    assert any(question.get("weighted") for question in survey["questions"])
