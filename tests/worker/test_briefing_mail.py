"""The briefing email as a real mail server receives it (charts inline, nothing small shown),
and failed deliveries sent again with "Retry" once the mail server is back."""

from __future__ import annotations

import re
from html import unescape

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from consult.briefings.charts import bar_chart
from consult.briefings.delivery import deliver
from consult.briefings.models import Briefing, Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from consult.jobs.models import OutboxMessage
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, submit
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_disclosure import small_numbers
from tests.worker.conftest import SMTPServer, WorkerRunner, wait_until


def test_the_email_carries_its_charts_inline_with_alt_text_and_no_small_number(
    worker_app: Flask, smtp: SMTPServer
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill")  # k = 10
    officer = staff(area, "officer")
    survey = survey_with_questions(area)
    # No scale answers: its ends ("1 = Disagree to 3 = Agree") are not counts but look like them.
    single, multiple, _, _ = survey.questions
    for choice, times in ((0, 12), (1, 15), (2, 3)):
        for _ in range(times):
            submit_response(
                survey,
                {
                    single.id: single.options[choice].id,
                    multiple.id: [multiple.options[choice].id],
                },
            )
    db.session.commit()
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    delivery_id = db.session.scalar(select(Delivery.id))
    assert deliver(delivery_id).value == "sent"
    (mail,) = smtp.wait_for(1)
    message = mail.message
    assert mail.rcpt_tos == [officer.email]
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert attachment.get_content_type() == "text/csv"
    text_part, related = alternative.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    stored = db.session.get(Briefing, briefing.id)
    questions = {q["id"]: q for q in stored.content["surveys"][0]["questions"]}
    # One PNG per question with options, named in the HTML by cid: with alt text; never SVG.
    assert [image.get_content_type() for image in images] == ["image/png"] * 2
    alts = []
    for image, chart in zip(images, stored.charts, strict=True):
        content_id = image["Content-ID"].strip("<>")
        assert content_id == chart.name
        png = image.get_content()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        # Drawn from the published content alone: the same bytes as drawing it again.
        question_id = int(content_id.split("-")[2].split("@")[0])
        assert png == bar_chart(questions[question_id])
        alt = re.search(rf'<img src="cid:{re.escape(content_id)}" alt="([^"]+)"', html)
        assert alt and alt.group(1).startswith("Bar chart of answers to")
        alts.append(unescape(alt.group(1)))
    assert "svg" not in html.lower() and "<script" not in html.lower()
    assert "Daily: hidden; Weekly: 50%; Never: hidden" in alts[0]
    for name, body in (
        ("text", text_part.get_content()),
        ("html", html),
        ("csv", attachment.get_content()),
        ("alt", " ".join(alts)),
    ):
        assert small_numbers(body, 10) == [], name


def _statuses() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Delivery.status).order_by(Delivery.id)))


@pytest.mark.parametrize(
    "app_overrides", [{"DELIVERY_MAX_RETRIES": 1, "DELIVERY_RETRY_BACKOFF": 1}], ids=["retry-1"]
)
def test_a_failed_delivery_is_retried_once_from_the_briefing_page(
    worker_app: Flask, smtp: SMTPServer, run_worker: WorkerRunner
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill")
    officer = staff(area, "officer")
    member = staff(area, "member")
    survey_with_questions(area)
    smtp.stop()
    with run_worker():
        briefing = request_briefing(area)
        db.session.commit()
        wait_until(lambda: _statuses() == ["failed"], "the delivery to fail after its retries")
        client = worker_app.test_client()
        AuthActions(client).sign_in(member.email)
        url = f"/n/hill/briefings/{briefing.id}"
        page = client.get(url).get_data(as_text=True)
        assert "Emails that could not be sent" in page
        assert "ConnectionRefusedError" in page and officer.display_name in page
        assert officer.email not in page  # members see who, not the address
        delivery_id = db.session.scalar(select(Delivery.id))
        retry_url = f"{url}/deliveries/{delivery_id}/retry"
        queued_before = db.session.scalar(select(func.count(OutboxMessage.id)))
        # The mail server is back on the same address; "Retry" is pressed twice.
        smtp._controller = Controller(smtp.sink, hostname=smtp.host, port=smtp.port)
        smtp.start()
        first = submit(client, retry_url, {}, form_url=url, follow_redirects=True)
        assert "The email is being sent again." in first.get_data(as_text=True)
        (mail,) = smtp.wait_for(1)
        wait_until(lambda: _statuses() == ["sent"], "the delivery to be recorded as sent")
        second = submit(client, retry_url, {}, form_url=url, follow_redirects=True)
        assert "not waiting to be sent again" in second.get_data(as_text=True)
    queued = db.session.scalar(select(func.count(OutboxMessage.id))) - queued_before
    assert queued == 1
    assert mail.rcpt_tos == [officer.email] and len(smtp.received) == 1
    # Another neighbourhood's member cannot see or retry it.
    outsider = staff(NeighbourhoodFactory(slug="vale"), "member")
    other = worker_app.test_client()
    AuthActions(other).sign_in(outsider.email)
    assert other.get(url).status_code == 404
