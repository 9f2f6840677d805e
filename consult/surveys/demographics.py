"""The ready-made "About you" section: Census 2021 categories, every question optional and
each with "Prefer not to say", with the reason for asking and a consent statement."""

from __future__ import annotations

from dataclasses import dataclass

from consult.surveys.building import YES_NO, add_question, add_section
from consult.surveys.default_texts import N_, translate_defaults
from consult.surveys.models import Question, QuestionKind, Section, Survey

# Stored in English (the Census's own wording); residents read them in their language through
# the catalogues' translations (see consult.surveys.default_texts).
TITLE = N_("About you")
PREFER_NOT = N_("Prefer not to say")
INTRO = N_(
    "These questions are optional. We ask them to check whether the people who answer are "
    "like everyone who lives here, so that no group goes unheard. Your answers are never "
    "linked to your name. Answers about your ethnic group, health and gender identity are "
    "special category data: by answering them you agree to the partnership using them only "
    "for this check. Choose ‘Prefer not to say’ for any question you would rather not answer."
)
AGE_BANDS = [
    N_("Under 16"),
    N_("16 to 24"),
    N_("25 to 34"),
    N_("35 to 44"),
    N_("45 to 54"),
    N_("55 to 64"),
    N_("65 to 74"),
    N_("75 or over"),
]
SEXES = [N_("Female"), N_("Male")]
# Asked in detail, "high-level group: detail", as the Census asks it; counted by the group.
ETHNIC_GROUPS = [
    N_("White: English, Welsh, Scottish, Northern Irish or British"),
    N_("White: Irish"),
    N_("White: Gypsy or Irish Traveller"),
    N_("White: Roma"),
    N_("White: Any other White background"),
    N_("Mixed or Multiple ethnic groups: White and Black Caribbean"),
    N_("Mixed or Multiple ethnic groups: White and Black African"),
    N_("Mixed or Multiple ethnic groups: White and Asian"),
    N_("Mixed or Multiple ethnic groups: Any other Mixed or Multiple background"),
    N_("Asian or Asian British: Indian"),
    N_("Asian or Asian British: Pakistani"),
    N_("Asian or Asian British: Bangladeshi"),
    N_("Asian or Asian British: Chinese"),
    N_("Asian or Asian British: Any other Asian background"),
    N_("Black, Black British, Caribbean or African: Caribbean"),
    N_("Black, Black British, Caribbean or African: African"),
    N_(
        "Black, Black British, Caribbean or African: "
        "Any other Black, Black British or Caribbean background"
    ),
    N_("Other ethnic group: Arab"),
    N_("Other ethnic group: Any other ethnic group"),
]
TENURE = [
    N_("Owns outright"),
    N_("Owns with a mortgage or loan"),
    N_("Shared ownership (part owns, part rents)"),
    N_("Rents from the council"),
    N_("Rents from a housing association"),
    N_("Rents from a private landlord or letting agency"),
    N_("Lives here rent free"),
]
EMPLOYMENT = [
    N_("Employee"),
    N_("Self-employed"),
    N_("Unemployed and looking for work"),
    N_("Retired"),
    N_("Student"),
    N_("Looking after home or family"),
    N_("Long-term sick or disabled"),
    N_("Other"),
]
DAY_TO_DAY = [N_("Yes, a lot"), N_("Yes, a little"), N_("Not at all")]


@dataclass(frozen=True)
class Ask:
    """One ready question: its Census key (None for a follow-up), wording, answers and why."""

    key: str | None
    text: str
    options: list[str]
    why: str = ""


QUESTIONS = [
    Ask(
        "age_band",
        N_("What is your age?"),
        AGE_BANDS,
        N_("So we know if every age group has been heard."),
    ),
    Ask("sex", N_("What is your sex?"), SEXES, N_("So we know if women and men are both heard.")),
    Ask(
        "gender_identity",
        N_("Is the gender you identify with the same as your sex registered at birth?"),
        list(YES_NO),
        N_("So we know if trans people have been heard."),
    ),
    Ask(
        "ethnic_group",
        N_("What is your ethnic group?"),
        ETHNIC_GROUPS,
        N_("So we know if every community in the area has been heard."),
    ),
    Ask(
        "disability",
        N_(
            "Do you have any physical or mental health conditions or illnesses lasting or "
            "expected to last 12 months or more?"
        ),
        list(YES_NO),
        N_("So we know if disabled people have been heard."),
    ),
    # A follow-up: shown only to those who answered "Yes" to the one before.
    Ask(
        None,
        N_(
            "Do any of your conditions or illnesses reduce your ability to carry out "
            "day-to-day activities?"
        ),
        DAY_TO_DAY,
    ),
    Ask(
        "tenure",
        N_("Which best describes your home?"),
        TENURE,
        N_("So we know if renters and owners are heard."),
    ),
    Ask(
        "employment",
        N_("Which best describes what you do?"),
        EMPLOYMENT,
        N_("So we know if people in and out of work have been heard."),
    ),
]
DEFAULT_TEXTS = (
    TITLE,
    INTRO,
    PREFER_NOT,
    *(text for ask in QUESTIONS for text in (ask.text, ask.why, *ask.options) if text),
)


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
    """Append the "About you" section to ``survey``, with its translations into the
    neighbourhood's languages. Flushes (skip logic needs option ids)."""
    section = add_section(survey, TITLE, INTRO)
    previous: Question | None = None
    for ask in QUESTIONS:
        # A follow-up is shown to those who answered the question before it "Yes".
        condition = previous.options[0] if ask.key is None and previous is not None else None
        previous = add_question(
            section,
            QuestionKind.SINGLE_CHOICE,
            ask.text,
            [*ask.options, PREFER_NOT],
            help_text=ask.why,
            demographic_key=ask.key,
            show_if=condition,
        )
    translate_defaults(survey)
    return section
