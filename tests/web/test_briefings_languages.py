"""Briefings in the reader's language: content stores records, not English sentences; the
archive page speaks its viewer's language; every language's words keep small numbers hidden;
briefings stored before records still render."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from consult.briefings.models import Briefing, BriefingStatus
from consult.briefings.population import CENSUS_CATEGORIES
from consult.briefings.published import CHANNEL_LABELS
from consult.briefings.services import build_briefing, request_briefing
from consult.briefings.wording import SENTENCES, words
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Channel, Survey
from consult.surveys.services import submit_response
from tests.conftest import AuthActions, database_at
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_disclosure import built, small_numbers

LANGUAGES = ("en", "pl", "ur")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.+]+$")
DISPLAY = re.compile(r"^[\d,]+$")
# A date and time as the period line prints it in any language ("28 November 2026 at 8:30am",
# "28 listopada 2026 o 08:30"): not counts.
LONDON_TIME = re.compile(r"\d{1,2} \S+ \d{4}|\d{1,2}:\d{2}\s*(?:[AaPp][Mm])?")


def strings(data: object) -> Iterator[str]:
    """Every string value in stored content (not its keys)."""
    if isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)
    elif isinstance(data, str):
        yield data


def records(content: dict[str, Any]) -> list[dict[str, Any]]:
    lines = content["changes"] + content["caveats"]
    for survey in content["surveys"]:
        lines += (survey.get("heard") or {}).get("under", [])
    return lines


def choose(survey: Survey, choice: int) -> None:
    """An online response to the choice questions only: a scale's ends ("1 = Disagree to
    3 = Agree") are not counts, but would look like small ones to :func:`small_numbers`."""
    single, multiple, _, _ = survey.questions
    submit_response(
        survey, {single.id: single.options[choice].id, multiple.id: [multiple.options[choice].id]}
    )


def mixed_briefing(area: Any) -> Briefing:
    """A briefing with a caveat of most kinds: a hidden period count, paper responses, hidden
    questions, no population profile, and changes since a first briefing."""
    staff(area, "officer")
    survey = survey_with_questions(area)
    for choice in (0, 1) * 6:
        choose(survey, choice)
    for _ in range(11):
        submit_response(
            survey, {survey.questions[0].id: survey.questions[0].options[1].id}, Channel.PAPER
        )
    db.session.commit()
    built(area)
    for _ in range(3):
        choose(survey, 0)
    db.session.commit()
    later = request_briefing(area, now=utcnow() + timedelta(seconds=1))
    build_briefing(later.id)
    db.session.commit()
    return later


