"""The ready-made "About you" section: Census 2021 categories, every question optional and
each with "Prefer not to say", with the reason for asking and a consent statement."""

from __future__ import annotations

from consult.surveys.building import add_question, add_section
from consult.surveys.models import Question, QuestionKind, Section, Survey

TITLE = "About you"
PREFER_NOT = "Prefer not to say"
INTRO = (
    "These questions are optional. We ask them to check whether the people who answer are "
    "like everyone who lives here, so that no group goes unheard. Your answers are never "
    "linked to your name. Answers about your ethnic group, health and gender identity are "
    "special category data: by answering them you agree to the partnership using them only "
    "for this check. Choose ‘Prefer not to say’ for any question you would rather not answer."
)
AGE_BANDS = [
    "Under 16",
    "16 to 24",
    "25 to 34",
    "35 to 44",
    "45 to 54",
    "55 to 64",
    "65 to 74",
    "75 or over",
]
ETHNIC_GROUPS = {
    "White": [
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Any other White background",
    ],
    "Mixed or Multiple ethnic groups": [
        "White and Black Caribbean",
        "White and Black African",
        "White and Asian",
        "Any other Mixed or Multiple background",
    ],
    "Asian or Asian British": [
        "Indian",
        "Pakistani",
        "Bangladeshi",
        "Chinese",
        "Any other Asian background",
    ],
    "Black, Black British, Caribbean or African": [
        "Caribbean",
        "African",
        "Any other Black, Black British or Caribbean background",
    ],
    "Other ethnic group": ["Arab", "Any other ethnic group"],
}
TENURE = [
    "Owns outright",
    "Owns with a mortgage or loan",
    "Shared ownership (part owns, part rents)",
    "Rents from the council",
    "Rents from a housing association",
    "Rents from a private landlord or letting agency",
    "Lives here rent free",
]
EMPLOYMENT = [
    "Employee",
    "Self-employed",
    "Unemployed and looking for work",
    "Retired",
    "Student",
    "Looking after home or family",
    "Long-term sick or disabled",
    "Other",
]


def has_demographics(survey: Survey) -> bool:
    """Whether the ready-made section is in ``survey`` (found by its questions' keys)."""
    return any(question.demographic_key for question in survey.questions)


def demographic_questions(survey: Survey) -> dict[str, Question]:
    """{demographic key: question} for the ready-made questions in ``survey``."""
    return {q.demographic_key: q for q in survey.questions if q.demographic_key}


def census_category(key: str, label: str) -> str | None:
    """The Census 2021 category (as a population profile holds it) an option stands for, or None
    for "Prefer not to say". Ethnic groups are asked in detail ("Asian or Asian British:
    Indian") and counted by their high-level group (the part before the colon)."""
    if label == PREFER_NOT:
        return None
    if key == "ethnic_group":
        return label.split(":", 1)[0]
    return label


def add_demographics(survey: Survey) -> Section:
    """Append the "About you" section to ``survey``. Flushes (skip logic needs option ids)."""
    section = add_section(survey, TITLE, INTRO)

    def ask(key: str, text: str, options: list[str], why: str) -> None:
        add_question(
            section,
            QuestionKind.SINGLE_CHOICE,
            text,
            [*options, PREFER_NOT],
            help_text=why,
            demographic_key=key,
        )

    ask("age_band", "What is your age?", AGE_BANDS, "So we know if every age group has been heard.")
    ask(
        "sex",
        "What is your sex?",
        ["Female", "Male"],
        "So we know if women and men are both heard.",
    )
    ask(
        "gender_identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        ["Yes", "No"],
        "So we know if trans people have been heard.",
    )
    ask(
        "ethnic_group",
        "What is your ethnic group?",
        [f"{group}: {detail}" for group, details in ETHNIC_GROUPS.items() for detail in details],
        "So we know if every community in the area has been heard.",
    )
    condition = add_question(
        section,
        QuestionKind.SINGLE_CHOICE,
        "Do you have any physical or mental health conditions or illnesses lasting or expected "
        "to last 12 months or more?",
        ["Yes", "No", PREFER_NOT],
        help_text="So we know if disabled people have been heard.",
        demographic_key="disability",
    )
    add_question(
        section,
        QuestionKind.SINGLE_CHOICE,
        "Do any of your conditions or illnesses reduce your ability to carry out day-to-day "
        "activities?",
        ["Yes, a lot", "Yes, a little", "Not at all", PREFER_NOT],
        show_if=condition.options[0],
    )
    ask(
        "tenure",
        "Which best describes your home?",
        TENURE,
        "So we know if renters and owners are heard.",
    )
    ask(
        "employment",
        "Which best describes what you do?",
        EMPLOYMENT,
        "So we know if people in and out of work have been heard.",
    )
    return section
