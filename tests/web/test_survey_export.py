"""The record-level export of responses: columns, redaction, formula safety, streaming, the
record of who exported, and the ``consult export responses`` command."""

from __future__ import annotations

import csv
import io
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.export import export_csv
from consult.surveys.export_models import ExportRecord
from consult.surveys.models import Answer, Channel, Response, Survey
from consult.surveys.services import store_response
from tests.conftest import AuthActions
from tests.factories import (
    NeighbourhoodFactory,
    UserFactory,
    answer_row,
    staff,
    survey_of_every_kind,
)

FREE_TEXT = "Email me at jo.bloggs@example.org or ring 07700 900123, I'm at LS9 7AB"


def every_kind_response(survey: Survey, other_text: str = "Near the canal") -> None:
    """One response answering every question of ``survey_of_every_kind``."""
    park, helps, safe, dog, walk, dogs, walks, postcode, years = survey.questions
    option = {q.id: {o.label: o.id for o in q.options} for q in survey.questions}
    rows = [
        answer_row(question_id=park.id, option_id=option[park.id]["Another park"], text=other_text),
        answer_row(question_id=helps.id, option_id=option[helps.id]["Seats"]),
        answer_row(question_id=helps.id, option_id=option[helps.id]["Toilets"]),
        answer_row(question_id=safe.id, option_id=option[safe.id]["Don't know"]),
        answer_row(question_id=dog.id, option_id=option[dog.id]["Yes"]),
        answer_row(question_id=walk.id, text=FREE_TEXT),
        answer_row(question_id=dogs.id, number=Decimal("2.0000")),
        answer_row(question_id=walks.id, option_id=option[walks.id]["Woods"], rank=1),
        answer_row(question_id=walks.id, option_id=option[walks.id]["Canal"], rank=2),
        answer_row(question_id=postcode.id, text="LS9 7"),
        answer_row(question_id=years.id, number=Decimal("2.5000")),
    ]
    response = store_response(survey, rows, Channel.EVENT)
    response.event_name = "Summer fair"


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "no byte order mark: Excel would not read UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def survey(app: Flask) -> Survey:
    area = NeighbourhoodFactory(slug="exp")
    survey = survey_of_every_kind(area)
    every_kind_response(survey)
    store_response(survey, [])  # a response that answered nothing (all optional) is a row too
    db.session.commit()
    return survey


