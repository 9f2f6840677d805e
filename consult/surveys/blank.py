"""A survey page as a resident first opens it, drawn once and kept with the survey's structure.

Most residents open each page with nothing answered yet. That page then depends only on the
survey's structure and texts (kept per stamp: see consult.surveys.structure), the language
it is shown in and the languages its neighbourhood offers (the
switcher), provided nobody is signed in and there is no message to show. Everything else on
it is the same for every resident except the CSRF token, which is put in at each request.
Drawing the page was most of the cost of showing it.

A page is kept only when all of that holds; otherwise it is drawn as usual.

For a second after such a page was shown, the next resident opening it afresh is shown it
without the database at all (:func:`recent_page`): under load most residents arrive at the
same first page, and reading the survey row for each cost more than everything else the page
does. Any change to a survey, its structure or a neighbourhood forgets these at once in the
process that made it; other processes show the page for at most that second longer. A page
that sends, posted in that second, is sent without reading the survey either
(consult.surveys.sending), by a statement that stores nothing unless the survey's row is
still as the page saw it: a survey closed in that second refuses the answers as usual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_app_context, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from consult.core.i18n import current_language, offered_languages
from consult.core.login import signed_in
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import AccessMode, Section, Survey
from consult.surveys.structure import STRUCTURE_TYPES, Structure, kept_structure

# Where the token goes. A NUL never reaches a page from anything typed (consult.core.security
# drops them from forms, and PostgreSQL cannot store one), so the slot cannot be forged.
SLOT = "\x00csrf-token\x00"


def _key(section: Section, address: str) -> Hashable | None:
    """What the page depends on besides its structure; None when it must be drawn afresh.

    Only a page asked for at its own ``address`` is kept: other spellings of it (``/sections/01``)
    would each keep a page of their own, without end."""
    if (
        request.script_root + request.path != address
        or request.query_string
        or "_flashes" in session
        or signed_in()
    ):
        return None
    return ("blank page", section.id, current_language().code, tuple(offered_languages()))


def blank_page(
    survey: Survey, section: Section, address: str, draw: Callable[[], str], sends: bool = False
) -> str:
    """The page ``draw`` makes of ``section`` with no answers, at ``address``: kept, with this
    request's CSRF token put in, or drawn now when it cannot be kept. ``sends``: the page
    sends the answers (it gives out a draft token when shown: see :func:`recent_page`)."""
    kept = kept_structure(survey)
    key = _key(section, address) if kept is not None and kept.owns(section) else None
    if kept is None or key is None:
        return draw()
    token = generate_csrf()
    page: str = kept.made(key, lambda: draw().replace(token, SLOT))
    _remember(survey, kept, section, address, sends)
    return page.replace(SLOT, token)


RECENT_SECONDS = 1.0
RECENT_PAGES = 4096  # addresses kept at most (each a survey's section page)


@dataclass(frozen=True)
class _Recent:
    """A survey page shown afresh to a resident: what showing it again needs."""

    survey_id: int
    structure: Structure
    section_id: int
    languages: tuple[str, ...]
    sends: bool
    until: float  # time.time()
    # The survey's and its neighbourhood's rows as read for the page (column values): what
    # sending a page that sends straight away needs (consult.surveys.sending).
    survey_row: Mapping[str, Any]
    neighbourhood_row: Mapping[str, Any]

    def survey(self) -> Survey:
        """A new copy of the survey as read, in no session, with its structure and
        neighbourhood: only ever read, and never written."""
        survey = Survey(**self.survey_row)
        set_committed_value(survey, "neighbourhood", Neighbourhood(**self.neighbourhood_row))
        set_committed_value(survey, "sections", list(self.structure.sections))
        set_committed_value(survey, "questions", list(self.structure.questions))
        return survey


class RecentPages:
    """The pages an app's process has shown afresh lately, by address."""

    def __init__(self) -> None:
        self._pages: dict[str, _Recent] = {}
        self._lock = threading.Lock()

    def get(self, address: str) -> _Recent | None:
        with self._lock:
            return self._pages.get(address)

    def put(self, address: str, recent: _Recent) -> None:
        with self._lock:
            if len(self._pages) >= RECENT_PAGES:
                self._pages.clear()
            self._pages[address] = recent

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _recent_pages() -> RecentPages:
    pages: RecentPages = current_app.extensions.setdefault("recent_survey_pages", RecentPages())
    return pages


def _remember(survey: Survey, kept: Structure, section: Section, address: str, sends: bool) -> None:
    if survey.access is not AccessMode.OPEN:
        return  # a code or email is checked per browser: never shown from here
    until = time.time() + RECENT_SECONDS
    if survey.closes_at is not None:
        until = min(until, survey.closes_at.timestamp())
    languages = tuple(offered_languages())
    recent = _Recent(
        survey.id,
        kept,
        section.id,
        languages,
        sends,
        until,
        _row(survey),
        _row(survey.neighbourhood),
    )
    _recent_pages().put(address, recent)


def _row(thing: Any) -> dict[str, Any]:
    return {
        attribute.key: getattr(thing, attribute.key)
        for attribute in inspect(type(thing)).column_attrs
    }


def _shown_here(survey_id: int) -> _Recent | None:
    """This address's page, if this process showed it afresh within :data:`RECENT_SECONDS`."""
    recent = _recent_pages().get(request.script_root + request.path)
    if recent is None or recent.survey_id != survey_id or time.time() >= recent.until:
        return None
    return recent


def recently_shown(survey_id: int) -> _Recent | None:
    """This address's page, if this process showed it afresh within :data:`RECENT_SECONDS` and
    it is a page that sends (see consult.surveys.sending)."""
    recent = _shown_here(survey_id)
    return recent if recent is not None and recent.sends else None


def recent_page(survey_id: int, fresh: bool, give_token: Callable[[int], None]) -> str | None:
    """This address's page, if a resident was shown it afresh within :data:`RECENT_SECONDS`
    and this one opens it afresh too (``fresh``: no draft of theirs): no query at all. None
    otherwise, and the page is made as usual. ``give_token`` gives out a draft token to a
    page that sends."""
    if not fresh or request.method != "GET":
        return None
    recent = _shown_here(survey_id)
    if recent is None:
        return None
    address = request.script_root + request.path
    g.offered_languages = list(recent.languages)  # the page's languages, as when it was shown
    section = next((s for s in recent.structure.sections if s.id == recent.section_id), None)
    key = _key(section, address) if section is not None else None
    page: str | None = recent.structure.kept(key) if key is not None else None
    if page is None:
        del g.offered_languages
        return None
    if recent.sends:
        give_token(survey_id)
    return page.replace(SLOT, generate_csrf())


@event.listens_for(Session, "after_flush")
def _forget_recent(session: Session, _context: object) -> None:
    """A change to any survey, its structure or a neighbourhood: shown afresh from now on."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(thing, (Neighbourhood, *STRUCTURE_TYPES)) for thing in changed):
        forget_recent()


def forget_recent() -> None:
    """Every page's next showing reads the database again."""
    if has_app_context():
        _recent_pages().clear()
