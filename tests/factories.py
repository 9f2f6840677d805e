"""factory_boy factories for consult's models, flushed into the test's session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from consult.auth.passwords import hash_password
from consult.core.time import utcnow
from consult.extensions import db
from consult.models import Membership, Neighbourhood, Survey, User
from consult.surveys.building import add_question, add_section
from consult.surveys.models import QuestionKind

PASSWORD = "correct horse battery staple"


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class NeighbourhoodFactory(_Base):
    class Meta:
        model = Neighbourhood

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    local_authority = "Test Borough Council"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))


class MembershipFactory(_Base):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    role = "member"


def staff(neighbourhood: Neighbourhood, role: str) -> User:
    """A user with ``role`` in ``neighbourhood``."""
    user = UserFactory()
    MembershipFactory(user=user, neighbourhood=neighbourhood, role=role)
    return user


def survey_with_questions(neighbourhood: Neighbourhood, status: str = "open") -> Survey:
    """A one-section survey with one question of each foundation kind: single, multiple, scale,
    free text."""
    survey = Survey(
        neighbourhood_id=neighbourhood.id, title="Parks survey", status=status, opens_at=utcnow()
    )
    db.session.add(survey)
    section = add_section(survey, "Your answers")
    add_question(
        section,
        QuestionKind.SINGLE_CHOICE,
        "How often do you visit?",
        ["Daily", "Weekly", "Never"],
        required=True,
    )
    add_question(
        section, QuestionKind.MULTIPLE_CHOICE, "What would help?", ["Seats", "Lights", "Toilets"]
    )
    add_question(
        section,
        QuestionKind.SCALE,
        "I feel safe there.",
        ["Agree", "Neither", "Disagree"],
        required=True,
    )
    add_question(section, QuestionKind.FREE_TEXT, "Anything else?", max_length=200)
    db.session.commit()
    return survey


def survey_of_every_kind(neighbourhood: Neighbourhood, status: str = "open") -> Survey:
    """Three sections: every question kind, and a section and a question shown by skip logic.

    1 "About the park": single choice with Other (required), multiple choice (at most 2),
      scale with Don't know, yes/no "Do you have a dog?" (required), and free text shown only
      to dog owners (same page).
    2 "Dogs" (only if yes to the dog question): number of dogs (whole, 1 to 5, required),
      ranking of walks (top 2).
    3 "About you": postcode (required), number of years (decimal, 0 to 100).
    """
    survey = Survey(
        neighbourhood_id=neighbourhood.id, title="Every kind", status=status, opens_at=utcnow()
    )
    db.session.add(survey)
    park = add_section(survey, "About the park")
    add_question(
        park,
        QuestionKind.SINGLE_CHOICE,
        "Which park do you use most?",
        ["North park", "South park"],
        other="Another park",
        required=True,
    )
    add_question(
        park,
        QuestionKind.MULTIPLE_CHOICE,
        "What would help?",
        ["Seats", "Lights", "Toilets"],
        max_choices=2,
    )
    add_question(
        park,
        QuestionKind.SCALE,
        "I feel safe there.",
        ["Agree", "Neither", "Disagree"],
        dont_know=True,
    )
    dog = add_question(park, QuestionKind.YES_NO, "Do you have a dog?", required=True)
    add_question(
        park,
        QuestionKind.FREE_TEXT,
        "Where do you walk your dog?",
        max_length=50,
        required=True,
        show_if=dog.options[0],
    )
    dogs = add_section(survey, "Dogs", show_if=dog.options[0])
    add_question(
        dogs, QuestionKind.NUMBER, "How many dogs?", min_value=1, max_value=5, required=True
    )
    add_question(
        dogs,
        QuestionKind.RANKING,
        "Rank the walks.",
        ["Canal", "Woods", "Field"],
        max_choices=2,
    )
    you = add_section(survey, "About you")
    add_question(you, QuestionKind.POSTCODE, "What is your postcode?", required=True)
    add_question(
        you,
        QuestionKind.NUMBER,
        "How many years have you lived here?",
        min_value=0,
        max_value=100,
        whole_number=False,
    )
    db.session.commit()
    return survey


def answer_row(**columns: object) -> dict[str, object]:
    """An answer row's column values, for ``store_response``: those given, the rest empty."""
    return {"option_id": None, "text": None, "number": None, "rank": None, **columns}
