"""A partnership member without JavaScript imports paper responses: template, refusal, success."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from consult.demo import DEMO_ACCOUNTS
from consult.extensions import db
from consult.surveys.models import Response, Survey
from tests.e2e.conftest import AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

MEMBER = next(a for a in DEMO_ACCOUNTS if a.email == "member@demo.example.org")


def demo_answers(server: LiveServer) -> dict[str, str]:
    """A good paper response to the demo survey, by question number: its required answers."""
    with server.app.app_context():
        survey = db.session.scalars(select(Survey)).first()
        questions = survey.questions
        return {
            "Q1:": questions[0].options[0].label.upper(),
            "Q3:": questions[2].options[0].label,
            "Q4:": "no",
        }


def import_file(page: Page, path: Path) -> None:
    page.get_by_label("Upload a CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Import responses").click()


def test_member_imports_paper_responses_without_javascript(
    live_server: LiveServer, nojs_page: Page, axe: AxeChecker, tmp_path: Path
) -> None:
    need("chromium")
    page = nojs_page
    page.goto(live_server.at("/sign-in"))
    page.get_by_label("Email address").fill(MEMBER.email)
    page.get_by_label("Password", exact=True).fill(MEMBER.password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.at("/n/demo/surveys/"))
    page.get_by_role("link", name="Import paper responses to survey 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import paper responses")
    axe.check(page)

    page.get_by_role("button", name="Import responses").click()
    expect(page.get_by_role("alert")).to_contain_text("Select a CSV file")
    axe.check(page, posted=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template for this survey (CSV)").click()
    template = download.value.path().read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(template)))
    assert header[0] == "Q1: How often do you visit the park?" and header[-1] == "Event name"

    answers = demo_answers(live_server)
    good = [next((v for k, v in answers.items() if h.startswith(k)), "") for h in header]
    bad = [
        ("Sometimes" if h.startswith("Q1:") else cell) for h, cell in zip(header, good, strict=True)
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, good, bad])
    refused = tmp_path / "paper.csv"
    refused.write_text(out.getvalue(), encoding="utf-8")
    import_file(page, refused)
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems).to_contain_text("‘Sometimes’ is not one of the answers")
    expect(problems.get_by_role("cell", name="3", exact=True)).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="Import another file").click()
    expect(page.get_by_role("table", name="Recent imports to this survey")).to_contain_text(
        "Refused"
    )
    out = io.StringIO()
    csv.writer(out).writerows([header, good, good])
    accepted = tmp_path / "paper-fixed.csv"
    accepted.write_text(out.getvalue(), encoding="utf-8")
    import_file(page, accepted)
    expect(page.get_by_text("2 responses were added to the survey")).to_be_visible()
    axe.check(page)
    with live_server.app.app_context():
        keyed = select(func.count(Response.id)).where(Response.keyed_by_id.is_not(None))
        assert db.session.scalar(keyed.where(Response.channel == "paper")) == 2
