"""The demo neighbourhood that ``make run`` seeds, so there is something to try at once."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.services import add_membership, create_user, find_user
from consult.briefings.population import replace_profile
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import IdeaStatus, ModerationState, StatusChange
from consult.ideas.participation import support_idea
from consult.ideas.services import categories_of, post_idea
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.neighbourhoods.services import create_neighbourhood
from consult.surveys.building import add_question, add_section
from consult.surveys.demographics import add_demographics, census_category, demographic_questions
from consult.surveys.models import Channel, Question, QuestionKind, Survey, SurveyStatus
from consult.surveys.services import submit_response

DEMO_SLUG = "demo"


@dataclass(frozen=True)
class DemoAccount:
    label: str
    email: str
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("Admin", "admin@demo.example.org", "demo-admin-password"),
    DemoAccount("Partnership member", "member@demo.example.org", "demo-member-password"),
    DemoAccount("Officer", "officer@demo.example.org", "demo-officer-password"),
)

AGREEMENT = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]


def demo_survey(neighbourhood: Neighbourhood) -> Survey:
    """Four sections: most question kinds, a section shown only to families, and the ready
    "About you" section, whose words (like "Yes", "No" and "Don't know" elsewhere) come
    translated into the neighbourhood's languages; the partnership's own words do not."""
    survey = Survey(
        neighbourhood_id=neighbourhood.id,
        title="Our park and green spaces",
        description="Tell the partnership how you use the park and what would make it better.",
        privacy_notice="The Demo Estate partnership uses your answers to plan work on the park. "
        "Answers are kept until the work is done, then deleted.",
        status=SurveyStatus.OPEN.value,
        opens_at=utcnow(),
    )
    db.session.add(survey)
    park = add_section(survey, "Using the park")
    add_question(
        park,
        QuestionKind.SINGLE_CHOICE,
        "How often do you visit the park?",
        ["Every day", "Every week", "Every month", "Less often", "Never"],
        required=True,
    )
    add_question(
        park,
        QuestionKind.MULTIPLE_CHOICE,
        "What would make the park better?",
        ["More seating", "Better lighting", "A play area", "Toilets", "Events and activities"],
        help_text="Select up to 3.",
        max_choices=3,
    )
    add_question(
        park,
        QuestionKind.SCALE,
        "I feel safe in the park after dark.",
        AGREEMENT,
        dont_know=True,
        required=True,
    )
    children = add_question(
        park, QuestionKind.YES_NO, "Do children under 16 live in your home?", required=True
    )
    family = add_section(
        survey,
        "Children and young people",
        "These questions are for homes with children.",
        show_if=children.options[0],
    )
    add_question(
        family,
        QuestionKind.NUMBER,
        "How many children under 16 live in your home?",
        min_value=1,
        max_value=15,
    )
    add_question(
        family,
        QuestionKind.RANKING,
        "What would children most like in the park?",
        ["A play area", "A splash pad", "A skate park", "A football pitch", "A nature trail"],
        max_choices=3,
    )
    last = add_section(survey, "Anything else")
    add_question(
        last,
        QuestionKind.POSTCODE,
        "What is your postcode?",
        help_text="This tells us which parts of the estate answered.",
    )
    add_question(
        last,
        QuestionKind.SINGLE_CHOICE,
        "How did you hear about this survey?",
        ["A leaflet", "A neighbour", "Social media"],
        other="Somewhere else",
    )
    add_question(
        last,
        QuestionKind.FREE_TEXT,
        "Is there anything else you want to tell us?",
        help_text="Do not include your name or anyone else's.",
        max_length=2000,
    )
    add_demographics(survey)  # translates consult's own words in the whole survey
    return survey


SAMPLE_COMMENTS = (
    "The lights by the back gate have been broken for months.",
    "More benches near the pond would help older people.",
    "The play area needs new swings.",
    "Dog mess on the paths is a real problem.",
    "A summer fun day would bring people together.",
)


def seed_sample_responses(survey: Survey, count: int = 120, seed: int = 2026) -> None:
    """Made-up answers, so that results and briefings have numbers above the threshold k.

    Deterministic (a fixed seed). About a quarter are marked as paper forms: enough of them that
    the results by channel are shown, not hidden, on the demo. Most respondents also say how old
    they are, their sex and ethnic group, skewed as real respondents often are (see ANSWERING).
    """
    rng = random.Random(seed)  # noqa: S311 (sample data, not security)
    people = random.Random(seed + 1)  # noqa: S311 (about the respondents, drawn apart)
    about = demographic_questions(survey)
    often, better, safe, children = survey.sections[0].questions
    heard = survey.sections[2].questions[1]
    comment = survey.sections[2].questions[2]
    for _ in range(count):
        answers: dict[int, object] = {
            often.id: rng.choice(often.options[:4]).id,
            better.id: [o.id for o in rng.sample(better.options, rng.randint(1, 3))],
            safe.id: rng.choice(safe.options).id,
            children.id: children.options[1].id,  # "No": the families' section is skipped
            heard.id: rng.choice(heard.options[:3]).id,
        }
        if rng.random() < 0.4:
            answers[comment.id] = rng.choice(SAMPLE_COMMENTS)
        answers.update(about_you(people, about))
        channel = Channel.PAPER if rng.random() < 0.25 else Channel.ONLINE
        submit_response(survey, answers, channel)


# The demo estate as the Census would count it (made up, about 4,000 people), so that briefings
# can show who was heard and weighted results.
DEMO_PROFILE = {
    "age_band": {
        "Under 16": 900,
        "16 to 24": 500,
        "25 to 34": 600,
        "35 to 44": 550,
        "45 to 54": 480,
        "55 to 64": 420,
        "65 to 74": 330,
        "75 or over": 220,
    },
    "sex": {"Female": 2050, "Male": 1950},
    "ethnic_group": {
        "Asian or Asian British": 600,
        "Black, Black British, Caribbean or African": 400,
        "Mixed or Multiple ethnic groups": 200,
        "White": 2700,
        "Other ethnic group": 100,
    },
}
# Who answers a consultation, as is usual: older people, women and White residents more often
# than their share, so the demo's briefing has someone under-represented and weighting to do.
ANSWERING = {
    "age_band": {
        "Under 16": 8,
        "16 to 24": 7,
        "25 to 34": 11,
        "35 to 44": 14,
        "45 to 54": 15,
        "55 to 64": 17,
        "65 to 74": 16,
        "75 or over": 12,
    },
    "sex": {"Female": 60, "Male": 40},
    "ethnic_group": {
        "Asian or Asian British": 10,
        "Black, Black British, Caribbean or African": 6,
        "Mixed or Multiple ethnic groups": 3,
        "White": 79,
        "Other ethnic group": 2,
    },
}
ANSWERS_ABOUT_YOU = 0.85  # the section is optional: some leave it out
PREFERS_NOT_TO_SAY = 0.05


def about_you(rng: random.Random, questions: dict[str, Question]) -> dict[int, object]:
    """One sample respondent's "About you" answers (age, sex, ethnic group), or none."""
    if rng.random() >= ANSWERS_ABOUT_YOU:
        return {}
    answers: dict[int, object] = {}
    for key, shares in ANSWERING.items():
        question = questions.get(key)
        if question is None:
            continue
        by_group: dict[str | None, list[int]] = {}
        for option in question.options:
            by_group.setdefault(census_category(key, option.label), []).append(option.id)
        if rng.random() < PREFERS_NOT_TO_SAY:
            answers[question.id] = by_group[None][0]
            continue
        group = rng.choices(list(shares), weights=list(shares.values()))[0]
        answers[question.id] = rng.choice(by_group[group])
    return answers