def test_content_holds_records_and_data_never_english_sentences(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    briefing = mixed_briefing(area)
    content = briefing.content
    assert content is not None
    lines = records(content)
    assert {line["say"] for line in lines} >= {"keyed_in", "period_hidden", "no_profile"}
    assert all(isinstance(line, dict) and line["say"] in SENTENCES for line in lines)
    assert content["suppression_note"] == {"k": 10}
    survey = content["surveys"][0]
    # Every string stored is data: the survey's own words, names, keys, markers and times.
    allowed = {"", "Hillside", "Parks survey", "open", "closed", "hidden", "channel"}
    allowed |= {key for key in SENTENCES} | set(CHANNEL_LABELS)
    allowed |= {category for names in CENSUS_CATEGORIES.values() for category in names}
    for question in survey["questions"]:
        allowed |= {question["text"], question["kind"]}
        allowed |= {option["label"] for option in question["options"]}
        scale = question.get("scale") or {}
        allowed |= {scale.get("low_label", ""), scale.get("high_label", "")}
    for stored in strings(content):
        assert stored in allowed or DISPLAY.match(stored) or TIMESTAMP.match(stored), stored


@pytest.mark.parametrize(
    ("locale", "first", "closed"),
    [
        ("en", "This is the first briefing for Hillside.", "“Parks survey” has closed."),
        (
            "pl",
            "To pierwsze podsumowanie dla Hillside.",
            "Ankieta „Parks survey” została zamknięta.",
        ),
        ("ur", "یہ Hillside کے لیے پہلی بریفنگ ہے۔", "“Parks survey” بند ہو گیا ہے۔"),
    ],
)
def test_a_record_is_worded_in_the_readers_language(
    app: Flask, locale: str, first: str, closed: str
) -> None:
    with force_locale(locale):
        assert words({"say": "first_briefing", "place": "Hillside"}) == first
        assert words({"say": "survey_closed", "title": "Parks survey"}) == closed
        # A sentence stored before records were kept is shown as it was written.
        assert words("An old sentence.") == "An old sentence."


def test_no_language_gives_a_hidden_number_away(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    briefing = mixed_briefing(area)
    assert {edition.locale for edition in briefing.editions} == {"en"}
    content = briefing.content
    assert content is not None
    for locale in LANGUAGES:
        with force_locale(locale):
            worded = [words(line) for line in records(content)]
        assert len(set(worded)) == len(worded)
        assert small_numbers(" ".join(worded), 10) == [], (locale, worded)
    pages = {}
    for locale in LANGUAGES:
        officer = staff(area, "officer")
        officer.locale = locale
        db.session.commit()
        again = request_briefing(area, now=utcnow() + timedelta(seconds=2 + len(pages)))
        build_briefing(again.id)
        db.session.commit()
        edition = again.edition(locale)
        assert edition.locale == locale
        for body in (edition.text_body, edition.html_body, edition.tables_csv):
            assert small_numbers(LONDON_TIME.sub("", body), 10) == [], (locale, body)
        pages[locale] = edition.text_body
    assert len(set(pages.values())) == len(LANGUAGES)


def test_the_archive_page_speaks_its_viewers_language(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill")
    briefing = mixed_briefing(area)
    officer = staff(area, "officer")
    db.session.commit()
    auth.sign_in(officer.email)
    url = f"/n/hill/briefings/{briefing.id}"
    english = client.get(url).get_data(as_text=True)
    assert "Things to bear in mind" in english
    assert "came in by paper and were keyed in by staff" in english
    client.set_cookie("consult_language", "pl")
    polish = client.get(url).get_data(as_text=True)
    assert 'lang="pl"' in polish
    assert "O czym warto pamiętać" in polish and "Things to bear in mind" not in polish
    assert "Personel wprowadził" in polish
    client.set_cookie("consult_language", "ur")
    urdu = client.get(url).get_data(as_text=True)
    assert 'dir="rtl"' in urdu and "ذہن میں رکھنے کی باتیں" in urdu


def test_a_briefing_stored_with_english_sentences_still_renders(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill")
    officer = staff(area, "officer")
    hidden = {"count": None, "display": "hidden"}
    old = Briefing(
        neighbourhood_id=area.id,
        kind="on_demand",
        status=BriefingStatus.BUILT.value,
        period_start=utcnow() - timedelta(days=7),
        period_end=utcnow(),
        content={
            "k": 10,
            "surveys": [
                {
                    "id": 1,
                    "title": "Old survey",
                    "status": "open",
                    "total": {"count": 40, "display": "40"},
                    "in_period": hidden,
                    "earlier": hidden,
                    "channels": [
                        {
                            "channel": "online",
                            "label": "Online",
                            "in_period": hidden,
                            "total": hidden,
                        }
                    ],
                    "questions": [
                        {
                            "id": 1,
                            "text": "How much do you agree?",
                            "kind": "scale",
                            "base": {"count": 40, "display": "40"},
                            "options": [
                                {
                                    "id": 1,
                                    "label": "Agree",
                                    "count": 40,
                                    "display": "40",
                                    "percent": 100.0,
                                }
                            ],
                            "mean": 3.0,
                            "scale": "1 = Disagree to 3 = Agree",
                            "breakdowns": [
                                {
                                    "by": "channel",
                                    "title": "“How much do you agree?” by how people answered",
                                    "columns": ["Agree"],
                                    "rows": [
                                        {
                                            "label": "Online",
                                            "total": {"count": 40, "display": "40"},
                                            "cells": [
                                                {"count": 40, "display": "40", "percent": 100.0}
                                            ],
                                        }
                                    ],
                                    "left_out": 0,
                                    "note": "An old note about ticking several.",
                                }
                            ],
                        }
                    ],
                    "heard": None,
                    "weighting": None,
                }
            ],
            "changes": ["Nothing has changed since the last briefing."],
            "caveats": ["An old caveat, written in English."],
            "ideas": {
                "new": 0,
                "new_ideas": [],
                "most_supported": [
                    {"id": 1, "title": "More bins", "status": "New", "supports": 12}
                ],
                "status_changes": [],
                "queue_size": 1,
                "queue_oldest": "3 days",
            },
            "suppression_note": "An old note about hidden numbers.",
        },
    )
    db.session.add(old)
    db.session.commit()
    auth.sign_in(officer.email)
    for locale in LANGUAGES:
        client.set_cookie("consult_language", locale)
        page = client.get(f"/n/hill/briefings/{old.id}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        for stored in (
            "An old caveat, written in English.",
            "An old note about hidden numbers.",
            "An old note about ticking several.",
            "1 = Disagree to 3 = Agree",
            "“How much do you agree?” by how people answered",
            "3 days",
        ):
            assert stored in text, (locale, stored)
    assert client.get(f"/n/hill/briefings/{old.id}.csv").status_code == 200


def test_the_migration_keeps_old_bodies_as_the_english_edition(tmp_path: Path) -> None:
    application, engine = database_at(tmp_path, "perf0001")
    with engine.begin() as connection:
        for number, status in ((1, "built"), (2, "pending")):
            connection.execute(
                text(
                    "INSERT INTO briefing (id, neighbourhood_id, kind, status, period_start, "
                    "period_end, subject, text_body, html_body, created_at) VALUES (:id, 1, "
                    "'weekly', :status, '2026-01-01 00:00:00', :end, 'Weekly briefing for A', "
                    "'Old text', '<p>Old HTML</p>', '2026-01-01 00:00:00')"
                ),
                {"id": number, "status": status, "end": f"2026-01-0{number + 1} 00:00:00"},
            )
    with application.app_context():
        upgrade(revision="briefi18n0001")
    with engine.connect() as connection:
        editions = connection.execute(
            text("SELECT briefing_id, locale, subject, text_body, html_body FROM briefing_edition")
        ).all()
    assert editions == [(1, "en", "Weekly briefing for A", "Old text", "<p>Old HTML</p>")]
    with application.app_context():
        downgrade(revision="perf0001")
    with engine.connect() as connection:
        bodies = connection.execute(
            text("SELECT id, text_body, html_body FROM briefing ORDER BY id")
        ).all()
    engine.dispose()
    assert bodies == [(1, "Old text", "<p>Old HTML</p>"), (2, "", "")]


def test_the_stored_subject_and_alt_text_give_way_to_the_editions(tmp_path: Path) -> None:
    application, engine = database_at(tmp_path, "send0001")
    with engine.begin() as connection:
        for number in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO briefing (id, neighbourhood_id, kind, status, period_start, "
                    "period_end, subject, created_at) VALUES (:id, 1, 'weekly', 'built', "
                    "'2026-01-01 00:00:00', :end, 'Weekly briefing for A', '2026-01-01 00:00:00')"
                ),
                {"id": number, "end": f"2026-01-0{number + 1} 00:00:00"},
            )
        connection.execute(
            text(
                "INSERT INTO briefing_edition (briefing_id, locale, subject, text_body, html_body, "
                "tables_csv) VALUES (1, 'pl', 'Cotygodniowy briefing dla A', '', '', ''), "
                "(1, 'en', 'Weekly briefing for A', '', '', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO briefing_chart (briefing_id, name, alt, png) "
                "VALUES (1, 'chart-1-1@consult', 'Bar chart of answers', :png)"
            ),
            {"png": b"\x89PNG"},
        )
    with application.app_context():
        upgrade(revision="briefsubj0001")
    with engine.connect() as connection:
        columns = {
            table: [row[1] for row in connection.execute(text(f"PRAGMA table_info({table})"))]
            for table in ("briefing", "briefing_chart")
        }
        chart = connection.execute(text("SELECT briefing_id, name, png FROM briefing_chart")).one()
    assert "subject" not in columns["briefing"] and "alt" not in columns["briefing_chart"]
    assert chart == (1, "chart-1-1@consult", b"\x89PNG")
    with application.app_context():
        downgrade(revision="send0001")
    with engine.connect() as connection:
        subjects = connection.execute(text("SELECT id, subject FROM briefing ORDER BY id")).all()
        alts = connection.execute(text("SELECT alt FROM briefing_chart")).scalars().all()
    engine.dispose()
    # The English edition's subject comes back; a briefing without one, and the alt text, empty.
    assert subjects == [(1, "Weekly briefing for A"), (2, "")]
    assert alts == [""]
