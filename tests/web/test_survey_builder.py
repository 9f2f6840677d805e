"""Partnership members build a survey: sections, questions, skip logic, order, dates,
preview and publishing; changes that would corrupt stored answers are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.surveys.building import add_question, add_section
from consult.surveys.models import QuestionKind, Survey, SurveyChange
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions


@pytest.fixture
def member(app: Flask, auth: AuthActions) -> Any:
    area = NeighbourhoodFactory()
    user = staff(area, "member")
    auth.sign_in(user.email)
    return area


def build_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}/build"


def new_question(client: FlaskClient, survey: Survey, section_id: int, **data: Any) -> Any:
    url = f"{build_url(survey)}/sections/{section_id}/questions/new"
    return submit(client, url, data)


def test_member_creates_a_survey_with_dates_in_london_time(
    client: FlaskClient, member: Any
) -> None:
    response = submit(
        client,
        f"/n/{member.slug}/surveys/new",
        {
            "title": "Bins",
            "description": "About bins",
            "privacy_notice": "Kept a year",
            "opens_on": "1/7/2027",
            "closes_on": "31/7/2027",
        },
    )
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.status == "draft" and len(survey.sections) == 1
    # Midnight in London in summer is 23:00 UTC the day before.
    assert survey.opens_at == datetime(2027, 6, 30, 23, 0, tzinfo=UTC)
    assert survey.closes_at == datetime(2027, 7, 31, 23, 0, tzinfo=UTC)
    page = client.get(build_url(survey)).get_data(as_text=True)
    assert "1 July 2027" in page


def test_bad_dates_are_explained(client: FlaskClient, member: Any) -> None:
    page = submit(
        client,
        f"/n/{member.slug}/surveys/new",
        {"title": "Bins", "opens_on": "31/2/2027", "closes_on": "1/1/2027"},
    ).get_data(as_text=True)
    assert "Enter the opening date as a real date, like 27/3/2027" in page
    assert "31/2/2027" in page


def test_member_adds_questions_of_each_kind_with_skip_logic(
    client: FlaskClient, member: Any
) -> None:
    submit(client, f"/n/{member.slug}/surveys/new", {"title": "Bins"})
    survey = db.session.scalar(select(Survey))
    section = survey.sections[0]
    response = new_question(
        client, survey, section.id, kind="yes_no", text="Do you recycle?", required="y"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    recycle = survey.questions[0]
    assert [o.label for o in recycle.options] == ["Yes", "No"]
    new_question(
        client,
        survey,
        section.id,
        kind="scale",
        text="Collections are reliable.",
        options="Agree\nNeither\nDisagree",
        dont_know="y",
        show_if=f"{recycle.id}:{recycle.options[0].id}",
    )
    new_question(
        client,
        survey,
        section.id,
        kind="number",
        text="How many bins?",
        min_value="0",
        max_value="9",
    )
    db.session.expire_all()
    scale = survey.questions[1]
    assert [(o.label, o.value, o.role) for o in scale.options] == [
        ("Agree", 3, None),
        ("Neither", 2, None),
        ("Disagree", 1, None),
        ("Don't know", None, "dont_know"),
    ]
    assert (scale.show_if_question_id, scale.show_if_option_id) == (
        recycle.id,
        recycle.options[0].id,
    )
    assert [q.position for q in survey.questions] == [1, 2, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "single_choice", "text": "Q", "options": "Only one"}, "at least 2 answers"),
        ({"kind": "multiple_choice", "text": "Q", "options": "A\nA"}, "must be different"),
        ({"kind": "number", "text": "Q", "min_value": "5", "max_value": "1"}, "must not be"),
        ({"kind": "sideways", "text": "Q"}, "Choose the kind of question from the list"),
        ({"kind": "free_text", "text": ""}, "Enter the question"),
        ({"kind": "free_text", "text": "Q", "show_if": "1:2"}, "Choose when to show it"),
    ],
)
def test_question_form_problems(
    client: FlaskClient, member: Any, data: dict[str, str], message: str
) -> None:
    submit(client, f"/n/{member.slug}/surveys/new", {"title": "Bins"})
    survey = db.session.scalar(select(Survey))
    page = new_question(client, survey, survey.sections[0].id, **data).get_data(as_text=True)
    assert "There is a problem" in page and message in page


def test_reorder_and_remove_questions_and_sections(client: FlaskClient, member: Any) -> None:
    survey = survey_with_questions(member, status="draft")
    first, second = survey.questions[0], survey.questions[1]
    submit(client, f"{build_url(survey)}/questions/{first.id}/down", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert [q.id for q in survey.questions][:2] == [second.id, first.id]
    submit(
        client,
        f"{build_url(survey)}/sections/new",
        {"title": "More"},
        form_url=build_url(survey) + "/sections/new",
    )
    db.session.expire_all()
    assert [s.title for s in survey.sections] == ["Your answers", "More"]
    more = survey.sections[1]
    submit(client, f"{build_url(survey)}/sections/{more.id}/up", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert [s.title for s in survey.sections] == ["More", "Your answers"]
    submit(
        client, f"{build_url(survey)}/questions/{first.id}/remove", {}, form_url=build_url(survey)
    )
    submit(client, f"{build_url(survey)}/sections/{more.id}/remove", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert len(survey.questions) == 3 and len(survey.sections) == 1
    assert [q.position for q in survey.questions] == [1, 2, 3]


def test_a_move_that_would_put_a_condition_after_its_question_is_refused(
    client: FlaskClient, member: Any
) -> None:
    survey = survey_with_questions(member, status="draft")
    first, second = survey.questions[0], survey.questions[1]
    second.show_if_question_id, second.show_if_option_id = first.id, first.options[0].id
    db.session.commit()
    page = submit(
        client, f"{build_url(survey)}/questions/{first.id}/down", {}, form_url=build_url(survey)
    )
    db.session.expire_all()
    assert [q.id for q in survey.questions][:2] == [first.id, second.id]
    message = client.get(page.location).get_data(as_text=True)
    assert "so it must come after it. Nothing was moved." in message
    # A section shown depending on a question cannot move above that question's section.
    submit(
        client,
        f"{build_url(survey)}/sections/new",
        {"title": "More"},
        form_url=build_url(survey) + "/sections/new",
    )
    db.session.expire_all()
    more = survey.sections[1]
    more.show_if_question_id, more.show_if_option_id = first.id, first.options[0].id
    db.session.commit()
    submit(client, f"{build_url(survey)}/sections/{more.id}/up", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert [s.title for s in survey.sections] == ["Your answers", "More"]


def test_once_answered_corrupting_changes_are_refused_and_wording_fixes_logged(
    client: FlaskClient, member: Any
) -> None:
    survey = survey_with_questions(member)
    single, multiple = survey.questions[0], survey.questions[1]
    submit_response(
        survey, {single.id: single.options[2].id, multiple.id: [multiple.options[2].id]}
    )
    db.session.commit()
    url = f"{build_url(survey)}/questions/{multiple.id}"
    # Removing an answered option ("Toilets").
    page = submit(
        client, url, {"kind": "multiple_choice", "text": multiple.text, "options": "Seats\nLights"}
    ).get_data(as_text=True)
    assert "‘Toilets’ has been chosen in 1 response, so it cannot be removed" in page
    # Changing the kind.
    page = submit(client, url, {"kind": "free_text", "text": multiple.text}).get_data(as_text=True)
    assert "its kind cannot change" in page
    # Removing an answered question.
    page = submit(
        client,
        f"{build_url(survey)}/questions/{single.id}/remove",
        {},
        form_url=build_url(survey),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "has 1 stored answer, so it cannot be removed" in page
    db.session.expire_all()
    assert [o.label for o in multiple.options] == ["Seats", "Lights", "Toilets"]
    # A wording fix is allowed, keeps the answers' option, and is logged.
    response = submit(
        client,
        url,
        {
            "kind": "multiple_choice",
            "text": "What would help most?",
            "options": "Seats\nLights\nPublic toilets",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [o.label for o in multiple.options][2] == "Public toilets"
    logged = db.session.scalars(select(SurveyChange.description)).all()
    assert any("Toilets’ to ‘Public toilets" in d for d in logged)
    assert any("What would help most?" in d for d in logged)
    assert "Public toilets" in client.get(build_url(survey)).get_data(as_text=True)


def test_preview_shows_the_residents_page_and_stores_nothing(
    client: FlaskClient, member: Any
) -> None:
    survey = survey_with_questions(member, status="draft")
    page = client.get(f"/n/{member.slug}/surveys/{survey.id}/preview/1").get_data(as_text=True)
    assert "Preview: this is how residents see this page" in page
    assert "How often do you visit?" in page
    response = submit(client, f"/n/{member.slug}/surveys/{survey.id}/preview/1", {})
    assert "Select an answer to ‘How often do you visit?’" in response.get_data(as_text=True)


def test_publish_and_close(client: FlaskClient, member: Any) -> None:
    survey = survey_with_questions(member, status="draft")
    submit(client, f"{build_url(survey)}/publish", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert survey.status == "open" and survey.opens_at is not None
    assert client.get(f"/n/{member.slug}/surveys/{survey.id}").status_code == 200
    submit(client, f"{build_url(survey)}/close", {}, form_url=build_url(survey))
    db.session.expire_all()
    assert survey.status == "closed" and survey.closes_at is not None


def press_publish(client: FlaskClient, survey: Survey) -> str:
    """Press "Publish the survey" on the build page; the page that follows."""
    return submit(
        client,
        f"{build_url(survey)}/publish",
        {},
        form_url=build_url(survey),
        follow_redirects=True,
    ).get_data(as_text=True)


def test_empty_survey_cannot_be_published(client: FlaskClient, member: Any) -> None:
    submit(client, f"/n/{member.slug}/surveys/new", {"title": "Bins"})
    survey = db.session.scalar(select(Survey))
    page = press_publish(client, survey)
    assert "Add at least one question before publishing" in page


def test_a_survey_with_an_empty_section_cannot_be_published(
    client: FlaskClient, member: Any
) -> None:
    """The new survey's own "Section 1" left empty beside a section with questions."""
    submit(client, f"/n/{member.slug}/surveys/new", {"title": "Bins"})
    survey = db.session.scalar(select(Survey))
    add_question(add_section(survey, "Your street"), QuestionKind.YES_NO, "Are the bins full?", [])
    db.session.commit()
    page = press_publish(client, survey)
    assert "Section ‘Section 1’ has no questions." in page
    db.session.expire_all()
    assert survey.status == "draft"


