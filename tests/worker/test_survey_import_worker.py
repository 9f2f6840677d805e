"""A large import file goes to a real worker over Redis; the report page follows it to the end."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.imports_models import SurveyImport, SurveyImportChunk
from consult.surveys.models import Response, Survey
from tests.conftest import AuthActions
from tests.factories import NeighbourhoodFactory, staff, survey_of_every_kind
from tests.survey_import_files import NO_DOG, TWO_DOGS, csv_text, upload
from tests.worker.conftest import TaskLog, WorkerRunner

ROWS = 600
TASK = "surveys.import_responses"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # A file of more than 500 rows goes to the worker.
    return {"SURVEY_IMPORT_BACKGROUND_ROWS": 500}


@pytest.fixture
def signed_in(worker_app: Flask) -> tuple[FlaskClient, Survey, int]:
    survey = survey_of_every_kind(NeighbourhoodFactory())
    officer = staff(survey.neighbourhood, "officer")
    client = worker_app.test_client()
    AuthActions(client).sign_in(officer.email)
    return client, survey, int(officer.id)


def counts() -> tuple[int, int]:
    db.session.rollback()  # see what the worker committed
    responses = db.session.scalar(select(func.count(Response.id))) or 0
    chunks = db.session.scalar(select(func.count(SurveyImportChunk.id))) or 0
    return responses, chunks


def test_large_file_is_imported_by_the_worker_and_the_report_follows(
    signed_in: tuple[FlaskClient, Survey, int], run_worker: WorkerRunner, tasks: TaskLog
) -> None:
    client, survey, officer_id = signed_in
    rows = [TWO_DOGS if i % 3 else NO_DOG for i in range(ROWS)]
    sent = upload(client, survey, csv_text(rows).encode("cp1252"))
    assert sent.status_code == 302
    report_url = sent.headers["Location"]
    waiting = client.get(report_url).get_data(as_text=True)
    assert "waiting to be imported" in waiting and "Check again" in waiting
    assert counts() == (0, 1)
    with run_worker():
        runs = tasks.wait_for(1, TASK)
    assert runs[0].retval == "imported"
    assert counts() == (ROWS, 0)  # every row stored; the uploaded file deleted
    keyed = db.session.scalars(select(Response.keyed_by_id).distinct()).all()
    assert keyed == [officer_id]
    done = client.get(report_url).get_data(as_text=True)
    assert f"{ROWS} responses were added" in done and "Check again" not in done
    assert "read as Windows-1252" in done


def test_large_file_with_a_bad_row_stores_nothing_and_reports_it(
    signed_in: tuple[FlaskClient, Survey, int], run_worker: WorkerRunner, tasks: TaskLog
) -> None:
    client, survey, _ = signed_in
    rows = [NO_DOG] * ROWS
    rows[ROWS - 2] = {**NO_DOG, "postcode": "nowhere"}
    sent = upload(client, survey, csv_text(rows).encode())
    with run_worker():
        runs = tasks.wait_for(1, TASK)
    assert runs[0].retval == "refused"
    assert counts() == (0, 0)
    record = db.session.scalar(select(SurveyImport))
    assert record.problem_count == 1 and record.problems[0]["row"] == ROWS
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported" in page and "Enter a full UK postcode" in page
