"""Languages: which one a page is shown in, the switcher's route, and locale-aware formatting.

The choice, in order: the language the person picked with the switcher (a cookie, and for a
signed-in person also their account, so emails sent later by a worker use it too), then the
browser's Accept-Language, then English. On a neighbourhood's pages only the languages that
neighbourhood offers are used.

Numbers in Urdu use Western Arabic digits (0-9), as CLDR's default for ``ur`` does: residents in
the UK read postcodes, phone numbers and prices in those digits every day, and survey answers
and counts then look the same in every language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, get_translations
from flask_login import current_user, user_logged_in
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from consult.core.urls import safe_next
from consult.extensions import babel, db

COOKIE = "consult_language"
COOKIE_AGE = 365 * 24 * 3600
DEFAULT = "en"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # written in the language itself, as people look for their own
    direction: str = "ltr"


LANGUAGES = {
    language.code: language
    for language in (
        Language("en", "English"),
        Language("pl", "Polski"),
        Language("ur", "اردو", "rtl"),
    )
}

bp = Blueprint("language", __name__)
log = logging.getLogger(__name__)


def parse_languages(text: str | None) -> list[str]:
    """The known language codes in a space-separated list, English always first."""
    chosen = {code for code in (text or "").split() if code in LANGUAGES}
    return [code for code in LANGUAGES if code == DEFAULT or code in chosen]


def offered_languages() -> list[str]:
    """The languages this page may be shown in: a neighbourhood's own list, else all of ours."""
    if "offered_languages" not in g:
        g.offered_languages = list(LANGUAGES)
        slug = (request.view_args or {}).get("slug")
        # A NUL can reach here on the way to a 404 page; PostgreSQL cannot even compare it.
        if isinstance(slug, str) and "\x00" not in slug:
            listed = _listed_languages(slug)
            if listed:
                g.offered_languages = parse_languages(listed)
    return list(g.offered_languages)


def _listed_languages(slug: str) -> str | None:
    """The neighbourhood's list, or None; never an error, as error pages ask for it too."""
    from consult.neighbourhoods.models import Neighbourhood

    loaded = g.get("neighbourhood")  # the page's own, if it has loaded it (no second query)
    try:
        if loaded is not None and loaded.slug == slug:
            return str(loaded.languages)
        return db.session.scalar(select(Neighbourhood.languages).where(Neighbourhood.slug == slug))
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("languages of a neighbourhood could not be read; offering all")
        return None


def select_locale() -> str | None:
    """Flask-Babel's locale selector: the switcher's choice, then Accept-Language, then English."""
    if not has_request_context():
        return None
    offered = offered_languages()
    chosen = request.cookies.get(COOKIE)
    if chosen in offered:
        return chosen
    return browser_language(offered)


def browser_language(offered: list[str]) -> str:
    """The first of the browser's languages (by preference) that we offer, by primary tag.

    Werkzeug's ``best_match`` prefers an exact match of lower quality ("en;q=0.3") to a
    regional variant of the favourite ("ur-PK"); people mean the language, not the region.
    """
    for value, quality in request.accept_languages:  # most preferred first
        primary = value.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in offered:
            return primary
    return DEFAULT


def current_language() -> Language:
    locale = get_locale()
    return LANGUAGES.get(locale.language if locale else DEFAULT, LANGUAGES[DEFAULT])


def switcher_languages() -> list[Language]:
    return [LANGUAGES[code] for code in offered_languages()]


@bp.get("/language/<code>")
def choose(code: str) -> ResponseReturnValue:
    """Remember a language and go back to the page the person was on (a plain link: no JS)."""
    if code not in LANGUAGES:
        abort(404)
    back = safe_next(request.args.get("next")) or url_for("core.home")
    response = redirect(back)
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return response


def remember_locale_at_sign_in(sender: Flask, user: Any, **extra: Any) -> None:
    """Keep the language someone signs in with, for the emails a worker sends them later."""
    code = current_language().code
    if getattr(user, "locale", None) != code:
        user.locale = code
        db.session.commit()


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return the files written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    return written


def page_translations() -> dict[str, Any]:
    """A context processor: the ``gettext`` and ``ngettext`` that ``_`` and ``{% trans %}``
    use, bound to this page's translations once per rendering.

    Flask-Babel installs ones that look up the request's locale and catalogue again on every
    call, a dozen context-local lookups each, on pages of twenty texts or more. These behave
    as Jinja's "newstyle" ones do (escaped, always %-formatted). Imported macros, whose modules
    Jinja keeps between renderings, still use Flask-Babel's, which follow every request.
    """
    translations = get_translations()
    return {
        "gettext": _newstyle_gettext(translations.ugettext),
        "ngettext": _newstyle_ngettext(translations.ungettext),
    }


def _newstyle_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translate(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (our catalogues, as Jinja itself trusts them)
        return text % variables

    return gettext


def _newstyle_ngettext(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = translate(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (our catalogues, as Jinja itself trusts them)
        return text % variables

    return ngettext


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_timezone="Europe/London",
        default_translation_directories=str(TRANSLATIONS),
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        current_language=current_language,
        switcher_languages=switcher_languages,
    )
    app.context_processor(page_translations)
    user_logged_in.connect(remember_locale_at_sign_in, app)
