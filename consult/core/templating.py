"""Jinja set-up: our templates first, then the GOV.UK Frontend macros and WTForms widgets."""

from __future__ import annotations

import threading
from collections import ChainMap, OrderedDict
from collections.abc import Callable, Hashable, KeysView, MutableMapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_datetime_format
from flask import Flask
from flask.templating import Environment
from flask_babel import format_date, format_time, get_locale
from flask_babel.speaklater import LazyString
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

LONDON = ZoneInfo("Europe/London")

# The GOV.UK Frontend macros our templates call, by component folder. They are Jinja globals,
# built once: an ``{% from ... import %}`` runs again on every render (twelve of them in the
# layout cost more CPU than some whole pages' data).
GOVUK_MACROS = {
    "govukBackLink": "back-link",
    "govukButton": "button",
    "govukErrorSummary": "error-summary",
    "govukGenericHeader": "generic-header",
    "govukInsetText": "inset-text",
    "govukNotificationBanner": "notification-banner",
    "govukPagination": "pagination",
    "govukPanel": "panel",
    "govukServiceNavigation": "service-navigation",
    "govukSkipLink": "skip-link",
    "govukSummaryList": "summary-list",
    "govukTable": "table",
    "govukTag": "tag",
    "govukWarningText": "warning-text",
}
# Of those, the ones drawn on every page whose output depends on their arguments alone, and
# whose arguments never hold what a person typed: kept per argument (see KeptMacro).
KEPT_MACROS = frozenset(
    {
        "govukBackLink",
        "govukButton",
        "govukGenericHeader",
        "govukServiceNavigation",
        "govukSkipLink",
    }
)
KEPT_RENDERINGS = 512  # per macro and process; a rendering is a few hundred bytes


class _UnkeyableError(Exception):
    """An argument that cannot serve as a key: the macro is called as it is."""


def _frozen(value: Any) -> Hashable:
    """A hashable key for a macro's arguments that tells apart everything the output depends
    on: text from markup (``Markup`` is a ``str``), ``True`` from ``1``, and a lazy string by
    the text it has in the page's language."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(_frozen(item) for item in value))
    if isinstance(value, LazyString):
        return ("lazy", str(value))
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return (type(value), value)
    raise _UnkeyableError


class KeptMacro:
    """A GOV.UK macro whose output depends on its arguments alone, each rendering kept.

    The header, navigation, skip link, back link and buttons are the same on most pages (the
    translated texts are among the arguments, so each language has its own), yet each call
    renders nested macros and imports again. Only macros in ``KEPT_MACROS`` are kept: their
    arguments are links and the interface's own texts, never what a resident typed, so
    nothing personal stays in the process. The least recently used renderings go first.
    """

    def __init__(self, macro: Callable[..., Markup], size: int = KEPT_RENDERINGS) -> None:
        self.macro = macro
        self.size = size
        self._kept: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Markup:
        try:
            key = _frozen(args)
        except _UnkeyableError:
            return self.macro(*args, **kwargs)
        if kwargs:  # ``caller`` and the like: not a plain rendering of the arguments
            return self.macro(*args, **kwargs)
        with self._lock:
            markup = self._kept.get(key)
            if markup is not None:
                self._kept.move_to_end(key)
                return markup
        markup = self.macro(*args)
        with self._lock:
            self._kept[key] = markup
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return markup


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals (its own over the environment's), with C-speed ``keys()``.

    Jinja checks ``context.globals_keys - template.globals.keys()`` on every ``import``,
    including those inside each GOV.UK macro call; on a plain ChainMap that is one Python-level
    lookup per global, a large share of a page's rendering time.
    """

    def keys(self) -> KeysView[str]:
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class ConsultEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals(d if d is not None else {}, self.globals)


def london_time(value: datetime | None, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
    """Show a stored UTC time as people in England read it, in the page's language.

    English keeps GOV.UK's style (``3 March 2026 at 2:05pm``) through ``fmt``; other languages
    get the same parts (date, time or both) in their own CLDR form, in London time.
    """
    if value is None:
        return ""
    locale = get_locale()
    if locale is not None and locale.language != "en":
        return _localised(value, fmt)
    text = value.astimezone(LONDON).strftime(fmt)
    return text.replace("AM", "am").replace("PM", "pm")


def _localised(value: datetime, fmt: str) -> str:
    """The date, the time or both, as the page's locale writes them (Flask-Babel's time zone
    is London, see consult.core.i18n)."""
    date_text, time_text = format_date(value, "long"), format_time(value, "short")
    if "%B" not in fmt:
        return time_text
    if "%M" not in fmt:
        return date_text
    pattern = str(get_datetime_format("long", locale=get_locale())).replace("'", "")
    return pattern.format(time_text, date_text)


def init_templates(app: Flask) -> None:
    assert app.jinja_loader is not None  # noqa: S101 (Flask always sets one)
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["london_time"] = london_time
    WTFormsHelpers(app)
    for name, component in GOVUK_MACROS.items():
        path = f"govuk_frontend_jinja/components/{component}/macro.html"
        macro = getattr(app.jinja_env.get_template(path).module, name)
        app.jinja_env.globals[name] = KeptMacro(macro) if name in KEPT_MACROS else macro
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
