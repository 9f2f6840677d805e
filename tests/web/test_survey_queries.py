"""A survey page sends the same number of SQL statements however many questions it has.

Lazy loading of each question's options once made every page cost a query per question; the
pages load a survey's structure in a fixed number of round trips, so a long survey costs the
database no more statements per page than a short one.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.surveys.building import add_question, add_section
from consult.surveys.models import QuestionKind, Survey
from tests.conftest import csrf_from
from tests.factories import NeighbourhoodFactory
from tests.survey_steps import counted

OPTIONS = ["Every day", "Every week", "Every month", "Less often", "Never"]


def survey_of(questions: int) -> Survey:
    """An open survey of two sections, each with ``questions`` questions of several kinds."""
    survey = Survey(
        neighbourhood_id=NeighbourhoodFactory().id,
        title=f"{questions} questions",
        status="open",
        access_mode="open",
    )
    db.session.add(survey)
    for number in (1, 2):
        section = add_section(survey, f"Part {number}")
        for index in range(questions):
            kind = [QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE][index % 2]
            add_question(section, kind, f"Question {number}.{index}?", OPTIONS, required=True)
    db.session.commit()
    return survey


def walk(client: FlaskClient, survey: Survey) -> dict[str, int]:
    """Answer every section and send; the statements each kind of request sent."""
    base = f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}"
    answers = {f"q{q.id}": str(q.options[0].id) for q in survey.questions}
    sections = len(survey.sections)
    costs: dict[str, int] = {}
    client.get(base)
    for number in range(1, sections + 1):
        with counted() as statements:
            page = client.get(f"{base}/sections/{number}")
        costs[f"GET section {number}"] = len(statements)
        data = {"csrf_token": csrf_from(page.get_data(as_text=True)), **answers}
        with counted() as statements:
            sent = client.post(f"{base}/sections/{number}", data=data)
        assert sent.status_code == 302
        costs[f"POST section {number}"] = len(statements)
    with counted() as statements:
        page = client.get(f"{base}/check")
    costs["GET check"] = len(statements)
    with counted() as statements:
        sent = client.post(f"{base}/check", data={"csrf_token": csrf_from(page.text)})
    assert sent.location.endswith("/thank-you")
    costs["POST check"] = len(statements)
    return costs


def test_statements_do_not_grow_with_the_questions(app: Flask) -> None:
    short_costs = walk(app.test_client(), survey_of(2))
    long_costs = walk(app.test_client(), survey_of(12))
    assert long_costs == short_costs
    # A page is a handful of round trips, not one per question.
    assert max(short_costs.values()) <= 20, short_costs


def test_a_page_reads_its_survey_and_the_residents_draft_in_one_statement(app: Flask) -> None:
    survey = survey_of(2)
    walk(app.test_client(), survey)  # the structure is now kept
    costs = walk(app.test_client(), survey)
    # The page's survey, its neighbourhood and the resident's draft: one statement.
    assert costs["GET section 2"] == 1, costs
    assert costs["GET check"] == 1, costs
