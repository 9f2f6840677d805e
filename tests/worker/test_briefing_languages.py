"""Each officer's briefing email in their own language, as a real mail server receives it:
English, Polish, and Urdu right to left; a delivery sent later still sends the words it was
built with."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from consult.briefings.delivery import deliver
from consult.briefings.models import Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.extensions import db
from consult.surveys.services import submit_response
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_disclosure import small_numbers
from tests.worker.conftest import SMTPServer

LONDON_TIME = re.compile(r"\d{1,2} \S+ \d{4}|\d{1,2}:\d{2}\s*(?:[AaPp][Mm])?")


def test_each_recipient_gets_the_briefing_in_their_language(
    worker_app: Flask, smtp: SMTPServer
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill")  # k = 10
    readers = {}
    for locale in ("en", "pl", "ur"):
        officer = staff(area, "officer")
        officer.locale = None if locale == "en" else locale
        readers[officer.email] = locale
    survey = survey_with_questions(area)
    single, multiple, _, _ = survey.questions
    for choice, times in ((0, 12), (1, 15), (2, 3)):
        for _ in range(times):
            submit_response(
                survey,
                {single.id: single.options[choice].id, multiple.id: [multiple.options[choice].id]},
            )
    db.session.commit()
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    # The Polish officer switches to English after the build: the email already written in
    # Polish is the one sent, however late.
    polish = next(d for d in briefing.deliveries if d.locale == "pl").user
    polish.locale = "en"
    db.session.commit()
    for delivery_id in db.session.scalars(select(Delivery.id).order_by(Delivery.id)):
        assert deliver(delivery_id).value == "sent"
    received = {mail.rcpt_tos[0]: mail.message for mail in smtp.wait_for(3)}
    assert set(received) == set(readers)
    for email, locale in readers.items():
        message = received[email]
        # A header with non-ASCII words arrives folded: its first word on a continuation line.
        subject = str(message["Subject"]).strip()
        assert message["Content-Language"] == locale
        text_part, related = message.get_payload()[0].get_payload()
        html = related.get_payload()[0].get_content()
        text = text_part.get_content()
        assert f'<html lang="{locale}" dir="{"rtl" if locale == "ur" else "ltr"}">' in html
        for body in (text, html, message.get_payload()[1].get_content()):
            assert small_numbers(LONDON_TIME.sub("", body), 10) == [], (locale, body)
        if locale == "en":
            assert subject == "Briefing for Hillside: what residents said"
            assert "Since the last briefing" in text
            assert 'alt="Bar chart of answers to' in html
        if locale == "pl":
            assert subject == "Podsumowanie dla Hillside: co powiedzieli mieszkańcy"
            assert "Od poprzedniego podsumowania" in text
            assert "To pierwsze podsumowanie dla Hillside." in text
            assert 'alt="Wykres słupkowy odpowiedzi na pytanie' in html
            assert "Since the last briefing" not in text
        if locale == "ur":
            assert subject == "Hillside کے لیے بریفنگ: رہائشیوں نے کیا کہا"
            assert "پچھلی بریفنگ کے بعد سے" in text
            assert "text-align: right" in html
            assert 'alt="“How often do you visit?” کے جوابات کا بار چارٹ' in html
