"""Jinja set-up: our templates first, then the GOV.UK Frontend macros and WTForms widgets."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_datetime_format
from flask import Flask
from flask_babel import format_date, format_time, get_locale
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

LONDON = ZoneInfo("Europe/London")


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
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