def seed_demo() -> tuple[Neighbourhood, bool]:
    """Create the demo neighbourhood, its survey and accounts once; return (it, created)."""
    existing = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == DEMO_SLUG))
    if existing is not None:
        return existing, False
    neighbourhood = create_neighbourhood(
        DEMO_SLUG,
        "Demo Estate",
        "Demo Borough Council",
        "A neighbourhood to try consult in. Nothing here is real.",
    )
    survey = demo_survey(neighbourhood)
    db.session.flush()
    seed_sample_responses(survey)
    replace_profile(neighbourhood.id, DEMO_PROFILE)
    admin, member, officer = (_account(a) for a in DEMO_ACCOUNTS)
    admin.is_admin = True
    add_membership(member, neighbourhood, Role.MEMBER)
    add_membership(officer, neighbourhood, Role.OFFICER)
    seed_sample_ideas(neighbourhood, member)
    db.session.flush()
    return neighbourhood, True


# (title, description, category, place, supporters, status and answer or None)
SAMPLE_IDEAS = (
    (
        "Bins for dog waste along the canal path",
        "There are no dog waste bins on the canal path so bags get left on the fence. "
        "Two or three bins would keep the path clean for everyone.",
        "Environment and green spaces",
        "The canal path by the lock",
        6,
        (
            IdeaStatus.IN_PROGRESS,
            "The council has agreed to put in three bins. They should be there by spring.",
        ),
    ),
    (
        "A youth club on Friday evenings",
        "Young people have nowhere to go on Friday nights. The community centre is empty "
        "then and could run a youth club with games and sport.",
        "Young people",
        "The community centre",
        9,
        None,
    ),
    (
        "Better lighting on the walk to the bus stop",
        "The path from Elm Road to the bus stop is very dark in winter and people feel "
        "unsafe walking home. Brighter street lights would help.",
        "Safety",
        "Elm Road",
        4,
        None,
    ),
)


def seed_sample_ideas(neighbourhood: Neighbourhood, member: User) -> None:
    """A few published ideas with supports and an answer, written by sample residents."""
    categories = {c.name: c for c in categories_of(neighbourhood)}
    residents = [
        create_user(f"resident{n}@demo.example.org", display_name=f"Sample resident {n}")
        for n in range(1, 10)
    ]
    for number, (title, description, category, place, supporters, answer) in enumerate(
        SAMPLE_IDEAS
    ):
        author = residents[number]
        idea = post_idea(neighbourhood, author, title, description, categories[category], place)
        idea.state = ModerationState.PUBLISHED.value  # as if the partnership had checked it
        db.session.flush()
        for resident in residents[:supporters]:
            support_idea(idea, resident)
        if answer is not None:
            # Recorded directly: sample residents are not emailed about it.
            status, text = answer
            db.session.add(
                StatusChange(
                    idea_id=idea.id, status=status.value, answer=text, changed_by_id=member.id
                )
            )
            idea.status = status.value


def _account(account: DemoAccount) -> User:
    user = find_user(account.email)
    if user is None:
        user = create_user(
            account.email, account.password, display_name=f"Demo {account.label.lower()}"
        )
    return user
