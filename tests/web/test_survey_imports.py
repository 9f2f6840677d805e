"""Importing paper responses from CSV: the template, good files, and every kind of bad one."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.surveys.imports_jobs import queue_import, run_queued_import
from consult.surveys.imports_models import SurveyImport, SurveyImportChunk
from consult.surveys.models import Answer, Response, Survey
from tests.conftest import AuthActions
from tests.factories import NeighbourhoodFactory, staff, survey_of_every_kind
from tests.survey_import_files import (
    COLUMN,
    HEADERS,
    NO_DOG,
    TWO_DOGS,
    csv_text,
    import_url,
    upload,
)


@pytest.fixture
def survey(app: Flask) -> Survey:
    return survey_of_every_kind(NeighbourhoodFactory())


@pytest.fixture
def keyer(survey: Survey, client: FlaskClient) -> int:
    """An officer of the survey's neighbourhood, signed in; their id."""
    user = staff(survey.neighbourhood, "officer")
    AuthActions(client).sign_in(user.email)
    return int(user.id)


def responses() -> int:
    return db.session.scalar(select(func.count(Response.id))) or 0


def report(client: FlaskClient, response: Any) -> str:
    """Follow the import's redirect to its report page."""
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def form_error(response: Any) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "There is a problem" in html
    return html


