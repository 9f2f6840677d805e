"""Jinja set-up: our templates first, then the GOV.UK Frontend macros and WTForms widgets."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

LONDON = ZoneInfo("Europe/London")


def london_time(value: datetime | None, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
    """Show a stored UTC time as people in England read it."""
    if value is None:
        return ""
    text = value.astimezone(LONDON).strftime(fmt)
    return text.replace("AM", "am").replace("PM", "pm")


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
