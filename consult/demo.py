"""The demo neighbourhood that ``make run`` seeds, so there is something to try at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.services import add_membership, create_user, find_user
from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.neighbourhoods.services import create_neighbourhood
from consult.surveys.models import Option, Question, QuestionKind, Survey, SurveyStatus

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


def _question(
    position: int,
    kind: QuestionKind,
    text: str,
    options: list[str],
    required: bool = False,
    help_text: str = "",
) -> Question:
    question = Question(
        position=position,
        kind=kind.value,
        text=text,
        required=required,
        help_text=help_text,
        max_length=2000 if not options else None,
    )
    for index, label in enumerate(options, start=1):
        value = len(options) - index + 1 if kind is QuestionKind.SCALE else None
        question.options.append(Option(position=index, label=label, value=value))
    return question


def demo_survey(neighbourhood: Neighbourhood) -> Survey:
    survey = Survey(
        neighbourhood_id=neighbourhood.id,
        title="Our park and green spaces",
        description="Tell the partnership how you use the park and what would make it better.",
        status=SurveyStatus.OPEN.value,
        opens_at=utcnow(),
    )
    survey.questions = [
        _question(
            1,
            QuestionKind.SINGLE_CHOICE,
            "How often do you visit the park?",
            ["Every day", "Every week", "Every month", "Less often", "Never"],
            required=True,
        ),
        _question(
            2,
            QuestionKind.MULTIPLE_CHOICE,
            "What would make the park better?",
            ["More seating", "Better lighting", "A play area", "Toilets", "Events and activities"],
            help_text="Select all that apply.",
        ),
        _question(
            3, QuestionKind.SCALE, "I feel safe in the park after dark.", AGREEMENT, required=True
        ),
        _question(
            4,
            QuestionKind.FREE_TEXT,
            "Is there anything else you want to tell us?",
            [],
            help_text="Do not include your name or anyone else's.",
        ),
    ]
    db.session.add(survey)
    return survey


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
    demo_survey(neighbourhood)
    admin, member, officer = (_account(a) for a in DEMO_ACCOUNTS)
    admin.is_admin = True
    add_membership(member, neighbourhood, Role.MEMBER)
    add_membership(officer, neighbourhood, Role.OFFICER)
    db.session.flush()
    return neighbourhood, True


def _account(account: DemoAccount) -> User:
    user = find_user(account.email)
    if user is None:
        user = create_user(
            account.email, account.password, display_name=f"Demo {account.label.lower()}"
        )
    return user
