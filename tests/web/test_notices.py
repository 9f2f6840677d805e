"""Privacy notices per neighbourhood and the accessibility statement: defaults, and admins
editing them with a preview."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.notices.models import AccessibilityStatement, PrivacyNotice
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, UserFactory, survey_with_questions

PRIVACY = {
    "who_runs_it": "The Hill partnership.",
    "lawful_basis": "Public task.",
    "what_we_keep": "Answers for two years.\n\nNames until you delete your account.",
    "your_rights": "Ask us.",
    "contact": "hello@hill.example",
}
STATEMENT = {
    "organisation": "Hill Council",
    "compliance": "partial",
    "known_issues": "Maps have no text alternative.",
    "contact": "Call 0100 000 0000.",
    "improvements": "Adding text to maps by June.",
    "prepared": "Prepared on 1 May 2026.",
}


def admin_client(client: FlaskClient) -> FlaskClient:
    AuthActions(client).sign_in(UserFactory(is_admin=True).email)
    return client


def test_every_neighbourhood_has_a_sensible_default_notice(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="hill", name="Hill", local_authority="Hill Borough Council")
    survey = survey_with_questions(area)
    survey.retention_months = 18
    db.session.commit()
    page = client.get("/n/hill/privacy").get_data(as_text=True)
    for heading in (
        "Who runs this service",
        "Why we can use your information",
        "What we keep and for how long",
        "Your rights",
        "Contact us",
    ):
        assert f">{heading}</h2>" in page
    assert "Hill Borough Council" in page and "Article 6(1)(e)" in page
    assert "Information Commissioner" in page
    assert "18 months after the survey closes" in page
    assert "/n/hill/privacy" in client.get("/privacy").get_data(as_text=True)


def test_footer_and_survey_start_pages_link_to_the_notices(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(slug="hill", name="Hill")
    survey = survey_with_questions(area)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home and 'href="/accessibility"' in home
    start = client.get(f"/n/hill/surveys/{survey.id}").get_data(as_text=True)
    assert 'href="/n/hill/privacy"' in start


def test_admin_previews_then_saves_the_privacy_notice(app: Flask, client: FlaskClient) -> None:
    NeighbourhoodFactory(slug="hill", name="Hill")
    admin_client(client)
    url = "/n/hill/privacy/edit"
    assert "Public task" not in client.get(url).get_data(as_text=True)
    preview = submit(client, url, {**PRIVACY, "preview": "Preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and ">Preview</h2>" in html
    assert '<p class="govuk-body">Answers for two years.</p>' in html
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) == 0

    saved = submit(client, url, {**PRIVACY, "save": "Save"})
    assert saved.status_code == 302 and saved.location == "/n/hill/privacy"
    page = client.get("/n/hill/privacy").get_data(as_text=True)
    assert "Privacy notice saved" in page and "hello@hill.example" in page
    assert "Article 6(1)(e)" not in page


def test_a_missing_part_is_refused_and_the_rest_kept(app: Flask, client: FlaskClient) -> None:
    NeighbourhoodFactory(slug="hill")
    admin_client(client)
    response = submit(client, "/n/hill/privacy/edit", {**PRIVACY, "contact": "   ", "save": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter how to contact you" in html and "The Hill partnership." in html
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) == 0


def test_what_admins_type_is_shown_as_text(app: Flask, client: FlaskClient) -> None:
    NeighbourhoodFactory(slug="hill")
    admin_client(client)
    attack = {**PRIVACY, "contact": '<script>alert("x")</script>', "save": "Save"}
    submit(client, "/n/hill/privacy/edit", attack)
    page = client.get("/n/hill/privacy").get_data(as_text=True)
    assert '<script>alert("x")' not in page and "&lt;script&gt;" in page


def test_accessibility_statement_follows_the_model(app: Flask, client: FlaskClient) -> None:
    page = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert f">{heading}</h2>" in page, heading
    assert "fully compliant" in page and "Equality Advisory and Support Service" in page


def test_admin_edits_the_accessibility_statement(app: Flask, client: FlaskClient) -> None:
    admin_client(client)
    preview = submit(client, "/accessibility/edit", {**STATEMENT, "preview": "Preview"})
    html = preview.get_data(as_text=True)
    assert "partially compliant" in html and "Maps have no text alternative." in html
    assert db.session.scalar(select(func.count(AccessibilityStatement.id))) == 0
    saved = submit(client, "/accessibility/edit", {**STATEMENT, "save": "Save"})
    assert saved.status_code == 302
    again = submit(client, "/accessibility/edit", {**STATEMENT, "save": "Save"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(AccessibilityStatement.id))) == 1
    page = client.get("/accessibility").get_data(as_text=True)
    assert "This website is run by Hill Council" in page and "partially compliant" in page


def test_a_wrong_compliance_value_is_refused(app: Flask, client: FlaskClient) -> None:
    admin_client(client)
    response = submit(client, "/accessibility/edit", {**STATEMENT, "compliance": "x"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