def test_template_has_a_column_for_each_question_answer_and_channel(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    page = client.get(import_url(survey)).get_data(as_text=True)
    assert "Download the template" in page
    response = client.get(import_url(survey) + "/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text[1:]))) == HEADERS


def test_good_file_is_stored_with_channel_event_and_keyer(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    html = report(client, upload(client, survey, csv_text([NO_DOG, TWO_DOGS]).encode()))
    assert "Responses imported" in html and "2 responses were added" in html
    stored = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [(r.channel, r.event_name, r.keyed_by_id) for r in stored] == [
        ("paper", None, keyer),
        ("event", "Summer fair, 12 July", keyer),
    ]
    park, helps, safe, dog, walk, dogs, rank, postcode, years = survey.questions
    label = {o.id: o.label for q in survey.questions for o in q.options}
    rows = db.session.scalars(select(Answer).where(Answer.response_id == stored[1].id)).all()
    by_question: dict[int, list[Answer]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    assert [(label[a.option_id], a.text) for a in by_question[park.id]] == [
        ("Another park", "Canal side")
    ]
    assert sorted(label[a.option_id] for a in by_question[helps.id]) == ["Lights", "Toilets"]
    assert [label[a.option_id] for a in by_question[safe.id]] == ["Don't know"]
    assert by_question[walk.id][0].text == "Along the canal"
    assert by_question[dogs.id][0].number == Decimal(2)
    assert sorted((a.rank, label[a.option_id]) for a in by_question[rank.id]) == [
        (1, "Woods"),
        (2, "Canal"),
    ]
    assert by_question[postcode.id][0].text == "LS9 7"  # only the sector, as online
    assert by_question[years.id][0].number == Decimal("4.5")


BAD_CELLS = [
    ("wrong type", {"dogs": "two"}, "dogs", "Enter a number for ‘How many dogs?’"),
    ("out of range", {"dogs": "9"}, "dogs", "Enter a number between 1 and 5"),
    ("decimal not allowed", {"dogs": "1.5"}, "dogs", "Enter a whole number"),
    ("too many ticked", {"seats": "x"}, None, "Select no more than 2 answers"),
    ("unknown option", {"park": "East park"}, "park", "‘East park’ is not one of the answers"),
    ("unknown rank", {"rank2": "Beach"}, "rank2", "‘Beach’ is not one of the answers"),
    ("ranked twice", {"rank2": "woods"}, "rank2", "You chose ‘Woods’ more than once"),
    ("not a tick", {"seats": "maybe"}, "seats", "‘maybe’ is not a tick"),
    ("other without text", {"other": ""}, "other", "Enter your other answer"),
    ("required left empty", {"postcode": ""}, "postcode", "Enter your postcode"),
    ("not a postcode", {"postcode": "LS99"}, "postcode", "Enter a full UK postcode"),
    ("text too long", {"walk": "w" * 51}, "walk", "must be 50 characters or fewer"),
    ("unknown channel", {"channel": "online"}, "channel", "‘online’ is not a channel"),
    (
        "skipped question",
        {"dog": "No", "dogs": "", "rank1": "", "rank2": ""},
        "walk",
        "only asked when the answer to ‘Q4",
    ),
]


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [case[1:] for case in BAD_CELLS],
    ids=[case[0] for case in BAD_CELLS],
)
def test_bad_cell_is_reported_by_row_and_column_and_nothing_is_stored(
    client: FlaskClient,
    survey: Survey,
    keyer: int,
    change: dict[str, str],
    column: str | None,
    message: str,
) -> None:
    content = csv_text([NO_DOG, {**TWO_DOGS, **change}, NO_DOG]).encode()
    html = report(client, upload(client, survey, content))
    assert "Nothing was imported" in html and "1 problem" in html
    row = html.split("<tbody", 1)[1]
    # The second response is on row 3 of the spreadsheet (the header is row 1).
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in row
    shown = COLUMN[column] if column else "Q2: What would help?"
    assert f'<td class="govuk-table__cell">{shown}</td>' in row.replace("&#39;", "'")
    assert message in row.replace("&#39;", "'")
    assert responses() == 0
    assert db.session.scalar(select(SurveyImport.status)) == "refused"


def test_wrong_and_missing_columns_are_named(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    headers = [h for h in HEADERS if not h.startswith("Q6")] + ["Favourite colour"]
    html = form_error(upload(client, survey, csv_text([NO_DOG], headers).encode()))
    assert "These columns are missing: ‘Q6: How many dogs?’" in html
    assert "not questions of this survey: ‘Favourite colour’" in html
    assert responses() == 0 and db.session.scalar(select(func.count(SurveyImport.id))) == 0


def test_channel_and_event_columns_may_be_left_out(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    html = report(client, upload(client, survey, csv_text([NO_DOG], HEADERS[:-2]).encode()))
    assert "1 response was added" in html
    assert db.session.scalar(select(Response.channel)) == "paper"


def test_utf8_with_byte_order_mark_is_read(client: FlaskClient, survey: Survey, keyer: int) -> None:
    row = {**TWO_DOGS, "walk": "Café – by the £5 kiosk"}
    content = csv_text([row]).encode("utf-8-sig")
    html = report(client, upload(client, survey, content))
    assert "1 response was added" in html and "Windows-1252" not in html
    assert db.session.scalar(select(Answer.text).where(Answer.text.like("Caf%"))) == row["walk"]


def test_windows_1252_is_read_and_the_report_says_so(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    row = {**TWO_DOGS, "walk": "Café – by the £5 kiosk"}
    html = report(client, upload(client, survey, csv_text([row]).encode("cp1252")))
    assert "1 response was added" in html and "read as Windows-1252" in html
    assert db.session.scalar(select(Answer.text).where(Answer.text.like("Caf%"))) == row["walk"]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "paper.csv", "The file is empty"),
        (b"\r\n\r\n", "paper.csv", "The file is empty"),
        (csv_text([]).encode(), "paper.csv", "a header row but no responses"),
        (csv_text([NO_DOG]).encode("utf-16"), "paper.csv", "The file is not a CSV file"),
        (b"\x81\x8d\x8f\x90\x9d" * 10, "paper.csv", "an encoding we cannot read"),
        (b"PK\x03\x04\x14\x00\x06\x00", "paper.xlsx", "must be a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "paper.csv", "The file is not a CSV file"),
    ],
    ids=["empty", "blank lines only", "header only", "utf-16", "unknown encoding", "xlsx", "png"],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(
    client: FlaskClient, survey: Survey, keyer: int, content: bytes, filename: str, message: str
) -> None:
    html = form_error(upload(client, survey, content, filename))
    assert message in html
    assert responses() == 0


def test_a_file_over_the_size_limit_is_refused(
    app: Flask, client: FlaskClient, survey: Survey, keyer: int
) -> None:
    app.config["SURVEY_IMPORT_MAX_BYTES"] = 2000
    content = csv_text([NO_DOG] * 40).encode()
    assert len(content) > 2000
    html = form_error(upload(client, survey, content))
    assert "The file must be smaller than 1.95312 KB" in html or "smaller than" in html
    assert responses() == 0


def test_a_request_far_over_the_limit_gets_the_too_large_page(
    app: Flask, client: FlaskClient, survey: Survey, keyer: int
) -> None:
    app.config["SURVEY_IMPORT_MAX_BYTES"] = 2000
    response = upload(client, survey, b"x" * 200_000)
    assert response.status_code == 413
    assert "That was too large to send" in response.get_data(as_text=True)


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    text = csv_text([NO_DOG, NO_DOG, {**NO_DOG, "dogs": "3"}])
    lines = text.split("\r\n")
    # A blank line, and a row of empty cells as spreadsheets export it, before the bad row.
    content = "\r\n".join([*lines[:3], "", "," * 14, *lines[3:]]).encode()
    html = report(client, upload(client, survey, content))
    row = html.split("<tbody", 1)[1]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in row
    assert "1 problem" in html
    good = "\r\n".join([*lines[:3], "", "," * 14, ""]).encode()
    assert "2 responses were added" in report(client, upload(client, survey, good))


def test_html_in_answers_is_stored_verbatim_and_escaped_in_the_report(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    script = "<script>alert(1)</script>"
    good = csv_text([{**TWO_DOGS, "walk": script[:50]}]).encode()
    report(client, upload(client, survey, good))
    assert db.session.scalar(select(Answer.text).where(Answer.text.like("<script%"))) == script
    bad = csv_text([{**TWO_DOGS, "park": script}]).encode()
    html = report(client, upload(client, survey, bad))
    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_one_bad_row_among_1200_stores_nothing(
    app: Flask, client: FlaskClient, survey: Survey, keyer: int
) -> None:
    app.config["SURVEY_IMPORT_BACKGROUND_ROWS"] = 5000
    rows = [TWO_DOGS if i % 2 else NO_DOG for i in range(1200)]
    # After the first 1,000 good rows have been inserted.
    rows[1100] = {**NO_DOG, "safe": "Very"}
    html = report(client, upload(client, survey, csv_text(rows).encode()))
    assert "1 problem" in html and ">1102</td>" in html
    assert responses() == 0
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert "1200 responses were added" in report(
        client, upload(client, survey, csv_text(rows[:1100] + rows[1101:] + [NO_DOG]).encode())
    )


def test_every_problem_is_listed_not_just_the_first(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    rows = [{**NO_DOG, "dog": ""}, NO_DOG, {**NO_DOG, "park": "East park", "years": "200"}]
    html = report(client, upload(client, survey, csv_text(rows).encode()))
    assert "3 problems" in html
    assert "Select an answer to ‘Do you have a dog?’" in html.replace("&#39;", "'")
    assert "Enter a number between 0 and 100" in html


def test_the_template_and_its_headers_are_the_same_in_every_language(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    """A file's headers are data: a member reading in Polish gets the English template and
    imports a file made from it (a large one is read later by a worker, in English)."""
    client.set_cookie(COOKIE, "pl")
    template = client.get(import_url(survey) + "/template.csv").get_data(as_text=True)
    assert next(csv.reader(io.StringIO(template.lstrip("\ufeff")))) == HEADERS
    html = report(client, upload(client, survey, csv_text([NO_DOG, TWO_DOGS]).encode()))
    assert responses() == 2, html


def test_problems_are_reported_in_the_members_language(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    client.set_cookie(COOKIE, "pl")
    content = csv_text([{**NO_DOG, "channel": "online"}]).encode()
    html = report(client, upload(client, survey, content))
    assert "‘online’ nie jest kanałem: wpisz paper, phone, doorstep lub event" in html
    headers = [h for h in HEADERS if not h.startswith("Q6")]
    refused = upload(client, survey, csv_text([NO_DOG], headers).encode())
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Wystąpił problem" in html
    assert "Brakuje tych kolumn: ‘Q6: How many dogs?’." in html
    assert "Pobierz szablon jeszcze raz" in html


def test_a_worker_with_no_member_reports_problems_in_english(app: Flask, survey: Survey) -> None:
    """A queued import runs outside any request, so in the default language, without error."""
    content = csv_text([{**NO_DOG, "channel": "online"}] * 3).encode()
    record = queue_import(survey, None, "big.csv", "utf-8", io.BytesIO(content), 997)
    db.session.commit()
    assert run_queued_import(record.id) == "refused"
    problems = db.session.scalar(select(SurveyImport.problems))
    assert [p["message"].split(":")[0] for p in problems] == ["‘online’ is not a channel"] * 3


def test_large_file_is_queued_for_a_worker_and_the_report_says_to_check_again(
    app: Flask, client: FlaskClient, survey: Survey, keyer: int
) -> None:
    app.config["SURVEY_IMPORT_BACKGROUND_ROWS"] = 3
    html = report(client, upload(client, survey, csv_text([NO_DOG] * 10).encode()))
    assert "waiting to be imported" in html and "Check again" in html
    assert responses() == 0
    assert db.session.scalar(select(func.count(SurveyImportChunk.id))) == 1


def test_draft_survey_cannot_take_imports(app: Flask, client: FlaskClient) -> None:
    survey = survey_of_every_kind(NeighbourhoodFactory(), status="draft")
    AuthActions(client).sign_in(staff(survey.neighbourhood, "member").email)
    assert "still a draft" in client.get(import_url(survey)).get_data(as_text=True)
    response = upload(client, survey, csv_text([NO_DOG]).encode())
    assert response.status_code == 200 and responses() == 0


def test_staff_index_links_to_the_import_page(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    page = client.get(f"/n/{survey.neighbourhood.slug}/surveys/").get_data(as_text=True)
    assert f'href="{import_url(survey)}"' in page


def test_report_of_another_survey_is_not_found(
    client: FlaskClient, survey: Survey, keyer: int
) -> None:
    report(client, upload(client, survey, csv_text([NO_DOG]).encode()))
    record = db.session.scalar(select(SurveyImport))
    other = survey_of_every_kind(survey.neighbourhood)
    base = f"/n/{survey.neighbourhood.slug}/surveys"
    assert client.get(f"{base}/{survey.id}/imports/{record.id}").status_code == 200
    assert client.get(f"{base}/{other.id}/imports/{record.id}").status_code == 404


def test_queued_file_is_streamed_back_from_its_pieces_and_then_deleted(
    app: Flask, survey: Survey
) -> None:
    rows = [{**TWO_DOGS, "walk": f"Walk {n} – café"} for n in range(300)]
    content = csv_text(rows).encode("utf-8-sig")
    record = queue_import(survey, None, "big.csv", "utf-8-sig", io.BytesIO(content), 997)
    db.session.commit()
    pieces = db.session.scalar(select(func.count(SurveyImportChunk.id)))
    assert pieces == -(-len(content) // 997)
    assert run_queued_import(record.id) == "imported"
    texts = db.session.scalars(select(Answer.text).where(Answer.text.like("Walk %"))).all()
    assert sorted(texts) == sorted(row["walk"] for row in rows)
    assert db.session.scalar(select(func.count(SurveyImportChunk.id))) == 0
    # Run again (a redelivered task): nothing more is stored.
    assert run_queued_import(record.id) == "imported" and responses() == 300
