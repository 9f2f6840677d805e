"""Creating neighbourhoods."""

from __future__ import annotations

from sqlalchemy import select

from consult.core.i18n import parse_languages
from consult.extensions import db
from consult.ideas.services import seed_categories
from consult.neighbourhoods.models import Neighbourhood


class SlugTakenError(Exception):
    """Another neighbourhood already uses this short name."""


def create_neighbourhood(
    slug: str,
    name: str,
    local_authority: str = "",
    description: str = "",
    languages: list[str] | None = None,
) -> Neighbourhood:
    """A new neighbourhood with the standard idea categories. Flushes.

    ``languages`` are the codes offered besides English; none offers all of the site's.
    """
    if db.session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == slug)):
        raise SlugTakenError(slug)
    neighbourhood = Neighbourhood(
        slug=slug,
        name=name.strip(),
        local_authority=local_authority.strip(),
        description=description.strip(),
        languages=" ".join(parse_languages(" ".join(languages))) if languages else "",
    )
    db.session.add(neighbourhood)
    db.session.flush()
    seed_categories(neighbourhood)
    return neighbourhood
