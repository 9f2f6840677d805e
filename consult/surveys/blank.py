"""A survey page as a resident first opens it, drawn once and kept with the survey's structure.

Most residents open each page with nothing answered yet. That page then depends only on the
survey's structure and texts (kept per stamp: see consult.surveys.structure), the language
it is shown in and the languages its neighbourhood offers (the
switcher), provided nobody is signed in and there is no message to show. Everything else on
it is the same for every resident except the CSRF token, which is put in at each request.
Drawing the page was most of the cost of showing it.

A page is kept only when all of that holds; otherwise it is drawn as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from consult.core.i18n import current_language, offered_languages
from consult.surveys.models import Section, Survey
from consult.surveys.structure import kept_structure

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
        or current_user.is_authenticated
    ):
        return None
    return ("blank page", section.id, current_language().code, tuple(offered_languages()))


def blank_page(survey: Survey, section: Section, address: str, draw: Callable[[], str]) -> str:
    """The page ``draw`` makes of ``section`` with no answers, at ``address``: kept, with this
    request's CSRF token put in, or drawn now when it cannot be kept."""
    kept = kept_structure(survey)
    key = _key(section, address) if kept is not None and kept.owns(section) else None
    if kept is None or key is None:
        return draw()
    token = generate_csrf()
    page: str = kept.made(key, lambda: draw().replace(token, SLOT))
    return page.replace(SLOT, token)
