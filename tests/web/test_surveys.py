"""A resident answers a survey page by page, checks the answers, sends them once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Answer, Draft, Response, Survey
from tests.conftest import csrf_from, submit
from tests.factories import NeighbourhoodFactory, survey_with_questions

REFERENCE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


def base_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}"


def send(client: FlaskClient, survey: Survey, **kwargs: object):
    """Press "Send my answers" on the check page."""
    return submit(client, f"{base_url(survey)}/check", {}, **kwargs)


def answer_all(client: FlaskClient, survey: Survey) -> dict[str, object]:
    single, multiple, scale, free = survey.questions
    data = {
        f"q{single.id}": str(single.options[1].id),
        f"q{multiple.id}": [str(multiple.options[0].id), str(multiple.options[2].id)],
        f"q{scale.id}": str(scale.options[0].id),
        f"q{free.id}": "More bins please",
    }
    response = submit(client, f"{base_url(survey)}/sections/1", data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base_url(survey)}/check")
    return data


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


def test_start_page_shows_privacy_notice_and_links_to_the_first_section(
    app: Flask, client: FlaskClient
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    survey.privacy_notice = "We keep answers for <b>one</b> year."
    db.session.commit()
    page = client.get(base_url(survey)).get_data(as_text=True)
    assert "Start now" in page and f'href="{base_url(survey)}/sections/1"' in page
    assert "We keep answers for &lt;b&gt;one&lt;/b&gt; year." in page


def test_resident_answers_checks_and_gets_a_reference(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    single, multiple, scale, free = survey.questions
    answer_all(client, survey)
    check = client.get(f"{base_url(survey)}/check").get_data(as_text=True)
    assert "Check your answers before sending them" in check
    for shown in ("Weekly", "Seats", "Toilets", "Agree", "More bins please"):
        assert shown in check
    assert check.count(">Change<") == 4 or check.count("Change<span") == 4
    assert f"{base_url(survey)}/sections/1?next=check" in check
    assert db.session.scalar(select(func.count(Response.id))) == 0  # nothing stored yet

    page = send(client, survey, follow_redirects=True).get_data(as_text=True)
    assert "Thank you, your answers have been sent" in page
    reference = REFERENCE.search(page).group(1)
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


def test_double_submit_of_the_last_page_stores_once(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    answer_all(client, survey)
    token = csrf_from(client.get(f"{base_url(survey)}/check").get_data(as_text=True))
    first = client.post(f"{base_url(survey)}/check", data={"csrf_token": token})
    second = client.post(f"{base_url(survey)}/check", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/thank-you")
    assert db.session.scalar(select(func.count(Response.id))) == 1
    page = client.get(f"{base_url(survey)}/thank-you").get_data(as_text=True)
    reference = db.session.scalar(select(Response.reference))
    assert reference in page


def test_answers_are_kept_in_a_server_side_draft_not_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    single, multiple, scale, free = survey.questions
    answer_all(client, survey)
    draft = db.session.scalar(select(Draft))
    assert draft.answers[f"q{free.id}"] == ["More bins please"]
    with client.session_transaction() as session:
        assert set(session["survey_drafts"]) == {str(survey.id)}
        assert len(session["survey_drafts"][str(survey.id)]) < 50
    # Coming back to the page shows what was given.
    page = client.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "More bins please" in page
    assert re.search(rf'value="{multiple.options[2].id}"\s+checked', page)


def test_another_browser_cannot_see_or_send_the_draft(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    answer_all(client, survey)
    stranger = app.test_client()
    page = stranger.get(f"{base_url(survey)}/sections/1").get_data(as_text=True)
    assert "More bins please" not in page
    assert stranger.get(f"{base_url(survey)}/check").status_code == 302
    assert stranger.get(f"{base_url(survey)}/thank-you").status_code == 302


def test_rejected_page_keeps_every_answer_and_names_each_problem(
    app: Flask, client: FlaskClient
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    single, multiple, scale, free = survey.questions
    typed = "x" * 201  # over the 200-character limit
    response = submit(
        client,
        f"{base_url(survey)}/sections/1",
        {f"q{multiple.id}": [str(multiple.options[1].id)], f"q{free.id}": typed},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Select an answer to ‘How often do you visit?’") == 2  # summary and field
    assert page.count("Select an answer to ‘I feel safe there.’") == 2
    assert "Your answer to ‘Anything else?’ must be 200 characters or fewer" in page
    assert re.search(rf'value="{multiple.options[1].id}"\s+checked', page)
    assert typed in page
    assert "<title>Error:" in page
    assert db.session.scalar(select(func.count(Draft.id))) == 0


def test_check_page_sends_an_unfinished_resident_back_to_the_page(
    app: Flask, client: FlaskClient
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    response = client.get(f"{base_url(survey)}/check")
    assert response.headers["Location"].endswith("/sections/1")


@pytest.mark.parametrize("forge", ["other_question", "other_survey", "not_a_number"])
def test_forged_option_ids_are_refused(app: Flask, client: FlaskClient, forge: str) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    other = survey_with_questions(area)
    single, multiple, scale, free = survey.questions
    value = {
        "other_question": str(multiple.options[0].id),
        "other_survey": str(other.questions[0].options[0].id),
        "not_a_number": "1 OR 1=1; DROP TABLE answer",
    }[forge]
    response = submit(
        client,
        f"{base_url(survey)}/sections/1",
        {f"q{single.id}": value, f"q{scale.id}": str(scale.options[0].id)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Select one of the answers listed for ‘How often do you visit?’" in page
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_question_of_another_survey_is_ignored(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = survey_with_questions(area)
    other = survey_with_questions(area)
    data = answer_all(client, survey)
    foreign = other.questions[3]
    submit(client, f"{base_url(survey)}/sections/1", {**data, f"q{foreign.id}": "Sneaky"})
    send(client, survey)
    stored = db.session.scalar(select(Response))
    assert {a.question_id for a in stored.answers} <= {q.id for q in survey.questions}
    assert "Sneaky" not in {a.text for a in stored.answers}


def test_submission_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    response = client.post(f"{base_url(survey)}/sections/1", data={})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_unavailable_surveys(app: Flask, client: FlaskClient, status: str) -> None:
    survey = survey_with_questions(NeighbourhoodFactory(), status=status)
    for path in ("", "/sections/1", "/check"):
        response = client.get(base_url(survey) + path)
        if status == "draft":
            assert response.status_code == 404
        else:
            assert "This survey has closed" in response.get_data(as_text=True)


def test_closed_survey_says_when_and_refuses_a_late_submission(
    app: Flask, client: FlaskClient
) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    answer_all(client, survey)
    token = csrf_from(client.get(f"{base_url(survey)}/check").get_data(as_text=True))
    survey.opens_at = utcnow() - timedelta(days=10)
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = client.post(f"{base_url(survey)}/check", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert "This survey has closed" in page
    assert "closed on" in page
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_survey_of_another_neighbourhood_is_not_found(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    other = NeighbourhoodFactory()
    for path in ("", "/sections/1", "/check", "/thank-you"):
        assert client.get(f"/n/{other.slug}/surveys/{survey.id}{path}").status_code == 404


def test_unknown_section_is_not_found(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    assert client.get(f"{base_url(survey)}/sections/2").status_code == 404
    assert client.get(f"{base_url(survey)}/sections/0").status_code == 404


def test_html_typed_by_a_resident_is_escaped(app: Flask, client: FlaskClient) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    data = answer_all(client, survey)
    free = survey.questions[3]
    script = "<script>alert(1)</script>"
    submit(client, f"{base_url(survey)}/sections/1", {**data, f"q{free.id}": script})
    for path in ("/sections/1", "/check"):
        page = client.get(base_url(survey) + path).get_data(as_text=True)
        assert script not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_names_are_escaped_on_the_page(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(name="<script>alert(1)</script>")
    survey_with_questions(area)
    page = client.get(f"/n/{area.slug}/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_submissions_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["SUBMIT_RATE_LIMIT"] = "3 per minute"
    survey = survey_with_questions(NeighbourhoodFactory())
    url = f"{base_url(survey)}/sections/1"
    token = csrf_from(client.get(url).get_data(as_text=True))
    replies = [client.post(url, data={"csrf_token": token}) for _ in range(4)]
    assert [reply.status_code for reply in replies] == [200, 200, 200, 429]
    # The refusal says when to try again; the others carry no rate-limit figures.
    assert 1 <= int(replies[3].headers["Retry-After"]) <= 60
    assert not any(name.startswith("X-RateLimit") for name, _ in replies[0].headers)


def test_a_taken_reference_is_drawn_again(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The INSERT itself finds a reference already taken (no query first); the response is
    stored with a new one and the earlier response keeps its own."""
    from consult.surveys import services

    survey = survey_with_questions(NeighbourhoodFactory())
    first = services.submit_response(survey, {})
    db.session.commit()
    drawn = iter([first.reference, first.reference, "ZZZZ-2222"])
    monkeypatch.setattr(services, "new_reference", lambda: next(drawn))
    second = services.submit_response(survey, {})
    db.session.commit()
    assert second.reference == "ZZZZ-2222"
    assert db.session.scalars(select(Response.reference).order_by(Response.id)).all() == [
        first.reference,
        "ZZZZ-2222",
    ]
    # Written at once and as if read back: nothing left for a flush, every column known.
    assert second in db.session and not db.session.dirty and not db.session.new
    assert second.channel == "online" and second.submitted_at is not None
    second.event_name = "Fun day"  # and it is an ordinary persistent object afterwards
    db.session.commit()
    assert db.session.scalar(select(Response.event_name).where(Response.id == second.id)) == (
        "Fun day"
    )
