"""Every question kind and skip logic, through the resident's pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.models import Answer, Question, Response, Survey
from consult.surveys.services import scale_mean, submit_response
from tests.conftest import submit
from tests.factories import NeighbourhoodFactory, survey_of_every_kind


def base_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}"


def questions(survey: Survey) -> dict[str, Question]:
    return {
        key: q
        for key, q in zip(
            ["park", "help", "safe", "dog", "walk", "dogs", "rank", "postcode", "years"],
            survey.questions,
            strict=True,
        )
    }


def opt(question: Question, label: str) -> str:
    return str(next(o.id for o in question.options if o.label == label))


def page(client: FlaskClient, survey: Survey, number: int, data: dict[str, Any], **kw: Any):
    return submit(client, f"{base_url(survey)}/sections/{number}", data, **kw)


def first_page(q: dict[str, Question], dog: str = "No", **extra: Any) -> dict[str, Any]:
    return {
        f"q{q['park'].id}": opt(q["park"], "North park"),
        f"q{q['dog'].id}": opt(q["dog"], dog),
        **extra,
    }


@pytest.fixture
def survey(app: Flask) -> Survey:
    return survey_of_every_kind(NeighbourhoodFactory())


def errors_on(response: Any) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "There is a problem" in html
    return html


def test_every_kind_is_stored_as_its_rows(client: FlaskClient, survey: Survey) -> None:
    q = questions(survey)
    first = first_page(
        q,
        dog="Yes",
        **{
            f"q{q['park'].id}": opt(q["park"], "Another park"),
            f"q{q['park'].id}_other": "The rec",
            f"q{q['help'].id}": [opt(q["help"], "Seats"), opt(q["help"], "Toilets")],
            f"q{q['safe'].id}": opt(q["safe"], "Don't know"),
            f"q{q['walk'].id}": "By the canal",
        },
    )
    assert page(client, survey, 1, first).headers["Location"].endswith("/sections/2")
    second = {
        f"q{q['dogs'].id}": "2",
        f"q{q['rank'].id}_rank1": opt(q["rank"], "Woods"),
        f"q{q['rank'].id}_rank2": opt(q["rank"], "Canal"),
    }
    assert page(client, survey, 2, second).headers["Location"].endswith("/sections/3")
    third = {f"q{q['postcode'].id}": " ls9 7ab ", f"q{q['years'].id}": "2.5"}
    assert page(client, survey, 3, third).headers["Location"].endswith("/check")
    check = client.get(f"{base_url(survey)}/check").get_data(as_text=True)
    assert "Another park: The rec" in check
    assert "1. Woods" in check and "2. Canal" in check
    assert "LS9 7 (we keep only this part of your postcode)" in check
    assert "LS9 7AB" not in check
    submit(client, f"{base_url(survey)}/check", {})
    rows = {
        (a.question_id, a.option_id, a.text, a.number, a.rank)
        for a in db.session.scalars(select(Answer))
    }
    assert rows == {
        (q["park"].id, int(opt(q["park"], "Another park")), "The rec", None, None),
        (q["help"].id, int(opt(q["help"], "Seats")), None, None, None),
        (q["help"].id, int(opt(q["help"], "Toilets")), None, None, None),
        (q["safe"].id, int(opt(q["safe"], "Don't know")), None, None, None),
        (q["dog"].id, int(opt(q["dog"], "Yes")), None, None, None),
        (q["walk"].id, None, "By the canal", None, None),
        (q["dogs"].id, None, None, Decimal(2), None),
        (q["rank"].id, int(opt(q["rank"], "Woods")), None, None, 1),
        (q["rank"].id, int(opt(q["rank"], "Canal")), None, None, 2),
        (q["postcode"].id, None, "LS9 7", None, None),
        (q["years"].id, None, None, Decimal("2.5"), None),
    }


def test_skip_logic_hides_a_section_and_a_question_and_drops_their_answers(
    client: FlaskClient, survey: Survey
) -> None:
    q = questions(survey)
    # Typed into the dog question on the same page, then answered "No": ignored, not required.
    data = first_page(q, dog="No", **{f"q{q['walk'].id}": "By the canal"})
    response = page(client, survey, 1, data)
    assert response.headers["Location"].endswith("/sections/3")  # the dogs section is skipped
    # Going to the skipped section directly moves on.
    assert client.get(f"{base_url(survey)}/sections/2").headers["Location"].endswith("/sections/3")
    third = page(client, survey, 3, {f"q{q['postcode'].id}": "LS9 7AB"}, follow_redirects=True)
    html = third.get_data(as_text=True)
    assert "Where do you walk your dog?" not in html and "How many dogs?" not in html
    submit(client, f"{base_url(survey)}/check", {})
    stored = {a.question_id for a in db.session.scalars(select(Answer))}
    assert q["walk"].id not in stored
    assert q["dogs"].id not in stored


def test_progress_counts_only_the_sections_shown(client: FlaskClient, survey: Survey) -> None:
    q = questions(survey)
    assert "Section 1 of 2" in client.get(f"{base_url(survey)}/sections/1").get_data(True)
    page(client, survey, 1, first_page(q, dog="Yes", **{f"q{q['walk'].id}": "Woods"}))
    html = client.get(f"{base_url(survey)}/sections/2").get_data(as_text=True)
    assert "Section 2 of 3" in html
    assert f'href="{base_url(survey)}/sections/1"' in html  # back to the previous page


def test_changing_an_answer_from_the_check_page_returns_to_it(
    client: FlaskClient, survey: Survey
) -> None:
    q = questions(survey)
    page(client, survey, 1, first_page(q))
    page(client, survey, 3, {f"q{q['postcode'].id}": "LS9 7AB"})
    check = client.get(f"{base_url(survey)}/check").get_data(as_text=True)
    change = f"{base_url(survey)}/sections/3?next=check"
    assert change in check
    response = submit(
        client, change, {f"q{q['postcode'].id}": "M1 1AE"}, form_url=change.split("?")[0]
    )
    assert response.headers["Location"].endswith("/check")
    assert "M1 1 (we keep" in client.get(f"{base_url(survey)}/check").get_data(as_text=True)


def test_a_change_that_opens_a_section_asks_its_questions_before_sending(
    client: FlaskClient, survey: Survey
) -> None:
    q = questions(survey)
    page(client, survey, 1, first_page(q))
    page(client, survey, 3, {f"q{q['postcode'].id}": "LS9 7AB"})
    change = f"{base_url(survey)}/sections/1?next=check"
    data = first_page(q, dog="Yes", **{f"q{q['walk'].id}": "Woods"})
    submit(client, change, data, form_url=change.split("?")[0])
    response = client.get(f"{base_url(survey)}/check")
    assert response.headers["Location"].endswith("/sections/2")
    assert db.session.scalar(select(func.count(Response.id))) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("park", None, "Select an answer to ‘Which park do you use most?’"),
        ("other", "", "Enter your other answer to ‘Which park do you use most?’"),
        ("other", "x" * 201, "must be 200 characters or fewer"),
        ("help", "three", "Select no more than 2 answers to ‘What would help?’"),
        ("safe", "999999", "Select one of the answers listed for ‘I feel safe there.’"),
        ("dog", "", "Select an answer to ‘Do you have a dog?’"),
        ("walk", "", "Enter an answer to ‘Where do you walk your dog?’"),
        ("walk", "w" * 51, "Your answer to ‘Where do you walk your dog?’ must be 50 characters"),
    ],
)
def test_first_page_problems(
    client: FlaskClient, survey: Survey, field: str, value: str | None, message: str
) -> None:
    q = questions(survey)
    data = first_page(q, dog="Yes", **{f"q{q['walk'].id}": "Woods"})
    if field == "park":
        del data[f"q{q['park'].id}"]
    elif field == "other":
        data[f"q{q['park'].id}"] = opt(q["park"], "Another park")
        data[f"q{q['park'].id}_other"] = value
    elif field == "help":
        data[f"q{q['help'].id}"] = [str(o.id) for o in q["help"].options]
    else:
        data[f"q{q[field].id}"] = value
    html = errors_on(page(client, survey, 1, data))
    assert message in html
    assert "Woods" in html or field == "walk"  # what was typed stays


def _to_dogs_page(client: FlaskClient, survey: Survey) -> dict[str, Question]:
    q = questions(survey)
    page(client, survey, 1, first_page(q, dog="Yes", **{f"q{q['walk'].id}": "Woods"}))
    return q


@pytest.mark.parametrize(
    ("dogs", "message"),
    [
        ("", "Enter a number for ‘How many dogs?’"),
        ("two", "Enter a number for ‘How many dogs?’, like 12"),
        ("1.5", "Enter a whole number for ‘How many dogs?’"),
        ("0", "Enter a number between 1 and 5 for ‘How many dogs?’"),
        ("6", "Enter a number between 1 and 5 for ‘How many dogs?’"),
        ("NaN", "Enter a number for ‘How many dogs?’"),
        ("1e400", "Enter a number between 1 and 5"),
    ],
)
def test_number_problems(client: FlaskClient, survey: Survey, dogs: str, message: str) -> None:
    q = _to_dogs_page(client, survey)
    html = errors_on(page(client, survey, 2, {f"q{q['dogs'].id}": dogs}))
    assert message in html
    assert f'value="{dogs}"' in html or not dogs


def test_decimal_number_without_limits_refuses_a_huge_one(
    client: FlaskClient, survey: Survey
) -> None:
    q = questions(survey)
    page(client, survey, 1, first_page(q))
    html = errors_on(
        page(client, survey, 3, {f"q{q['postcode'].id}": "LS9 7AB", f"q{q['years'].id}": "101"})
    )
    assert "Enter a number between 0 and 100 for ‘How many years have you lived here?’" in html
    ok = page(client, survey, 3, {f"q{q['postcode'].id}": "LS9 7AB", f"q{q['years'].id}": "0.25"})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("Woods", "Woods", "You chose ‘Woods’ more than once for ‘Rank the walks.’"),
        ("", "Woods", "Choose your 1st choice before your 2nd for ‘Rank the walks.’"),
        ("forged", "", "Choose one of the answers listed for ‘Rank the walks.’"),
    ],
)
def test_ranking_problems(
    client: FlaskClient, survey: Survey, first: str, second: str, message: str
) -> None:
    q = _to_dogs_page(client, survey)
    rank = q["rank"]

    def value(label: str) -> str:
        return "" if not label else "99999" if label == "forged" else opt(rank, label)

    data = {
        f"q{q['dogs'].id}": "1",
        f"q{rank.id}_rank1": value(first),
        f"q{rank.id}_rank2": value(second),
    }
    html = errors_on(page(client, survey, 2, data))
    assert message in html


def test_ranking_offers_the_top_n_as_select_boxes(client: FlaskClient, survey: Survey) -> None:
    q = _to_dogs_page(client, survey)
    html = client.get(f"{base_url(survey)}/sections/2").get_data(as_text=True)
    assert f'name="q{q["rank"].id}_rank1"' in html and f'name="q{q["rank"].id}_rank2"' in html
    assert f'name="q{q["rank"].id}_rank3"' not in html
    assert "1st choice" in html and "2nd choice" in html


@pytest.mark.parametrize("postcode", ["", "LS9", "ABC 123", "LS9 7A", "QQ1 1AA", "<b>LS9</b>"])
def test_postcode_problems(client: FlaskClient, survey: Survey, postcode: str) -> None:
    q = questions(survey)
    page(client, survey, 1, first_page(q))
    html = errors_on(page(client, survey, 3, {f"q{q['postcode'].id}": postcode}))
    assert "postcode for ‘What is your postcode?’" in html
    assert "<b>LS9</b>" not in html


def test_scale_mean_leaves_out_dont_know(app: Flask, survey: Survey) -> None:
    safe = questions(survey)["safe"]
    for label in ("Agree", "Disagree", "Don't know", "Agree"):
        submit_response(survey, {safe.id: opt(safe, label)})
    db.session.commit()
    # Agree = 3, Disagree = 1: (3 + 1 + 3) / 3; "Don't know" has no value.
    assert scale_mean(safe) == pytest.approx(7 / 3)