def test_one_row_per_response_one_column_per_question_or_option(
    app: Flask, client: FlaskClient, auth: AuthActions, survey: Survey
) -> None:
    auth.sign_in(staff(survey.neighbourhood, "officer").email)
    response = client.get(f"/n/exp/surveys/{survey.id}/responses.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    header, first, empty = read_csv(response.get_data(as_text=True))
    assert header == [
        "Reference",
        "Channel",
        "Event",
        "Submitted (UTC)",
        "Q1. Which park do you use most?",
        "Q1. Which park do you use most?: Another park (text)",
        "Q2. What would help?: Seats",
        "Q2. What would help?: Lights",
        "Q2. What would help?: Toilets",
        "Q3. I feel safe there.",
        "Q4. Do you have a dog?",
        "Q5. Where do you walk your dog?",
        "Q6. How many dogs?",
        "Q7. Rank the walks.: Canal",
        "Q7. Rank the walks.: Woods",
        "Q7. Rank the walks.: Field",
        "Q8. What is your postcode? (sector)",
        "Q9. How many years have you lived here?",
    ]
    values = dict(zip(header, first, strict=True))
    assert values["Channel"] == "event" and values["Event"] == "Summer fair"
    assert values["Q1. Which park do you use most?"] == "Another park"
    assert values["Q1. Which park do you use most?: Another park (text)"] == "Near the canal"
    assert [values[f"Q2. What would help?: {o}"] for o in ("Seats", "Lights", "Toilets")] == [
        "1",
        "",
        "1",
    ]
    assert values["Q3. I feel safe there."] == "Don't know"
    assert values["Q6. How many dogs?"] == "2"
    assert [values[f"Q7. Rank the walks.: {o}"] for o in ("Canal", "Woods", "Field")] == [
        "2",
        "1",
        "",
    ]
    assert values["Q8. What is your postcode? (sector)"] == "LS9 7"
    assert values["Q9. How many years have you lived here?"] == "2.5"
    assert empty[4:] == [""] * (len(header) - 4) and empty[1] == "online"


def test_free_and_other_text_are_redacted(
    app: Flask, client: FlaskClient, auth: AuthActions, survey: Survey
) -> None:
    every_kind_response(survey, other_text="The one by 12 Acacia Avenue, ask Mrs Smith")
    db.session.commit()
    auth.sign_in(staff(survey.neighbourhood, "member").email)
    text = client.get(f"/n/exp/surveys/{survey.id}/responses.csv").get_data(as_text=True)
    for personal in ("jo.bloggs@example.org", "07700 900123", "LS9 7AB", "Acacia", "Smith"):
        assert personal not in text, personal
    rows = read_csv(text)
    assert "Email me at [email] or ring [phone], I'm at [postcode]" in rows[1]
    assert "The one by [address], ask Mrs [name]" in rows[3]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_spreadsheet_formulas_are_neutralised(app: Flask, start: str) -> None:
    area = NeighbourhoodFactory(slug="f")
    survey = survey_of_every_kind(area)
    formula = f'{start}HYPERLINK("http://evil.example","Click")'
    every_kind_response(survey, other_text=formula)
    written = db.session.scalar(select(Answer).where(Answer.question_id == survey.questions[4].id))
    written.text = formula
    db.session.scalar(select(Response)).event_name = formula
    db.session.commit()
    rows = read_csv("".join(export_csv(survey)))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # The event name, the "other" text and the free text, each kept behind a quote mark.
    assert sum(c.startswith("'" + start) for c in cells) == 3


def test_the_export_is_streamed_in_chunks_and_holds_every_response(app: Flask) -> None:
    area = NeighbourhoodFactory(slug="s")
    survey = survey_of_every_kind(area)
    for _ in range(7):
        every_kind_response(survey)
    db.session.commit()
    pieces = list(export_csv(survey, chunk=3))
    # Header + 7 rows, 3 rows a piece: read and written a chunk at a time, never all at once.
    assert len(pieces) == 3 and all(pieces)
    assert len(read_csv("".join(pieces))) == 8


def test_each_export_is_recorded_without_content(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    survey: Survey,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    member = staff(survey.neighbourhood, "member")
    auth.sign_in(member.email)
    client.get(f"/n/exp/surveys/{survey.id}/responses.csv").close()
    records = db.session.scalars(select(ExportRecord)).all()
    assert [(r.survey_id, r.user_id, r.via) for r in records] == [(survey.id, member.id, "web")]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"responses to survey {survey.id} exported by user {member.id}" in logged
    assert member.email not in logged and "Near the canal" not in logged


def test_people_without_a_role_there_cannot_export(
    app: Flask, client: FlaskClient, auth: AuthActions, survey: Survey
) -> None:
    other = NeighbourhoodFactory(slug="other")
    auth.sign_in(staff(other, "officer").email)
    assert client.get(f"/n/exp/surveys/{survey.id}/responses.csv").status_code == 404
    assert client.get(f"/n/other/surveys/{survey.id}/responses.csv").status_code == 404
    AuthActions(client).sign_out()
    auth.sign_in(UserFactory().email)
    assert client.get(f"/n/exp/surveys/{survey.id}/responses.csv").status_code == 404
    assert db.session.scalar(select(ExportRecord)) is None


def test_cli_export_writes_the_same_file(
    app: Flask, client: FlaskClient, auth: AuthActions, survey: Survey, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "responses", str(survey.id), str(target)])
    assert result.exit_code == 0, result.output
    from_file = target.read_bytes().decode("utf-8")
    auth.sign_in(staff(survey.neighbourhood, "officer").email)
    from_web = client.get(f"/n/exp/surveys/{survey.id}/responses.csv").get_data(as_text=True)
    assert from_file == from_web and len(read_csv(from_file)) == 3
    stdout = runner.invoke(args=["export", "responses", str(survey.id), "-"])
    assert stdout.exit_code == 0 and stdout.stdout_bytes.decode("utf-8") == from_file
    vias = db.session.scalars(select(ExportRecord.via).order_by(ExportRecord.id)).all()
    assert vias == ["cli", "web", "cli"]
    missing = runner.invoke(args=["export", "responses", "999999", "-"])
    assert missing.exit_code != 0 and "no survey" in missing.output
