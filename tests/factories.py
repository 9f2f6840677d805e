"""factory_boy factories for consult's models, flushed into the test's session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from consult.auth.passwords import hash_password
from consult.core.time import utcnow
from consult.extensions import db
from consult.models import (
    Membership,
    Neighbourhood,
    Option,
    Question,
    Survey,
    User,
)

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
    """A survey with one question of each foundation kind: single, multiple, scale, free text."""
    survey = Survey(
        neighbourhood_id=neighbourhood.id, title="Parks survey", status=status, opens_at=utcnow()
    )
    single = Question(
        position=1, kind="single_choice", text="How often do you visit?", required=True
    )
    single.options = [
        Option(position=i, label=label)
        for i, label in enumerate(["Daily", "Weekly", "Never"], start=1)
    ]
    multiple = Question(position=2, kind="multiple_choice", text="What would help?")
    multiple.options = [
        Option(position=i, label=label)
        for i, label in enumerate(["Seats", "Lights", "Toilets"], start=1)
    ]
    scale = Question(position=3, kind="scale", text="I feel safe there.", required=True)
    scale.options = [
        Option(position=i, label=label, value=4 - i)
        for i, label in enumerate(["Agree", "Neither", "Disagree"], start=1)
    ]
    free = Question(position=4, kind="free_text", text="Anything else?", max_length=200)
    survey.questions = [single, multiple, scale, free]
    db.session.add(survey)
    db.session.commit()
    return survey
