"""PostgreSQL restarts under a running app: the app serves again without a restart of its own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.models import Response
from tests.conftest import make_app, submit
from tests.factories import NeighbourhoodFactory, survey_with_questions
from tests.faults.private_postgres import PrivatePostgres
from tests.worker.conftest import free_port


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    # Not pytest's tmp_path: its parents are private to root, and PostgreSQL runs as postgres.
    workdir = Path(tempfile.mkdtemp(prefix="consult-pg-"))
    workdir.chmod(0o755)
    server = PrivatePostgres(workdir, free_port())
    try:
        server.init()
        server.start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_app_recovers_after_postgres_restarts(tmp_path: Path, postgres: PrivatePostgres) -> None:
    app: Flask = make_app(postgres.url, tmp_path / "instance", SUBMIT_RATE_LIMIT="100 per minute")
    with app.app_context():
        try:
            from flask_migrate import upgrade

            upgrade(revision="heads")
            area = NeighbourhoodFactory(slug="hill")
            survey = survey_with_questions(area)
            single, _, scale, _ = survey.questions
            answers = {
                f"q{single.id}": str(single.options[0].id),
                f"q{scale.id}": str(scale.options[0].id),
            }
            client = app.test_client()
            url = f"/n/hill/surveys/{survey.id}"
            assert answer(client, url, answers) == 302
            db.session.remove()  # the request is over: its connection goes back to the pool

            postgres.restart()  # every pooled connection is now dead

            assert client.get("/n/hill/").status_code == 200
            assert client.get("/readyz").status_code == 200
            assert answer(client, url, answers) == 302
            assert db.session.scalar(select(func.count(Response.id))) == 2
        finally:
            db.session.remove()
            db.engine.dispose()


def answer(client: FlaskClient, url: str, answers: dict[str, str]) -> int:
    """Answer the survey's one section and send it from the check page."""
    assert submit(client, f"{url}/sections/1", answers).status_code == 302
    return int(submit(client, f"{url}/check", {}).status_code)