@pytest.mark.parametrize("who", ["officer", "other_member", "anonymous"])
def test_only_this_neighbourhoods_members_build(
    app: Flask, client: FlaskClient, auth: AuthActions, who: str
) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area, status="draft")
    if who == "officer":
        auth.sign_in(staff(area, "officer").email)
    elif who == "other_member":
        auth.sign_in(staff(NeighbourhoodFactory(), "member").email)
    response = client.get(build_url(survey))
    assert response.status_code == (302 if who == "anonymous" else 404)


def test_ids_of_another_survey_are_not_found(client: FlaskClient, member: Any) -> None:
    survey = survey_with_questions(member, status="draft")
    other = survey_with_questions(member, status="draft")
    assert client.get(f"{build_url(survey)}/questions/{other.questions[0].id}").status_code == 404
    assert client.get(f"{build_url(survey)}/sections/{other.sections[0].id}").status_code == 404


def test_builder_escapes_html(client: FlaskClient, member: Any) -> None:
    submit(client, f"/n/{member.slug}/surveys/new", {"title": "<script>alert(1)</script>"})
    survey = db.session.scalar(select(Survey))
    page = client.get(build_url(survey)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_demographics_section_is_added_once_all_optional_with_prefer_not_to_say(
    client: FlaskClient, member: Any
) -> None:
    survey = survey_with_questions(member, status="draft")
    url = f"{build_url(survey)}/demographics"
    submit(client, url, {}, form_url=build_url(survey))
    page = submit(client, url, {}, form_url=build_url(survey), follow_redirects=True)
    assert "already has the ‘About you’ section" in page.get_data(as_text=True)
    db.session.expire_all()
    assert [s.title for s in survey.sections] == ["Your answers", "About you"]
    about = survey.sections[1]
    assert "special category data" in about.intro
    assert len(about.questions) == 8
    for question in about.questions:
        assert not question.required
        assert question.options[-1].label == "Prefer not to say"
    ethnic = next(q for q in about.questions if q.text == "What is your ethnic group?")
    assert len(ethnic.options) == 19 + 1
    follow_up = about.questions[5]
    assert follow_up.show_if_option_id == about.questions[4].options[0].id
    assert [q.position for q in survey.questions] == list(range(1, 13))
    # Residents see the reason for asking; the follow-up says when to answer it.
    preview = client.get(f"/n/{member.slug}/surveys/{survey.id}/preview/2").get_data(as_text=True)
    assert "So we know if every community in the area has been heard." in preview
    assert "Answer this only if you chose ‘Yes’" in preview


def test_refusals_and_the_change_log_are_in_the_members_language(
    client: FlaskClient, member: Any
) -> None:
    """A change-log line is stored as text when the change is made, in the language of the
    member who made it."""
    survey = survey_with_questions(member)
    single, multiple = survey.questions[0], survey.questions[1]
    submit_response(
        survey, {single.id: single.options[2].id, multiple.id: [multiple.options[2].id]}
    )
    db.session.commit()
    client.set_cookie(COOKIE, "pl")
    url = f"{build_url(survey)}/questions/{multiple.id}"
    page = submit(
        client, url, {"kind": "multiple_choice", "text": multiple.text, "options": "Seats\nLights"}
    ).get_data(as_text=True)
    assert "Odpowiedź ‘Toilets’ wybrano w 1 ankiecie, więc nie można jej usunąć." in page
    options = "Seats\nLights\nPublic toilets"
    response = submit(
        client, url, {"kind": "multiple_choice", "text": multiple.text, "options": options}
    )
    assert response.status_code == 302
    logged = db.session.scalars(select(SurveyChange.description)).all()
    assert logged == ["Zmieniono treść odpowiedzi z ‘Toilets’ na ‘Public toilets’"]
