"""Multiple-choice questions broken down, and the bases of breakdowns kept apart from the sizes
of their groups published elsewhere in the briefing (who was heard, responses by channel)."""

from __future__ import annotations

import html

from flask import Flask

from consult.briefings.tables import briefing_csv
from consult.briefings.wording import breakdown_note
from consult.extensions import db
from consult.surveys.demographics import demographic_questions
from consult.surveys.models import Channel, Survey
from consult.surveys.services import submit_response
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.web.test_briefings_breakdowns import built, rows_of, with_demographics
from tests.web.test_briefings_disclosure import small_numbers


def respond(
    survey: Survey,
    ticks: list[int] | None,
    age: str | None = None,
    channel: Channel = Channel.ONLINE,
) -> None:
    """One response: the single question answered, the multiple-choice one ticked (by option
    index; None: skipped) and an age band by label."""
    single, multiple = survey.questions[:2]
    given: dict[int, object] = {single.id: single.options[0].id}
    if ticks is not None:
        given[multiple.id] = [multiple.options[i].id for i in ticks]
    if age is not None:
        about = demographic_questions(survey)["age_band"]
        given[about.id] = next(o.id for o in about.options if o.label == age)
    submit_response(survey, given, channel)


SEATS, LIGHTS, TOILETS = 0, 1, 2


def test_a_multiple_choice_breakdown_matches_the_hand_computed_table(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside", disclosure_threshold=3)
    staff(area, "officer")
    survey = with_demographics(area)
    plan: list[tuple[str | None, list[int] | None, int]] = [
        ("25 to 34", [SEATS, LIGHTS], 3),
        ("25 to 34", [SEATS], 2),
        ("25 to 34", None, 1),  # answered the survey, not this question
        ("35 to 44", [LIGHTS, TOILETS], 2),
        ("35 to 44", [TOILETS], 2),
        ("16 to 24", [SEATS], 2),
        (None, [SEATS, TOILETS], 3),
    ]
    for age, ticks, times in plan:
        for _ in range(times):
            respond(survey, ticks, age=age)
    db.session.commit()
    briefing = built(area)
    multiple = briefing.content["surveys"][0]["questions"][1]
    assert [o["count"] for o in multiple["options"]] == [10, 5, 7]
    assert multiple["base"]["count"] == 14
    (by_age,) = multiple["breakdowns"]
    assert by_age["by"] == "age_band" and by_age["columns"] == ["Seats", "Lights", "Toilets"]
    assert by_age["several"] and "can add up to more than 100%" in breakdown_note(by_age)
    # Worked by hand (k = 3). 16 to 24 (2 people) is withheld, zeros and all. 25 to 34: 6
    # people, 5 of whom answered: 6 - 5 = 1 would say how many skipped, so its base is hidden
    # (the column of bases then has two hidden: 16 to 24's and this). 35 to 44's Lights (2) is
    # small; with 16 to 24's, Lights has two hidden. Seats and Toilets each have only 16 to
    # 24's hidden, so each hides its smallest other count: Not stated's 3. Percentages are of
    # a visible base only.
    assert rows_of(by_age) == [
        ("25 to 34", None, [(5, None), (3, None), (0, None)]),
        ("35 to 44", 4, [(0, 0.0), (None, None), (4, 100.0)]),
        ("Not stated", 3, [(None, None), (0, 0.0), (None, None)]),
    ]
    assert by_age["left_out"] == 1
    for name, body in (
        ("text", briefing.edition().text_body),
        ("html", briefing.edition().html_body),
        ("csv", briefing_csv(briefing.content)),
    ):
        assert small_numbers(body, 3) == [], name
        assert "can add up to more than 100%" in body, name
    assert "“What would help?” by age" in briefing.edition().text_body


def test_a_channel_breakdown_hides_a_base_too_close_to_the_channel_total(app: Flask) -> None:
    area = NeighbourhoodFactory(disclosure_threshold=5)
    survey = survey_with_questions(area)
    for _ in range(20):
        respond(survey, [SEATS])
    for _ in range(10):
        respond(survey, [LIGHTS], channel=Channel.PAPER)
    for _ in range(2):
        respond(survey, None, channel=Channel.PAPER)  # two paper responses skipped it
    db.session.commit()
    section = built(area).content["surveys"][0]
    assert [(c["channel"], c["total"]["count"]) for c in section["channels"]] == [
        ("online", 20),
        ("paper", 12),
    ]
    multiple = section["questions"][1]
    (by_channel,) = multiple["breakdowns"]
    # Paper's base (10) is 2 short of the 12 paper responses shown above: hidden, and so is
    # online's (20) beside it in the column of bases; the counts of Seats and Lights stay.
    assert rows_of(by_channel) == [
        ("online", None, [(20, None), (0, None), (0, None)]),
        ("paper", None, [(0, None), (10, None), (0, None)]),
    ]
    single = section["questions"][0]
    (by_channel,) = single["breakdowns"]
    assert [row["total"]["count"] for row in by_channel["rows"]] == [20, 12]


def test_who_was_heard_hides_what_the_about_you_question_hides(app: Flask) -> None:
    area = NeighbourhoodFactory(disclosure_threshold=5)
    survey = with_demographics(area)
    about = demographic_questions(survey)["ethnic_group"]
    indian, pakistani, bangladeshi = (
        next(o.id for o in about.options if o.label == f"Asian or Asian British: {name}")
        for name in ("Indian", "Pakistani", "Bangladeshi")
    )
    white = about.options[0].id
    single = survey.questions[0]
    for option, times in ((indian, 12), (pakistani, 15), (bangladeshi, 3), (white, 30)):
        for _ in range(times):
            submit_response(survey, {single.id: single.options[0].id, about.id: option})
    db.session.commit()
    section = built(area).content["surveys"][0]
    table = next(q for q in section["questions"] if q["id"] == about.id)
    hidden = [o["label"] for o in table["options"] if o["count"] is None]
    # The question hides Bangladeshi (3) and, as its complement, Indian (12).
    assert hidden == ["Asian or Asian British: Indian", "Asian or Asian British: Bangladeshi"]
    ethnic = next(g for g in section["heard"]["groups"] if g["variable"] == "ethnic_group")
    shown = {row["category"]: row["respondents"]["count"] for row in ethnic["rows"]}
    # "Asian or Asian British" (30) less the Pakistani 15 shown would give Indian and
    # Bangladeshi together, and with Indian... so it is hidden, as the answers in it are.
    assert shown["Asian or Asian British"] is None
    assert shown["White"] == 30 and ethnic["total"]["count"] == 60


def test_a_breakdown_whose_every_group_is_small_says_so(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    staff(area, "officer")
    survey = with_demographics(area)
    for age in ("25 to 34", "35 to 44"):
        for _ in range(6):
            respond(survey, [SEATS], age=age)
    db.session.commit()
    briefing = built(area)
    multiple = briefing.content["surveys"][0]["questions"][1]
    (by_age,) = multiple["breakdowns"]
    assert by_age["rows"] == [] and by_age["left_out"] == 2
    sentence = "“What would help?” by age: not shown, because every group had fewer than 10"
    assert sentence in briefing.edition().text_body
    assert sentence in html.unescape(briefing.edition().html_body)
    assert small_numbers(briefing.edition().text_body, 10) == []
