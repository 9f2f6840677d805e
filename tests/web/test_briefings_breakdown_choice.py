"""Members choose which questions briefings and results break down."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.briefings.breakdowns import breakdown_candidates, broken_down
from consult.briefings.tables import briefing_csv
from consult.extensions import db
from consult.surveys.building import add_question, add_section
from consult.surveys.demographics import demographic_questions
from consult.surveys.models import Channel, QuestionKind, Survey, SurveyChange
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_breakdowns import answer, built, with_demographics


@pytest.fixture
def area(app: Flask, auth: AuthActions) -> Any:
    area = NeighbourhoodFactory(disclosure_threshold=3)
    auth.sign_in(staff(area, "member").email)
    staff(area, "officer")
    return area


AGES = ("25 to 34", "35 to 44")


def choice_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}/build/breakdowns"


def ticked(page: str, question_id: int) -> bool:
    start = page.index(f'value="{question_id}"')
    return "checked" in page[start : page.index(">", start)]


def test_every_question_that_can_be_broken_down_is_until_members_choose(
    area: Any, client: FlaskClient
) -> None:
    survey = with_demographics(area)
    single, _multiple, scale, free = survey.questions[:4]
    page = client.get(choice_url(survey)).get_data(as_text=True)
    assert "Which questions should briefings break down?" in page
    assert ticked(page, single.id) and ticked(page, scale.id)
    # Free text and the "About you" questions are not offered.
    assert f'value="{free.id}"' not in page
    assert "What is your age?" not in page
    build = client.get(f"/n/{area.slug}/surveys/{survey.id}/build").get_data(as_text=True)
    assert "Choose which questions are broken down" in build
    assert "Briefings break down every question that can be broken down" in build


def test_only_the_chosen_questions_are_broken_down_everywhere(
    area: Any, client: FlaskClient
) -> None:
    survey = with_demographics(area)
    single, _multiple, scale = survey.questions[:3]
    response = submit(client, choice_url(survey), {"questions": [str(scale.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert (single.broken_down, scale.broken_down) == (False, True)
    for visit in (0, 0, 0, 1, 1, 1):
        for age in AGES:
            answer(survey, visit, age=age)
    about = demographic_questions(survey)["age_band"]
    young, older = (next(o.id for o in about.options if o.label == a) for a in AGES)
    for _ in range(4):
        submit_response(
            survey,
            {single.id: single.options[0].id, scale.id: scale.options[0].id, about.id: young},
        )
        submit_response(
            survey,
            {single.id: single.options[1].id, scale.id: scale.options[1].id, about.id: older},
            Channel.PAPER,
        )
    db.session.commit()
    briefing = built(area)
    questions = {q["id"]: q for q in briefing.content["surveys"][0]["questions"]}
    assert "breakdowns" not in questions[single.id]
    assert {b["by"] for b in questions[scale.id]["breakdowns"]} >= {"age_band", "channel"}
    unchosen = "“How often do you visit?” by"
    chosen = "“I feel safe there.” by age"
    for body in (
        briefing.edition().text_body,
        briefing.edition().html_body,
        briefing_csv(briefing.content),
    ):
        assert unchosen not in body and chosen in body
    # The results page breaks down by channel only the chosen questions too.
    results = f"/n/{area.slug}/surveys/{survey.id}/results"
    page = client.get(results, query_string={"by": "channel"}).get_data(as_text=True)
    assert "Question 1 by channel" not in page and "Question 3 by channel" in page
    csv_text = client.get(f"{results}.csv").get_data(as_text=True)
    assert "Paper: Daily" not in csv_text and "Paper: Agree" in csv_text


def test_choosing_none_leaves_breakdowns_out_and_a_change_after_answers_is_logged(
    area: Any, client: FlaskClient
) -> None:
    survey = survey_with_questions(area)
    single = survey.questions[0]
    submit_response(survey, {single.id: single.options[0].id})
    db.session.commit()
    response = submit(client, choice_url(survey), {})
    assert response.status_code == 302
    db.session.expire_all()
    assert breakdown_candidates(survey) and not broken_down(survey)
    change = db.session.scalar(select(SurveyChange).where(SurveyChange.survey_id == survey.id))
    assert change is not None
    assert change.description == "Breakdowns in briefings changed to: none"
    build = client.get(f"/n/{area.slug}/surveys/{survey.id}/build").get_data(as_text=True)
    assert "Briefings break down none of this survey’s questions." in build
    # Nothing changed: nothing more is logged.
    submit(client, choice_url(survey), {})
    changes = db.session.scalars(select(SurveyChange).where(SurveyChange.survey_id == survey.id))
    assert len(changes.all()) == 1


def test_a_question_of_another_survey_cannot_be_chosen(area: Any, client: FlaskClient) -> None:
    survey = survey_with_questions(area)
    other = survey_with_questions(NeighbourhoodFactory())
    single = survey.questions[0]
    response = submit(
        client, choice_url(survey), {"questions": [str(single.id), str(other.questions[0].id)]}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    db.session.expire_all()
    # Nothing was saved: every question is still broken down.
    assert broken_down(survey) == breakdown_candidates(survey)
    assert broken_down(other) == breakdown_candidates(other)


def test_a_survey_with_nothing_to_break_down_says_so(area: Any, client: FlaskClient) -> None:
    survey = Survey(neighbourhood_id=area.id, title="Ideas", status="open")
    db.session.add(survey)
    add_question(add_section(survey, "Ideas"), QuestionKind.FREE_TEXT, "Any ideas?")
    db.session.commit()
    page = client.get(choice_url(survey)).get_data(as_text=True)
    assert "This survey has no questions that can be broken down yet." in page
