"""Deleting an account: asked for on the account page, confirmed by a one-time link sent over
real SMTP (aiosmtpd); afterwards nothing personal is left and the neighbourhood keeps its ideas."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.auth.models import User
from consult.extensions import db
from consult.ideas.models import Comment, Idea, Report, Support
from consult.ideas.participation import support_idea, withdraw_support
from consult.moderation.models import ModerationAction, Notification
from consult.neighbourhoods.models import Membership
from consult.rights.deletion import DELETION_PLAN, delete_account, request_deletion
from consult.rights.models import AccountDeletionRequest
from tests.conftest import (
    BACKENDS,
    AuthActions,
    clean_tables,
    csrf_from,
    database_url,
    make_app,
    migrate_once,
)
from tests.conftest import submit as submit_form
from tests.factories import NeighbourhoodFactory, UserFactory, staff
from tests.idea_factories import ResidentFactory, sent_mail
from tests.rights_factories import columns_about_people, one_of_everything, tables_holding
from tests.worker.conftest import SMTPServer

EMAIL = "zebedee.quux@example.org"
NAME = "Zebedee Quux"
LINK = re.compile(r"https://consult\.example(/\S+)")


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def mail_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, smtp: SMTPServer
) -> Iterator[Flask]:
    """The app on each database, sending its email over SMTP to the test's aiosmtpd server."""
    root = tmp_path_factory.getbasetemp()
    url = database_url(request.param, root)
    application = make_app(
        url,
        root / "instance",
        MAIL_BACKEND="smtp",
        MAIL_SERVER=smtp.host,
        MAIL_PORT=smtp.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_TIMEOUT=5,
    )
    migrate_once(application, url)
    with application.app_context():
        clean_tables()
        yield application
        db.session.rollback()
        clean_tables()
        db.session.remove()
        db.engine.dispose()


def last_link(smtp: SMTPServer, count: int) -> str:
    """The site path in the text part of the ``count``-th email received."""
    message = smtp.wait_for(count)[count - 1].message
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = LINK.search(body.get_content())
    assert match, "no link in the email"
    return match.group(1)


def sign_in_by_email(client: FlaskClient, smtp: SMTPServer, email: str, name: str) -> None:
    count = len(smtp.received) + 1
    submit_form(client, "/sign-in/email", {"email": email})
    response = submit_form(client, last_link(smtp, count), {})
    if "/account/name" in (response.location or ""):
        submit_form(client, response.location, {"display_name": name})


