"""Members make household codes, print one letter per code and see how many are used; two sends
with one code at the same moment store one response."""

from __future__ import annotations

import re
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.access import AccessRefusedError, claim_access, generate_codes
from consult.surveys.access_models import HouseholdCode
from consult.surveys.answering import check_all, send_draft, start_draft
from consult.surveys.models import Response
from consult.surveys.services import REFERENCE_ALPHABET
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, staff
from tests.survey_steps import access_survey, base_url, page_answers

CODE = re.compile(r'<p class="consult-code">([A-Z0-9-]+)</p>')


def test_member_makes_prints_and_counts_codes(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(name="Hillside")
    survey = access_survey(area, "household_codes")
    survey.title = "Bins & <recycling>"
    db.session.commit()
    auth.sign_in(staff(area, "member").email)
    made = submit(client, f"{base_url(survey)}/codes", {"count": "5"}, follow_redirects=True)
    page = made.get_data(as_text=True)
    assert "0 of 5 codes used" in page

    sheets = client.get(f"{base_url(survey)}/codes/1/print").get_data(as_text=True)
    codes = CODE.findall(sheets)
    assert len(codes) == 5 == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        assert set(code.replace("-", "")) <= set(REFERENCE_ALPHABET)  # no 0/O, 1/I/L
    assert sheets.count('class="consult-code-sheet"') == 5
    assert sheets.count("Bins &amp; &lt;recycling&gt;") >= 5 and "<recycling>" not in sheets
    assert sheets.count(f"https://consult.example/s/{survey.id}") == 5
    assert "How to answer" in sheets and "Hillside" in sheets

    db.session.execute(
        HouseholdCode.__table__.update().where(HouseholdCode.code == codes[0]).values(used=True)
    )
    db.session.commit()
    page = client.get(f"{base_url(survey)}/codes").get_data(as_text=True)
    assert "1 of 5 codes used" in page
    assert client.get(f"{base_url(survey)}/codes/2/print").status_code == 404


@pytest.mark.parametrize("count", ["0", "-3", "2001", "lots", ""])
def test_a_wrong_number_of_codes_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, count: str
) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "household_codes")
    auth.sign_in(staff(area, "member").email)
    response = submit(client, f"{base_url(survey)}/codes", {"count": count})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html
    assert f'value="{count}"' in html if count else True
    assert db.session.scalar(select(func.count()).select_from(HouseholdCode)) == 0


def test_officers_cannot_make_codes(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "household_codes")
    auth.sign_in(staff(area, "officer").email)
    assert client.get(f"{base_url(survey)}/codes").status_code == 404


def test_short_address_leads_to_the_survey(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory()
    survey = access_survey(area, "household_codes")
    hidden = access_survey(area, "open")
    hidden.status = "draft"
    db.session.commit()
    assert client.get(f"/s/{survey.id}").headers["Location"].endswith(base_url(survey))
    assert client.get(f"/s/{hidden.id}").status_code == 404
    assert client.get("/s/999999").status_code == 404


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_two_concurrent_sends_with_one_code_store_one(app: Flask) -> None:
    """Two residents' transactions both store answers, then claim the code at the same moment:
    PostgreSQL makes the second wait for the first and then find the code used."""
    survey = access_survey(NeighbourhoodFactory(), "household_codes")
    generate_codes(survey, 1)
    db.session.commit()
    survey_id, code = survey.id, db.session.scalar(select(HouseholdCode.code))
    ready = threading.Barrier(2, timeout=20)
    outcomes: list[str] = []

    def resident() -> None:
        with app.app_context():
            own = db.session.get_one(type(survey), survey_id)
            draft, _ = start_draft(own)
            draft.answers = {
                k: v if isinstance(v, list) else [v] for k, v in page_answers(own).items()
            }
            pages, unfinished = check_all(own, draft.answers)
            assert unfinished is None
            assert send_draft(own, draft, pages) is not None
            ready.wait()
            try:
                claim_access(own, code)
            except AccessRefusedError:
                db.session.rollback()
                outcomes.append("refused")
            else:
                db.session.commit()
                outcomes.append("stored")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=resident) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "stored"]
    assert db.session.scalar(select(func.count(Response.id))) == 1
