"""Breakdowns against a hand-computed table, who was heard and weighting against a hand-worked
example, the idea board section, and demographic questions found by their key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from consult.briefings.models import Briefing
from consult.briefings.population import replace_profile
from consult.briefings.services import build_briefing, request_briefing
from consult.briefings.tables import briefing_csv
from consult.briefings.wording import breakdown_title, words
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import StatusChange, Support
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.demographics import add_demographics, demographic_questions
from consult.surveys.models import Channel, Survey
from consult.surveys.services import submit_response
from tests.conftest import database_at
from tests.factories import NeighbourhoodFactory, UserFactory, staff, survey_with_questions
from tests.idea_factories import IdeaFactory
from tests.web.test_briefings_disclosure import small_numbers


def with_demographics(area: Neighbourhood) -> Survey:
    survey = survey_with_questions(area)
    add_demographics(survey)
    db.session.commit()
    return survey


def answer(survey: Survey, visit: int, age: str | None = None, sex: str | None = None) -> None:
    """One response: how often they visit (option index), and their age band and sex by label."""
    about = demographic_questions(survey)
    single = survey.questions[0]
    given: dict[int, object] = {single.id: single.options[visit].id}
    for key, label in (("age_band", age), ("sex", sex)):
        if label is not None:
            given[about[key].id] = next(o.id for o in about[key].options if o.label == label)
    submit_response(survey, given)


def built(area: Neighbourhood) -> Briefing:
    briefing = request_briefing(area)
    build_briefing(briefing.id)
    db.session.commit()
    return briefing


def rows_of(breakdown: dict) -> list[tuple]:
    return [
        (row["label"], row["total"]["count"], [(c["count"], c["percent"]) for c in row["cells"]])
        for row in breakdown["rows"]
    ]


def test_breakdown_by_age_matches_the_hand_computed_table(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside", slug="hill", disclosure_threshold=3)
    staff(area, "officer")
    survey = with_demographics(area)
    daily, weekly, never = 0, 1, 2
    plan = [
        ("25 to 34", daily, 4),
        ("25 to 34", weekly, 3),
        ("35 to 44", daily, 2),
        ("35 to 44", weekly, 5),
        ("35 to 44", never, 1),
        ("16 to 24", daily, 1),
        ("Prefer not to say", weekly, 2),
        (None, daily, 1),
    ]
    for age, visit, times in plan:
        for _ in range(times):
            answer(survey, visit, age=age)
    db.session.commit()
    briefing = built(area)
    single = briefing.content["surveys"][0]["questions"][0]
    # The question's own table: Never (1) is hidden, and Daily (8) as its complement.
    assert [o["count"] for o in single["options"]] == [None, 10, None]
    assert single["base"]["count"] == 19
    by_age = next(b for b in single["breakdowns"] if b["by"] == "age_band")
    assert by_age["columns"] == ["Daily", "Weekly", "Never"]
    # Worked by hand (k = 3): 16 to 24 has one person, so it is withheld; 35 to 44's 2 and 1
    # and "Not stated"'s 1 and 2 are small. The totals row hides Daily and Never as the
    # question's table does. The column of group sizes then has one hidden entry (16 to 24),
    # so its smallest other size, Not stated's 3, is hidden too.
    assert rows_of(by_age) == [
        ("25 to 34", 7, [(4, 57.1), (3, 42.9), (0, 0.0)]),
        ("35 to 44", 8, [(None, None), (5, 62.5), (None, None)]),
        ("Not stated", None, [(None, None), (None, None), (0, None)]),
    ]
    assert by_age["left_out"] == 1
    assert breakdown_title(by_age) == "“How often do you visit?” by age"
    # No breakdown by channel while everyone answered online, nor by sex and the rest while
    # nobody gave them (one group is no breakdown); none of the "About you" answers.
    assert {b["by"] for b in single["breakdowns"]} == {"age_band"}
    assert all("breakdowns" not in q for q in briefing.content["surveys"][0]["questions"][4:])
    for name, body in (
        ("text", briefing.edition().text_body),
        ("html", briefing.edition().html_body),
        ("csv", briefing_csv(briefing.content)),
    ):
        assert small_numbers(body, 3) == [], name
    assert "“How often do you visit?” by age" in briefing.edition().text_body
    assert ["Parks survey", "“How often do you visit?” by age", "25 to 34: Daily", "4", "57.1"] in [
        row.split(",") for row in briefing_csv(briefing.content).splitlines()
    ]


def test_breakdown_by_channel_and_the_hidden_split_is_explained(app: Flask) -> None:
    area = NeighbourhoodFactory(disclosure_threshold=5)
    survey = survey_with_questions(area)
    single = survey.questions[0]
    for _ in range(12):
        submit_response(survey, {single.id: single.options[0].id})
    for _ in range(3):
        submit_response(survey, {single.id: single.options[1].id}, Channel.PAPER)
    db.session.commit()
    content = built(area).content
    section = content["surveys"][0]
    by_channel = next(b for b in section["questions"][0]["breakdowns"] if b["by"] == "channel")
    # Paper has 3 (< 5): withheld; online's row then hides its Daily with the question's own.
    assert by_channel["left_out"] == 1
    assert [row["label"] for row in by_channel["rows"]] == ["online"]
    assert [row["total"]["count"] for row in section["channels"]] == [None, None]
    hidden_split = {
        "say": "channels_hidden",
        "title": "Parks survey",
        "channels": ["online", "paper"],
        "k": 5,
    }
    assert hidden_split in content["caveats"]
    assert words(hidden_split).startswith(
        "The split of responses to “Parks survey” between online and paper is hidden"
    )


def test_who_was_heard_and_weighting_match_the_hand_worked_example(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    staff(area, "officer")
    survey = with_demographics(area)
    replace_profile(area.id, {"sex": {"Female": 600, "Male": 400}})
    for sex, visit, times in (
        ("Female", 0, 15),
        ("Female", 1, 5),
        ("Male", 0, 10),
        ("Male", 1, 20),
    ):
        for _ in range(times):
            answer(survey, visit, sex=sex)
    db.session.commit()
    briefing = built(area)
    section = briefing.content["surveys"][0]
    sex = next(g for g in section["heard"]["groups"] if g["variable"] == "sex")
    assert [
        (r["category"], r["respondents"]["count"], r["percent"], r["population_percent"])
        for r in sex["rows"]
    ] == [("Female", 20, 40, 60), ("Male", 30, 60, 40)]
    assert section["heard"]["under"] == [
        {
            "say": "under_represented",
            "variable": "sex",
            "category": "Female",
            "population": 0.6,
            "respondents": 0.4,
        }
    ]
    assert words(section["heard"]["under"][0]) == (
        "Women and girls are 60% of the neighbourhood but 40% of respondents."
    )
    # By hand: weights w = (N_h / N) / (n_h / n): women 0.6 / 0.4 = 1.5, men 0.4 / 0.6 = 2/3.
    # Daily: 15 × 1.5 + 10 × 2/3 = 29.17 of 50, so 58%; Weekly 5 × 1.5 + 20 × 2/3 = 20.83, 42%.
    # Kish: (Σw)² / Σw² = 50² / (20 × 1.5² + 30 × (2/3)²) = 2500 / 58.33 = 42.9, so 43.
    single = section["questions"][0]
    assert [o["percent"] for o in single["options"]] == [50.0, 50.0, 0.0]
    assert single["weighted"] == [58, 42, 0]
    assert section["weighting"] == {
        "shown": True,
        "variables": ["sex"],
        "effective_sample_size": 43,
    }
    caveats = [words(line) for line in briefing.content["caveats"]]
    assert any("matched the neighbourhood by sex" in line for line in caveats)
    assert any("random sample of 43 people" in line for line in caveats)
    assert "Women and girls are 60% of the neighbourhood but 40% of respondents." in (
        briefing.edition().text_body
    )
    assert (
        "Weighted %" in briefing.edition().html_body
        and "weighted 58%" in briefing.edition().text_body
    )
    for body in (
        briefing.edition().text_body,
        briefing.edition().html_body,
        briefing_csv(briefing.content),
    ):
        assert small_numbers(body, 10) == []


def test_a_small_group_is_named_without_giving_its_count_away(app: Flask) -> None:
    area = NeighbourhoodFactory(name="Hillside")  # k = 10
    survey = with_demographics(area)
    replace_profile(area.id, {"age_band": {"16 to 24": 300, "25 to 34": 300, "35 to 44": 400}})
    for age, times in (("16 to 24", 3), ("25 to 34", 20), ("35 to 44", 20)):
        for _ in range(times):
            answer(survey, 0, age=age)
    db.session.commit()
    briefing = built(area)
    heard = briefing.content["surveys"][0]["heard"]
    # The respondents' share is not kept: it would give the hidden count back.
    assert heard["under"] == [
        {
            "say": "under_represented",
            "variable": "age_band",
            "category": "16 to 24",
            "population": 0.3,
            "respondents": None,
        }
    ]
    assert words(heard["under"][0]) == (
        "People aged 16 to 24 are 30% of the neighbourhood, but very few of them answered "
        "(how many is hidden)."
    )
    age = next(g for g in heard["groups"] if g["variable"] == "age_band")
    shown = {r["category"]: (r["respondents"]["count"], r["percent"]) for r in age["rows"]}
    # 3 is hidden, and with the total shown, 20 is hidden beside it.
    assert shown["16 to 24"] == (None, None) and shown["25 to 34"] == (None, None)
    assert shown["35 to 44"] == (20, 47)
    assert small_numbers(briefing.edition().text_body, 10) == []


def test_idea_board_section_shows_published_ideas_only(app: Flask) -> None:
    area = NeighbourhoodFactory()
    staff(area, "officer")
    start = utcnow() - timedelta(days=7)
    popular = IdeaFactory(neighbourhood=area, title="Benches by the pond")
    IdeaFactory(neighbourhood=area, title="Plant fruit trees")
    IdeaFactory(neighbourhood=area, title="Secret hidden idea", state="hidden")
    IdeaFactory(neighbourhood=area, title="Rejected rude idea", state="rejected")
    IdeaFactory(neighbourhood=area, title="Waiting idea", state="pending")
    for _ in range(3):
        db.session.add(Support(idea_id=popular.id, user_id=UserFactory().id))
    popular.status = "shortlisted"
    db.session.add(
        StatusChange(idea_id=popular.id, status="shortlisted", answer="We will cost it.")
    )
    db.session.commit()
    briefing = request_briefing(area, now=utcnow() + timedelta(seconds=1))
    briefing.period_start = start
    build_briefing(briefing.id)
    db.session.commit()
    ideas = briefing.content["ideas"]
    assert ideas["new"] == 2
    assert [i["title"] for i in ideas["new_ideas"]] == ["Plant fruit trees", "Benches by the pond"]
    assert ideas["most_supported"] == [
        {"id": popular.id, "title": "Benches by the pond", "status": "shortlisted", "supports": 3}
    ]
    assert ideas["status_changes"] == [
        {
            "id": popular.id,
            "title": "Benches by the pond",
            "status": "shortlisted",
            "answer": "We will cost it.",
        }
    ]
    assert ideas["queue_size"] == 1 and ideas["queue_hours"] == 0
    for body in (briefing.edition().text_body, briefing.edition().html_body):
        assert "Benches by the pond" in body and "We will cost it." in body
        for secret in ("Secret hidden idea", "Rejected rude idea", "Waiting idea", "@example"):
            assert secret not in body


def test_demographic_questions_carry_their_key(app: Flask) -> None:
    area = NeighbourhoodFactory()
    survey = with_demographics(area)
    about = demographic_questions(survey)
    assert list(about) == [
        "age_band",
        "sex",
        "gender_identity",
        "ethnic_group",
        "disability",
        "tenure",
        "employment",
    ]
    # Members may reword a question: it is still found by its key.
    about["age_band"].text = "How old are you?"
    db.session.commit()
    assert demographic_questions(survey)["age_band"].text == "How old are you?"


def test_the_migration_backfills_keys_of_existing_demographic_questions(
    tmp_path: Path,
) -> None:
    application, engine = database_at(tmp_path, "surveys0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO survey (id, neighbourhood_id, title, description, privacy_notice, "
                "status, created_at) VALUES (1, 1, 'S', '', '', 'open', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO survey_section (id, survey_id, position, title, intro) "
                "VALUES (1, 1, 1, 'About you', '')"
            )
        )
        for position, (kind, wording) in enumerate(
            [
                ("single_choice", "What is your age?"),
                ("single_choice", "What is your ethnic group?"),
                ("free_text", "What is your sex?"),
                ("single_choice", "What is your age?"),
            ],
            start=1,
        ):
            connection.execute(
                text(
                    "INSERT INTO question (survey_id, section_id, position, kind, text, "
                    "help_text, required, whole_number) VALUES (1, 1, :p, :k, :t, '', 0, 1)"
                ),
                {"p": position, "k": kind, "t": wording},
            )
    with application.app_context():
        upgrade(revision="briefs0001")
    with engine.connect() as connection:
        keys = connection.execute(
            text("SELECT position, demographic_key FROM question ORDER BY position")
        ).all()
    engine.dispose()
    # The first question with each text gets the key; a free-text look-alike does not.
    assert keys == [(1, "age_band"), (2, "ethnic_group"), (3, None), (4, None)]
