"""The idea board: categories, listing, finding similar ideas, posting. Services flush only."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import (
    SEEDED_CATEGORIES,
    Idea,
    IdeaCategory,
    ModerationState,
    StatusChange,
    Support,
)
from consult.ideas.similarity import most_similar
from consult.neighbourhoods.access import has_role
from consult.neighbourhoods.models import Neighbourhood, Role

PER_PAGE = 20
# Only the newest ideas are compared with a new one, so the check stays quick on a big board.
SIMILARITY_POOL = 2000


class CategoryTakenError(Exception):
    """The neighbourhood already has a category with this name."""


class CategoryInUseError(Exception):
    """Ideas use this category, so it cannot be removed."""


class Sort(enum.StrEnum):
    SUPPORTED = "supported"
    NEWEST = "newest"
    UPDATED = "updated"


SORT_LABELS = {
    Sort.SUPPORTED: _l("Most supported"),
    Sort.NEWEST: _l("Newest"),
    Sort.UPDATED: _l("Recently updated"),
}


def seed_categories(neighbourhood: Neighbourhood) -> None:
    """Give a new neighbourhood the standard categories. Flushes."""
    for name in SEEDED_CATEGORIES:
        db.session.add(IdeaCategory(neighbourhood_id=neighbourhood.id, name=name))
    db.session.flush()


def categories_of(neighbourhood: Neighbourhood) -> list[IdeaCategory]:
    return list(
        db.session.scalars(
            select(IdeaCategory)
            .where(IdeaCategory.neighbourhood_id == neighbourhood.id)
            .order_by(IdeaCategory.name)
        )
    )


def get_category(neighbourhood: Neighbourhood, category_id: int) -> IdeaCategory | None:
    """A category of *this* neighbourhood: another's id finds nothing."""
    return db.session.scalar(
        select(IdeaCategory).where(
            IdeaCategory.id == category_id, IdeaCategory.neighbourhood_id == neighbourhood.id
        )
    )


def add_category(neighbourhood: Neighbourhood, name: str) -> IdeaCategory:
    name = name.strip()
    taken = db.session.scalar(
        select(IdeaCategory.id).where(
            IdeaCategory.neighbourhood_id == neighbourhood.id,
            # The exact name too: SQLite's lower() knows only ASCII, so "É" is not "é" there.
            or_(IdeaCategory.name == name, func.lower(IdeaCategory.name) == name.lower()),
        )
    )
    if taken:
        raise CategoryTakenError(name)
    category = IdeaCategory(neighbourhood_id=neighbourhood.id, name=name)
    try:
        with db.session.begin_nested():  # another member may add the same name at once
            db.session.add(category)
    except IntegrityError:
        raise CategoryTakenError(name) from None
    return category


def remove_category(category: IdeaCategory) -> None:
    if db.session.scalar(select(Idea.id).where(Idea.category_id == category.id).limit(1)):
        raise CategoryInUseError(category.name)
    db.session.delete(category)
    db.session.flush()


def support_counts() -> Any:
    """A subquery of (idea_id, supports) for joining onto ideas."""
    return (
        select(Support.idea_id, func.count(Support.id).label("supports"))
        .group_by(Support.idea_id)
        .subquery()
    )


@dataclass(frozen=True)
class BoardPage:
    rows: list[tuple[Idea, int]]
    total: int
    page: int
    pages: int


def list_ideas(
    neighbourhood: Neighbourhood,
    sort: Sort = Sort.SUPPORTED,
    category_id: int | None = None,
    status: str | None = None,
    page: int = 1,
) -> BoardPage:
    """One page of the published ideas, with their support counts, sorted and filtered."""
    counts = support_counts()
    # Supports given here, plus those counted before the idea was imported.
    supports = func.coalesce(counts.c.supports, 0) + Idea.imported_supports
    query: Select[Any] = (
        select(Idea, supports)
        .outerjoin(counts, counts.c.idea_id == Idea.id)
        .where(
            Idea.neighbourhood_id == neighbourhood.id,
            Idea.state == ModerationState.PUBLISHED.value,
        )
    )
    if category_id is not None:
        query = query.where(Idea.category_id == category_id)
    if status == "new":
        query = query.where(Idea.status.is_(None))
    elif status:
        query = query.where(Idea.status == status)
    order = {
        Sort.SUPPORTED: (supports.desc(), Idea.created_at.desc()),
        Sort.NEWEST: (Idea.created_at.desc(),),
        Sort.UPDATED: (Idea.updated_at.desc(),),
    }[sort]
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(*order, Idea.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return BoardPage([(idea, count) for idea, count in rows], total, page, pages)


def get_idea(neighbourhood: Neighbourhood, idea_id: int) -> Idea | None:
    """An idea of *this* neighbourhood: another's id finds nothing."""
    return db.session.scalar(
        select(Idea).where(Idea.id == idea_id, Idea.neighbourhood_id == neighbourhood.id)
    )


def published_ideas(neighbourhood: Neighbourhood) -> list[Idea]:
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.neighbourhood_id == neighbourhood.id,
                Idea.state == ModerationState.PUBLISHED.value,
            )
            .order_by(Idea.title, Idea.id)
        )
    )


def can_see(idea: Idea, user: Any) -> bool:
    """Everyone sees published ideas; the author and the partnership also see the others."""
    if idea.state == ModerationState.PUBLISHED.value:
        return True
    if not user.is_authenticated:
        return False
    return idea.author_id == user.id or has_role(user, idea.neighbourhood, (Role.MEMBER,))


def similar_ideas(neighbourhood: Neighbourhood, title: str, description: str) -> list[Idea]:
    """Published ideas of this neighbourhood that read like the one being written."""
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.description)
        .where(
            Idea.neighbourhood_id == neighbourhood.id,
            Idea.state == ModerationState.PUBLISHED.value,
        )
        .order_by(Idea.created_at.desc())
        .limit(SIMILARITY_POOL)
    ).all()
    # The title counts twice: it says what the idea is about most briefly.
    candidates = [(i, f"{t} {t} {d}") for i, t, d in rows]
    ranked = most_similar(f"{title} {title} {description}", candidates)
    by_id = {
        idea.id: idea
        for idea in db.session.scalars(select(Idea).where(Idea.id.in_([i for i, _ in ranked])))
    }
    return [by_id[i] for i, _ in ranked]


def post_idea(
    neighbourhood: Neighbourhood,
    author: Any,
    title: str,
    description: str,
    category: IdeaCategory,
    place: str = "",
) -> Idea:
    """Store a new idea: waiting for a check in pre-moderation, else published. Flushes."""
    state = (
        ModerationState.PENDING
        if neighbourhood.moderation_mode == "pre"
        else ModerationState.PUBLISHED
    )
    now = utcnow()
    idea = Idea(
        neighbourhood_id=neighbourhood.id,
        author_id=author.id,
        category_id=category.id,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        state=state.value,
        created_at=now,
        updated_at=now,
    )
    db.session.add(idea)
    db.session.flush()
    return idea


def status_history(idea: Idea) -> list[StatusChange]:
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.idea_id == idea.id)
            .order_by(StatusChange.created_at.desc(), StatusChange.id.desc())
        )
    )