def test_a_resident_deletes_their_account_and_nothing_personal_is_left(
    mail_app: Flask, smtp: SMTPServer
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hillside")
    client = mail_app.test_client()
    sign_in_by_email(client, smtp, EMAIL, NAME)
    person = db.session.scalar(select(User).where(User.email == EMAIL))
    assert person is not None and person.display_name == NAME
    idea = one_of_everything(person, area)
    person_id, idea_id = person.id, idea.id
    supported = db.session.scalar(select(Support.idea_id).where(Support.user_id == person_id))
    assert tables_holding(EMAIL, NAME), "the test data does not hold the person at all"

    page = client.get("/account/delete").get_data(as_text=True)
    assert "we will email you a link to confirm" in page
    response = submit_form(client, "/account/delete", {})
    assert response.status_code == 302 and response.location == "/account/delete/sent"
    received = smtp.wait_for(2)[1]
    assert received.rcpt_tos == [EMAIL]
    assert received.message["Subject"] == "Confirm you want to delete your consult account"
    link = last_link(smtp, 2)

    # Opening the link (as a mail scanner would) deletes nothing.
    assert "Delete my account" in client.get(link).get_data(as_text=True)
    assert db.session.get(User, person_id).deleted_at is None
    response = submit_form(client, link, {})
    assert response.status_code == 302 and response.location == "/account/deleted"
    assert "has been deleted" in client.get("/account/deleted").get_data(as_text=True)
    db.session.expire_all()

    # Nothing personal in any column of any table.
    assert tables_holding(EMAIL, NAME) == []
    assert tables_holding("zebedee") == []
    # Signed out, and the account cannot be used again.
    assert client.get("/account").status_code == 302
    tombstone = db.session.get(User, person_id)
    assert not tombstone.active and tombstone.password_hash is None
    assert tombstone.deleted_at is not None

    # The neighbourhood keeps the idea and the comment, shown as by "a resident".
    kept = db.session.get(Idea, idea_id)
    assert kept is not None and kept.author_id is None
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id.is_(None)))
    shown = mail_app.test_client().get(f"/n/hillside/ideas/{idea_id}")
    assert "Posted by a resident" in shown.get_data(as_text=True)
    # The moderation log keeps its entry.
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1
    # Reports, email opt-ins and emails about ideas are gone; the support still counts.
    assert db.session.scalar(select(func.count(Report.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    supports = db.session.scalars(select(Support).where(Support.idea_id == supported)).all()
    assert len(supports) == 2 and not any(s.notify for s in supports if s.user_id == person_id)


def test_one_support_per_person_still_holds_for_everyone_else(app: Flask) -> None:
    area = NeighbourhoodFactory()
    person = ResidentFactory(email=EMAIL, display_name=NAME)
    one_of_everything(person, area)
    idea = db.session.scalar(select(Idea).where(Idea.author_id != person.id))
    supporter = db.session.scalar(
        select(User).join(Support).where(Support.idea_id == idea.id, User.id != person.id)
    )
    delete_account(person)
    db.session.commit()

    def supports() -> int:
        return db.session.scalar(select(func.count()).where(Support.idea_id == idea.id)) or 0

    assert supports() == 2  # the deleted person's support still counts
    assert not support_idea(idea, supporter)  # already supports it: still once
    newcomer = ResidentFactory()
    assert support_idea(idea, newcomer) and not support_idea(idea, newcomer)
    db.session.commit()
    assert supports() == 3
    withdraw_support(idea, supporter)
    db.session.commit()
    assert supports() == 2


def test_the_link_works_once_and_not_after_it_expires(app: Flask, client: FlaskClient) -> None:
    person = ResidentFactory()
    new = request_deletion(person)
    db.session.commit()
    link = f"/account/delete/confirm/{new.token}"
    assert submit_form(client, link, {}).status_code == 302
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    again = client.post(link, data={"csrf_token": token})
    assert again.status_code == 410
    assert client.get(link).status_code == 410
    assert sent_mail(app) == []

    late = ResidentFactory()
    expired = request_deletion(late)
    expired.request.expires_at = expired.request.created_at - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/account/delete/confirm/{expired.token}")
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    assert db.session.get(User, late.id).deleted_at is None
    assert client.get("/account/delete/confirm/not-a-token").status_code == 410


@pytest.mark.parametrize("kind", ["member", "admin"])
def test_staff_are_asked_to_have_their_roles_removed_first(
    app: Flask, client: FlaskClient, kind: str
) -> None:
    area = NeighbourhoodFactory(name="Hillside")
    person = staff(area, "member") if kind == "member" else UserFactory(is_admin=True)
    AuthActions(client).sign_in(person.email)
    page = client.get("/account/delete").get_data(as_text=True)
    expected = "You have a role in Hillside" if kind == "member" else "site administrator"
    assert expected in page and "Email me a link" not in page
    client.post("/account/delete", data={"csrf_token": _csrf(client)})
    assert db.session.scalar(select(func.count(AccountDeletionRequest.id))) == 0


def test_a_role_given_after_asking_stops_the_deletion(app: Flask, client: FlaskClient) -> None:
    area = NeighbourhoodFactory(name="Hillside")
    person = ResidentFactory()
    new = request_deletion(person)
    db.session.add(Membership(user_id=person.id, neighbourhood_id=area.id, role="officer"))
    db.session.commit()
    response = submit_form(client, f"/account/delete/confirm/{new.token}", {})
    assert response.status_code == 410
    assert "You have a role in Hillside" in response.get_data(as_text=True)
    assert db.session.get(User, person.id).deleted_at is None


def test_every_column_about_people_has_a_fate(app: Flask) -> None:
    about_people = {(table, column.name) for table, column in columns_about_people()}
    missing = sorted(about_people - DELETION_PLAN.keys())
    assert not missing, f"say what deletion does with: {missing} (consult/rights/deletion.py)"
    assert not DELETION_PLAN.keys() - about_people


def _csrf(client: FlaskClient) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))
