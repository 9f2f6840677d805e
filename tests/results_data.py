"""A survey with hand-counted answers, for the results page, the tables CSV and the API.

Neighbourhood ``res`` has k = 3. Twelve responses (nine online, three on paper); two were
submitted on 1 March 2026, ten today. Per question (the hand count the tests check against):

1. single choice: Daily 6, Weekly 4, Never 2 (paper: Daily 2, Weekly 1)
2. multiple choice: Seats 8, Lights 5, Toilets 1 (everyone ticked at least one)
3. scale (Agree = 3, Neither = 2, Disagree = 1): Agree 7, Neither 5 -> mean 31 / 12 = 2.58
4. free text: 4 written answers
5. number: 1 to 12 -> mean 6.5, median 6.5, smallest 1, largest 12
6. postcode: LS9 7 x 8, LS9 8 x 3, LS6 1 x 1
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.building import add_question
from consult.surveys.models import Channel, QuestionKind, Survey
from consult.surveys.services import store_response
from tests.factories import NeighbourhoodFactory, answer_row, survey_with_questions

K = 3
EARLY_DAY = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
SINGLE = ["Daily"] * 6 + ["Weekly"] * 4 + ["Never"] * 2
# Responses 0, 1 and 6 came on paper: Daily, Daily, Weekly.
PAPER = {0, 1, 6}
SCALE = ["Agree"] * 7 + ["Neither"] * 5
SECTORS = ["LS9 7"] * 8 + ["LS9 8"] * 3 + ["LS6 1"]
WRITTEN = {
    2: "Call me on 07700 900123 or write to jo@example.org",
    5: "More bins please",
    8: "I live at LS9 7AB",
    11: "Lovely park",
}


def multiple_choices() -> list[list[str]]:
    """Seats 8 (people 0-7), Lights 5 (people 7-11), Toilets 1 (person 11): base 12."""
    return [
        (["Seats"] if i <= 7 else [])
        + (["Lights"] if i >= 7 else [])
        + (["Toilets"] if i == 11 else [])
        for i in range(12)
    ]


def results_survey(area: Neighbourhood | None = None) -> Survey:
    area = area or NeighbourhoodFactory(slug="res", name="Res Area", disclosure_threshold=K)
    survey = survey_with_questions(area)
    section = survey.sections[0]
    add_question(section, QuestionKind.NUMBER, "How many years?", min_value=0, max_value=100)
    add_question(section, QuestionKind.POSTCODE, "Your postcode?")
    db.session.commit()
    single, multiple, scale, free, number, postcode = survey.questions
    option = {q.id: {o.label: o.id for o in q.options} for q in survey.questions}
    ticks = multiple_choices()
    for i in range(12):
        rows = [
            answer_row(question_id=single.id, option_id=option[single.id][SINGLE[i]]),
            answer_row(question_id=scale.id, option_id=option[scale.id][SCALE[i]]),
            answer_row(question_id=number.id, number=Decimal(i + 1)),
            answer_row(question_id=postcode.id, text=SECTORS[i]),
        ]
        rows += [
            answer_row(question_id=multiple.id, option_id=option[multiple.id][t]) for t in ticks[i]
        ]
        if i in WRITTEN:
            rows.append(answer_row(question_id=free.id, text=WRITTEN[i]))
        channel = Channel.PAPER if i in PAPER else Channel.ONLINE
        response = store_response(survey, rows, channel)
        if i >= 10:
            response.submitted_at = EARLY_DAY
    db.session.commit()
    return survey
