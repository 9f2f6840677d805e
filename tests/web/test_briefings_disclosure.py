"""Nothing a briefing shows gives away a small group: hidden counts, hidden bases, no personal
data in quotes; and caveats and changes in plain English."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from flask import Flask

from consult.analysis.disclosure import HIDDEN_LABEL
from consult.analysis.redaction import contains_personal_data
from consult.briefings.delivery import briefing_message
from consult.briefings.models import Briefing, Delivery
from consult.briefings.services import build_briefing, request_briefing
from consult.briefings.tables import briefing_csv
from consult.briefings.wording import words
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Channel, Survey
from consult.surveys.services import submit_response
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def small_numbers(text: str, k: int) -> list[str]:
    """Numbers from 1 to k - 1 in a briefing's text, HTML or CSV, leaving out the period's dates
    and links (which are not counts)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"Period:[^\n]*", "", text)
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"briefing-\d+-[\d-]+\.csv", "", text)
    return [n for n in NUMBER.findall(text) if 0 < float(n) < k]


def answers(survey: Survey, choice: int, scale: int = 0, text: str | None = None) -> None:
    single, multiple, agree, free = survey.questions
    given: dict[int, object] = {
        single.id: single.options[choice].id,
        multiple.id: [multiple.options[choice].id],
        agree.id: agree.options[scale].id,
    }
    if text:
        given[free.id] = text
    submit_response(survey, given)


def built(area: object) -> Briefing:
    briefing = request_briefing(area)  # type: ignore[arg-type]
    build_briefing(briefing.id)
    db.session.commit()
    return briefing


def test_no_number_below_k_appears_in_a_briefing_of_a_small_survey(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    staff(area, "officer")
    survey = survey_with_questions(area)
    for choice in (0, 0, 1, 2, 0, 1, 0):
        answers(survey, choice, scale=choice, text="The park needs more bins")
    submit_response(
        survey, {survey.questions[0].id: survey.questions[0].options[0].id}, Channel.PAPER
    )
    db.session.commit()
    briefing = built(area)
    content = briefing.content
    section = content["surveys"][0]
    assert section["total"] == {"count": None, "display": HIDDEN_LABEL}
    assert all(q["base"]["count"] is None for q in section["questions"])
    assert content["suppression_note"] == {"k": 10}
    message = briefing_message(db.session.get(Delivery, briefing.deliveries[0].id))
    html_body = message.alternatives[0][0]
    csv_text = briefing_csv(content)
    for name, text in [
        ("text", message.body),
        ("html", html_body),
        ("csv", csv_text),
        ("archive", briefing.edition().html_body),
    ]:
        assert small_numbers(text, 10) == [], (name, text)
    assert HIDDEN_LABEL in csv_text and "Fewer than 10 people have answered" in message.body


def test_a_complement_is_hidden_so_totals_give_nothing_away(app: Flask) -> None:
    area = NeighbourhoodFactory()  # k = 10
    survey = survey_with_questions(area)
    for choice, times in ((0, 12), (1, 15), (2, 3)):
        for _ in range(times):
            answers(survey, choice, scale=0)
    db.session.commit()
    section = built(area).content["surveys"][0]
    single, multiple, scale, free = section["questions"]
    assert [(o["count"], o["percent"]) for o in single["options"]] == [
        (None, None),  # 12, hidden so that 30 - 15 does not give the 3 away
        (15, 50.0),
        (None, None),  # 3
    ]
    assert single["base"]["count"] == 30
    # No total of ticks is published for multiple choice: only the small count is hidden.
    assert [o["count"] for o in multiple["options"]] == [12, 15, None]
    assert scale["mean"] == 3.0 and free["themes"] == []
    # Hidden scale counts hide the mean too, which with the base would give them back.
    for _ in range(3):
        answers(survey, 0, scale=2)
    db.session.commit()
    later = request_briefing(area, now=utcnow() + timedelta(seconds=1))
    build_briefing(later.id)
    scale = later.content["surveys"][0]["questions"][2]
    assert [o["count"] for o in scale["options"]] == [None, 0, None]
    assert scale["base"]["count"] == 33 and scale["mean"] is None
    assert section["total"]["count"] == 30


def test_themes_quote_no_personal_data(app: Flask) -> None:
    area = NeighbourhoodFactory(disclosure_threshold=3)
    survey = survey_with_questions(area)
    planted = [
        "The bins on the estate overflow every week, email me at jo.bloggs@example.com",
        "Bins overflow and rubbish blows about, ring 07700 900123 to talk",
        "Overflowing bins near TS3 6AB attract rats and the bins smell",
        "Street lights are broken by the park, my neighbour Mrs Patel fell over",
        "Broken street lights make the park feel unsafe at night, call 01642 555123",
        "The street lights by the park have been broken for months, see www.example.org",
        "More bins please, the bins are always full",
        "Fix the street lights in the park",
    ]
    for number, text in enumerate(planted * 2):
        answers(survey, number % 3, text=text)
    db.session.commit()
    briefing = built(area)
    themes = briefing.content["surveys"][0]["questions"][3]["themes"]
    quotes = [quote for theme in themes for quote in theme["quotes"]]
    assert themes and quotes
    assert not any(contains_personal_data(quote) for quote in quotes)
    for secret in ("jo.bloggs@example.com", "07700 900123", "TS3 6AB", "Patel", "01642", "www."):
        assert (
            secret not in briefing.edition().text_body
            and secret not in briefing.edition().html_body
        ), secret
        assert secret not in briefing_csv(briefing.content), secret
    assert any("bins" in theme["keywords"] for theme in themes)


def test_caveats_and_changes_are_records_worded_in_plain_english(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    survey = survey_with_questions(area)
    for _ in range(10):
        answers(survey, 0)
    for _ in range(12):
        submit_response(
            survey, {survey.questions[0].id: survey.questions[0].options[1].id}, Channel.PAPER
        )
    db.session.commit()
    first = built(area).content
    assert first["changes"] == [{"say": "first_briefing", "place": "Hillside"}]
    keyed_in = {"say": "keyed_in", "title": "Parks survey", "channel": "paper", "count": 12}
    assert keyed_in in first["caveats"]
    assert words(first["changes"][0]) == "This is the first briefing for Hillside."
    caveats = [words(line) for line in first["caveats"]]
    assert "12 responses to “Parks survey” came in by paper and were keyed in by staff." in caveats
    assert "Only 22 responses to “Parks survey” came in during this period" in " ".join(caveats)
    assert any("No population profile has been entered for Hillside" in c for c in caveats)
    for _ in range(20):
        answers(survey, 0)
    db.session.commit()
    second = request_briefing(area, now=utcnow() + timedelta(seconds=1))
    build_briefing(second.id)
    db.session.commit()
    assert [words(line) for line in second.content["changes"]] == [
        "“Parks survey” has 42 responses, up from 22 at the last briefing.",
        "“How often do you visit?”: Daily is up from 45.5% to 71.4%.",
        "“How often do you visit?”: Weekly is down from 54.5% to 28.6%.",
    ]
    assert "Weekly is down from 54.5% to 28.6%." in second.edition().text_body
    assert "12 responses to “Parks survey” came in by paper" in second.edition().html_body
