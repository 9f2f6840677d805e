"""The GOV.UK macros drawn on every page keep their renderings, and never show a stale one.

consult.core.templating.KeptMacro keeps each rendering of the skip link, header, service
navigation, back link and buttons under its arguments: the same arguments give the same markup
as the macro itself, and any difference in them (text or markup, language) gives a new one.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, lazy_gettext
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput as PlainSubmitInput
from markupsafe import Markup
from wtforms import Form, SubmitField

from consult.core.templating import KEPT_MACROS, KeptMacro, _frozen
from consult.core.widgets import GovSubmitInput
from tests.factories import NeighbourhoodFactory
from tests.web.test_survey_fields import outline


def test_a_kept_rendering_is_the_macros_own(app: Flask) -> None:
    kept = app.jinja_env.globals["govukBackLink"]
    assert isinstance(kept, KeptMacro)
    with app.test_request_context():
        params = {"href": "/n/demo?a=1&b=<2>", "text": "Back & <forth>"}
        first, again = kept(params), kept(dict(params))
        assert first == kept.macro(params) and again is first
        assert "Back &amp; &lt;forth&gt;" in first and "a=1&amp;b=&lt;2&gt;" in first


def test_text_and_markup_are_told_apart(app: Flask) -> None:
    kept = app.jinja_env.globals["govukButton"]
    with app.test_request_context():
        as_text = kept({"html": "<b>Go</b>"})
        as_markup = kept({"html": Markup("<b>Go</b>")})
        as_plain = kept({"text": "<b>Go</b>"})
        same_as_text = kept({"text": "<b>Go</b>", "isStartButton": 1})
        start = kept({"text": "<b>Go</b>", "isStartButton": True})
    assert "<b>Go</b>" in as_markup and "<b>Go</b>" in as_text  # html is html either way
    assert "&lt;b&gt;Go&lt;/b&gt;" in as_plain
    assert same_as_text == kept.macro({"text": "<b>Go</b>", "isStartButton": 1})
    assert start == kept.macro({"text": "<b>Go</b>", "isStartButton": True})
    assert "govuk-button--start" in start


def test_a_lazy_text_is_kept_per_language(app: Flask) -> None:
    kept = app.jinja_env.globals["govukButton"]
    params = {"text": lazy_gettext("Continue")}
    with app.test_request_context():
        with force_locale("pl"):
            polish = kept(params)
        with force_locale("en"):
            english = kept(params)
    assert "Continue" in english and "Continue" not in polish


def test_the_oldest_rendering_goes_first(app: Flask) -> None:
    kept = KeptMacro(app.jinja_env.globals["govukTag"], size=2)
    with app.test_request_context():
        for text in ("one", "two", "one", "three"):
            kept({"text": text})
    assert list(kept._kept) == [_frozen(({"text": "one"},)), _frozen(({"text": "three"},))]


def test_what_cannot_be_a_key_is_drawn_each_time(app: Flask) -> None:
    kept = app.jinja_env.globals["govukSkipLink"]

    class Text:
        def __str__(self) -> str:
            return "Skip"

    with app.test_request_context():
        before = len(kept._kept)
        assert "Skip" in kept({"href": "#main", "text": Text()})
    assert len(kept._kept) == before


def test_only_page_furniture_is_kept(app: Flask) -> None:
    kept = {name for name, value in app.jinja_env.globals.items() if isinstance(value, KeptMacro)}
    assert kept == KEPT_MACROS
    assert "govukSummaryList" not in kept and "govukErrorSummary" not in kept


def test_the_submit_button_is_govuk_frontend_wtfs(app: Flask) -> None:
    class Sending(Form):
        submit = SubmitField(lazy_gettext("Send my answers"), widget=GovSubmitInput())

    class Plain(Form):
        submit = SubmitField(lazy_gettext("Send my answers"), widget=PlainSubmitInput())

    for language in ("en", "ur"):
        with app.test_request_context(), force_locale(language):
            ours, theirs = str(Sending().submit), str(Plain().submit)
        assert outline(ours) == outline(theirs)
        assert ("Send my answers" in ours) == (language == "en")


def test_a_page_in_another_language_has_its_own_header(app: Flask) -> None:
    NeighbourhoodFactory(slug="kept", languages="pl ur")
    client = app.test_client()
    english = client.get("/n/kept/").get_data(as_text=True)
    polish = client.get("/n/kept/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "Sign in" in outline(english) and "Sign in" not in outline(polish)
    assert 'href="#main-content"' in polish and 'lang="pl"' in polish
    assert client.get("/n/kept/").get_data(as_text=True) == english
