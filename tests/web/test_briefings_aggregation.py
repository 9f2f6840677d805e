"""The briefing's counts come from the database, checked against tables worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import event, update

from consult.briefings import aggregation as agg
from consult.briefings.content import SurveyAggregates
from consult.briefings.services import Period, briefing_content
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Channel, Question, Response, Survey
from consult.surveys.services import store_response
from tests.factories import NeighbourhoodFactory, answer_row, survey_of_every_kind


def by_label(question: Question) -> dict[str, int]:
    return {o.label: o.id for o in question.options}


def respond(survey: Survey, channel: Channel = Channel.ONLINE, **answers: Any) -> Response:
    """A response to ``survey_of_every_kind``: park and safe by label, help a list of labels,
    dogs and years numbers, walk a text."""
    park, helps, safe, dog, walk, dogs, _, postcode, years = survey.questions
    rows = [
        answer_row(question_id=park.id, option_id=by_label(park)[answers.get("park", "North park")])
    ]
    rows += [
        answer_row(question_id=helps.id, option_id=by_label(helps)[h])
        for h in answers.get("help", [])
    ]
    if "safe" in answers:
        rows.append(answer_row(question_id=safe.id, option_id=by_label(safe)[answers["safe"]]))
    rows.append(
        answer_row(
            question_id=dog.id, option_id=by_label(dog)["Yes" if "dogs" in answers else "No"]
        )
    )
    if "walk" in answers:
        rows.append(answer_row(question_id=walk.id, text=answers["walk"]))
    if "dogs" in answers:
        rows.append(answer_row(question_id=dogs.id, number=Decimal(answers["dogs"])))
    rows.append(answer_row(question_id=postcode.id, text="TS3 6"))
    if "years" in answers:
        rows.append(answer_row(question_id=years.id, number=Decimal(answers["years"])))
    return store_response(survey, rows, channel)


def scene() -> tuple[Survey, Period]:
    """Six responses: two before the period (paper), four in it (online, one by phone).

    park:  North 4, South 1, Another park 1            -> base 6
    help:  Seats 3, Lights 2, Toilets 0 (3 ticked none) -> base 3 people
    safe:  Agree(3) 2, Neither(2) 1, Disagree(1) 1, Don't know 2
           -> mean over 4 valued answers = (3+3+2+1)/4 = 2.25
    dogs:  1, 2, 4 -> count 3, mean 7/3, min 1, max 4
    years: 0.5, 10 -> count 2, mean 5.25
    """
    area = NeighbourhoodFactory(disclosure_threshold=1)
    survey = survey_of_every_kind(area)
    before = utcnow() - timedelta(days=10)
    early = [
        respond(survey, Channel.PAPER, help=["Seats", "Lights"], safe="Agree", dogs=1),
        respond(survey, Channel.PAPER, park="South park", safe="Don't know", years="0.5"),
    ]
    db.session.execute(
        update(Response).where(Response.id.in_([r.id for r in early])).values(submitted_at=before)
    )
    respond(survey, help=["Seats"], safe="Agree", dogs=2, walk="Along the canal")
    respond(survey, Channel.PHONE, park="Another park", safe="Neither", years="10")
    respond(survey, help=["Seats", "Lights"], safe="Disagree", dogs=4, walk="In the woods")
    respond(survey, safe="Don't know")
    db.session.commit()
    # The period runs on past now, so the responses a test adds after the scene fall in it
    # however long the machine takes to store them (one second was too short under load).
    return survey, Period(utcnow() - timedelta(days=1), utcnow() + timedelta(minutes=10))


def test_counts_means_and_channels_match_the_hand_worked_tables(app: Flask) -> None:
    survey, period = scene()
    content = briefing_content(survey.neighbourhood, period)
    (section,) = content["surveys"]
    assert (section["total"]["count"], section["in_period"]["count"]) == (6, 4)
    channels = {
        row["channel"]: (row["in_period"]["count"], row["total"]["count"])
        for row in section["channels"]
    }
    assert channels == {"online": (3, 3), "paper": (0, 2), "phone": (1, 1)}
    park, helps, safe, dog, walk, dogs, rank, postcode, years = section["questions"]
    assert [(o["label"], o["count"], o["percent"]) for o in park["options"]] == [
        ("North park", 4, 66.7),
        ("South park", 1, 16.7),
        ("Another park", 1, 16.7),
    ]
    assert park["base"]["count"] == 6
    assert helps["base"]["count"] == 3
    assert [(o["count"], o["percent"]) for o in helps["options"]] == [
        (3, 100.0),
        (2, 66.7),
        (0, 0.0),
    ]
    assert [o["count"] for o in safe["options"]] == [2, 1, 1, 2]
    assert safe["mean"] == 2.25 and safe["scale"] == {
        "low": 1,
        "low_label": "Disagree",
        "high": 3,
        "high_label": "Agree",
    }
    assert [o["count"] for o in dog["options"]] == [3, 3]
    assert walk["text_answers"]["count"] == 2
    assert dogs["number"] == {
        "count": {"count": 3, "display": "3"},
        "mean": 2.33,
        "minimum": 1.0,
        "maximum": 4.0,
    }
    assert years["number"]["mean"] == 5.25
    assert postcode["text_answers"]["count"] == 6 and "themes" not in postcode
    assert rank["base"]["count"] == 0


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_number_of_queries_does_not_grow_with_responses(app: Flask) -> None:
    survey, period = scene()
    park = survey.questions[0]  # loaded now, so only the counting is counted
    with counting_queries() as few:
        SurveyAggregates(survey, period.start, period.end)
    for _ in range(30):
        respond(survey, help=["Lights"], safe="Agree", dogs=3)
    db.session.commit()
    park = survey.questions[0]
    with counting_queries() as many:
        data = SurveyAggregates(survey, period.start, period.end)
    # Responses by channel with the latest response's time, then every answer count (answer
    # groups, numbers and multiple-choice bases) in one statement.
    assert len(many) == len(few) == 2
    assert all("GROUP BY" in statement for statement in many)
    assert "UNION ALL" in many[1]
    assert data.options[park.id][park.options[0].id] == 34
    assert data.bases[survey.questions[1].id] == 33


def test_answers_after_the_window_are_left_out(app: Flask) -> None:
    survey, period = scene()
    # Up to a day ago: only the two early paper responses count.
    earlier = SurveyAggregates(survey, period.start - timedelta(days=30), period.start)
    park, helps, safe = survey.questions[:3]
    assert earlier.options[park.id] == {park.options[0].id: 1, park.options[1].id: 1}
    assert earlier.bases[helps.id] == 1 and earlier.bases[park.id] == 2
    assert earlier.channels.in_period == {"paper": 2} and earlier.channels.earlier == {"paper": 0}
    later = SurveyAggregates(survey, period.start, period.end)
    assert later.bases[park.id] == 6 and later.bases[safe.id] == 6


def test_free_text_is_read_in_chunks_and_sampled_reproducibly(app: Flask) -> None:
    survey, period = scene()
    window = agg.Window(survey.id, period.start, period.end)
    walk = survey.questions[4]  # free text
    for number in range(7):
        respond(survey, dogs=1, walk=f"Walk number {number}")
    db.session.commit()
    walk_id = walk.id
    with counting_queries() as queries:
        texts = list(agg.stream_free_text(window, walk_id, chunk=3))
    assert texts[:2] == ["Along the canal", "In the woods"] and len(texts) == 9
    assert len(queries) == 4  # three full chunks of 3, then an empty one ends it
    sample = agg.sample_texts(iter(texts), 4)
    assert len(sample) == 4 and sample == agg.sample_texts(iter(texts), 4)
    assert agg.sample_texts(iter(texts), 20) == texts
