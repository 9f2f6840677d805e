"""A resident answers a survey: stored, counted, every answer kept on error."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.models import Answer, Response
from tests.conftest import csrf_from, submit
from tests.factories import NeighbourhoodFactory, survey_with_questions


def ids(survey):
    single, multiple, scale, free = survey.questions
    return single, multiple, scale, free


def test_neighbourhood_page_lists_open_surveys_only(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(name="Hillside")
    survey_with_questions(area)
    draft = survey_with_questions(area, status="draft")
    draft.title = "Secret draft"
    db.session.commit()
    page = client.get(f"/n/{area.slug}/").get_data(as_text=True)
    assert "Parks survey" in page
    assert "Secret draft" not in page
    assert "Hillside" in client.get("/").get_data(as_text=True)


def test_resident_answers_and_gets_a_reference(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    single, multiple, scale, free = ids(survey)
    url = f"/n/{area.slug}/surveys/{survey.id}"
    response = submit(
        client,
        url,
        {
            f"q{single.id}": str(single.options[1].id),
            f"q{multiple.id}": [str(multiple.options[0].id), str(multiple.options[2].id)],
            f"q{scale.id}": str(scale.options[0].id),
            f"q{free.id}": "More bins please",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Thank you, your answers have been sent" in page
    reference = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", page).group(1)
    stored = db.session.scalar(select(Response).where(Response.reference == reference))
    assert stored.survey_id == survey.id and stored.channel == "online"
    rows = {(a.question_id, a.option_id, a.text) for a in stored.answers}
    assert rows == {
        (single.id, single.options[1].id, None),
        (multiple.id, multiple.options[0].id, None),
        (multiple.id, multiple.options[2].id, None),
        (scale.id, scale.options[0].id, None),
        (free.id, None, "More bins please"),
    }


def test_rejected_form_keeps_every_answer_and_names_each_problem(
    app: Flask, client: FlaskClient
) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    single, multiple, scale, free = ids(survey)
    url = f"/n/{area.slug}/surveys/{survey.id}"
    typed = "x" * 201  # over the 200-character limit
    response = submit(
        client,
        url,
        {
            f"q{multiple.id}": [str(multiple.options[1].id)],
            f"q{free.id}": typed,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Select an answer to") >= 2  # single and scale, summary and field
    assert "must be 200 characters or fewer" in page
    # Kept: the ticked box and the text.
    assert re.search(rf'value="{multiple.options[1].id}"\s+checked', page)
    assert typed in page
    assert "<title>Error:" in page
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_forged_option_from_another_question_is_refused(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    single, multiple, scale, free = ids(survey)
    response = submit(
        client,
        f"/n/{area.slug}/surveys/{survey.id}",
        {
            f"q{single.id}": str(multiple.options[0].id),
            f"q{scale.id}": str(scale.options[0].id),
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_submission_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    response = client.post(f"/n/{area.slug}/surveys/{survey.id}", data={})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_unavailable_surveys(app: Flask, client: FlaskClient, status: str) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area, status=status)
    response = client.get(f"/n/{area.slug}/surveys/{survey.id}")
    if status == "draft":
        assert response.status_code == 404
    else:
        assert "This survey has closed" in response.get_data(as_text=True)


def test_survey_of_another_neighbourhood_is_not_found(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    other = NeighbourhoodFactory()
    assert client.get(f"/n/{other.slug}/surveys/{survey.id}").status_code == 404


def test_text_is_escaped_on_the_page(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(name="<script>alert(1)</script>")
    survey_with_questions(area)
    page = client.get(f"/n/{area.slug}/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_submissions_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["SUBMIT_RATE_LIMIT"] = "3 per minute"
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    url = f"/n/{area.slug}/surveys/{survey.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    codes = [client.post(url, data={"csrf_token": token}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
