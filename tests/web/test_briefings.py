"""Briefings: asked for, built from the database, delivered once per officer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from consult.briefings.delivery import Outcome, deliver
from consult.briefings.models import Briefing, BriefingEdition, Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.briefings.wording import words
from consult.core.time import utcnow
from consult.extensions import db
from consult.jobs.models import OutboxMessage
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions


def mails(app: Flask) -> list:
    return getattr(app.extensions["mailman"], "outbox", [])


def answer(survey, choice: int = 0, text: str | None = None):
    single, multiple, scale, free = survey.questions
    answers = {single.id: str(single.options[choice].id), scale.id: str(scale.options[0].id)}
    if text:
        answers[free.id] = text
    return submit_response(survey, answers)


def test_send_now_queues_a_build_after_commit(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    member = staff(area, "member")
    auth.sign_in(member.email)
    response = submit(client, "/n/hill/briefings/send", {}, form_url="/n/hill/briefings/")
    assert response.status_code == 302
    assert "is being built" in client.get("/n/hill/briefings/").get_data(as_text=True)
    briefing = db.session.scalar(select(Briefing))
    assert briefing.status == "pending" and briefing.requested_by_id == member.id
    message = db.session.scalar(select(OutboxMessage))
    assert message.task_name == "briefings.build"
    assert message.kwargs == {"briefing_id": briefing.id}
    assert message.published_at is not None  # published to the broker once committed


def test_rolled_back_request_queues_nothing(app: Flask) -> None:
    area = NeighbourhoodFactory()
    request_briefing(area)
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage)) is None


def test_briefing_counts_answers_in_total_and_since_last_time(app: Flask) -> None:
    # k = 1: nothing is small enough to hide, so every count can be checked.
    area = NeighbourhoodFactory(name="Hillside", disclosure_threshold=1)
    survey = survey_with_questions(area)
    staff(area, "officer")
    answer(survey, 0, "More bins")
    db.session.commit()
    first = request_briefing(area)
    build_briefing(first.id)
    db.session.commit()
    answer(survey, 1)
    answer(survey, 1)
    db.session.commit()
    second = request_briefing(area, now=utcnow() + timedelta(seconds=1))
    assert second.period_start == first.period_end
    build_briefing(second.id)
    db.session.commit()
    section = second.content["surveys"][0]
    assert (section["total"]["count"], section["in_period"]["count"]) == (3, 2)
    assert section["earlier"]["count"] == 1
    single = section["questions"][0]
    assert [(o["label"], o["count"], o["percent"]) for o in single["options"]] == [
        ("Daily", 1, 33.3),
        ("Weekly", 2, 66.7),
        ("Never", 0, 0.0),
    ]
    assert section["questions"][3]["text_answers"]["count"] == 1
    assert "Responses: 3 in total, 2 in this period." in second.edition().text_body
    assert "Hillside" in second.edition().subject
    assert (
        words(second.content["changes"][0])
        == "“Parks survey” has 3 responses, up from 1 at the last briefing."
    )


def test_each_officer_gets_one_copy_however_often_delivery_runs(app: Flask) -> None:
    area = NeighbourhoodFactory(disclosure_threshold=1)
    survey = survey_with_questions(area)
    officers = [staff(area, "officer"), staff(area, "officer")]
    staff(area, "member")
    answer(survey)
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    build_briefing(briefing.id)  # a redelivered build message changes nothing
    db.session.commit()
    deliveries = db.session.scalars(select(Delivery)).all()
    assert sorted(d.user_id for d in deliveries) == sorted(o.id for o in officers)
    outcomes = [deliver(d.id) for d in deliveries for _ in range(2)]
    assert outcomes.count(Outcome.SENT) == 2 and outcomes.count(Outcome.SKIPPED) == 2
    sent = mails(app)
    assert sorted(m.to[0] for m in sent) == sorted(o.email for o in officers)
    body, (html, mimetype) = sent[0].body, sent[0].alternatives[0]
    assert "1 in total" in body and mimetype == "text/html" and "<table" in html
    assert html.startswith("<!DOCTYPE html>") and "<svg" not in html and "<script" not in html


def test_failed_sends_retry_then_end_failed(app: Flask) -> None:
    app.config["DELIVERY_MAX_RETRIES"] = 1
    app.extensions["mailman"].backend = "smtp"
    app.extensions["mailman"].server = "127.0.0.1"
    app.extensions["mailman"].port = 9  # discard port: nothing listens
    area = NeighbourhoodFactory()
    staff(area, "officer")
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    delivery = db.session.scalar(select(Delivery))
    assert deliver(delivery.id) is Outcome.RETRY
    db.session.refresh(delivery)
    assert delivery.status == "pending" and delivery.last_error
    assert deliver(delivery.id) is Outcome.FAILED
    db.session.refresh(delivery)
    assert delivery.status == "failed" and delivery.attempts == 2
    assert deliver(delivery.id) is Outcome.SKIPPED


def test_archive_shows_the_built_briefing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    survey = survey_with_questions(area)
    answer(survey, text="<b>bold</b> claim")
    officer = staff(area, "officer")
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    auth.sign_in(officer.email)
    index = client.get("/n/hill/briefings/").get_data(as_text=True)
    assert f"/n/hill/briefings/{briefing.id}" in index
    page = client.get(f"/n/hill/briefings/{briefing.id}").get_data(as_text=True)
    assert "Parks survey" in page and "How often do you visit?" in page
    assert f"/n/hill/briefings/{briefing.id}.csv" in page
    tables = client.get(f"/n/hill/briefings/{briefing.id}.csv")
    assert tables.mimetype == "text/csv"
    assert tables.get_data(as_text=True).startswith("Survey,Question,Answer,Count,Percent")


def test_another_neighbourhoods_staff_cannot_read_a_briefing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    outsider = staff(NeighbourhoodFactory(slug="vale"), "officer")
    auth.sign_in(outsider.email)
    for url in ("", f"{briefing.id}", f"{briefing.id}.csv", "preview", "population/"):
        assert client.get(f"/n/hill/briefings/{url}").status_code == 404, url


def test_preview_shows_the_next_briefing_and_stores_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill", disclosure_threshold=1)
    survey = survey_with_questions(area)
    answer(survey, 1)
    db.session.commit()
    auth.sign_in(staff(area, "member").email)
    index = client.get("/n/hill/briefings/").get_data(as_text=True)
    assert "/n/hill/briefings/preview" in index
    page = client.get("/n/hill/briefings/preview").get_data(as_text=True)
    assert "has not been saved or sent" in page and "Send briefing now" in page
    assert "Parks survey" in page and "Weekly" in page
    assert db.session.scalar(select(func.count(Briefing.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_admins_see_every_briefing_with_undelivered_emails(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="fell", name="Fell Side")
    officer = staff(area, "officer")
    briefing, unwritten = (
        Briefing(
            neighbourhood_id=area.id,
            kind="on_demand",
            status="built",
            period_start=datetime(2026, 4, day, tzinfo=UTC),
            period_end=datetime(2026, 4, day + 7, tzinfo=UTC),
            content={},
        )
        for day in (1, 8)
    )
    # Listed by its English edition's subject, whichever editions it has.
    for locale, subject in (("pl", "Fell Side: co powiedzieli mieszkańcy"), ("en", None)):
        briefing.editions.append(
            BriefingEdition(
                locale=locale,
                subject=subject or "Fell Side: what residents said",
                text_body="",
                html_body="",
                tables_csv="",
            )
        )
    db.session.add_all([briefing, unwritten])
    db.session.flush()
    for failed in (briefing, unwritten):
        db.session.add(
            Delivery(briefing_id=failed.id, user_id=officer.id, status="failed", last_error="x")
        )
    admin = UserFactory(is_admin=True)
    db.session.commit()
    auth.sign_in(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Fell Side: what residents said</a> – 1 email not delivered" in page
    assert f'href="/n/fell/briefings/{briefing.id}"' in page
    # One with no edition at all (never the case for a built briefing) is named by its number.
    assert f"Fell Side: Briefing {unwritten.id}</a> – 1 email not delivered" in page
    db.session.execute(update(Delivery).values(status="sent"))
    db.session.commit()
    page = client.get("/admin/").get_data(as_text=True)
    assert "Every briefing email has been delivered or is still being sent." in page
